//! [`one_hot`]: a class label as the target vector of a classifier.

use core::fmt;

use crate::{Matrix, Scalar};

/// The one-hot encoding of `label` among `C` classes: 1 at position `label`,
/// 0 elsewhere.
///
/// # Errors
///
/// [`LabelOutOfRange`] if `label >= C`.
///
/// ```
/// use constnet::data::one_hot;
///
/// assert_eq!(one_hot::<4, f32>(2), Ok([0.0, 0.0, 1.0, 0.0]));
/// let error = one_hot::<4, f32>(4).unwrap_err();
/// assert_eq!(error.to_string(), "label 4 is out of range: there are 4 classes, 0 to 3");
/// ```
pub fn one_hot<const C: usize, T: Scalar>(label: usize) -> Result<[T; C], LabelOutOfRange> {
    if label >= C {
        return Err(LabelOutOfRange { label, classes: C });
    }
    let mut row = [T::zero(); C];
    row[label] = T::one();
    Ok(row)
}

/// The one-hot encodings of a batch of `B` labels, one row each: the targets
/// of a batch for a softmax cross-entropy loss.
///
/// # Errors
///
/// [`LabelOutOfRange`] for the first label that is not below `C`.
///
/// ```
/// use constnet::Matrix;
/// use constnet::data::one_hot_rows;
///
/// let targets: Matrix<2, 3> = one_hot_rows(&[2, 0]).unwrap();
/// assert_eq!(targets, Matrix::new([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]));
/// ```
pub fn one_hot_rows<const B: usize, const C: usize, T: Scalar>(
    labels: &[usize; B],
) -> Result<Matrix<B, C, T>, LabelOutOfRange> {
    let mut rows = Matrix::zeros();
    for (row, &label) in rows.rows_mut().iter_mut().zip(labels) {
        *row = one_hot(label)?;
    }
    Ok(rows)
}

/// A class label that is not below the number of classes.
///
/// ```
/// use constnet::data::LabelOutOfRange;
///
/// let error = LabelOutOfRange { label: 10, classes: 10 };
/// assert_eq!(error.to_string(), "label 10 is out of range: there are 10 classes, 0 to 9");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LabelOutOfRange {
    /// The label.
    pub label: usize,
    /// The number of classes: labels must be in `0..classes`.
    pub classes: usize,
}

impl fmt::Display for LabelOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "label {} is out of range: ", self.label)?;
        write_classes(f, self.classes)
    }
}

/// Writes which labels `classes` allows: `there are 10 classes, 0 to 9`.
pub(super) fn write_classes(f: &mut fmt::Formatter<'_>, classes: usize) -> fmt::Result {
    match classes {
        0 => f.write_str("there are no classes"),
        1 => f.write_str("there is 1 class, 0"),
        _ => write!(f, "there are {classes} classes, 0 to {}", classes - 1),
    }
}

impl core::error::Error for LabelOutOfRange {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    extern crate std;

    #[test]
    fn one_position_is_one() {
        assert_eq!(one_hot::<3, f64>(0), Ok([1.0, 0.0, 0.0]));
        assert_eq!(one_hot::<3, f64>(2), Ok([0.0, 0.0, 1.0]));
        assert_eq!(one_hot::<1, f32>(0), Ok([1.0]));
        assert_eq!(
            one_hot::<3, f64>(3),
            Err(LabelOutOfRange {
                label: 3,
                classes: 3
            })
        );
        assert_eq!(
            one_hot::<0, f32>(0),
            Err(LabelOutOfRange {
                label: 0,
                classes: 0
            })
        );
    }

    #[test]
    fn a_batch_is_one_row_per_label() {
        let targets: Matrix<4, 2, f64> = one_hot_rows(&[1, 1, 0, 1]).unwrap();
        assert_eq!(
            targets,
            Matrix::new([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
        );
        assert_eq!(targets.sum(), 4.0);
        assert_eq!(
            one_hot_rows::<3, 2, f32>(&[0, 5, 7]),
            Err(LabelOutOfRange {
                label: 5,
                classes: 2
            })
        );
    }

    #[test]
    fn messages_count_the_classes() {
        let message = |label, classes| LabelOutOfRange { label, classes }.to_string();
        assert_eq!(
            message(3, 0),
            "label 3 is out of range: there are no classes"
        );
        assert_eq!(
            message(1, 1),
            "label 1 is out of range: there is 1 class, 0"
        );
        assert_eq!(
            message(12, 10),
            "label 12 is out of range: there are 10 classes, 0 to 9"
        );
    }
}
