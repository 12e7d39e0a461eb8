//! [`BinaryCrossEntropy`]: the cross-entropy of probabilities against 0/1 targets.

use crate::{Loss, Matrix, Scalar, math};

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
/// let t = Matrix::new([[1.0]]);
/// let mut d_y = Matrix::zeros();
/// assert_eq!(BinaryCrossEntropy.value_and_gradient(&y, &t, &mut d_y), 2.0_f64.ln());
/// assert_eq!(d_y, Matrix::new([[-2.0]]));
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
/// let mut d_scores = Matrix::zeros();
/// BinaryCrossEntropy.gradient(&scores, &targets, &mut d_scores);
/// assert!(d_scores[(0, 0)] < -1e6); // about -1/ε, divided by the batch
/// ```
///
/// # Non-finite values
///
/// - A NaN prediction or target makes the value NaN and that entry's
///   gradient NaN: the clamp lets NaN through.
/// - An infinite prediction is clamped like any other outside `[0, 1]`:
///   `+inf` counts as `1 - ε`, `-inf` as `ε`, and value and gradient are the
///   finite ones of those (a [`Sigmoid`](crate::Sigmoid) output is never
///   infinite; an infinite prediction means raw scores were passed).
/// - An infinite target makes the value NaN (`t ln y` and
///   `(1 - t) ln(1 - y)` are infinities of opposite signs) and that entry's
///   gradient infinite, `-inf` for `t = +inf` and `+inf` for `t = -inf`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BinaryCrossEntropy;

/// `y` moved into `[ε, 1 - ε]`, where both logarithms are finite; NaN stays
/// NaN (`max`/`min` would replace it by a bound and hide it).
#[inline]
fn clamp<T: Scalar>(y: T) -> T {
    let eps = T::epsilon();
    let y = if y < eps { eps } else { y };
    if y > T::one() - eps {
        T::one() - eps
    } else {
        y
    }
}

/// `-(t ln y + (1 - t) ln(1 - y))` for a clamped `y`.
#[inline]
fn entry_loss<T: Scalar>(y: T, t: T) -> T {
    -(t * math::ln(y) + (T::one() - t) * math::ln(T::one() - y))
}

/// `dL/dy = -t/y + (1 - t)/(1 - y) = (y - t) / (y(1 - y))`, times `scale`,
/// for a clamped `y`.
#[inline]
fn entry_gradient<T: Scalar>(y: T, t: T, scale: T) -> T {
    (y - t) / (y * (T::one() - y)) * scale
}

impl<const B: usize, const N: usize, T: Scalar> Loss<Matrix<B, N, T>> for BinaryCrossEntropy {
    #[inline]
    fn value(&self, prediction: &Matrix<B, N, T>, target: &Matrix<B, N, T>) -> T {
        let sum = prediction
            .as_slice()
            .iter()
            .zip(target.as_slice())
            .fold(T::zero(), |s, (&y, &t)| s + entry_loss(clamp(y), t));
        sum / T::from_f64(B as f64)
    }

    #[inline]
    fn gradient(
        &self,
        prediction: &Matrix<B, N, T>,
        target: &Matrix<B, N, T>,
        d_prediction: &mut Matrix<B, N, T>,
    ) {
        let scale = T::one() / T::from_f64(B as f64);
        for ((d, &y), &t) in d_prediction
            .as_mut_slice()
            .iter_mut()
            .zip(prediction.as_slice())
            .zip(target.as_slice())
        {
            *d = entry_gradient(clamp(y), t, scale);
        }
    }

