//! [`evaluate`]: a classifier's predictions over a whole data set, in
//! batches; and [`accuracy`], over one batch.

use super::{Batches, ConfusionMatrix, LabelOutOfRange, Remainder, SampleSource, fill_inputs};
use crate::{Matrix, Scalar};

/// The fraction of the rows of `scores` whose largest score is in the
/// column `labels[row]` (the first of equal scores counts, as in
/// [`Matrix::argmax_rows`]); NaN if `B` is 0. A label not below `C` is never
/// matched.
///
/// ```
/// use constnet::Matrix;
/// use constnet::data::accuracy;
///
/// let scores = Matrix::new([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.5, 0.5]]);
/// assert_eq!(accuracy(&scores, &[1, 0, 0, 0]), 0.75);
/// ```
pub fn accuracy<const B: usize, const C: usize, T: Scalar>(
    scores: &Matrix<B, C, T>,
    labels: &[usize; B],
) -> f64 {
    let correct = scores
        .argmax_rows()
        .iter()
        .zip(labels)
        .filter(|(predicted, label)| predicted == label)
        .count();
    if B == 0 {
        f64::NAN
    } else {
        correct as f64 / B as f64
    }
}

/// Runs a classifier over every sample of `source`, `B` at a time, and
/// counts its predictions: the [`ConfusionMatrix`], whose
/// [`accuracy`](ConfusionMatrix::accuracy) is the accuracy over the data
/// set.
///
/// `predict` maps a batch of inputs to a batch of class scores (a network's
/// prediction, say); the predicted class of a row is its largest score. The
/// batches are sequential, and the last one is filled up with the first
/// samples ([`Remainder::Wrap`]), whose predictions are not counted, so
/// every sample counts exactly once. `B` does not change the result; a
/// larger one runs fewer, larger products, and needs `B * (N + C)` elements
/// of stack for the batch and its scores.
///
/// # Errors
///
/// [`LabelOutOfRange`] for the first sample whose label is not below `C`.
///
/// ```
/// use constnet::Matrix;
/// use constnet::data::{Sample, evaluate};
///
/// // Three samples; the "classifier" predicts class 1 when the feature is positive.
/// let samples = [-1.0_f32, 2.0, 3.0].map(|x| Sample { features: [x], label: 1 });
/// let confusion = evaluate(&samples[..], |inputs: &Matrix<2, 1>| {
///     Matrix::<2, 2>::from_fn(|r, c| if (inputs[(r, 0)] > 0.0) == (c == 1) { 1.0 } else { 0.0 })
/// })
/// .unwrap();
/// assert_eq!(confusion.counts(), &[[0, 0], [1, 2]]);
/// assert_eq!(confusion.accuracy(), 2.0 / 3.0);
/// ```
pub fn evaluate<const B: usize, const N: usize, const C: usize, T, S>(
    source: &S,
    mut predict: impl FnMut(&Matrix<B, N, T>) -> Matrix<B, C, T>,
) -> Result<ConfusionMatrix<C>, LabelOutOfRange>
where
    T: Scalar,
    S: SampleSource<N, T> + ?Sized,
{
    let mut confusion = ConfusionMatrix::new();
    let mut inputs = Matrix::zeros();
    for batch in Batches::<B>::sequential(source.len(), Remainder::Wrap) {
        let labels = fill_inputs(source, &batch.indices, &mut inputs);
        confusion.record_batch(&predict(&inputs), &labels[..batch.fresh])?;
    }
    Ok(confusion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Sample;

    extern crate std;

    /// Ten samples with one feature, `i`, and label `i % 3`.
    fn samples() -> [Sample<1, f64>; 10] {
        core::array::from_fn(|i| Sample {
            features: [i as f64],
            label: i % 3,
        })
    }

    /// Scores whose largest is at column `x mod 3`, except that inputs of 4
    /// or more go to class 0: so samples 4, 5, 7 and 8 are wrong.
    fn scores<const B: usize>(inputs: &Matrix<B, 1, f64>) -> Matrix<B, 3, f64> {
        Matrix::from_fn(|r, c| {
            let x = inputs[(r, 0)] as usize;
            let predicted = if x >= 4 { 0 } else { x % 3 };
            if c == predicted { 1.0 } else { 0.0 }
        })
    }

    #[test]
    fn every_sample_counts_once_whatever_the_batch() {
        let samples = samples();
        let expected = [[4, 0, 0], [2, 1, 0], [2, 0, 1]];
        let by_4 = evaluate(&samples[..], scores::<4>).unwrap();
        assert_eq!(by_4.counts(), &expected);
        assert_eq!(by_4.accuracy(), 0.6);
        assert_eq!(evaluate(&samples[..], scores::<1>).unwrap(), by_4);
        assert_eq!(evaluate(&samples[..], scores::<10>).unwrap(), by_4);
        // Larger than the data set: one batch, wrapped around.
        assert_eq!(evaluate(&samples[..], scores::<16>).unwrap(), by_4);
    }

    #[test]
    fn the_predictor_sees_full_batches() {
        let samples = samples();
        let mut batches = std::vec::Vec::new();
        evaluate(&samples[..], |inputs: &Matrix<4, 1, f64>| {
            batches.push(inputs.transpose().into_rows()[0]);
            scores(inputs)
        })
        .unwrap();
        assert_eq!(
            batches,
            [
                [0.0, 1.0, 2.0, 3.0],
                [4.0, 5.0, 6.0, 7.0],
                [8.0, 9.0, 0.0, 1.0]
            ]
        );
    }

    #[test]
    fn an_empty_data_set_has_no_accuracy() {
        let confusion = evaluate(&[][..], scores::<4>).unwrap();
        assert_eq!(confusion.total(), 0);
        assert!(confusion.accuracy().is_nan());
    }

    #[test]
    fn labels_beyond_the_classes_are_errors() {
        let samples = samples();
        let error = evaluate(&samples[..], |inputs: &Matrix<4, 1, f64>| {
            Matrix::<4, 2, f64>::from_fn(|r, c| inputs[(r, 0)] * c as f64)
        })
        .unwrap_err();
        assert_eq!(
            error,
            LabelOutOfRange {
                label: 2,
                classes: 2
            }
        );
    }

    #[test]
    fn batch_accuracy_counts_matching_rows() {
        let scores = Matrix::new([[1.0, 2.0, 0.0], [3.0, 3.0, 1.0], [0.0, 0.0, 5.0]]);
        assert_eq!(accuracy(&scores, &[1, 0, 2]), 1.0);
        assert_eq!(accuracy(&scores, &[1, 1, 2]), 2.0 / 3.0);
        assert_eq!(accuracy(&scores, &[0, 1, 9]), 0.0);
        assert!(accuracy(&Matrix::<0, 3>::zeros(), &[]).is_nan());
    }
}
