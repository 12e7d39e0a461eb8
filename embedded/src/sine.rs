//! [`sin`]: the sine of an angle in `[0, 2π]`, in a hundred bytes of `f32`
//! arithmetic, for the sine network's targets.
//!
//! libm's `sinf` is accurate for any argument, but its argument reduction
//! and its `f64` arithmetic (soft-float on a Cortex-M3 or M4F) take about
//! 5.5 KB of flash. The programs only need angles in one turn.

use core::f32::consts::{FRAC_PI_2, PI, TAU};

/// sin(x) for `x` in `[0, 2π]`, within 3e-7 of libm's `sinf` (checked on
/// the device by `tests/on_target.rs` at 4,096 points).
///
/// The angle is folded into `[-π/2, π/2]` (sin x = sin(π - x) =
/// sin(x - 2π)), where the Taylor series to `x^11` is within
/// (π/2)^13 / 13! = 5.7e-8 of the sine.
pub fn sin(x: f32) -> f32 {
    let r = if x < FRAC_PI_2 {
        x
    } else if x < 3.0 * FRAC_PI_2 {
        PI - x
    } else {
        x - TAU
    };
    let r2 = r * r;
    // Horner's rule, innermost term first: r (1 - r²/3! + r⁴/5! - ...).
    let series = -1.0 / 39_916_800.0;
    let series = 1.0 / 362_880.0 + r2 * series;
    let series = -1.0 / 5_040.0 + r2 * series;
    let series = 1.0 / 120.0 + r2 * series;
    let series = -1.0 / 6.0 + r2 * series;
    r * (1.0 + r2 * series)
}
