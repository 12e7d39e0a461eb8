//! [`SoftmaxCrossEntropy`]: softmax and cross-entropy fused, on raw scores.

use crate::{Loss, Matrix, Scalar, math};

/// Cross-entropy of the softmax of the scores (logits) against target
/// distributions (one-hot rows for classification), averaged over the batch:
/// `L = (1/B) Σ_rows Σ_i t_i (logsumexp(x) - x_i)`.
///
/// The gradient has the textbook's simple form `dX = (softmax(X) - T) / B`
/// (for targets whose rows sum to 1). The value is computed with the
/// log-sum-exp trick rather than `ln(softmax)`, so logits of ±1e4 give a
/// finite loss and gradient, and a confident wrong answer costs its true,
/// large loss rather than `ln(0)`. Each logit's `exp` is computed once, in
/// `value_and_gradient` too: the gradient's storage holds the exponentials
/// until they become the gradient.
///
/// ```
/// use constnet::{Loss, Matrix, SoftmaxCrossEntropy};
///
/// let logits = Matrix::new([[0.0_f64, 0.0]]);
/// let target = Matrix::new([[1.0, 0.0]]);
/// let mut d_logits = Matrix::zeros();
/// let value = SoftmaxCrossEntropy.value_and_gradient(&logits, &target, &mut d_logits);
/// assert_eq!(value, 2.0_f64.ln());
/// assert_eq!(d_logits, Matrix::new([[-0.5, 0.5]]));
///
/// let huge = Matrix::new([[1e4_f32, -1e4]]);
/// assert_eq!(SoftmaxCrossEntropy.value(&huge, &Matrix::new([[0.0, 1.0]])), 2e4);
/// ```
///
/// # Pitfalls
///
/// The loss applies the softmax itself: the network must end in raw scores
/// (an [`Affine`](crate::Affine)), not in a [`Softmax`](crate::Softmax)
/// layer. After one, the softmax is taken twice: the probabilities, all in
/// `[0, 1]`, are read as scores, whose softmax is never far from uniform, so
/// even a network certain of the right class costs `ln(1 + (C - 1)/e)` per
/// sample (0.55 for 3 classes, 1.46 for 10) and the gradient shrinks through
/// both softmaxes: training stalls at that loss. Remove the `Softmax` layer;
/// to read probabilities, apply it to the trained network's scores
/// (`Softmax.predict(&net.predict(&x))`).
///
/// ```
/// use constnet::{Layer, Loss, Matrix, Softmax, SoftmaxCrossEntropy};
///
/// // Right and all but certain, yet after a Softmax layer the loss is ln(1 + 2/e).
/// let certain = Softmax.predict(&Matrix::new([[30.0_f64, -30.0, -30.0]]));
/// let loss = SoftmaxCrossEntropy.value(&certain, &Matrix::new([[1.0, 0.0, 0.0]]));
/// assert!((loss - (1.0 + 2.0 / 1.0_f64.exp()).ln()).abs() < 1e-12);
/// assert!((loss - 0.5514).abs() < 1e-4);
/// ```
///
/// # Non-finite values
///
/// Row by row (one row's non-finite entries leave the other rows alone, but
/// the value is their average):
///
/// - A NaN logit makes the value NaN, whatever the targets (a zero target
///   does not hide it), and its row of the gradient NaN.
/// - A `+inf` logit does the same (the shift by the row's maximum gives
///   `inf - inf`), and so does a row whose logits are all `-inf`.
/// - A `-inf` logit beside a finite maximum has probability 0: with a zero
///   target the row's value and gradient are those of the row without it
///   (its gradient entry 0); with a positive target the value is `+inf`, the
///   true cross-entropy of a probability 0, and the gradient stays finite
///   (`-t / B` there).
/// - A NaN target makes the value NaN and its row of the gradient NaN.
/// - An infinite target makes the value infinite (NaN where it multiplies a
///   zero term) and its row of the gradient non-finite.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SoftmaxCrossEntropy;

