//! The numerical kernels shared by layers and losses, and the only place that
//! knows where `exp`, `ln` and `tanh` come from: the crate's own
//! implementations in [`exp`](mod@exp), [`ln`](mod@ln) and [`tanh`](mod@tanh),
//! reached through [`Scalar`] so that generic code stays generic.
//!
//! Every kernel is branch-free (selects, not jumps) so that a loop applying it
//! over a row vectorizes, and uses no `mul_add`, so the bits are the same with
//! and without FMA, on x86 as on a Cortex-M. The element-wise kernels are
//! `#[inline(always)]`: left to itself, LLVM called `sigmoid` once per
//! value from XOR's training step (two thirds of the step's time), and a
//! call in a loop keeps the loop from vectorizing.

mod exp;
pub(crate) mod lanes;
mod ln;
mod tanh;
#[cfg(test)]
mod ulp;

pub(crate) use exp::{exp_f32, exp_f32_lanes, exp_f64, exp_f64_lanes};
pub(crate) use ln::{ln_f32, ln_f64};
pub(crate) use tanh::{tanh_f32, tanh_f32_lanes, tanh_f64, tanh_f64_lanes};

use lanes::{each, each2};

use crate::Scalar;
use crate::scalar::cast;

/// `ln x`: the crate's own, within 2 ulp, the same bits on every target
/// ([`Scalar::portable_ln`]).
#[inline]
pub(crate) fn ln<T: Scalar>(x: T) -> T {
    x.portable_ln()
}

/// `tanh x` on the crate's own `exp` ([`Scalar::portable_tanh`]).
///
/// `tanh(±inf) = ±1`, `tanh(-0) = -0`, a NaN comes back unchanged.
#[inline(always)]
pub(crate) fn tanh<T: Scalar>(x: T) -> T {
    x.portable_tanh()
}

/// Whether float arithmetic is a library call (a Cortex-M without an FPU):
/// then some steps are done on the bits instead, with the same results.
pub(crate) const SOFT_FLOAT: bool = cfg!(all(target_arch = "arm", not(target_abi = "eabihf")));

/// `t₀ + t₁ + …` in that order, from the first term (`+0` for no terms):
/// the sum every product, gradient entry and dot product of the crate takes.
/// Starting from the first term rather than from `0 + t₀` saves an
/// addition per sum (a library call of some 70 instructions on a core
/// without an FPU) and differs only in the sign of a sum of negative zeros,
/// which is `-0`, as in IEEE 754's own additive identity.
#[inline(always)]
pub(crate) fn sum_in_order<T: Scalar>(mut terms: impl Iterator<Item = T>) -> T {
    let first = terms.next().unwrap_or(T::zero());
    terms.fold(first, |sum, term| sum + term)
}

/// The logistic function `1 / (1 + e^-x)`, written so that `exp` never
/// overflows: `e = e^-|x| ≤ 1`, and the result is `1 / (1 + e)` for `x ≥ 0`
/// and `e / (1 + e)` below (not `1 - σ(-x)`, which would cancel to 0 long
/// before the true value underflows).
///
/// `σ(inf) = 1`, `σ(-inf) = 0`, `σ(-0) = 0.5`, and a NaN comes back unchanged
/// (so a NaN upstream is never turned into a number here).
#[inline(always)]
pub(crate) fn sigmoid<T: Scalar>(x: T) -> T {
    let [y] = sigmoid_lanes([x]);
    y
}

/// [`sigmoid`] of `N` values at once, a step at a time over all of them
/// (see [`lanes`]): the same bits as `sigmoid` on each.
#[inline(always)]
pub(crate) fn sigmoid_lanes<T: Scalar, const N: usize>(x: [T; N]) -> [T; N] {
    // The sign bit rather than `x < 0`: the same results (σ(-0) is 0.5
    // either way), and no float comparison, a library call on a core
    // without an FPU.
    let e = exp_of_non_positive(each(x, |x| if x.is_sign_negative() { x } else { -x }));
    each2(x, e, |x, e| {
        let numerator = if x.is_sign_negative() { e } else { T::one() };
        let y = numerator / (T::one() + e);
        if x.is_nan() { x } else { y }
    })
}

/// `e^x` for `x` never above 0, by the `f32` variant that leaves out the
/// upper clamp and the NaN select (for a NaN `x` the result is any value:
/// [`sigmoid_lanes`] puts the NaN back itself); other types by
/// [`Scalar::portable_exp_lanes`]. The downcasts are decided at compile
/// time.
#[inline(always)]
fn exp_of_non_positive<T: Scalar, const N: usize>(x: [T; N]) -> [T; N] {
    if let Some(x) = cast::<[T; N], [f32; N]>(&x)
        && let Some(y) = cast::<[f32; N], [T; N]>(&exp::exp_f32_of_non_positive_lanes(x))
    {
        return y;
    }
    T::portable_exp_lanes(x)
}

