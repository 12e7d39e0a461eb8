//! [`WeightsError`]: why weights could not be saved to or loaded from bytes.

use core::fmt;

/// Why [`encode`](super::encode) or [`decode`](super::decode) failed.
///
/// Every way a byte string can be wrong has its own variant, with the figures
/// that explain it; [`Display`](fmt::Display) writes them as a sentence.
/// Decoding never panics and, on error, leaves the parameters as they were.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WeightsError {
    /// The output buffer cannot hold the encoding.
    BufferTooSmall {
        /// The bytes the encoding takes ([`encoded_len`](super::encoded_len)).
        needed: usize,
        /// The bytes the buffer has.
        available: usize,
    },
    /// The bytes end before the header says they should.
    Truncated {
        /// The bytes the header (or, before it is read, the fixed header
        /// itself) calls for.
        needed: usize,
        /// The bytes given.
        available: usize,
    },
    /// The bytes go on after the checksum the header places.
    TrailingBytes {
        /// The length the header implies.
        expected: usize,
        /// The bytes given.
        found: usize,
    },
    /// The bytes do not start with the format's magic, `CNET`: they are not
    /// saved weights.
    WrongMagic {
        /// The first four bytes.
        found: [u8; 4],
    },
    /// The format version is not one this library reads.
    UnsupportedVersion {
        /// The version in the bytes.
        found: u16,
        /// The version this library reads and writes.
        supported: u16,
    },
    /// The element-type code is neither f32 (1) nor f64 (2).
    UnknownElementType {
        /// The code in the bytes.
        code: u16,
    },
    /// The bytes hold another element type than the parameters.
    ElementTypeMismatch {
        /// The parameters' element type.
        expected: &'static str,
        /// The element type of the bytes.
        found: &'static str,
    },
    /// The parameters' element type is not f32 or f64, which the format
    /// does not describe.
    UnsupportedScalar {
        /// The type's [`Scalar::NAME`](crate::Scalar::NAME).
        name: &'static str,
    },
    /// The header declares more data than an address space can hold.
    TooLarge,
    /// The checksum does not match the bytes: they were damaged.
    ChecksumMismatch {
        /// The CRC-32 the bytes end with.
        stored: u32,
        /// The CRC-32 of the bytes before it.
        computed: u32,
    },
    /// The bytes hold another number of parameter matrices than the
    /// parameters: weights of another architecture.
    TensorCountMismatch {
        /// The parameters' number of matrices.
        expected: usize,
        /// The number in the bytes.
        found: usize,
    },
    /// A parameter matrix has another shape than in the bytes: weights of
    /// another architecture.
    ShapeMismatch {
        /// The matrix, counting from 0 in the order of
        /// [`Parameters::visit`](crate::Parameters::visit).
        tensor: usize,
        /// The parameters' `(rows, columns)`.
        expected: (usize, usize),
        /// The `(rows, columns)` in the bytes.
        found: (usize, usize),
    },
    /// A weight is NaN or infinite (when encoding, in the parameters; when
    /// decoding, in the bytes).
    NonFinite {
        /// The matrix, counting from 0.
        tensor: usize,
        /// The element within it, row-major.
        index: usize,
    },
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WeightsError::BufferTooSmall { needed, available } => write!(
                f,
                "the buffer holds {available} bytes, the weights need {needed}"
            ),
            WeightsError::Truncated { needed, available } => write!(
                f,
                "the weights are truncated: {available} bytes, the header calls for {needed}"
            ),
            WeightsError::TrailingBytes { expected, found } => write!(
                f,
                "{found} bytes, but the header describes {expected}: unexpected bytes after the checksum"
            ),
            WeightsError::WrongMagic { found } => write!(
                f,
                "not saved weights: they start with {found:02x?}, not the magic `CNET`"
            ),
            WeightsError::UnsupportedVersion { found, supported } => write!(
                f,
                "weights format version {found} is not supported (this library reads version {supported})"
            ),
            WeightsError::UnknownElementType { code } => {
                write!(f, "unknown element type code {code} (1 is f32, 2 is f64)")
            }
            WeightsError::ElementTypeMismatch { expected, found } => write!(
                f,
                "the weights are {found}, the network's parameters are {expected}"
            ),
            WeightsError::UnsupportedScalar { name } => {
                write!(f, "the weights format stores f32 or f64, not {name}")
            }
            WeightsError::TooLarge => f.write_str(
                "the header declares more data than fits in memory: the bytes are damaged",
            ),
            WeightsError::ChecksumMismatch { stored, computed } => write!(
                f,
                "the weights are damaged: their CRC-32 is {computed:#010x}, the stored one {stored:#010x}"
            ),
            WeightsError::TensorCountMismatch { expected, found } => write!(
                f,
                "the weights are of another network: {found} parameter matrices, this one has {expected}"
            ),
            WeightsError::ShapeMismatch {
                tensor,
                expected,
                found,
            } => write!(
                f,
                "the weights are of another network: parameter matrix {tensor} is {}x{} in them, {}x{} in this one",
                found.0, found.1, expected.0, expected.1
            ),
            WeightsError::NonFinite { tensor, index } => write!(
                f,
                "element {index} of parameter matrix {tensor} is NaN or infinite"
            ),
        }
    }
}

impl core::error::Error for WeightsError {}