impl<const B: usize, const N: usize, T: Scalar> Loss<Matrix<B, N, T>> for SoftmaxCrossEntropy {
    #[inline]
    fn value(&self, logits: &Matrix<B, N, T>, target: &Matrix<B, N, T>) -> T {
        let mut sum = T::zero();
        for (x, t) in logits.rows().iter().zip(target.rows()) {
            sum = sum + row_loss(x, t, math::shifted_exp_sum(x));
        }
        sum / T::from_f64(B as f64)
    }

    #[inline]
    fn gradient(
        &self,
        logits: &Matrix<B, N, T>,
        target: &Matrix<B, N, T>,
        d_logits: &mut Matrix<B, N, T>,
    ) {
        let scale = T::one() / T::from_f64(B as f64);
        for ((x, t), d) in logits
            .rows()
            .iter()
            .zip(target.rows())
            .zip(d_logits.rows_mut())
        {
            let (_, exp_sum) = math::shifted_exps(x, d);
            exps_into_gradient(d, t, exp_sum, scale);
        }
    }

    #[inline]
    fn value_and_gradient(
        &self,
        logits: &Matrix<B, N, T>,
        target: &Matrix<B, N, T>,
        d_logits: &mut Matrix<B, N, T>,
    ) -> T {
        let scale = T::one() / T::from_f64(B as f64);
        let mut sum = T::zero();
        for ((x, t), d) in logits
            .rows()
            .iter()
            .zip(target.rows())
            .zip(d_logits.rows_mut())
        {
            let (m, exp_sum) = math::shifted_exps(x, d);
            sum = sum + row_loss(x, t, (m, exp_sum));
            exps_into_gradient(d, t, exp_sum, scale);
        }
        sum * scale
    }
}

/// Turns one row's `e^(x_i - m)`, held in `d`, into
/// `dL/dx_i = (softmax(x)_i Σt - t_i) / B`: `(softmax - t) / B` for a
/// target distribution.
#[inline]
fn exps_into_gradient<T: Scalar>(d: &mut [T], t: &[T], exp_sum: T, scale: T) {
    let mass = t.iter().fold(T::zero(), |s, &t| s + t);
    for (d, &t) in d.iter_mut().zip(t) {
        let p = *d / exp_sum;
        *d = (p * mass - t) * scale;
    }
}

