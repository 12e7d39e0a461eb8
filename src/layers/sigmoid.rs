//! [`Sigmoid`]: the logistic function `1 / (1 + e^-x)`.

use crate::{Activation, Scalar, math};

/// The logistic sigmoid, `y = 1 / (1 + e^-x)`, applied element-wise.
///
/// Computed so that `exp` never overflows: inputs of ±1e4 give exactly 1 and 0.
///
/// ```
/// use constnet::{InPlaceLayer, Matrix, Sigmoid};
///
/// let mut values = Matrix::new([[0.0_f64]]);
/// Sigmoid.forward_in_place(&mut values, &mut ());
/// assert_eq!(values, Matrix::new([[0.5]]));
/// let mut d = Matrix::new([[1.0]]);
/// Sigmoid.backward_in_place(&values, &mut d, &(), &mut ());
/// assert_eq!(d, Matrix::new([[0.25]])); // y(1 - y)
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sigmoid;

impl Activation for Sigmoid {
    #[inline]
    fn activate<T: Scalar>(&self, x: T) -> T {
        math::sigmoid(x)
    }

    #[inline]
    fn derivative<T: Scalar>(&self, y: T) -> T {
        // σ'(x) = σ(x)(1 - σ(x)) = y(1 - y)
        y * (T::one() - y)
    }

    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    fn activate_all<T: Scalar>(&self, values: &mut [T]) {
        math::sigmoid_all(values)
    }
}

crate::activation_layer!(Sigmoid);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::activation::tests::{check_derivative, check_gradient};

    #[test]
    fn values() {
        assert_eq!(Sigmoid.activate(0.0_f32), 0.5);
        assert!((Sigmoid.activate(1.0_f64) - 0.731_058_578_630_004_9).abs() < 1e-15);
        assert!((Sigmoid.activate(-1.0_f64) - 0.268_941_421_369_995_1).abs() < 1e-15);
        assert_eq!(Sigmoid.activate(1e4_f32), 1.0);
        assert_eq!(Sigmoid.activate(-1e4_f32), 0.0);
    }

    #[test]
    fn derivative_matches_finite_differences() {
        check_derivative(Sigmoid);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        check_gradient(Sigmoid);
    }

    proptest::proptest! {
        #[test]
        fn finite_and_within_0_1_for_inputs_within_1e4(
            inputs in proptest::collection::vec(-1e4_f32..=1e4, 8),
            wide in proptest::collection::vec(-1e4_f64..=1e4, 8),
        ) {
            use crate::{Layer, Matrix};
            let x = Matrix::<2, 4>::from_slice(&inputs).unwrap();
            let y = Sigmoid.predict(&x);
            proptest::prop_assert!(y.as_slice().iter().all(|y| (0.0..=1.0).contains(y)), "{y:?}");
            let mut d_x = Matrix::filled(1.0);
            crate::InPlaceLayer::backward_in_place(&Sigmoid, &y, &mut d_x, &(), &mut ());
            proptest::prop_assert!(d_x.as_slice().iter().all(|d| (0.0..=0.25).contains(d)), "{d_x:?}");
            // σ(-x) = 1 - σ(x): the two branches of the stable form agree.
            let x = Matrix::<2, 4, f64>::from_slice(&wide).unwrap();
            let (y, minus_y) = (Sigmoid.predict(&x), Sigmoid.predict(&x.scale(-1.0)));
            for (a, b) in y.as_slice().iter().zip(minus_y.as_slice()) {
                proptest::prop_assert!((a + b - 1.0).abs() < 1e-15, "{a} + {b}");
            }
        }
    }
}
