//! [`Identity`]: the layer that passes its input through.

use crate::{Activation, Scalar};

/// The identity, `y = x`: a linear output layer, or a stand-in where a
/// layer is expected (checking a loss's gradient alone, for instance).
///
/// ```
/// use constnet::{Identity, InPlaceLayer, Layer, Matrix};
///
/// let x = Matrix::new([[1.5, -2.0]]);
/// assert_eq!(Identity.predict(&x), x);
/// let mut d = x;
/// Identity.backward_in_place(&x, &mut d, &(), &mut ());
/// assert_eq!(d, x);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Identity;

impl Activation for Identity {
    #[inline]
    fn activate<T: Scalar>(&self, x: T) -> T {
        x
    }

    #[inline]
    fn derivative<T: Scalar>(&self, _: T) -> T {
        T::one()
    }
}

crate::activation_layer!(Identity);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::activation::tests::{check_derivative, check_gradient};

    #[test]
    fn values() {
        assert_eq!(Identity.activate(-3.5_f32), -3.5);
        assert_eq!(Identity.derivative(123.0_f64), 1.0);
    }

    #[test]
    fn derivative_matches_finite_differences() {
        check_derivative(Identity);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        check_gradient(Identity);
    }
}
