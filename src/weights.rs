//! Saving weights to bytes and loading them back, without `std` or an
//! allocator: [`encode`] into a `&mut [u8]`, [`decode`] from a `&[u8]`.
//!
//! # The format, version 1
//!
//! All integers and floats are little-endian.
//!
//! | offset       | size          | field                                                        |
//! |--------------|---------------|--------------------------------------------------------------|
//! | 0            | 4             | magic, the ASCII bytes `CNET`                                |
//! | 4            | 2             | format version, `u16`, 1                                     |
//! | 6            | 2             | element type, `u16`: 1 for f32, 2 for f64                    |
//! | 8            | 4             | `n`, the number of parameter matrices, `u32`                 |
//! | 12           | 8·n           | each matrix's shape: rows `u32`, columns `u32`               |
//! | 12 + 8·n     | s·Σ rows·cols | the elements, matrix after matrix, row-major, IEEE 754 of size `s` (4 or 8) |
//! | end − 4      | 4             | CRC-32 (IEEE 802.3, as in zlib) of every byte before it, `u32` |
//!
//! The matrices come in the order of [`Parameters::visit`]: for a network,
//! layer by layer, each [`Affine`](crate::Affine) as its weights then its
//! bias. Loading checks, in this order, the magic, the version, the element
//! type, the length the header implies, the checksum, then that the shapes
//! are those of the network being loaded into, and that no weight is NaN or
//! infinite; the first failure is a [`WeightsError`] and the network is left
//! unchanged.
//!
//! ```
//! use constnet::{Affine, Network, Relu, weights};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! type Net = Network<(Affine<2, 3>, Relu, Affine<3, 1>)>;
//! let mut rng = StdRng::seed_from_u64(5);
//! let net: Net = Network::new((Affine::he(&mut rng), Relu, Affine::he(&mut rng)));
//!
//! let mut bytes = [0u8; 128];
//! let len = weights::encode(&net, &mut bytes).unwrap();
//! assert_eq!(len, weights::encoded_len(&net)); // 12 + 4·8 + 13·4 + 4 = 100
//! assert_eq!(&bytes[..4], b"CNET");
//!
//! let mut loaded = Net::default();
//! weights::decode(&mut loaded, &bytes[..len]).unwrap();
//! assert_eq!(loaded, net);
//!
//! // Weights of another shape, or damaged ones, are refused with a reason.
//! let mut other = Network::new((Affine::<2, 4>::default(), Relu, Affine::<4, 1>::default()));
//! let error = weights::decode(&mut other, &bytes[..len]).unwrap_err();
//! assert_eq!(error.to_string(), "the weights are of another network: parameter matrix 0 is 2x3 in them, 2x4 in this one");
//! bytes[50] ^= 1; // a bit of a weight flipped
//! assert!(matches!(weights::decode(&mut loaded, &bytes[..len]), Err(weights::WeightsError::ChecksumMismatch { .. })));
//! ```

mod crc32;
mod error;

pub use error::WeightsError;

use crate::{Parameters, Scalar};
use crc32::crc32;

/// The magic bytes every encoding starts with.
pub const MAGIC: [u8; 4] = *b"CNET";
/// The format version [`encode`] writes and [`decode`] reads.
pub const VERSION: u16 = 1;

/// The fixed part of the header: magic, version, element type, count.
const HEADER: usize = 12;
/// The bytes of one shape: rows and columns as `u32`.
const SHAPE: usize = 8;
/// The bytes of the checksum.
const CHECKSUM: usize = 4;

/// The element-type code and size of `T`.
fn element_type<T: Scalar>() -> Result<(u16, usize), WeightsError> {
    match T::NAME {
        "f32" => Ok((1, 4)),
        "f64" => Ok((2, 8)),
        name => Err(WeightsError::UnsupportedScalar { name }),
    }
}

fn element_name(code: u16) -> &'static str {
    if code == 1 { "f32" } else { "f64" }
}

/// The number of parameter matrices of `parameters`.
fn tensor_count<P: Parameters<T>, T: Scalar>(parameters: &P) -> usize {
    let mut count = 0;
    parameters.visit_shapes(&mut |_, _| count += 1);
    count
}

