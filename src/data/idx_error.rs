//! [`IdxError`]: why bytes are not the IDX file they were expected to be.

use core::fmt;

use super::one_hot::write_classes;

/// Why bytes were rejected as an IDX images or labels file, or why an images
/// file and a labels file do not make a data set together.
///
/// Its [`Display`](fmt::Display) says what was expected and what was found:
///
/// ```
/// use constnet::data::{IdxError, IdxLabels};
///
/// let error = IdxLabels::parse(&[0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2]).unwrap_err();
/// assert_eq!(error, IdxError::Truncated { expected: 11, actual: 10 });
/// assert_eq!(error.to_string(), "truncated: the header describes 11 bytes, the input has 10");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdxError {
    /// The input ends inside the header: the 4-byte magic number, then one
    /// big-endian `u32` per dimension.
    TruncatedHeader {
        /// The bytes needed to read the header so far: 4 for the magic
        /// number, then `4 + 4 * dimensions`.
        expected: usize,
        /// The bytes the input has.
        actual: usize,
    },
    /// The first two bytes of the magic number are not zero: this is not an
    /// IDX file.
    WrongMagic {
        /// The first four bytes, big-endian.
        magic: u32,
    },
    /// The element type (the third byte) is not `0x08`, unsigned byte: the
    /// only type images and labels use.
    UnsupportedType {
        /// The type code read.
        code: u8,
    },
    /// The number of dimensions (the fourth byte) is not the expected one:
    /// 3 for images (count, rows, columns), 1 for labels (count).
    WrongDimensionCount {
        /// 3 for images, 1 for labels.
        expected: u8,
        /// The number read.
        found: u8,
    },
    /// The images have no pixels: a row or column count is 0.
    EmptyImages {
        /// The rows of each image.
        rows: u32,
        /// The columns of each image.
        cols: u32,
    },
    /// The images are not the size asked for.
    WrongDimensions {
        /// The rows and columns asked for.
        expected: [u32; 2],
        /// The rows and columns of the file's images.
        found: [u32; 2],
    },
    /// The images do not have the number of pixels (features) asked for.
    WrongImageSize {
        /// The pixels per image asked for.
        expected: usize,
        /// The rows of the file's images.
        rows: u32,
        /// The columns of the file's images.
        cols: u32,
    },
    /// The input is shorter than its header says.
    Truncated {
        /// The length the header describes: the header, then the product
        /// of the dimensions (in `u128`, which holds any product of three
        /// `u32`s, so it never overflows).
        expected: u128,
        /// The bytes the input has.
        actual: usize,
    },
    /// The input is longer than its header says.
    TrailingData {
        /// The length the header describes.
        expected: usize,
        /// The bytes the input has.
        actual: usize,
    },
    /// The images file and the labels file hold different numbers of
    /// samples.
    CountMismatch {
        /// The number of images.
        images: usize,
        /// The number of labels.
        labels: usize,
    },
    /// A label is not below the number of classes.
    LabelOutOfRange {
        /// The label's position in the file, from 0.
        index: usize,
        /// The label read.
        label: u8,
        /// The number of classes: labels must be in `0..classes`.
        classes: usize,
    },
    /// The number of classes asked for is 0, so no label can be valid.
    NoClasses,
}

impl fmt::Display for IdxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            IdxError::TruncatedHeader { expected, actual } => write!(
                f,
                "truncated header: it needs {expected} bytes, the input has {actual}"
            ),
            IdxError::WrongMagic { magic } => write!(
                f,
                "not an IDX file: its magic number 0x{magic:08X} does not start with two zero bytes"
            ),
            IdxError::UnsupportedType { code } => write!(
                f,
                "unsupported element type 0x{code:02X} ({}): only 0x08 (unsigned byte) is supported",
                type_name(code)
            ),
            IdxError::WrongDimensionCount { expected, found } => {
                write!(
                    f,
                    "the file has {found} dimension{}, expected {expected}",
                    if found == 1 { "" } else { "s" }
                )?;
                match (expected, found) {
                    (3, 1) => f.write_str(" (is it a labels file?)"),
                    (1, 3) => f.write_str(" (is it an images file?)"),
                    _ => Ok(()),
                }
            }
            IdxError::EmptyImages { rows, cols } => write!(
                f,
                "the images are {rows} x {cols}: an image needs at least one pixel"
            ),
            IdxError::WrongDimensions { expected, found } => write!(
                f,
                "the images are {} x {}, expected {} x {}",
                found[0], found[1], expected[0], expected[1]
            ),
            IdxError::WrongImageSize {
                expected,
                rows,
                cols,
            } => write!(
                f,
                "the images are {rows} x {cols} = {} pixels, expected {expected}",
                u64::from(rows) * u64::from(cols)
            ),
            IdxError::Truncated { expected, actual } => write!(
                f,
                "truncated: the header describes {expected} bytes, the input has {actual}"
            ),
            IdxError::TrailingData { expected, actual } => write!(
                f,
                "trailing data: the header describes {expected} bytes, the input has {actual} ({} more)",
                actual.saturating_sub(expected)
            ),
            IdxError::CountMismatch { images, labels } => write!(
                f,
                "{images} image{} but {labels} label{}",
                if images == 1 { "" } else { "s" },
                if labels == 1 { "" } else { "s" }
            ),
            IdxError::LabelOutOfRange {
                index,
                label,
                classes,
            } => {
                write!(f, "label {label} (sample {index}) is out of range: ")?;
                write_classes(f, classes)
            }
            IdxError::NoClasses => f.write_str("the number of classes is 0, so no label is valid"),
        }
    }
}

impl core::error::Error for IdxError {}

/// The element type an IDX type code stands for.
fn type_name(code: u8) -> &'static str {
    match code {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    }
}
