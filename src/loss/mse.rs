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
/// assert_eq!(Mse.value(&y, &t), (4.0 + 9.0) / 2.0);
/// assert_eq!(Mse.gradient(&y, &t), Matrix::new([[0.0, 2.0], [3.0, 0.0]]));
/// ```
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
    fn gradient(&self, prediction: &Matrix<B, N, T>, target: &Matrix<B, N, T>) -> Matrix<B, N, T> {
        // dL/dy = 2(y - t) / B
        let factor = T::from_f64(2.0 / B as f64);
        prediction.zip_map(target, |y, t| factor * (y - t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, gradient_check};

    #[test]
    fn value_by_hand() {
        let y = Matrix::new([[0.1_f64, 0.9], [0.4, 0.6], [1.0, 0.0]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]);
        // (0.01 + 0.01 + 0.36 + 0.36 + 0 + 0) / 3
        assert!((Mse.value(&y, &t) - 0.74 / 3.0).abs() < 1e-15);
        let g = Mse.gradient(&y, &t);
        let want = Matrix::new([[0.2, -0.2], [-1.2, 1.2], [0.0, 0.0]]).scale(1.0 / 3.0);
        for (a, b) in g.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-15);
        }
    }

    #[test]
    fn zero_at_the_target() {
        let t = Matrix::new([[0.3_f32, -0.7]]);
        assert_eq!(Mse.value(&t, &t), 0.0);
        assert_eq!(Mse.gradient(&t, &t), Matrix::zeros());
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let y = Matrix::new([[0.1_f64, 0.9], [0.4, 0.6], [1.0, -2.0]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]);
        let report = gradient_check(&Identity, &Mse, &y, &t);
        assert!(report.max_relative_error < 1e-8, "{report:?}");
    }
}
