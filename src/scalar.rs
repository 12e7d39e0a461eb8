//! The element types a [`Matrix`](crate::Matrix) can hold.

use core::fmt::{Debug, Display};
use num_traits::Float;

use crate::math;

/// A floating-point element type: `f32` or `f64`.
///
/// Every function in the crate is generic over `Scalar`. Its transcendental
/// functions, `e^x`, `ln x` and `tanh x`, are the crate's own
/// ([`portable_exp`](Scalar::portable_exp),
/// [`portable_ln`](Scalar::portable_ln),
/// [`portable_tanh`](Scalar::portable_tanh)): additions, multiplications,
/// divisions and bit operations, no fused multiply-add and no platform
/// library, so the same network computes the same bits on a laptop (with or
/// without FMA) and on a microcontroller. The rest (`sqrt`, `abs`, `max`,
/// ...) comes from [`num_traits::Float`], and is exact or exactly rounded
/// everywhere.
///
/// ```
/// use constnet::Scalar;
/// assert_eq!(f32::from_f64(0.5), 0.5_f32);
/// assert_eq!(<f64 as Scalar>::NAME, "f64");
/// assert_eq!(0.0_f32.portable_exp(), 1.0);
/// ```
pub trait Scalar: Float + Default + Debug + Display + Send + Sync + 'static {
    /// The type's name as Rust spells it (`"f32"`).
    const NAME: &'static str;

    /// Converts from `f64`, rounding to nearest as `as` does.
    fn from_f64(value: f64) -> Self;

    /// Converts to `f64` (exact for `f32` and `f64`).
    fn to_f64(self) -> f64;

    /// `e^self`, the same bits on every target.
    ///
    /// Within 2 ulp of the exact value: for `f32` checked over every one of
    /// the 2^32 inputs (the largest error is below 1 ulp), for `f64` against
    /// the platform's `exp` over millions of inputs. Results too large for
    /// the type are `+inf`, results below half the smallest subnormal are
    /// `0`, and subnormal results are rounded, not flushed to zero.
    /// `e^-inf = 0`, `e^inf = inf`, and a NaN comes back unchanged.
    ///
    /// ```
    /// use constnet::Scalar;
    ///
    /// assert_eq!(0.0_f64.portable_exp(), 1.0);
    /// assert!((1.0_f64.portable_exp() / core::f64::consts::E - 1.0).abs() <= f64::EPSILON);
    /// assert_eq!(89.0_f32.portable_exp(), f32::INFINITY);
    /// assert_eq!((-104.0_f32).portable_exp(), 0.0);
    /// assert_eq!((-100.0_f32).portable_exp(), 3.720_076e-44); // subnormal
    /// assert_eq!(f32::NEG_INFINITY.portable_exp(), 0.0);
    /// assert!(f32::NAN.portable_exp().is_nan());
    /// ```
    fn portable_exp(self) -> Self;

    /// `ln self`, the same bits on every target.
    ///
    /// Within 2 ulp of the exact value for every positive finite input,
    /// subnormals included (for `f32` checked over all of them; the largest
    /// error is below 1 ulp). `ln 0 = -inf` (either sign of zero), the
    /// logarithm of a negative number is NaN, `ln inf = inf`, and a NaN comes
    /// back unchanged.
    ///
    /// ```
    /// use constnet::Scalar;
    ///
    /// assert_eq!(1.0_f32.portable_ln(), 0.0);
    /// assert!((2.0_f64.portable_ln() - core::f64::consts::LN_2).abs() <= f64::EPSILON / 2.0);
    /// assert_eq!(0.0_f32.portable_ln(), f32::NEG_INFINITY);
    /// assert!((-1.0_f32).portable_ln().is_nan());
    /// assert_eq!(f64::INFINITY.portable_ln(), f64::INFINITY);
    /// ```
    fn portable_ln(self) -> Self;

    /// `tanh self`, on [`portable_exp`](Scalar::portable_exp), the same bits
    /// on every target.
    ///
    /// Within 2 ulp for `f32` (largest error 1.51 ulp over all inputs) and
    /// within 3 steps of the platform's `tanh` for `f64`. Odd
    /// (`tanh(-x) = -tanh(x)`, `tanh(-0) = -0`), within `[-1, 1]`, exactly
    /// `±1` from `|x| = 8.66434` (`f32`) and `18.714973875118524` (`f64`) on
    /// and at `±inf`; a NaN comes back unchanged.
    ///
    /// ```
    /// use constnet::Scalar;
    ///
    /// assert_eq!(0.0_f32.portable_tanh(), 0.0);
    /// assert!((0.5_f64.portable_tanh() - 0.462_117_157_260_009_76).abs() < 1e-16);
    /// assert_eq!((-1e4_f32).portable_tanh(), -1.0);
    /// assert_eq!(f64::INFINITY.portable_tanh(), 1.0);
    /// ```
    fn portable_tanh(self) -> Self;
}

impl Scalar for f32 {
    const NAME: &'static str = "f32";

    #[inline]
    fn from_f64(value: f64) -> Self {
        value as f32
    }

    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }

    #[inline]
    fn portable_exp(self) -> Self {
        math::exp_f32(self)
    }

    #[inline]
    fn portable_ln(self) -> Self {
        math::ln_f32(self)
    }

    #[inline]
    fn portable_tanh(self) -> Self {
        math::tanh_f32(self)
    }
}

impl Scalar for f64 {
    const NAME: &'static str = "f64";

    #[inline]
    fn from_f64(value: f64) -> Self {
        value
    }

    #[inline]
    fn to_f64(self) -> f64 {
        self
    }

    #[inline]
    fn portable_exp(self) -> Self {
        math::exp_f64(self)
    }

    #[inline]
    fn portable_ln(self) -> Self {
        math::ln_f64(self)
    }

    #[inline]
    fn portable_tanh(self) -> Self {
        math::tanh_f64(self)
    }
}
