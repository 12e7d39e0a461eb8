//! The element types a [`Matrix`](crate::Matrix) can hold.

use core::fmt::{Debug, Display};
use num_traits::Float;

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
}
