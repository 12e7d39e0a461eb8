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
/// shape does not compile.
///
/// ```
/// use constnet::{Loss, Matrix, Mse};
///
/// let y = Matrix::new([[0.5_f64], [1.0]]);
/// let t = Matrix::new([[0.0], [1.0]]);
/// assert_eq!(Mse.value(&y, &t), 0.125); // (0.25 + 0) / 2
/// assert_eq!(Mse.gradient(&y, &t), Matrix::new([[0.5], [0.0]])); // 2(y - t) / 2
/// ```
pub trait Loss<Y: Batch> {
    /// The loss, averaged over the batch.
    fn value(&self, prediction: &Y, target: &Y) -> Y::Element;

    /// The gradient of [`value`](Loss::value) with respect to `prediction`.
    fn gradient(&self, prediction: &Y, target: &Y) -> Y;

    /// The value and the gradient together, sharing work where they can.
    fn value_and_gradient(&self, prediction: &Y, target: &Y) -> (Y::Element, Y) {
        (
            self.value(prediction, target),
            self.gradient(prediction, target),
        )
    }
}
