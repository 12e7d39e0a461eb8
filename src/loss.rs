//! [`Loss`]: what training minimises, with its gradient.

mod binary_cross_entropy;
mod mse;
mod softmax_cross_entropy;

pub use binary_cross_entropy::BinaryCrossEntropy;
pub use mse::Mse;
pub use softmax_cross_entropy::SoftmaxCrossEntropy;

use crate::layer::Batch;

/// A loss function on a batch of predictions `Y` and targets of the same
/// shape: its value (averaged over the batch) and its gradient with respect
/// to the predictions.
///
/// The target must have the prediction's type, so a target of the wrong
/// shape does not compile. The gradient is written into storage the caller
/// owns, so a training step can keep it wherever it keeps its buffers.
///
/// Each implementation documents what it gives for infinite and NaN entries
/// under "Non-finite values"; a NaN in a prediction or a target never gives
/// a finite value.
///
/// ```
/// use constnet::{Loss, Matrix, Mse};
///
/// let y = Matrix::new([[0.5_f64], [1.0]]);
/// let t = Matrix::new([[0.0], [1.0]]);
/// assert_eq!(Mse.value(&y, &t), 0.125); // (0.25 + 0) / 2
///
/// let mut d_y = Matrix::zeros();
/// Mse.gradient(&y, &t, &mut d_y);
/// assert_eq!(d_y, Matrix::new([[0.5], [0.0]])); // 2(y - t) / 2
///
/// let mut again = Matrix::filled(7.0); // overwritten, not added to
/// assert_eq!(Mse.value_and_gradient(&y, &t, &mut again), 0.125);
/// assert_eq!(again, d_y);
/// ```
pub trait Loss<Y: Batch> {
    /// The loss, averaged over the batch.
    fn value(&self, prediction: &Y, target: &Y) -> Y::Element;

    /// Writes the gradient of [`value`](Loss::value) with respect to
    /// `prediction`, `dL/dprediction`, into `d_prediction` (overwriting it).
    fn gradient(&self, prediction: &Y, target: &Y, d_prediction: &mut Y);

    /// Both: writes the gradient into `d_prediction` as
    /// [`gradient`](Loss::gradient) does and returns the value, sharing work
    /// where they can.
    fn value_and_gradient(&self, prediction: &Y, target: &Y, d_prediction: &mut Y) -> Y::Element {
        self.gradient(prediction, target, d_prediction);
        self.value(prediction, target)
    }
}
