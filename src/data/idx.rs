//! The IDX container read by [`IdxImages`](super::IdxImages) and
//! [`IdxLabels`](super::IdxLabels): a header, then the elements.
//!
//! The format of the MNIST files (<http://yann.lecun.com/exdb/mnist/>):
//!
//! ```text
//! byte 0, 1   0, 0            the magic number's first two bytes
//! byte 2      type            0x08 unsigned byte (0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64)
//! byte 3      D               the number of dimensions
//! D x u32     dimensions      big-endian; the first is the number of items
//! ...         elements        the product of the dimensions, row-major
//! ```

use super::IdxError;

/// The type code of unsigned bytes, the only element type accepted.
const UNSIGNED_BYTE: u8 = 0x08;

/// Reads the header of an IDX file of unsigned bytes with `D` dimensions
/// (`D` is 1 or 3) and checks that the elements after it are exactly as many
/// as the dimensions multiply to.
///
/// Returns the dimensions and the elements.
pub(super) fn parse<const D: usize>(bytes: &[u8]) -> Result<([u32; D], &[u8]), IdxError> {
    const { assert!(D >= 1 && D <= 3, "IDX files of 1 to 3 dimensions") };
    let actual = bytes.len();
    let Some(&[zero_0, zero_1, code, dimension_count]) = bytes.first_chunk::<4>() else {
        return Err(IdxError::TruncatedHeader {
            expected: 4,
            actual,
        });
    };
    if zero_0 != 0 || zero_1 != 0 {
        return Err(IdxError::WrongMagic {
            magic: u32::from_be_bytes([zero_0, zero_1, code, dimension_count]),
        });
    }
    if code != UNSIGNED_BYTE {
        return Err(IdxError::UnsupportedType { code });
    }
    // `D` is at most 3, so it fits the byte it is compared with.
    if usize::from(dimension_count) != D {
        return Err(IdxError::WrongDimensionCount {
            expected: D as u8,
            found: dimension_count,
        });
    }
    let header_len = 4 + 4 * D;
    let Some((header, elements)) = bytes.split_at_checked(header_len) else {
        return Err(IdxError::TruncatedHeader {
            expected: header_len,
            actual,
        });
    };
    let dimensions: [u32; D] = core::array::from_fn(|d| {
        let at = 4 + 4 * d;
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    });
    // At most three factors below 2^32 and a small header: the product is
    // below 2^97, which `u128` holds without overflow on every target.
    let element_count: u128 = dimensions.iter().map(|&d| u128::from(d)).product();
    let expected = header_len as u128 + element_count;
    match expected.cmp(&(actual as u128)) {
        core::cmp::Ordering::Greater => Err(IdxError::Truncated { expected, actual }),
        core::cmp::Ordering::Less => Err(IdxError::TrailingData {
            // Below `actual`, so it fits a `usize`.
            expected: expected as usize,
            actual,
        }),
        core::cmp::Ordering::Equal => Ok((dimensions, elements)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dimensions_and_elements() {
        let bytes = [
            0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6,
        ];
        assert_eq!(parse::<3>(&bytes), Ok(([2, 1, 3], &bytes[16..])));
        let big_endian = [0, 0, 8, 1, 0, 0, 1, 2];
        assert_eq!(
            parse::<1>(&big_endian),
            Err(IdxError::Truncated {
                expected: 8 + 258,
                actual: 8
            })
        );
    }

    #[test]
    fn the_largest_dimensions_do_not_overflow() {
        let bytes = [
            0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        ];
        let max = u128::from(u32::MAX);
        assert_eq!(
            parse::<3>(&bytes),
            Err(IdxError::Truncated {
                expected: 16 + max * max * max,
                actual: 16
            })
        );
    }

    #[test]
    fn trailing_bytes_give_the_described_length() {
        let bytes = [0, 0, 8, 1, 0, 0, 0, 1, 7, 8, 9];
        assert_eq!(
            parse::<1>(&bytes),
            Err(IdxError::TrailingData {
                expected: 9,
                actual: 11
            })
        );
    }
}
