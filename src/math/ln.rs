//! `ln x` for `f32` and `f64`, in plain arithmetic and bit operations.
//!
//! The method, the same for both types:
//!
//! 1. A subnormal `x` is first multiplied by `2^p` (`p` the mantissa width:
//!    exact, and the product is normal), `p` taken back from the exponent.
//! 2. Split `x = 2^k · m` with `m` in `[√½, √2)`: adding the bits of `1 - √½`
//!    to `x`'s bits carries into the exponent exactly when `m ≥ √2`, so `k` is
//!    read from the exponent field and `m` rebuilt from the mantissa bits.
//! 3. With `f = m - 1` (exact) and `s = f / (2 + f)`, `ln m = 2 atanh s
//!    = 2s + s R(s²)`, and since `2s = f - s f` and `s f = (f²/2)(1 - s)`,
//!    `ln m = f - f²/2 + s (f²/2 + R)`: the large terms `f` and `f²/2` are
//!    exact or nearly, and the rounding of `s` only touches the small
//!    correction. `R(z) = z P(z)`, `P` a near-minimax polynomial for
//!    `2 (atanh √z / √z - 1) / z` on `z ≤ 0.02944` (`|s| ≤ 3 - 2√2`), its
//!    error below 2^-35 (`f32`) and 2^-64 (`f64`) relative to `ln m`.
//! 4. `ln x = k LN2_HI + (ln m + k LN2_LO)`, `k LN2_HI` exact.
//!
//! Every step is arithmetic or a select, so a loop over a row vectorizes; no
//! `mul_add`, so the bits do not depend on the target. The edges: `ln 0 =
//! -inf` (either sign of zero), `ln x = NaN` for `x < 0` (and `-inf`),
//! `ln inf = inf`, and a NaN input is returned as it is, bits included.

/// `ln x` for `f32`: within 1 ulp of the exact value for every positive
/// finite input, subnormals included (largest error 0.835 ulp, at
/// `x = 1.4054595`; checked over all of them by `tests/exp_exhaustive.rs`).
#[inline]
pub(crate) fn ln_f32(x: f32) -> f32 {
    // ln 2 to 15 significant bits, so k · LN2_HI is exact for |k| < 2^9.
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // √½ rounded to f32.
    const SQRT_HALF_BITS: u32 = 0x3f35_04f3;
    // 2 (atanh √z / √z - 1) / z, lowest degree first.
    const P: [f32; 4] = [0.666_666_7, 0.400_001_23, 0.285_508_16, 0.233_305_74];

    let subnormal = x < f32::MIN_POSITIVE;
    let scaled = if subnormal { x * 8_388_608.0 } else { x }; // 2^23
    let shifted = scaled
        .to_bits()
        .wrapping_add(1.0_f32.to_bits() - SQRT_HALF_BITS);
    let m = f32::from_bits((shifted & 0x007f_ffff) + SQRT_HALF_BITS);
    // At most 511 (the sign bit of a negative x): exact as an i32 and an f32.
    let biased_exponent = (shifted >> 23) as i32 as f32;
    let k = biased_exponent - if subnormal { 150.0 } else { 127.0 };

    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let r = z * (P[0] + z * (P[1] + z * (P[2] + z * P[3])));
    let half_f_squared = 0.5 * f * f;
    let y = k * LN2_HI - ((half_f_squared - (s * (half_f_squared + r) + k * LN2_LO)) - f);

    let y = if x == f32::INFINITY { x } else { y };
    let y = if x == 0.0 { f32::NEG_INFINITY } else { y };
    let y = if x < 0.0 { f32::NAN } else { y };
    if x.is_nan() { x } else { y }
}