    #[inline]
    fn value_and_gradient(
        &self,
        prediction: &Matrix<B, N, T>,
        target: &Matrix<B, N, T>,
        d_prediction: &mut Matrix<B, N, T>,
    ) -> T {
        let scale = T::one() / T::from_f64(B as f64);
        let mut sum = T::zero();
        for ((d, &y), &t) in d_prediction
            .as_mut_slice()
            .iter_mut()
            .zip(prediction.as_slice())
            .zip(target.as_slice())
        {
            let y = clamp(y);
            sum = sum + entry_loss(y, t);
            *d = entry_gradient(y, t, scale);
        }
        sum / T::from_f64(B as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, gradient_check};
    use proptest::prelude::*;

    /// The value and the gradient, into fresh storage.
    fn value_and_gradient<const B: usize, const N: usize, T: Scalar>(
        y: &Matrix<B, N, T>,
        t: &Matrix<B, N, T>,
    ) -> (T, Matrix<B, N, T>) {
        let mut d_y = Matrix::filled(T::nan());
        let value = BinaryCrossEntropy.value_and_gradient(y, t, &mut d_y);
        (value, d_y)
    }

    #[test]
    fn value_by_hand() {
        let y = Matrix::new([[0.9_f64, 0.2], [0.3, 0.6]]);
        let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
        let want = -(0.9_f64.ln() + 0.8_f64.ln() + 0.7_f64.ln() + 0.6_f64.ln()) / 2.0;
        assert!((BinaryCrossEntropy.value(&y, &t) - want).abs() < 1e-15);
    }

    #[test]
    fn value_and_gradient_agree_with_each_alone() {
        let y = Matrix::new([[0.9_f64, 0.2], [0.3, 1.0]]);
        let t = Matrix::new([[1.0, 0.0], [0.25, 1.0]]);
        let (value, d_y) = value_and_gradient(&y, &t);
        assert_eq!(value, BinaryCrossEntropy.value(&y, &t));
        let mut alone = Matrix::filled(f64::NAN);
        BinaryCrossEntropy.gradient(&y, &t, &mut alone);
        assert_eq!(d_y, alone);
        // (y - t) / (y(1 - y)) / 2 by hand, at the unclamped entries.
        assert!((d_y[(0, 0)] - (0.9 - 1.0) / (0.9 * 0.1) / 2.0).abs() < 1e-15);
        assert!((d_y[(1, 0)] - (0.3 - 0.25) / (0.3 * 0.7) / 2.0).abs() < 1e-15);
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
        // With y = σ(x), dL/dx = dL/dy · y(1 - y) = (y - t) / B: the
        // textbook's pairing.
        let x = [0.5_f64, -1.5];
        let y = Matrix::new([x.map(math::sigmoid)]);
        let t = Matrix::new([[1.0, 0.0]]);
        let (_, d_y) = value_and_gradient(&y, &t);
        for c in 0..2 {
            let d_x = d_y[(0, c)] * y[(0, c)] * (1.0 - y[(0, c)]);
            assert!((d_x - (y[(0, c)] - t[(0, c)])).abs() < 1e-15);
        }
    }

    #[test]
    fn saturated_outputs_never_take_log_zero() {
        let y = Matrix::new([[0.0_f32, 1.0, 0.0, 1.0]]);
        let t = Matrix::new([[1.0, 0.0, 0.0, 1.0]]);
        let (value, g) = value_and_gradient(&y, &t);
        // Two entries cost -ln ε = 23 ln 2 each, two cost -ln(1 - ε) ≈ ε.
        assert!(
            (value - 46.0 * core::f32::consts::LN_2).abs() < 1e-4,
            "{value}"
        );
        assert!(g.is_finite());
        assert!(g[(0, 0)] < 0.0 && g[(0, 1)] > 0.0);
    }

    #[test]
    fn nan_predictions_and_targets_give_nan() {
        let nan = f64::NAN;
        for (y, t) in [
            ([[nan, 0.5]], [[1.0, 0.0]]),
            ([[nan, 0.5]], [[0.0, 0.0]]),
            ([[0.5, 0.5]], [[nan, 0.0]]),
        ] {
            let (y, t) = (Matrix::new(y), Matrix::new(t));
            assert!(BinaryCrossEntropy.value(&y, &t).is_nan());
            let (value, g) = value_and_gradient(&y, &t);
            assert!(value.is_nan());
            assert!(g[(0, 0)].is_nan());
            assert_eq!(g[(0, 1)], 2.0); // (0.5 - 0) / 0.25
        }
    }

    #[test]
    fn infinite_predictions_are_clamped() {
        let eps = f64::EPSILON;
        let t = Matrix::new([[1.0, 0.0]]);
        let (value, g) = value_and_gradient(&Matrix::new([[f64::INFINITY, f64::NEG_INFINITY]]), &t);
        let (same_value, same_g) = value_and_gradient(&Matrix::new([[1.0 - eps, eps]]), &t);
        assert_eq!(value, same_value);
        assert_eq!(g, same_g);
        assert!(value.is_finite() && value < 1e-15, "{value}");
    }

    #[test]
    fn infinite_targets_give_nan_value_and_infinite_gradient() {
        let y = Matrix::new([[0.25_f64]]);
        let (value, g) = value_and_gradient(&y, &Matrix::new([[f64::INFINITY]]));
        assert!(value.is_nan());
        assert_eq!(g, Matrix::new([[f64::NEG_INFINITY]]));
        let (value, g) = value_and_gradient(&y, &Matrix::new([[f64::NEG_INFINITY]]));
        assert!(value.is_nan());
        assert_eq!(g, Matrix::new([[f64::INFINITY]]));
    }

    proptest! {
        #[test]
        fn finite_on_sigmoid_outputs_of_logits_within_1e4(
            logits in proptest::collection::vec(-1e4_f32..1e4, 4),
            targets in proptest::collection::vec(0u8..2, 4),
        ) {
            let y = Matrix::<1, 4>::from_fn(|_, c| math::sigmoid(logits[c]));
            let t = Matrix::<1, 4>::from_fn(|_, c| f32::from(targets[c]));
            let (value, g) = value_and_gradient(&y, &t);
            prop_assert!(value.is_finite());
            prop_assert!(g.is_finite());
        }

        #[test]
        fn finite_through_the_sigmoid_for_logits_within_1e4_and_soft_targets(
            logits in proptest::collection::vec(-1e4_f64..=1e4, 6),
            targets in proptest::collection::vec(0.0_f64..=1.0, 6),
        ) {
            let y = Matrix::<2, 3, f64>::from_slice(&logits).unwrap().map(math::sigmoid);
            let t = Matrix::from_slice(&targets).unwrap();
            let (value, d_y) = value_and_gradient(&y, &t);
            prop_assert!(value.is_finite() && value >= 0.0, "{value}");
            prop_assert!(d_y.is_finite());
            // Back through the sigmoid (dX = dY · y(1 - y)): finite, and
            // (y - t)/B wherever y was not clamped.
            let d_x = d_y.zip_map(&y, |d, y| d * y * (1.0 - y));
            prop_assert!(d_x.is_finite());
            for ((&d, &y), &t) in d_x.as_slice().iter().zip(y.as_slice()).zip(t.as_slice()) {
                if (1e-3..=1.0 - 1e-3).contains(&y) {
                    prop_assert!((d - (y - t) / 2.0).abs() < 1e-9, "{d} vs {}", (y - t) / 2.0);
                }
            }
        }
    }
}
