//! [`BinaryCrossEntropy`]: the cross-entropy of probabilities against 0/1 targets.

use crate::{Loss, Matrix, Scalar};

/// Binary cross-entropy on probabilities (the outputs of a
/// [`Sigmoid`](crate::Sigmoid) layer), summed over features and averaged over
/// the batch: `L = -(1/B) Σ [t ln y + (1 - t) ln(1 - y)]`.
///
/// Predictions are clamped to `[ε, 1 - ε]` (`ε` the type's machine epsilon)
/// before the logarithms, so a sigmoid that saturates to exactly 0 or 1 gives
/// a large, finite loss and gradient, never `ln(0)`. The gradient is
/// `dY = (y - t) / (y(1 - y)) / B`, on the clamped `y`.
///
/// ```
/// use constnet::{BinaryCrossEntropy, Loss, Matrix};
///
/// let y = Matrix::new([[0.5_f64]]);
/// assert_eq!(BinaryCrossEntropy.value(&y, &Matrix::new([[1.0]])), 2.0_f64.ln());
/// assert_eq!(BinaryCrossEntropy.gradient(&y, &Matrix::new([[1.0]])), Matrix::new([[-2.0]]));
///
/// let saturated = Matrix::new([[0.0_f32]]);
/// assert!(BinaryCrossEntropy.value(&saturated, &Matrix::new([[1.0]])).is_finite());
/// ```
///
/// # Pitfalls
///
/// The predictions must be probabilities: the network must end in a
/// [`Sigmoid`](crate::Sigmoid). Raw scores (an [`Affine`](crate::Affine)'s
/// output) outside `[0, 1]` are clamped, so a score below 0 for a target of
/// 1 (or above 1 for a target of 0) costs `-ln ε`, 15.94 in `f32` (36.04 in
/// `f64`), however far it is, and its gradient, taken at the clamped value,
/// is about `1/ε`: the steps are huge, the scores jump past the clamp, and
/// the loss stays at about 15.94 per wrong output instead of falling. Put a
/// `Sigmoid` last (or use [`Mse`](crate::Mse) for scores that are not
/// probabilities).
///
/// ```
/// use constnet::{BinaryCrossEntropy, Loss, Matrix};
///
/// let (scores, targets) = (Matrix::new([[-3.0_f32, 40.0]]), Matrix::new([[1.0, 0.0]]));
/// let loss = BinaryCrossEntropy.value(&scores, &targets);
/// assert_eq!(loss, -2.0 * f32::EPSILON.ln()); // twice the clamp's loss, far or near
/// assert!((loss / 2.0 - 15.94).abs() < 0.01);
/// assert!(BinaryCrossEntropy.gradient(&scores, &targets)[(0, 0)] < -1e6);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BinaryCrossEntropy;

/// `y` moved into `[ε, 1 - ε]`, where both logarithms are finite.
#[inline]
fn clamp<T: Scalar>(y: T) -> T {
    let eps = T::epsilon();
    y.max(eps).min(T::one() - eps)
}

impl<const B: usize, const N: usize, T: Scalar> Loss<Matrix<B, N, T>> for BinaryCrossEntropy {
    #[inline]
    fn value(&self, prediction: &Matrix<B, N, T>, target: &Matrix<B, N, T>) -> T {
        let sum =
            prediction
                .as_slice()
                .iter()
                .zip(target.as_slice())
                .fold(T::zero(), |s, (&y, &t)| {
                    let y = clamp(y);
                    s - (t * y.ln() + (T::one() - t) * (T::one() - y).ln())
                });
        sum / T::from_f64(B as f64)
    }

