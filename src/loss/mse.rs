//! [`Mse`]: the mean squared error.

use crate::{Loss, Matrix, Scalar};

/// The squared error summed over features and averaged over the batch:
/// `L = (1/B) Σ (y - t)²`, with gradient `dY = 2(y - t) / B`.
///
/// ```
/// use constnet::{Loss, Matrix, Mse};
///
/// let y = Matrix::new([[1.0_f64, 2.0], [3.0, 4.0]]);
/// let t = Matrix::new([[1.0, 0.0], [0.0, 4.0]]);
/// let mut d_y = Matrix::zeros();
/// assert_eq!(Mse.value_and_gradient(&y, &t, &mut d_y), (4.0 + 9.0) / 2.0);
/// assert_eq!(d_y, Matrix::new([[0.0, 2.0], [3.0, 0.0]]));
/// ```
///
/// # Non-finite values
///
/// Each entry acts alone, through `y - t`:
///
/// - A NaN prediction or target makes the value NaN and that entry's
///   gradient NaN.
/// - An infinite prediction or target (the other finite) makes the value
///   `+inf` and that entry's gradient infinite, of the sign of `y - t`.
/// - A prediction and target that are the same infinity give `inf - inf`:
///   value and gradient NaN. Opposite infinities give `+inf` and `±inf`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Mse;

impl<const B: usize, const N: usize, T: Scalar> Loss<Matrix<B, N, T>> for Mse {
    #[inline]
    fn value(&self, prediction: &Matrix<B, N, T>, target: &Matrix<B, N, T>) -> T {
        let sum = prediction
            .as_slice()
            .iter()
            .zip(target.as_slice())
            .fold(T::zero(), |s, (&y, &t)| s + (y - t) * (y - t));
        sum / T::from_f64(B as f64)
    }

    #[inline]
    fn gradient(
        &self,
        prediction: &Matrix<B, N, T>,
        target: &Matrix<B, N, T>,
        d_prediction: &mut Matrix<B, N, T>,
    ) {
        // dL/dy = 2(y - t) / B
        let factor = T::from_f64(2.0 / B as f64);
        for ((d, &y), &t) in d_prediction
            .as_mut_slice()
            .iter_mut()
            .zip(prediction.as_slice())
            .zip(target.as_slice())
        {
            *d = factor * (y - t);
        }
    }

    #[inline]
    fn value_and_gradient(
        &self,
        prediction: &Matrix<B, N, T>,
        target: &Matrix<B, N, T>,
        d_prediction: &mut Matrix<B, N, T>,
    ) -> T {
        let factor = T::from_f64(2.0 / B as f64);
        let mut sum = T::zero();
        for ((d, &y), &t) in d_prediction
            .as_mut_slice()
            .iter_mut()
            .zip(prediction.as_slice())
            .zip(target.as_slice())
        {
            let difference = y - t;
            sum = sum + difference * difference;
            *d = factor * difference;
        }
        sum / T::from_f64(B as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, gradient_check};

    /// The gradient alone, into fresh storage.
    fn gradient<const B: usize, const N: usize>(
        y: &Matrix<B, N, f64>,
        t: &Matrix<B, N, f64>,
    ) -> Matrix<B, N, f64> {
        let mut d_y = Matrix::filled(f64::NAN);
        Mse.gradient(y, t, &mut d_y);
        d_y
    }

    #[test]
    fn value_by_hand() {
        let y = Matrix::new([[0.1_f64, 0.9], [0.4, 0.6], [1.0, 0.0]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]);
        // (0.01 + 0.01 + 0.36 + 0.36 + 0 + 0) / 3
        assert!((Mse.value(&y, &t) - 0.74 / 3.0).abs() < 1e-15);
        let g = gradient(&y, &t);
        let want = Matrix::new([[0.2, -0.2], [-1.2, 1.2], [0.0, 0.0]]).scale(1.0 / 3.0);
        for (a, b) in g.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-15);
        }
    }

    #[test]
    fn value_and_gradient_agree_with_each_alone() {
        let y = Matrix::new([[0.1_f64, 0.9], [0.4, 0.6], [1.0, -2.0]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]);
        let mut d_y = Matrix::filled(f64::NAN);
        assert_eq!(Mse.value_and_gradient(&y, &t, &mut d_y), Mse.value(&y, &t));
        assert_eq!(d_y, gradient(&y, &t));
    }

    #[test]
    fn zero_at_the_target() {
        let t = Matrix::new([[0.3_f32, -0.7]]);
        assert_eq!(Mse.value(&t, &t), 0.0);
        let mut d_t = Matrix::filled(1.0);
        Mse.gradient(&t, &t, &mut d_t);
        assert_eq!(d_t, Matrix::zeros());
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let y = Matrix::new([[0.1_f64, 0.9], [0.4, 0.6], [1.0, -2.0]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]);
        let report = gradient_check(&Identity, &Mse, &y, &t);
        assert!(report.max_relative_error < 1e-8, "{report:?}");
    }

    #[test]
    fn non_finite_values() {
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        let finite = Matrix::new([[0.5, 0.5]]);
        // NaN in a prediction or a target: NaN value, NaN at that entry only.
        for (y, t) in [
            (Matrix::new([[nan, 1.0]]), Matrix::new([[0.5, 0.5]])),
            (finite, Matrix::new([[nan, 0.5]])),
        ] {
            let mut d_y = Matrix::zeros();
            assert!(Mse.value_and_gradient(&y, &t, &mut d_y).is_nan());
            assert!(d_y[(0, 0)].is_nan());
            assert_eq!(d_y[(0, 1)], 2.0 * (y[(0, 1)] - 0.5));
        }
        // An infinity against a finite number: +inf, and ±inf at that entry.
        for (y, t, d) in [
            (Matrix::new([[inf, 0.5]]), finite, inf),
            (Matrix::new([[-inf, 0.5]]), finite, -inf),
            (finite, Matrix::new([[inf, 0.5]]), -inf),
            (finite, Matrix::new([[-inf, 0.5]]), inf),
            (Matrix::new([[inf, 0.5]]), Matrix::new([[-inf, 0.5]]), inf),
        ] {
            let mut d_y = Matrix::zeros();
            assert_eq!(Mse.value_and_gradient(&y, &t, &mut d_y), inf);
            assert_eq!(d_y, Matrix::new([[d, 0.0]]));
        }
        // The same infinity on both sides: inf - inf.
        let y = Matrix::new([[inf, 0.5]]);
        let mut d_y = Matrix::zeros();
        assert!(Mse.value_and_gradient(&y, &y, &mut d_y).is_nan());
        assert!(d_y[(0, 0)].is_nan());
    }
}