/// Replaces every value of `values` by its [`sigmoid`], [`lanes::BLOCK`]
/// at a time where that pays.
#[cfg_attr(not(target_os = "none"), inline(always))]
#[cfg_attr(target_os = "none", inline)]
pub(crate) fn sigmoid_all<T: Scalar>(values: &mut [T]) {
    struct Sigmoid;
    impl<T: Scalar> lanes::Lanewise<T> for Sigmoid {
        #[inline(always)]
        fn lanes<const N: usize>(x: [T; N]) -> [T; N] {
            sigmoid_lanes(x)
        }
    }
    lanes::in_blocks::<T, Sigmoid>(values);
}

/// Replaces every value of `values` by `e` to its power
/// ([`Scalar::portable_exp`]), [`lanes::BLOCK`] at a
/// time where that pays.
#[inline]
pub(crate) fn exp_all<T: Scalar>(values: &mut [T]) {
    struct Exp;
    impl<T: Scalar> lanes::Lanewise<T> for Exp {
        #[inline(always)]
        fn lanes<const N: usize>(x: [T; N]) -> [T; N] {
            T::portable_exp_lanes(x)
        }
    }
    lanes::in_blocks::<T, Exp>(values);
}

/// Replaces every value of `values` by its [`tanh`], [`lanes::BLOCK`] at a
/// time where that pays.
#[inline]
pub(crate) fn tanh_all<T: Scalar>(values: &mut [T]) {
    struct Tanh;
    impl<T: Scalar> lanes::Lanewise<T> for Tanh {
        #[inline(always)]
        fn lanes<const N: usize>(x: [T; N]) -> [T; N] {
            T::portable_tanh_lanes(x)
        }
    }
    lanes::in_blocks::<T, Tanh>(values);
}

/// The largest element of a row; `-inf` for an empty row. NaNs are skipped
/// (they reach the result through the `exp` that follows).
#[inline]
pub(crate) fn max<T: Scalar>(row: &[T]) -> T {
    row.iter().fold(T::neg_infinity(), |m, &x| m.max(x))
}

/// The row's maximum `m` and `Σ e^(x - m)`: the pieces of a stable softmax
/// (`e^(x_i - m) / Σ`) and log-sum-exp (`ln Σ e^x = m + ln Σ e^(x - m)`).
/// Every `exp` is at most 1 and the sum at least 1, so nothing overflows.
///
/// The sum is NaN when an element is NaN or `+inf` (`inf - inf`), and when
/// every element is `-inf`; a `-inf` beside a finite maximum adds 0.
#[inline]
pub(crate) fn shifted_exp_sum<T: Scalar>(row: &[T]) -> (T, T) {
    let m = max(row);
    let mut sum = T::zero();
    // One block of `exp`s at a time, into a buffer, so that they are
    // computed together while the sum keeps its left-to-right order.
    let mut buffer = [T::zero(); lanes::BLOCK];
    for chunk in row.chunks(lanes::BLOCK) {
        let exps = &mut buffer[..chunk.len()];
        for (e, &x) in exps.iter_mut().zip(chunk) {
            *e = x - m;
        }
        exp_all(exps);
        for &e in exps.iter() {
            sum = sum + e;
        }
    }
    (m, sum)
}

/// `ln Σ e^x`, without overflow (the log-sum-exp trick).
#[cfg(test)]
pub(crate) fn log_sum_exp<T: Scalar>(row: &[T]) -> T {
    let (m, sum) = shifted_exp_sum(row);
    m + ln(sum)
}

/// Writes `e^(x_i - m)` into `out` and returns the row's maximum `m` and
/// `Σ e^(x - m)`: [`shifted_exp_sum`] that keeps its exponentials, the same
/// `m` and the same sum bit for bit.
#[inline]
pub(crate) fn shifted_exps<T: Scalar>(row: &[T], out: &mut [T]) -> (T, T) {
    let m = max(row);
    for (o, &x) in out.iter_mut().zip(row) {
        *o = x - m;
    }
    exp_all(out);
    let sum = out.iter().fold(T::zero(), |s, &e| s + e);
    (m, sum)
}