/// The number of bytes [`encode`] writes for `parameters`.
///
/// ```
/// use constnet::{Affine, weights};
/// let layer: Affine<64, 10> = Affine::default();
/// assert_eq!(weights::encoded_len(&layer), 12 + 2 * 8 + (640 + 10) * 4 + 4);
/// ```
pub fn encoded_len<P: Parameters<T>, T: Scalar>(parameters: &P) -> usize {
    HEADER
        + SHAPE * tensor_count(parameters)
        + core::mem::size_of::<T>() * P::PARAMETER_COUNT
        + CHECKSUM
}

/// Writes `parameters` into the start of `out` in the format described in
/// the [module documentation](self); returns the number of bytes written,
/// [`encoded_len`].
///
/// # Errors
///
/// - [`WeightsError::BufferTooSmall`] if `out` is shorter than
///   [`encoded_len`]; nothing is written.
/// - [`WeightsError::NonFinite`] if a weight is NaN or infinite, which
///   [`decode`] would refuse; nothing is written.
/// - [`WeightsError::UnsupportedScalar`] for an element type other than
///   f32 and f64.
///
/// # Panics
///
/// Only if `P`'s [`Parameters`] implementation contradicts itself: slices
/// whose lengths do not add up to `PARAMETER_COUNT`. The implementations in
/// this crate cannot.
pub fn encode<P: Parameters<T>, T: Scalar>(
    parameters: &P,
    out: &mut [u8],
) -> Result<usize, WeightsError> {
    let (code, size) = element_type::<T>()?;
    let needed = encoded_len(parameters);
    if out.len() < needed {
        return Err(WeightsError::BufferTooSmall {
            needed,
            available: out.len(),
        });
    }
    first_non_finite(parameters).map_or(Ok(()), Err)?;
    let count = tensor_count(parameters);
    let mut shapes_fit = true;
    parameters.visit_shapes(&mut |rows, columns| {
        shapes_fit &= u32::try_from(rows).is_ok() && u32::try_from(columns).is_ok();
    });
    let count = match u32::try_from(count) {
        Ok(count) if shapes_fit => count,
        _ => return Err(WeightsError::TooLarge),
    };

    let out = &mut out[..needed];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        out[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    put(&MAGIC);
    put(&VERSION.to_le_bytes());
    put(&code.to_le_bytes());
    put(&count.to_le_bytes());
    // Both fit in a u32: checked above.
    parameters.visit_shapes(&mut |rows, columns| {
        put(&(rows as u32).to_le_bytes());
        put(&(columns as u32).to_le_bytes());
    });
    parameters.visit(&mut |slice: &[T]| {
        for &x in slice {
            if size == 4 {
                put(&(x.to_f64() as f32).to_le_bytes());
            } else {
                put(&x.to_f64().to_le_bytes());
            }
        }
    });
    let checksum = crc32(&out[..needed - CHECKSUM]);
    out[needed - CHECKSUM..].copy_from_slice(&checksum.to_le_bytes());
    Ok(needed)
}

/// Loads weights written by [`encode`] into `parameters`, which must have
/// the architecture (the number and shapes of parameter matrices) and the
/// element type they were saved from.
///
/// # Errors
///
/// A [`WeightsError`] naming the first problem found (see the [module
/// documentation](self) for the order of the checks): bytes that are not
/// saved weights, of another version or element type, truncated or with
/// bytes after the end, damaged (the checksum), of another architecture, or
/// holding NaN or infinite weights. `parameters` is then unchanged.
///
/// # Panics
///
/// Never for any `bytes`; only if `P`'s [`Parameters`] implementation
/// contradicts itself (slices of [`visit`](Parameters::visit) longer than
/// the shapes of [`visit_shapes`](Parameters::visit_shapes) say). The
/// implementations in this crate cannot.
pub fn decode<P: Parameters<T>, T: Scalar>(
    parameters: &mut P,
    bytes: &[u8],
) -> Result<(), WeightsError> {
    let (code, size) = element_type::<T>()?;
    if bytes.len() < HEADER + CHECKSUM {
        return Err(WeightsError::Truncated {
            needed: HEADER + CHECKSUM,
            available: bytes.len(),
        });
    }
    let found: [u8; 4] = array_at(bytes, 0);
    if found != MAGIC {
        return Err(WeightsError::WrongMagic { found });
    }
    let version = u16::from_le_bytes(array_at(bytes, 4));
    if version != VERSION {
        return Err(WeightsError::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let found_code = u16::from_le_bytes(array_at(bytes, 6));
    if found_code != 1 && found_code != 2 {
        return Err(WeightsError::UnknownElementType { code: found_code });
    }
    if found_code != code {
        return Err(WeightsError::ElementTypeMismatch {
            expected: T::NAME,
            found: element_name(found_code),
        });
    }

    // The length the header implies, in u64 so that no shape overflows it.
    let count = u64::from(u32::from_le_bytes(array_at(bytes, 8)));
    let shapes_end = HEADER as u64 + SHAPE as u64 * count;
    let available = bytes.len();
    if shapes_end + CHECKSUM as u64 > available as u64 {
        return Err(WeightsError::Truncated {
            needed: usize::try_from(shapes_end + CHECKSUM as u64).unwrap_or(usize::MAX),
            available,
        });
    }
    // The shapes are within `bytes` now, so `count` fits in a usize.
    let count = count as usize;
    let shape = |tensor: usize| -> (usize, usize) {
        let at = HEADER + SHAPE * tensor;
        let rows = u32::from_le_bytes(array_at(bytes, at));
        let columns = u32::from_le_bytes(array_at(bytes, at + 4));
        (rows as usize, columns as usize)
    };
    let mut elements: u64 = 0;
    for tensor in 0..count {
        let (rows, columns) = shape(tensor);
        elements = (rows as u64)
            .checked_mul(columns as u64)
            .and_then(|n| elements.checked_add(n))
            .ok_or(WeightsError::TooLarge)?;
    }
    let total = elements
        .checked_mul(size as u64)
        .and_then(|n| n.checked_add(shapes_end + CHECKSUM as u64))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(WeightsError::TooLarge)?;
    if available < total {
        return Err(WeightsError::Truncated {
            needed: total,
            available,
        });
    }
    if available > total {
        return Err(WeightsError::TrailingBytes {
            expected: total,
            found: available,
        });
    }

    let stored = u32::from_le_bytes(array_at(bytes, total - CHECKSUM));
    let computed = crc32(&bytes[..total - CHECKSUM]);
    if stored != computed {
        return Err(WeightsError::ChecksumMismatch { stored, computed });
    }

    let expected = tensor_count(parameters);
    if count != expected {
        return Err(WeightsError::TensorCountMismatch {
            expected,
            found: count,
        });
    }
    let mut mismatch = None;
    let mut tensor = 0;
    parameters.visit_shapes(&mut |rows, columns| {
        let found = shape(tensor);
        if mismatch.is_none() && found != (rows, columns) {
            mismatch = Some(WeightsError::ShapeMismatch {
                tensor,
                expected: (rows, columns),
                found,
            });
        }
        tensor += 1;
    });
    mismatch.map_or(Ok(()), Err)?;

    // The shapes match, so the data are exactly the parameters' elements.
    let data = &bytes[count * SHAPE + HEADER..total - CHECKSUM];
    let value = |i: usize| -> T {
        if size == 4 {
            T::from_f64(f64::from(f32::from_le_bytes(array_at(data, 4 * i))))
        } else {
            T::from_f64(f64::from_le_bytes(array_at(data, 8 * i)))
        }
    };
    // Check every value before writing any, so that an error changes nothing.
    let mut next = 0;
    let mut tensor = 0;
    let mut non_finite = None;
    parameters.visit(&mut |slice: &[T]| {
        if non_finite.is_none()
            && let Some(index) = (0..slice.len()).position(|i| !value(next + i).is_finite())
        {
            non_finite = Some(WeightsError::NonFinite { tensor, index });
        }
        next += slice.len();
        tensor += 1;
    });
    non_finite.map_or(Ok(()), Err)?;
    let mut next = 0;
    parameters.visit_mut(&mut |slice: &mut [T]| {
        for x in slice {
            *x = value(next);
            next += 1;
        }
    });
    Ok(())
}

/// The first NaN or infinite weight of `parameters`, as an error.
fn first_non_finite<P: Parameters<T>, T: Scalar>(parameters: &P) -> Option<WeightsError> {
    let mut found = None;
    let mut tensor = 0;
    parameters.visit(&mut |slice: &[T]| {
        if found.is_none()
            && let Some(index) = slice.iter().position(|x| !x.is_finite())
        {
            found = Some(WeightsError::NonFinite { tensor, index });
        }
        tensor += 1;
    });
    found
}

/// The `N` bytes of `bytes` at `at`; the caller has checked they exist.
fn array_at<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut array = [0; N];
    array.copy_from_slice(&bytes[at..at + N]);
    array
}

#[cfg(test)]
mod tests;
