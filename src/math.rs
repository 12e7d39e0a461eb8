//! The numerical kernels shared by layers and losses. All transcendental
//! functions come from [`num_traits::Float`] (backed by `libm`), nowhere else.

use crate::Scalar;

/// The logistic function `1 / (1 + e^-x)`, written so that `exp` never
/// overflows: for negative `x` it uses `e^x / (1 + e^x)`.
#[inline]
pub(crate) fn sigmoid<T: Scalar>(x: T) -> T {
    if x >= T::zero() {
        T::one() / (T::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}

/// The largest element of a row; `-inf` for an empty row.
#[inline]
pub(crate) fn max<T: Scalar>(row: &[T]) -> T {
    row.iter().fold(T::neg_infinity(), |m, &x| m.max(x))
}

/// The row's maximum `m` and `Σ e^(x - m)`: the pieces of a stable softmax
/// (`e^(x_i - m) / Σ`) and log-sum-exp (`ln Σ e^x = m + ln Σ e^(x - m)`).
/// Every `exp` is at most 1 and the sum at least 1, so nothing overflows.
#[inline]
pub(crate) fn shifted_exp_sum<T: Scalar>(row: &[T]) -> (T, T) {
    let m = max(row);
    let sum = row.iter().fold(T::zero(), |s, &x| s + (x - m).exp());
    (m, sum)
}

/// `ln Σ e^x`, without overflow (the log-sum-exp trick).
#[cfg(test)]
pub(crate) fn log_sum_exp<T: Scalar>(row: &[T]) -> T {
    let (m, sum) = shifted_exp_sum(row);
    m + sum.ln()
}

/// Writes the softmax of `row` into `out`, subtracting the maximum first so
/// that every `exp` is at most 1 and the sum is at least 1.
#[inline]
pub(crate) fn softmax<T: Scalar>(row: &[T], out: &mut [T]) {
    let m = max(row);
    let mut sum = T::zero();
    for (o, &x) in out.iter_mut().zip(row) {
        *o = (x - m).exp();
        sum = sum + *o;
    }
    for o in out.iter_mut() {
        *o = *o / sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_stable_at_the_extremes() {
        assert_eq!(sigmoid(0.0_f64), 0.5);
        assert_eq!(sigmoid(1e4_f32), 1.0);
        assert_eq!(sigmoid(-1e4_f32), 0.0);
        assert!((sigmoid(-2.0_f64) - 1.0 / (1.0 + 2.0_f64.exp())).abs() < 1e-16);
    }

    #[test]
    fn log_sum_exp_of_huge_logits() {
        let lse = log_sum_exp(&[1e4_f32, 1e4, -1e4]);
        assert!((lse - (1e4 + 2.0_f32.ln())).abs() < 1e-3);
        assert!((log_sum_exp(&[0.0_f64, 0.0]) - 2.0_f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn softmax_of_huge_logits_is_finite() {
        let mut out = [0.0_f32; 3];
        softmax(&[1e4, -1e4, 1e4], &mut out);
        assert_eq!(out, [0.5, 0.0, 0.5]);
    }
}
