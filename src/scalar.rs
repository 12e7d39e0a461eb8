//! The element types a [`Matrix`](crate::Matrix) can hold.

use core::fmt::{Debug, Display};
use num_traits::Float;
use rand::Rng;

/// A floating-point element type: `f32` or `f64`.
///
/// Every function in the crate is generic over `Scalar`, and all transcendental
/// math (`exp`, `ln`, `tanh`) goes through [`num_traits::Float`], backed by the
/// pure-Rust `libm` unless some crate in the build enables num-traits' `std`
/// feature, so the same network computes the same bits on a laptop and on a
/// microcontroller.
///
/// ```
/// use constnet::Scalar;
/// assert_eq!(f32::from_f64(0.5), 0.5_f32);
/// assert_eq!(<f64 as Scalar>::NAME, "f64");
/// ```
pub trait Scalar: Float + Default + Debug + Display + Send + Sync + 'static {
    /// The type's name as Rust spells it (`"f32"`).
    const NAME: &'static str;

    /// Converts from `f64`, rounding to nearest as `as` does.
    fn from_f64(value: f64) -> Self;

    /// Converts to `f64` (exact for `f32` and `f64`).
    fn to_f64(self) -> f64;

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
