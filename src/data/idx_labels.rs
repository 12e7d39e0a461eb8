//! [`IdxLabels`]: the labels of an IDX file (MNIST's `*-labels-idx1-ubyte`),
//! read in place.

use super::{IdxError, idx};

/// The labels of an IDX labels file, borrowed from its bytes: a header
/// (magic `0x00000801`, then the label count as a big-endian `u32`) followed
/// by one byte per label.
///
/// ```
/// use constnet::data::{IdxError, IdxLabels};
///
/// let bytes = [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9];
/// let labels = IdxLabels::parse(&bytes).unwrap();
/// assert_eq!(labels.count(), 3);
/// assert_eq!(labels.label(2), 9);
/// assert_eq!(labels.check_classes(10), Ok(()));
/// assert_eq!(
///     labels.check_classes(8),
///     Err(IdxError::LabelOutOfRange { index: 2, label: 9, classes: 8 })
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdxLabels<'a> {
    labels: &'a [u8],
}

impl<'a> IdxLabels<'a> {
    /// Reads an IDX labels file.
    ///
    /// # Errors
    ///
    /// [`IdxError::TruncatedHeader`], [`IdxError::WrongMagic`],
    /// [`IdxError::UnsupportedType`] (anything but unsigned bytes),
    /// [`IdxError::WrongDimensionCount`] (anything but 1), and
    /// [`IdxError::Truncated`] or [`IdxError::TrailingData`] when there are
    /// fewer or more labels than the count.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, IdxError> {
        let ([_count], labels) = idx::parse::<1>(bytes)?;
        Ok(Self { labels })
    }

    /// The number of labels.
    pub const fn count(&self) -> usize {
        self.labels.len()
    }

    /// Label `index`.
    ///
    /// # Panics
    ///
    /// If `index >= count()`.
    pub fn label(&self, index: usize) -> u8 {
        match self.get(index) {
            Some(label) => label,
            None => panic!(
                "label {index} of {}: the index is out of range",
                self.count()
            ),
        }
    }

    /// Label `index`, or `None` if `index >= count()`.
    pub fn get(&self, index: usize) -> Option<u8> {
        self.labels.get(index).copied()
    }

    /// All labels, in order.
    pub const fn as_slice(&self) -> &'a [u8] {
        self.labels
    }

    /// Checks that every label is below `classes`.
    ///
    /// # Errors
    ///
    /// [`IdxError::NoClasses`] if `classes` is 0, and
    /// [`IdxError::LabelOutOfRange`] for the first label that is not below
    /// `classes`.
    pub fn check_classes(&self, classes: usize) -> Result<(), IdxError> {
        if classes == 0 {
            return Err(IdxError::NoClasses);
        }
        match self
            .labels
            .iter()
            .position(|&label| usize::from(label) >= classes)
        {
            Some(index) => Err(IdxError::LabelOutOfRange {
                index,
                label: self.labels[index],
                classes,
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    extern crate std;

    #[test]
    fn reads_the_labels_in_order() {
        let bytes = [0, 0, 8, 1, 0, 0, 0, 4, 5, 0, 4, 1];
        let labels = IdxLabels::parse(&bytes).unwrap();
        assert_eq!(labels.count(), 4);
        assert_eq!(labels.as_slice(), &[5, 0, 4, 1]);
        assert_eq!(labels.label(0), 5);
        assert_eq!(labels.get(3), Some(1));
        assert_eq!(labels.get(4), None);
        let empty = IdxLabels::parse(&[0, 0, 8, 1, 0, 0, 0, 0]).unwrap();
        assert_eq!(empty.count(), 0);
        assert_eq!(empty.check_classes(10), Ok(()));
    }

    #[test]
    #[should_panic(expected = "label 1 of 1: the index is out of range")]
    fn a_label_past_the_end_panics() {
        IdxLabels::parse(&[0, 0, 8, 1, 0, 0, 0, 1, 3])
            .unwrap()
            .label(1);
    }

    #[test]
    fn each_malformation_is_its_own_error() {
        let cases: [(&[u8], IdxError, &str); 6] = [
            (
                &[0, 0, 8, 1, 0, 0, 0],
                IdxError::TruncatedHeader {
                    expected: 8,
                    actual: 7,
                },
                "truncated header: it needs 8 bytes, the input has 7",
            ),
            (
                b"label",
                IdxError::WrongMagic { magic: 0x6C61_6265 },
                "not an IDX file: its magic number 0x6C616265 does not start with two zero bytes",
            ),
            (
                &[0, 0, 0x09, 1, 0, 0, 0, 0],
                IdxError::UnsupportedType { code: 0x09 },
                "unsupported element type 0x09 (signed byte): only 0x08 (unsigned byte) is supported",
            ),
            (
                &[0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28],
                IdxError::WrongDimensionCount {
                    expected: 1,
                    found: 3,
                },
                "the file has 3 dimensions, expected 1 (is it an images file?)",
            ),
            (
                &[0, 0, 8, 1, 0, 0, 0, 3, 1, 2],
                IdxError::Truncated {
                    expected: 11,
                    actual: 10,
                },
                "truncated: the header describes 11 bytes, the input has 10",
            ),
            (
                &[0, 0, 8, 1, 0, 0, 0, 1, 1, 2],
                IdxError::TrailingData {
                    expected: 9,
                    actual: 10,
                },
                "trailing data: the header describes 9 bytes, the input has 10 (1 more)",
            ),
        ];
        for (bytes, error, message) in cases {
            assert_eq!(IdxLabels::parse(bytes), Err(error), "{bytes:?}");
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn labels_are_checked_against_the_classes() {
        let labels = IdxLabels::parse(&[0, 0, 8, 1, 0, 0, 0, 4, 0, 9, 10, 255]).unwrap();
        let error = labels.check_classes(10).unwrap_err();
        assert_eq!(
            error,
            IdxError::LabelOutOfRange {
                index: 2,
                label: 10,
                classes: 10
            }
        );
        assert_eq!(
            error.to_string(),
            "label 10 (sample 2) is out of range: there are 10 classes, 0 to 9"
        );
        assert_eq!(labels.check_classes(256), Ok(()));
        assert_eq!(labels.check_classes(usize::MAX), Ok(()));
        assert_eq!(labels.check_classes(0), Err(IdxError::NoClasses));
        assert_eq!(
            IdxError::NoClasses.to_string(),
            "the number of classes is 0, so no label is valid"
        );
    }
}