/// `-Σ t_i ln softmax(x)_i = Σ t_i (lse(x) - x_i)` for one row, with
/// `lse(x) - x_i` written `(m - x_i) + ln Σ e^(x - m)` so that large logits
/// lose no precision to a large `lse`.
#[inline]
fn row_loss<T: Scalar>(x: &[T], t: &[T], (m, exp_sum): (T, T)) -> T {
    let ln_sum = math::ln(exp_sum);
    // A zero target contributes nothing, whatever its logit (not 0 · inf for
    // a -inf logit). The sum of exponentials is NaN if a logit is, and then
    // the row starts from it, so that a NaN logit with a zero target is not
    // skipped into a finite loss.
    let start = if exp_sum.is_nan() { exp_sum } else { T::zero() };
    x.iter().zip(t).fold(start, |s, (&x, &t)| {
        if t == T::zero() {
            s
        } else {
            s + t * ((m - x) + ln_sum)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, gradient_check};
    use proptest::prelude::*;

    /// The gradient alone, into fresh storage.
    fn gradient<const B: usize, const N: usize, T: Scalar>(
        x: &Matrix<B, N, T>,
        t: &Matrix<B, N, T>,
    ) -> Matrix<B, N, T> {
        let mut d_x = Matrix::filled(T::nan());
        SoftmaxCrossEntropy.gradient(x, t, &mut d_x);
        d_x
    }

    /// The value and the gradient, into fresh storage.
    fn value_and_gradient<const B: usize, const N: usize, T: Scalar>(
        x: &Matrix<B, N, T>,
        t: &Matrix<B, N, T>,
    ) -> (T, Matrix<B, N, T>) {
        let mut d_x = Matrix::filled(T::nan());
        let value = SoftmaxCrossEntropy.value_and_gradient(x, t, &mut d_x);
        (value, d_x)
    }

    #[test]
    fn value_by_hand() {
        // The textbook's example: y = softmax output 0.6 for the true class.
        let p = [0.1_f64, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0];
        // Logits whose softmax is p where p > 0: ln p (zeros get -1e3).
        let logits = Matrix::new([p.map(|p| if p > 0.0 { p.ln() } else { -1e3 })]);
        let mut t = [0.0; 10];
        t[2] = 1.0;
        let value = SoftmaxCrossEntropy.value(&logits, &Matrix::new([t]));
        assert!((value - 0.510_825_623_765_990_7).abs() < 1e-12, "{value}"); // -ln 0.6
    }

    #[test]
    fn gradient_is_softmax_minus_target_over_batch() {
        let x = Matrix::new([[1.0_f64, 2.0, 3.0], [0.0, 0.0, 0.0]]);
        let t = Matrix::new([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
        let g = gradient(&x, &t);
        let e = 1.0_f64.exp();
        let s = 1.0 + e + e * e;
        let want = Matrix::new([
            [1.0 / s, e / s, e * e / s - 1.0],
            [1.0 / 3.0 - 1.0, 1.0 / 3.0, 1.0 / 3.0],
        ])
        .scale(0.5);
        for (a, b) in g.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-15);
        }
        let (value, same) = value_and_gradient(&x, &t);
        assert_eq!(same, g);
        assert_eq!(value, SoftmaxCrossEntropy.value(&x, &t));
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = Matrix::new([[0.3_f64, -1.2, 2.2], [1.0, 0.5, -0.5]]);
        let t = Matrix::new([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]);
        let report = gradient_check(&Identity, &SoftmaxCrossEntropy, &x, &t);
        assert!(report.max_relative_error < 1e-8, "{report:?}");
    }

    #[test]
    fn huge_logits_stay_finite() {
        let x = Matrix::new([[1e4_f32, -1e4, 0.0], [-1e4, -1e4, -1e4]]);
        let t = Matrix::new([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);
        let (value, g) = value_and_gradient(&x, &t);
        // Row 0 costs 2e4, row 1 (three equal logits) ln 3.
        assert_eq!(value, (2e4 + 3.0_f32.ln()) / 2.0);
        let want = Matrix::new([[0.5, -0.5, 0.0], [1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0 - 0.5]]);
        for (a, b) in g.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-7, "{g:?}");
        }
    }

    #[test]
    fn nan_logits_and_targets_give_nan() {
        let nan = f64::NAN;
        let clean_row = [1.0, 0.0, -1.0];
        for (x, t) in [
            // NaN logit with a positive target, and with a zero one.
            (
                [[nan, 0.0, 1.0], clean_row],
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
            ),
            (
                [[nan, 0.0, 1.0], clean_row],
                [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]],
            ),
            // A row with no target mass at all still sees its NaN.
            (
                [[nan, 0.0, 1.0], clean_row],
                [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
            ),
            // NaN target.
            (
                [[2.0, 0.0, 1.0], clean_row],
                [[nan, 1.0, 0.0], [0.0, 1.0, 0.0]],
            ),
        ] {
            let (x, t) = (Matrix::new(x), Matrix::new(t));
            assert!(SoftmaxCrossEntropy.value(&x, &t).is_nan(), "{x:?} {t:?}");
            let (value, g) = value_and_gradient(&x, &t);
            assert!(value.is_nan());
            assert!(g.row(0).iter().all(|d| d.is_nan()), "{g:?}");
            // The clean row keeps its gradient: (softmax - t) / 2.
            assert_eq!(
                g.row(1),
                gradient(&Matrix::new([clean_row]), &Matrix::new([[0.0, 1.0, 0.0]]))
                    .scale(0.5)
                    .row(0)
            );
        }
    }

    #[test]
    fn infinite_logits() {
        let inf = f64::INFINITY;
        // +inf, or nothing but -inf: NaN value and NaN row.
        for x in [[inf, 0.0, 1.0], [-inf; 3]] {
            let (value, g) = value_and_gradient(&Matrix::new([x]), &Matrix::new([[0.0, 1.0, 0.0]]));
            assert!(value.is_nan());
            assert!(g.as_slice().iter().all(|d| d.is_nan()));
        }
        // -inf beside finite logits, zero target: as if the class were absent.
        let x = Matrix::new([[-inf, 0.0, 0.0]]);
        let (value, g) = value_and_gradient(&x, &Matrix::new([[0.0, 1.0, 0.0]]));
        assert_eq!(value, core::f64::consts::LN_2);
        assert_eq!(g, Matrix::new([[0.0, -0.5, 0.5]]));
        // -inf with a positive target: the loss of probability 0, +inf; the
        // gradient is finite, -t at that class.
        let (value, g) = value_and_gradient(&x, &Matrix::new([[1.0, 0.0, 0.0]]));
        assert_eq!(value, inf);
        assert_eq!(g, Matrix::new([[-1.0, 0.5, 0.5]]));
    }

    #[test]
    fn infinite_targets() {
        let inf = f64::INFINITY;
        let x = Matrix::new([[0.0, 0.0]]);
        let (value, g) = value_and_gradient(&x, &Matrix::new([[inf, 0.0]]));
        assert_eq!(value, inf); // inf · ln 2
        assert!(g[(0, 0)].is_nan() && g[(0, 1)] == inf, "{g:?}"); // ½inf - inf, ½inf
        let (value, g) = value_and_gradient(&x, &Matrix::new([[-inf, 0.0]]));
        assert_eq!(value, -inf);
        assert!(g[(0, 0)].is_nan() && g[(0, 1)] == -inf, "{g:?}");
        // inf times a zero term: the logit is the maximum and the only
        // non-negligible one, so lse(x) - x = 0.
        let lone = Matrix::new([[0.0, -1e3]]);
        assert!(
            SoftmaxCrossEntropy
                .value(&lone, &Matrix::new([[inf, 0.0]]))
                .is_nan()
        );
    }

    proptest! {
        #[test]
        fn finite_for_logits_within_1e4(
            logits in proptest::collection::vec(-1e4_f32..1e4, 8),
            class in 0usize..4,
        ) {
            let x = Matrix::<2, 4>::from_slice(&logits).unwrap();
            let t = Matrix::from_fn(|_, c| if c == class { 1.0 } else { 0.0 });
            let (value, g) = value_and_gradient(&x, &t);
            prop_assert!(value.is_finite() && value >= 0.0);
            prop_assert!(g.is_finite());
            // Each gradient row sums to (1 - 1) / B = 0.
            for row in g.rows() {
                prop_assert!(row.iter().sum::<f32>().abs() < 1e-6);
            }
        }

        #[test]
        fn finite_in_f64_for_logits_within_1e4_and_soft_targets(
            logits in proptest::collection::vec(-1e4_f64..=1e4, 6),
            weights in proptest::collection::vec(0.0_f64..=1.0, 6),
        ) {
            let x = Matrix::<2, 3, f64>::from_slice(&logits).unwrap();
            // Each target row a distribution (all its mass on column 0 if the draw is all zeros).
            let t = Matrix::<2, 3, f64>::from_fn(|r, c| {
                let row = &weights[3 * r..3 * r + 3];
                let sum: f64 = row.iter().sum();
                if sum > 0.0 { row[c] / sum } else if c == 0 { 1.0 } else { 0.0 }
            });
            let (value, g) = value_and_gradient(&x, &t);
            prop_assert!(value.is_finite() && value >= -1e-12, "{value}");
            prop_assert!(g.is_finite());
            // dX = (softmax(X) - T)/B, so every entry is within [-1/B, 1/B].
            prop_assert!(g.as_slice().iter().all(|d| d.abs() <= 0.5 + 1e-12), "{g:?}");
            // The fused pass gives the value alone bit for bit, and the
            // gradient alone.
            prop_assert_eq!(value, SoftmaxCrossEntropy.value(&x, &t));
            prop_assert_eq!(g, gradient(&x, &t));
        }
    }
}
