//! [`fill_batch`]: the inputs and one-hot targets of a batch, read from a
//! data set.

use super::{LabelOutOfRange, SampleSource, one_hot};
use crate::{Matrix, Scalar};

/// Fills row `r` of `inputs` with the features of sample `indices[r]` of
/// `source` and row `r` of `targets` with the one-hot encoding of its label
/// among `C` classes.
///
/// The matrices are the caller's, reused from batch to batch, so a training
/// loop allocates nothing.
///
/// # Errors
///
/// [`LabelOutOfRange`] for the first sample whose label is not below `C`;
/// the rows before it are filled, the others are left as they were.
///
/// # Panics
///
/// If an index is not below `source.len()`.
///
/// ```
/// use constnet::Matrix;
/// use constnet::data::{Batches, Remainder, Sample, fill_batch};
///
/// let samples = [
///     Sample { features: [0.0_f32, 1.0], label: 1 },
///     Sample { features: [2.0, 3.0], label: 0 },
///     Sample { features: [4.0, 5.0], label: 2 },
/// ];
/// let mut inputs = Matrix::<2, 2>::zeros();
/// let mut targets = Matrix::<2, 3>::zeros();
/// let batch = Batches::<2>::in_order(&[2, 0], Remainder::DropLast).next().unwrap();
/// fill_batch(&samples[..], &batch.indices, &mut inputs, &mut targets).unwrap();
/// assert_eq!(inputs, Matrix::new([[4.0, 5.0], [0.0, 1.0]]));
/// assert_eq!(targets, Matrix::new([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]));
/// ```
pub fn fill_batch<const B: usize, const N: usize, const C: usize, T, S>(
    source: &S,
    indices: &[usize; B],
    inputs: &mut Matrix<B, N, T>,
    targets: &mut Matrix<B, C, T>,
) -> Result<(), LabelOutOfRange>
where
    T: Scalar,
    S: SampleSource<N, T> + ?Sized,
{
    let rows = inputs.rows_mut().iter_mut().zip(targets.rows_mut());
    for ((input, target), &index) in rows.zip(indices) {
        *target = one_hot(source.label(index))?;
        source.features_into(index, input);
    }
    Ok(())
}

/// Fills row `r` of `inputs` with the features of sample `indices[r]` of
/// `source`, and returns the labels of those samples.
///
/// # Panics
///
/// If an index is not below `source.len()`.
///
/// ```
/// use constnet::Matrix;
/// use constnet::data::{Sample, fill_inputs};
///
/// let samples = [Sample { features: [1.0_f32], label: 4 }, Sample { features: [2.0], label: 7 }];
/// let mut inputs = Matrix::<3, 1>::zeros();
/// let labels = fill_inputs(&samples[..], &[1, 0, 1], &mut inputs);
/// assert_eq!((inputs, labels), (Matrix::new([[2.0], [1.0], [2.0]]), [7, 4, 7]));
/// ```
pub fn fill_inputs<const B: usize, const N: usize, T, S>(
    source: &S,
    indices: &[usize; B],
    inputs: &mut Matrix<B, N, T>,
) -> [usize; B]
where
    T: Scalar,
    S: SampleSource<N, T> + ?Sized,
{
    for (input, &index) in inputs.rows_mut().iter_mut().zip(indices) {
        source.features_into(index, input);
    }
    indices.map(|index| source.label(index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Sample;

    fn samples() -> [Sample<3, f64>; 4] {
        core::array::from_fn(|i| Sample {
            features: [i as f64, 10.0 * i as f64, -(i as f64)],
            label: 3 - i,
        })
    }

    #[test]
    fn rows_follow_the_indices() {
        let samples = samples();
        let mut inputs = Matrix::<3, 3, f64>::filled(9.0);
        let mut targets = Matrix::<3, 4, f64>::filled(9.0);
        fill_batch(&samples[..], &[3, 1, 3], &mut inputs, &mut targets).unwrap();
        assert_eq!(
            inputs,
            Matrix::new([[3.0, 30.0, -3.0], [1.0, 10.0, -1.0], [3.0, 30.0, -3.0]])
        );
        assert_eq!(
            targets,
            Matrix::new([
                [1.0, 0.0, 0.0, 0.0],
                [0.0, 0.0, 1.0, 0.0],
                [1.0, 0.0, 0.0, 0.0]
            ])
        );
    }

    #[test]
    fn a_label_beyond_the_classes_stops_the_fill() {
        let samples = samples();
        let mut inputs = Matrix::<2, 3, f64>::filled(9.0);
        let mut targets = Matrix::<2, 3, f64>::filled(9.0);
        // Sample 0 has label 3, not below 3 classes.
        let error = fill_batch(&samples[..], &[1, 0], &mut inputs, &mut targets).unwrap_err();
        assert_eq!(
            error,
            LabelOutOfRange {
                label: 3,
                classes: 3
            }
        );
        assert_eq!(inputs.row(0), &[1.0, 10.0, -1.0]);
        assert_eq!(inputs.row(1), &[9.0; 3]);
        assert_eq!(targets.row(0), &[0.0, 0.0, 1.0]);
        assert_eq!(targets.row(1), &[9.0; 3]);
    }

    #[test]
    fn inputs_alone_come_with_their_labels() {
        let samples = samples();
        let mut inputs = Matrix::<2, 3, f64>::zeros();
        assert_eq!(fill_inputs(&samples[..], &[2, 0], &mut inputs), [1, 3]);
        assert_eq!(inputs, Matrix::new([[2.0, 20.0, -2.0], [0.0, 0.0, 0.0]]));
    }

    #[test]
    #[should_panic(expected = "index out of bounds")]
    fn an_index_past_the_end_panics() {
        let samples = samples();
        let mut inputs = Matrix::<1, 3, f64>::zeros();
        fill_inputs(&samples[..], &[4], &mut inputs);
    }
}
