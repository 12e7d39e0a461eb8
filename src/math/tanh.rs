//! `tanh x` for `f32` and `f64`, on the crate's own `exp`.
//!
//! For `|x| ≥ 0.55`, `tanh |x| = (1 - e) / (1 + e)` with `e = e^(-2|x|) ≤ 1/3`:
//! no overflow for any `x` (`e` goes to 0 and the quotient to exactly 1), and
//! `1 - e` loses little to cancellation. Below 0.55 that cancellation would
//! cost bits, so `tanh x = x + x³ T(x²)` there, `T` a near-minimax polynomial
//! for `(tanh x - x) / x³` on `[0, 0.55]`. Both are computed and one selected,
//! so a loop over a row vectorizes. The sign is copied from `x`: `tanh` is
//! odd, `tanh(-0) = -0`, `tanh(±inf) = ±1`, and a NaN input is returned as it
//! is, bits included.

use super::exp::{exp_f32_lanes, exp_f64_lanes};
use super::lanes::{each, each2};

/// `tanh x` for `f32`.
#[inline(always)]
pub(crate) fn tanh_f32(x: f32) -> f32 {
    let [y] = tanh_f32_lanes([x]);
    y
}

/// [`tanh_f32`] of `N` values at once, a step at a time over all of them
/// (see [`lanes`](crate::math::lanes)). The same bits as `tanh_f32` on each.
#[inline(always)]
pub(crate) fn tanh_f32_lanes<const N: usize>(x: [f32; N]) -> [f32; N] {
    // (tanh x - x) / x³ in x², lowest degree first.
    const T: [f32; 6] = [
        -0.333_333_34,
        0.133_333_24,
        -0.053_964_7,
        0.021_818_45,
        -0.008_526_333,
        0.002_526_390_6,
    ];
    const SIGN: u32 = 0x8000_0000;

    let a = each(x, |x| f32::from_bits(x.to_bits() & !SIGN));
    let e = exp_f32_lanes(each(a, |a| -2.0 * a));
    let large = each(e, |e| (1.0 - e) / (1.0 + e));
    let w = each(a, |a| a * a);
    // t = T0 + w(T1 + w(T2 + w(T3 + w(T4 + w T5)))), innermost first.
    let mut t = each(w, |w| T[4] + w * T[5]);
    for &c in T[..4].iter().rev() {
        t = each2(w, t, |w, t| c + w * t);
    }
    let small = each2(a, each2(w, t, |w, t| w * t), |a, wt| a + a * wt);
    let magnitude = each2(
        a,
        each2(small, large, |s, l| (s, l)),
        |a, (small, large)| {
            if a < 0.55 { small } else { large }
        },
    );
    each2(x, magnitude, |x, magnitude| {
        let y = f32::from_bits(magnitude.to_bits() | (x.to_bits() & SIGN));
        if x.is_nan() { x } else { y }
    })
}

/// `tanh x` for `f64`.
#[inline(always)]
pub(crate) fn tanh_f64(x: f64) -> f64 {
    let [y] = tanh_f64_lanes([x]);
    y
}