/// `ln x` for `f64`: within 1 ulp of the exact value by the sum of its
/// roundings, and within one step of the platform's `ln` where tested,
/// subnormal inputs included.
#[inline]
pub(crate) fn ln_f64(x: f64) -> f64 {
    // ln 2 to 32 significant bits, so k · LN2_HI is exact for |k| < 2^21.
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // √½ rounded to f64.
    const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_667f_3bcd;
    // 2^52: `TWO_52 + e` holds a small integer `e` in its low mantissa bits.
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    // 2 (atanh √z / √z - 1) / z, lowest degree first.
    const P: [f64; 8] = [
        0.666_666_666_666_666_6,
        0.400_000_000_000_008_8,
        0.285_714_285_708_032_53,
        0.222_222_223_917_947_27,
        0.181_817_956_314_982_43,
        0.153_862_401_724_478_38,
        0.132_687_605_620_367_24,
        0.130_867_576_669_520_7,
    ];

    let subnormal = x < f64::MIN_POSITIVE;
    let scaled = if subnormal { x * TWO_52 } else { x };
    let shifted = scaled
        .to_bits()
        .wrapping_add(1.0_f64.to_bits() - SQRT_HALF_BITS);
    let m = f64::from_bits((shifted & 0x000f_ffff_ffff_ffff) + SQRT_HALF_BITS);
    // The exponent field (and sign bit) as a float, without an integer
    // conversion (SSE2 and AVX2 have none for 64-bit integers).
    let biased_exponent = f64::from_bits(TWO_52.to_bits() | (shifted >> 52)) - TWO_52;
    let k = biased_exponent - if subnormal { 1075.0 } else { 1023.0 };

    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let r = z
        * (P[0]
            + z * (P[1]
                + z * (P[2] + z * (P[3] + z * (P[4] + z * (P[5] + z * (P[6] + z * P[7])))))));
    let half_f_squared = 0.5 * f * f;
    let y = k * LN2_HI - ((half_f_squared - (s * (half_f_squared + r) + k * LN2_LO)) - f);

    let y = if x == f64::INFINITY { x } else { y };
    let y = if x == 0.0 { f64::NEG_INFINITY } else { y };
    let y = if x < 0.0 { f64::NAN } else { y };
    if x.is_nan() { x } else { y }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::ulp::{f32_error, f64_steps};
    use num_traits::Float;

    #[test]
    fn exact_and_special_values() {
        assert_eq!(ln_f32(1.0), 0.0);
        assert_eq!(ln_f64(1.0), 0.0);
        assert_eq!(ln_f32(2.0), core::f32::consts::LN_2);
        assert_eq!(ln_f64(2.0), core::f64::consts::LN_2);
        assert_eq!(ln_f32(core::f32::consts::E), 1.0);
        assert_eq!(ln_f64(10.0), core::f64::consts::LN_10);
        for zero in [0.0_f32, -0.0] {
            assert_eq!(ln_f32(zero), f32::NEG_INFINITY);
            assert_eq!(ln_f64(f64::from(zero)), f64::NEG_INFINITY);
        }
        assert_eq!(ln_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(ln_f64(f64::INFINITY), f64::INFINITY);
        for negative in [
            -1.0,
            -f32::MIN_POSITIVE,
            -f32::from_bits(1),
            f32::NEG_INFINITY,
        ] {
            assert!(ln_f32(negative).is_nan());
            assert!(ln_f64(f64::from(negative)).is_nan());
        }
        // The extremes of the range: ln f32::MAX = 88.72284, ln 2^-149 = -103.27893.
        assert_eq!(ln_f32(f32::MAX), 88.722_84);
        assert_eq!(ln_f32(f32::from_bits(1)), -103.278_93);
        assert_eq!(ln_f64(f64::from_bits(1)), -744.440_071_921_381_2);
        assert_eq!(ln_f64(f64::MAX), 709.782_712_893_384);
    }

    #[test]
    fn nan_comes_back_unchanged() {
        for bits in [0x7fc0_0000, 0xffc0_0000, 0x7fd2_3456] {
            assert_eq!(ln_f32(f32::from_bits(bits)).to_bits(), bits);
        }
        for bits in [0x7ff8_0000_0000_0000, 0xfff8_0000_0000_0001] {
            assert_eq!(ln_f64(f64::from_bits(bits)).to_bits(), bits);
        }
    }

    #[test]
    fn subnormal_inputs() {
        // ln(2^-140) = -140 ln 2, and the largest subnormal just below 2^-126.
        assert_eq!(ln_f32(f32::from_bits(1 << 9)), -97.040_6);
        let largest = f32::from_bits(0x007f_ffff);
        assert!(f32_error(ln_f32(largest), Float::ln(f64::from(largest))) < 1.0);
        assert_eq!(ln_f64(f64::from_bits(1 << 20)), -730.577_128_310_182_4); // ln 2^-1054
    }

    #[test]
    fn f32_within_1_ulp_on_a_sample_of_every_binade() {
        // Every 32771st positive finite bit pattern (the exhaustive sweep is
        // tests/exp_exhaustive.rs).
        let mut worst = (0.0, 0.0_f32);
        for i in 1..0x7f80_0000 / 32_771 {
            let x = f32::from_bits(i * 32_771);
            let error = f32_error(ln_f32(x), Float::ln(f64::from(x)));
            if error > worst.0 {
                worst = (error, x);
            }
        }
        assert!(worst.0 < 1.0, "{} ulp at {:e}", worst.0, worst.1);
    }

    #[test]
    fn f64_within_one_step_of_the_reference() {
        // Every 2^43 + 12345th bit pattern of the positive floats (about 2^20
        // inputs spread over every binade, subnormals included), and the
        // neighbourhood of 1 where ln is smallest.
        let mut bits = 1_u64;
        while bits < f64::INFINITY.to_bits() {
            let x = f64::from_bits(bits);
            assert!(f64_steps(ln_f64(x), Float::ln(x)) <= 1, "ln({x:e})");
            bits += (1 << 43) + 12_345;
        }
        let mut x = 0.9_f64;
        while x < 1.1 {
            assert!(f64_steps(ln_f64(x), Float::ln(x)) <= 1, "ln({x:e})");
            x += 1.234_567e-6;
        }
    }
}
