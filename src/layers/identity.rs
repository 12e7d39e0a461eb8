//! [`Identity`]: the layer that passes its input through.

use crate::layers::activation::activation_layer;
use crate::{Activation, Scalar};

/// The identity, `y = x`: a linear output layer, or a stand-in where a
/// layer is expected (checking a loss's gradient alone, for instance).
///
/// ```
/// use constnet::{Identity, Layer, Matrix};
///
/// let x = Matrix::new([[1.5, -2.0]]);
/// let (y, cache) = Identity.forward(&x);
/// assert_eq!(y, x);
/// assert_eq!(Identity.backward(&cache, &x).0, x);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Identity;

impl Activation for Identity {
    #[inline]
    fn activate<T: Scalar>(x: T) -> T {
        x
    }

    #[inline]
    fn derivative<T: Scalar>(_: T) -> T {
        T::one()
    }
}

activation_layer!(Identity);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::activation::tests::{check_derivative, check_gradient};

    #[test]
    fn values() {
        assert_eq!(Identity::activate(-3.5_f32), -3.5);
        assert_eq!(Identity::derivative(123.0_f64), 1.0);
    }

    #[test]
    fn derivative_matches_finite_differences() {
        check_derivative::<Identity>();
    }

    #[test]
    fn gradient_matches_finite_differences() {
        check_gradient(Identity);
    }
}