/// [`tanh_f64`] of `N` values at once, as [`tanh_f32_lanes`].
#[inline(always)]
pub(crate) fn tanh_f64_lanes<const N: usize>(x: [f64; N]) -> [f64; N] {
    // (tanh x - x) / x³ in x², lowest degree first.
    const T: [f64; 11] = [
        -0.333_333_333_333_333_3,
        0.133_333_333_333_327_14,
        -0.053_968_253_967_434_016,
        0.021_869_488_493_666_944,
        -0.008_863_234_397_814_355,
        0.003_592_110_378_689_024,
        -0.001_455_661_830_100_716,
        0.000_588_936_052_007_405_7,
        -0.000_234_634_741_088_723_7,
        8.511_313_685_577_672e-5,
        -2.060_276_537_636_634e-5,
    ];
    const SIGN: u64 = 0x8000_0000_0000_0000;

    let a = each(x, |x| f64::from_bits(x.to_bits() & !SIGN));
    let e = exp_f64_lanes(each(a, |a| -2.0 * a));
    let large = each(e, |e| (1.0 - e) / (1.0 + e));
    let w = each(a, |a| a * a);
    // t = T0 + w(T1 + w(… + w(T9 + w T10))), innermost first.
    let mut t = each(w, |w| T[9] + w * T[10]);
    for &c in T[..9].iter().rev() {
        t = each2(w, t, |w, t| c + w * t);
    }
    let small = each2(a, each2(w, t, |w, t| w * t), |a, wt| a + a * wt);
    let magnitude = each2(
        a,
        each2(small, large, |s, l| (s, l)),
        |a, (small, large)| {
            if a < 0.55 { small } else { large }
        },
    );
    each2(x, magnitude, |x, magnitude| {
        let y = f64::from_bits(magnitude.to_bits() | (x.to_bits() & SIGN));
        if x.is_nan() { x } else { y }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::ulp::{f32_error, f64_steps};
    use num_traits::Float;

    #[test]
    fn odd_with_exact_limits() {
        assert_eq!(tanh_f32(0.0).to_bits(), 0.0_f32.to_bits());
        assert_eq!(tanh_f32(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(tanh_f64(-0.0).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(tanh_f32(f32::INFINITY), 1.0);
        assert_eq!(tanh_f32(f32::NEG_INFINITY), -1.0);
        assert_eq!(tanh_f64(f64::INFINITY), 1.0);
        assert_eq!(tanh_f64(f64::NEG_INFINITY), -1.0);
        // Exactly ±1 from |x| = 8.66434 (f32) and 18.714973875118524 (f64).
        assert_eq!(tanh_f32(8.664_34), 1.0);
        assert!(tanh_f32(8.664_339) < 1.0);
        assert_eq!(tanh_f64(18.714_973_875_118_524), 1.0);
        assert!(tanh_f64(18.714_973_875_118_52) < 1.0);
        for x in [0.1_f32, 0.549, 0.55, 1.0, 3.0, 20.0] {
            assert_eq!(tanh_f32(-x), -tanh_f32(x));
            assert_eq!(tanh_f64(f64::from(-x)), -tanh_f64(f64::from(x)));
        }
        // Tiny inputs, subnormals included: tanh x = x.
        for x in [1e-20_f32, f32::MIN_POSITIVE, f32::from_bits(1)] {
            assert_eq!(tanh_f32(x), x);
        }
        assert_eq!(tanh_f64(1e-300), 1e-300);
    }

    #[test]
    fn nan_comes_back_unchanged() {
        for bits in [0x7fc0_0000, 0xffc0_0000, 0x7fd2_3456] {
            assert_eq!(tanh_f32(f32::from_bits(bits)).to_bits(), bits);
        }
        let nan = f64::from_bits(0xfff8_0000_0000_0001);
        assert_eq!(tanh_f64(nan).to_bits(), nan.to_bits());
    }

    #[test]
    fn f32_within_2_ulp() {
        // Every 65537th bit pattern; over all 2^32 the largest error is 1.51
        // ulp, at 1.2585837, on the (1 - e) / (1 + e) side.
        let mut worst = (0.0, 0.0_f32);
        for i in 0..=u32::MAX / 65_537 {
            let x = f32::from_bits(i * 65_537);
            let error = f32_error(tanh_f32(x), Float::tanh(f64::from(x)));
            if error > worst.0 {
                worst = (error, x);
            }
        }
        assert!(worst.0 <= 2.0, "{} ulp at {:e}", worst.0, worst.1);
        // Both sides of the switch to the polynomial.
        for x in [0.549_999_9_f32, 0.55, 0.550_000_1] {
            assert!(f32_error(tanh_f32(x), Float::tanh(f64::from(x))) <= 1.0);
        }
    }

    #[test]
    fn f64_within_3_steps_of_the_reference() {
        // Measured over 10^8 random inputs against the platform's tanh: at
        // most 3 steps apart (1 - e and 1 + e each round, then the quotient).
        let mut x = -20.0;
        while x <= 20.0 {
            let (got, want) = (tanh_f64(x), Float::tanh(x));
            assert!(
                f64_steps(got, want) <= 3,
                "tanh({x:e}) = {got:e}, not {want:e}"
            );
            x += 0.000_123_456_7;
        }
    }
}
