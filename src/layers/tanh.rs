//! [`Tanh`]: the hyperbolic tangent.

use crate::{Activation, Scalar, math};

/// The hyperbolic tangent, `y = tanh(x)`, applied element-wise.
///
/// ```
/// use constnet::{InPlaceLayer, Matrix, Tanh};
///
/// let mut values = Matrix::new([[0.0_f64, 1e4]]);
/// Tanh.forward_in_place(&mut values, &mut ());
/// assert_eq!(values, Matrix::new([[0.0, 1.0]]));
/// let mut d = Matrix::new([[2.0, 2.0]]);
/// Tanh.backward_in_place(&values, &mut d, &(), &mut ());
/// assert_eq!(d, Matrix::new([[2.0, 0.0]])); // 1 - y²
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tanh;

impl Activation for Tanh {
    #[inline]
    fn activate<T: Scalar>(&self, x: T) -> T {
        math::tanh(x)
    }

    #[inline]
    fn derivative<T: Scalar>(&self, y: T) -> T {
        // tanh'(x) = 1 - tanh²(x) = 1 - y²
        T::one() - y * y
    }

    #[inline]
    fn activate_all<T: Scalar>(&self, values: &mut [T]) {
        math::tanh_all(values)
    }
}

crate::activation_layer!(Tanh);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::activation::tests::{check_derivative, check_gradient};

    #[test]
    fn values() {
        assert_eq!(Tanh.activate(0.0_f32), 0.0);
        assert!((Tanh.activate(0.5_f64) - 0.462_117_157_260_009_76).abs() < 1e-15);
        assert_eq!(Tanh.activate(-1e4_f32), -1.0);
    }

    #[test]
    fn derivative_matches_finite_differences() {
        check_derivative(Tanh);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        check_gradient(Tanh);
    }
}