    #[inline]
    fn gradient(&self, prediction: &Matrix<B, N, T>, target: &Matrix<B, N, T>) -> Matrix<B, N, T> {
        let scale = T::one() / T::from_f64(B as f64);
        prediction.zip_map(target, |y, t| {
            let y = clamp(y);
            // dL/dy = -t/y + (1 - t)/(1 - y) = (y - t) / (y(1 - y))
            (y - t) / (y * (T::one() - y)) * scale
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, InPlaceLayer, Layer, Sigmoid, gradient_check};
    use proptest::prelude::*;

    #[test]
    fn value_by_hand() {
        let y = Matrix::new([[0.9_f64, 0.2], [0.3, 0.6]]);
        let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
        let want = -(0.9_f64.ln() + 0.8_f64.ln() + 0.7_f64.ln() + 0.6_f64.ln()) / 2.0;
        assert!((BinaryCrossEntropy.value(&y, &t) - want).abs() < 1e-15);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let y = Matrix::new([[0.9_f64, 0.2], [0.3, 0.6]]);
        let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
        let report = gradient_check(&Identity, &BinaryCrossEntropy, &y, &t);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
    }

    #[test]
    fn through_a_sigmoid_the_gradient_is_y_minus_t() {
        // With y = σ(x), dL/dx = (y - t) / B: the textbook's pairing.
        let x = Matrix::new([[0.5_f64, -1.5]]);
        let t = Matrix::new([[1.0, 0.0]]);
        let y = Sigmoid.predict(&x);
        let mut d_x = BinaryCrossEntropy.gradient(&y, &t);
        Sigmoid.backward_in_place(&y, &mut d_x, &(), &mut ());
        let want = y - t;
        for (a, b) in d_x.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-15);
        }
    }

    #[test]
    fn saturated_outputs_never_take_log_zero() {
        let y = Matrix::new([[0.0_f32, 1.0, 0.0, 1.0]]);
        let t = Matrix::new([[1.0, 0.0, 0.0, 1.0]]);
        let value = BinaryCrossEntropy.value(&y, &t);
        let g = BinaryCrossEntropy.gradient(&y, &t);
        assert!(value.is_finite() && value > 30.0, "{value}");
        assert!(g.is_finite());
        assert!(g[(0, 0)] < 0.0 && g[(0, 1)] > 0.0);
    }

    proptest! {
        #[test]
        fn finite_on_sigmoid_outputs_of_logits_within_1e4(
            logits in proptest::collection::vec(-1e4_f32..1e4, 4),
            targets in proptest::collection::vec(0u8..2, 4),
        ) {
            let y = Sigmoid.predict(&Matrix::<1, 4>::from_slice(&logits).unwrap());
            let t = Matrix::<1, 4>::from_fn(|_, c| f32::from(targets[c]));
            prop_assert!(BinaryCrossEntropy.value(&y, &t).is_finite());
            prop_assert!(BinaryCrossEntropy.gradient(&y, &t).is_finite());
        }

        #[test]
        fn finite_through_the_sigmoid_for_logits_within_1e4_and_soft_targets(
            logits in proptest::collection::vec(-1e4_f64..=1e4, 6),
            targets in proptest::collection::vec(0.0_f64..=1.0, 6),
        ) {
            let x = Matrix::<2, 3, f64>::from_slice(&logits).unwrap();
            let t = Matrix::from_slice(&targets).unwrap();
            let y = Sigmoid.predict(&x);
            let (value, d_y) = BinaryCrossEntropy.value_and_gradient(&y, &t);
            prop_assert!(value.is_finite() && value >= 0.0, "{value}");
            prop_assert!(d_y.is_finite());
            // Back through the sigmoid: finite, and (y - t)/B wherever y was not clamped.
            let mut d_x = d_y;
            Sigmoid.backward_in_place(&y, &mut d_x, &(), &mut ());
            prop_assert!(d_x.is_finite());
            for ((&d, &y), &t) in d_x.as_slice().iter().zip(y.as_slice()).zip(t.as_slice()) {
                if (1e-3..=1.0 - 1e-3).contains(&y) {
                    prop_assert!((d - (y - t) / 2.0).abs() < 1e-9, "{d} vs {}", (y - t) / 2.0);
                }
            }
        }
    }
}
