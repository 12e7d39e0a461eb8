//! [`Relu`]: the rectified linear unit, `max(x, 0)`.

use crate::{Activation, Scalar};

/// The rectified linear unit, `y = max(x, 0)`, applied element-wise.
///
/// The derivative is 1 where the input was positive and 0 elsewhere
/// (0 at `x = 0` itself, as the textbook's mask `x <= 0` has it).
///
/// ```
/// use constnet::{InPlaceLayer, Matrix, Relu};
///
/// let mut values = Matrix::new([[-1.0, 0.0, 2.0]]);
/// Relu.forward_in_place(&mut values, &mut ());
/// assert_eq!(values, Matrix::new([[0.0, 0.0, 2.0]]));
/// let mut d = Matrix::new([[5.0, 5.0, 5.0]]);
/// Relu.backward_in_place(&values, &mut d, &(), &mut ());
/// assert_eq!(d, Matrix::new([[0.0, 0.0, 5.0]]));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Relu;

impl Activation for Relu {
    #[inline]
    fn activate<T: Scalar>(&self, x: T) -> T {
        // `max` would return 0 for a NaN input; keep the NaN visible.
        if x > T::zero() || x.is_nan() {
            x
        } else {
            T::zero()
        }
    }

    #[inline]
    fn derivative<T: Scalar>(&self, y: T) -> T {
        // y > 0 exactly where x > 0.
        if y > T::zero() { T::one() } else { T::zero() }
    }
}

crate::activation_layer!(Relu);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::activation::tests::{check_derivative, check_gradient};

    #[test]
    fn values() {
        assert_eq!(Relu.activate(-3.0_f32), 0.0);
        assert_eq!(Relu.activate(0.0_f32), 0.0);
        assert_eq!(Relu.activate(2.5_f32), 2.5);
        assert!(Relu.activate(f32::NAN).is_nan());
        assert_eq!(Relu.derivative(0.0_f64), 0.0);
        assert_eq!(Relu.derivative(0.1_f64), 1.0);
    }

    #[test]
    fn derivative_matches_finite_differences() {
        check_derivative(Relu);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        check_gradient(Relu);
    }
}