/// Writes the softmax of `row` into `out`, subtracting the maximum first so
/// that every `exp` is at most 1 and the sum is at least 1.
///
/// A NaN or `+inf` in the row makes the whole row of `out` NaN, and so does a
/// row of only `-inf`s; a `-inf` beside a finite maximum gets probability 0.
#[inline]
pub(crate) fn softmax<T: Scalar>(row: &[T], out: &mut [T]) {
    let (_, sum) = shifted_exps(row, out);
    for o in out.iter_mut() {
        *o = *o / sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::ulp::f32_error;
    use num_traits::Float;

    #[test]
    fn sigmoid_values_and_limits() {
        assert_eq!(sigmoid(0.0_f64), 0.5);
        assert_eq!(sigmoid(-0.0_f32), 0.5);
        assert_eq!(sigmoid(1.0_f64), 0.731_058_578_630_004_9);
        assert_eq!(sigmoid(-1.0_f64), 0.268_941_421_369_995_1);
        assert_eq!(sigmoid(f32::INFINITY), 1.0);
        assert_eq!(sigmoid(f32::NEG_INFINITY), 0.0);
        assert_eq!(sigmoid(f64::INFINITY), 1.0);
        assert_eq!(sigmoid(f64::NEG_INFINITY), 0.0);
        // Exactly 1 from x = 16.635532 (f32); below 0 it follows e^x into
        // the subnormals and reaches 0 with it, at x = -103.972084.
        assert_eq!(sigmoid(16.635_532_f32), 1.0);
        assert!(sigmoid(16.635_53_f32) < 1.0);
        assert_eq!(sigmoid(-100.0_f32), f32::from_bits(27)); // e^-100
        assert_eq!(sigmoid(-103.972_08_f32), f32::from_bits(1));
        assert_eq!(sigmoid(-103.972_084_f32), 0.0);
        assert_eq!(sigmoid(1e4_f32), 1.0);
        assert_eq!(sigmoid(-1e4_f32), 0.0);
    }

    #[test]
    fn sigmoid_of_nan_is_that_nan() {
        for bits in [0x7fc0_0000, 0xffc0_0000, 0x7fd2_3456] {
            assert_eq!(sigmoid(f32::from_bits(bits)).to_bits(), bits);
        }
        assert!(sigmoid(f64::NAN).is_nan());
    }

    #[test]
    fn sigmoid_f32_within_2_5_ulp() {
        // Over all 2^32 inputs the largest error is 2.40 ulp, at -4.157294:
        // e^x's error, then the sum and the quotient each round.
        let mut worst = (0.0, 0.0_f32);
        for i in 0..=u32::MAX / 65_537 {
            let x = f32::from_bits(i * 65_537);
            let want = 1.0 / (1.0 + Float::exp(-f64::from(x)));
            let error = f32_error(sigmoid(x), want);
            if error > worst.0 {
                worst = (error, x);
            }
        }
        assert!(worst.0 <= 2.5, "{} ulp at {:e}", worst.0, worst.1);
    }

    #[test]
    fn tanh_dispatches_to_the_type() {
        assert_eq!(tanh(0.5_f32), tanh_f32(0.5));
        assert_eq!(tanh(0.5_f64), tanh_f64(0.5));
        assert_eq!(tanh(f32::NEG_INFINITY), -1.0);
        assert!(tanh(f64::NAN).is_nan());
        assert_eq!(Scalar::portable_exp(1.5_f64), exp_f64(1.5));
        assert_eq!(ln(1.5_f32), ln_f32(1.5));
    }

    #[test]
    fn log_sum_exp_of_huge_logits() {
        let lse = log_sum_exp(&[1e4_f32, 1e4, -1e4]);
        assert_eq!(lse, 1e4 + 2.0_f32.ln());
        assert_eq!(log_sum_exp(&[0.0_f64, 0.0]), core::f64::consts::LN_2);
        assert_eq!(log_sum_exp(&[f64::NEG_INFINITY, 0.0]), 0.0);
    }

    #[test]
    fn shifted_exp_sum_over_several_chunks() {
        // 40 logits: two full chunks and a partial one, summed in order.
        let row: [f64; 40] = core::array::from_fn(|i| i as f64 / 8.0);
        let (m, sum) = shifted_exp_sum(&row);
        assert_eq!(m, 39.0 / 8.0);
        let want = row.iter().fold(0.0, |s, &x| s + (x - m).portable_exp());
        assert_eq!(sum, want);
        // Σ e^((i - 39)/8) for i = 0..40: a geometric series.
        let q = Float::exp(0.125_f64);
        let closed = (1.0 - Float::powi(q, -40)) / (1.0 - 1.0 / q);
        assert!((sum - closed).abs() < 1e-14, "{sum} vs {closed}");
    }

    #[test]
    fn softmax_of_huge_logits_is_finite() {
        let mut out = [0.0_f32; 3];
        softmax(&[1e4, -1e4, 1e4], &mut out);
        assert_eq!(out, [0.5, 0.0, 0.5]);
    }

    #[test]
    fn softmax_non_finite_logits() {
        let mut out = [0.0_f64; 3];
        // -inf beside a finite maximum: probability 0, the others as without it.
        softmax(&[f64::NEG_INFINITY, 0.0, 0.0], &mut out);
        assert_eq!(out, [0.0, 0.5, 0.5]);
        // NaN or +inf anywhere, or nothing but -inf: the whole row is NaN.
        for row in [
            [f64::NAN, 0.0, 1.0],
            [f64::INFINITY, 0.0, 1.0],
            [f64::INFINITY, f64::INFINITY, 1.0],
            [f64::NEG_INFINITY; 3],
        ] {
            softmax(&row, &mut out);
            assert!(out.iter().all(|p| p.is_nan()), "{row:?}: {out:?}");
        }
        let (_, sum) = shifted_exp_sum(&[0.0, f64::NAN]);
        assert!(sum.is_nan());
    }

    #[test]
    fn softmax_sums_to_one() {
        let mut out = [0.0_f32; 4];
        softmax(&[0.5, -1.25, 3.0, 0.0], &mut out);
        let e = [0.5_f64, -1.25, 3.0, 0.0].map(|x| Float::exp(x - 3.0));
        let total: f64 = e.iter().sum();
        for (p, e) in out.iter().zip(e) {
            assert!(f32_error(*p, e / total) <= 3.0, "{out:?}");
        }
    }
}
