//! The element types a [`Matrix`](crate::Matrix) can hold.

use core::fmt::{Debug, Display};
use num_traits::Float;
use rand::Rng;

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

    /// [`portable_exp`](Scalar::portable_exp) of `N` values at once, with
    /// the same bits for each. `f32` and `f64` take each step of the method
    /// for every value before the next, so that the values' computations
    /// overlap (16 `f32` sigmoids: 39 ns against 78 ns one at a time); the
    /// default computes them one by one.
    ///
    /// ```
    /// use constnet::Scalar;
    ///
    /// let x = [0.0_f32, 1.0, -3.5, 100.0];
    /// assert_eq!(f32::portable_exp_lanes(x), x.map(f32::portable_exp));
    /// ```
    #[inline(always)]
    fn portable_exp_lanes<const N: usize>(x: [Self; N]) -> [Self; N] {
        x.map(Self::portable_exp)
    }

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

    /// [`portable_tanh`](Scalar::portable_tanh) of `N` values at once, with
    /// the same bits for each, as
    /// [`portable_exp_lanes`](Scalar::portable_exp_lanes).
    ///
    /// ```
    /// use constnet::Scalar;
    ///
    /// let x = [0.0_f64, 0.3, -2.0, 1e4];
    /// assert_eq!(f64::portable_tanh_lanes(x), x.map(f64::portable_tanh));
    /// ```
    #[inline(always)]
    fn portable_tanh_lanes<const N: usize>(x: [Self; N]) -> [Self; N] {
        x.map(Self::portable_tanh)
    }

    /// A uniform draw from `[-1, 1)`, on a grid of `2^-23` for `f32` and
    /// `2^-52` for `f64`, in the type's own arithmetic.
    ///
    /// `f32` takes the top 24 bits of one `next_u32` and `f64` the top 53
    /// bits of one `next_u64`; each is scaled by a power of two and shifted
    /// by one, operations that are exact, so a generator whose stream is the
    /// same on every target gives the same draws everywhere, and an `f32`
    /// network's initialisation needs no `f64` code (soft-float `f64` on a
    /// microcontroller without an FPU costs flash and time).
    ///
    /// ```
    /// use constnet::Scalar;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut rng = StdRng::seed_from_u64(1);
    /// for _ in 0..1000 {
    ///     let u = f32::uniform_symmetric(&mut rng);
    ///     assert!((-1.0..1.0).contains(&u));
    ///     assert_eq!((u * 8_388_608.0).fract(), 0.0); // a multiple of 2^-23
    /// }
    /// ```
    fn uniform_symmetric<G: Rng + ?Sized>(rng: &mut G) -> Self;
}

/// `x` as a `U`, if `T` is `U`: how code generic over the element type
/// takes a path written for `f32` or `f64` alone. Decided at compile time
/// once `T` is known, so the other paths fold away.
#[inline(always)]
pub(crate) fn cast<T: 'static, U: Copy + 'static>(x: &T) -> Option<U> {
    (x as &dyn core::any::Any).downcast_ref::<U>().copied()
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

    #[inline(always)]
    fn portable_exp(self) -> Self {
        math::exp_f32(self)
    }

    #[inline(always)]
    fn portable_exp_lanes<const N: usize>(x: [Self; N]) -> [Self; N] {
        math::exp_f32_lanes(x)
    }

    #[inline]
    fn portable_ln(self) -> Self {
        math::ln_f32(self)
    }

    #[inline(always)]
    fn portable_tanh(self) -> Self {
        math::tanh_f32(self)
    }

    #[inline(always)]
    fn portable_tanh_lanes<const N: usize>(x: [Self; N]) -> [Self; N] {
        math::tanh_f32_lanes(x)
    }

    #[inline]
    fn uniform_symmetric<G: Rng + ?Sized>(rng: &mut G) -> Self {
        // k / 2^23 - 1 for k in 0..2^24: every step exact.
        (rng.next_u32() >> 8) as f32 * (1.0 / (1_u32 << 23) as f32) - 1.0
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

    #[inline(always)]
    fn portable_exp(self) -> Self {
        math::exp_f64(self)
    }

    #[inline(always)]
    fn portable_exp_lanes<const N: usize>(x: [Self; N]) -> [Self; N] {
        math::exp_f64_lanes(x)
    }

    #[inline]
    fn portable_ln(self) -> Self {
        math::ln_f64(self)
    }

    #[inline(always)]
    fn portable_tanh(self) -> Self {
        math::tanh_f64(self)
    }

    #[inline(always)]
    fn portable_tanh_lanes<const N: usize>(x: [Self; N]) -> [Self; N] {
        math::tanh_f64_lanes(x)
    }

    #[inline]
    fn uniform_symmetric<G: Rng + ?Sized>(rng: &mut G) -> Self {
        // k / 2^52 - 1 for k in 0..2^53: every step exact.
        (rng.next_u64() >> 11) as f64 * (1.0 / (1_u64 << 52) as f64) - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    /// A generator that returns the values it is given, in order.
    struct Replay<const N: usize>([u64; N], usize);

    impl<const N: usize> RngCore for Replay<N> {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.1 += 1;
            self.0[self.1 - 1]
        }
        fn fill_bytes(&mut self, bytes: &mut [u8]) {
            for byte in bytes {
                *byte = self.next_u32() as u8;
            }
        }
    }

    #[test]
    fn f32_draws_span_the_grid_exactly() {
        let mut rng = Replay([0, 0xFF, 0x100, 0x8000_0000, 0xFFFF_FFFF], 0);
        let draws: [f32; 5] = core::array::from_fn(|_| f32::uniform_symmetric(&mut rng));
        // The low 8 bits are dropped; one step of the grid is 2^-23.
        let step = 2.0_f32.powi(-23);
        assert_eq!(draws, [-1.0, -1.0, -1.0 + step, 0.0, 1.0 - step]);
    }

    #[test]
    fn f64_draws_are_the_top_53_bits() {
        let mut rng = Replay([0, 1 << 63, u64::MAX, 0x7FF], 0);
        let draws: [f64; 4] = core::array::from_fn(|_| f64::uniform_symmetric(&mut rng));
        assert_eq!(draws, [-1.0, 0.0, 1.0 - 2.0_f64.powi(-52), -1.0]);
    }

    #[test]
    fn f64_draws_are_rands_uniform_doubled_and_shifted() {
        // What `Init` drew before this method existed, so f64 weights keep their bits.
        use rand::SeedableRng;
        let mut a = rand::rngs::StdRng::seed_from_u64(11);
        let mut b = a.clone();
        for _ in 0..100 {
            assert_eq!(
                f64::uniform_symmetric(&mut a),
                2.0 * b.random::<f64>() - 1.0
            );
        }
    }
}
