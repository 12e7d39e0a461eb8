//! [`Optimizer`]: how parameters move against their gradient.

mod adagrad;
mod adam;
mod momentum;
mod rmsprop;
mod sgd;

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use momentum::Momentum;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use crate::{Parameters, Scalar};

/// Updates parameters `P` (a layer or a network) from their gradient.
///
/// An optimizer that keeps state per parameter (momentum, Adam) stores it in
/// values of `P::Gradient`, the parameters' own shape, and walks parameters,
/// gradient and state together with [`Parameters::update`]; layers need to
/// know nothing about it.
///
/// ```
/// use constnet::{Affine, AffineGradient, Matrix, Optimizer, Sgd};
///
/// let mut layer = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let gradient = AffineGradient { d_weights: Matrix::new([[2.0]]), d_bias: Matrix::new([[-1.0]]) };
/// Sgd::new(0.5).step(&mut layer, &gradient);
/// assert_eq!(layer, Affine::new(Matrix::new([[0.0]]), Matrix::new([[0.5]])));
/// ```
pub trait Optimizer<P: Parameters<T>, T: Scalar> {
    /// Applies one update of `parameters` from `gradient`.
    fn step(&mut self, parameters: &mut P, gradient: &P::Gradient);
}
