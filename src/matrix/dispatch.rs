//! The entry points of the tiled products: the portable kernel of
//! `tiled.rs`, or, under `std` on x86-64, a copy of the same kernel compiled
//! for the vector extensions the processor reports at run time (AVX2 with
//! FMA, AVX-512), chosen once per process by `x86_64.rs`.
//!
//! What the choice changes, and what it does not:
//!
//! - Speed only, by default. Every copy sums each output in increasing `k`
//!   with a rounded multiply and a rounded add per step, as the portable
//!   kernel and the plain loops do, so a product has the same bits on every
//!   target and processor (`no_std` and Cortex-M builds included), and
//!   references computed on one host hold on every other.
//! - With the `fma` feature, the x86-64 copies fuse each step (one rounding
//!   instead of two): faster where separate multiplies and adds cost the
//!   core issue slots or ports (AMD Zen 3: `X·W` 64x784·784x128 from 0.68x
//!   to 0.94x of `sgemm`; many Intel cores), no faster on AMD Zen 5
//!   (measured, see `x86_64.rs`). Large products then differ
//!   from the portable kernel's in their last bits. It is a feature rather
//!   than the default because the crate promises the same bits everywhere;
//!   a build that wants the speed opts in.
//! - Products below `TILED_FROM` multiply-adds never come here: they keep
//!   the plain loops, and their bits, whatever the features.
//! - The environment variable `CONSTNET_KERNELS` (`portable`, `avx2` or
//!   `avx512`; any other value is ignored), read once, at the first large
//!   product, caps the choice: to compare the kernels, or to rule out a
//!   copy, without rebuilding. It can only lower the choice: a copy the
//!   processor cannot run is never chosen.

use super::tiled::{DepthColumns, Left};
use crate::Scalar;

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod x86_64;

/// Writes `out[i][j] = Σ_k a(i, k) · b[k][j]` (`A·B`, `Aᵀ·B`) with the
/// kernel chosen for this processor.
#[inline]
pub(super) fn product<T: Scalar, const R: usize, const C: usize>(
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    x86_64::product(x86_64::Kernels::selected(), out, a, b);
    #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
    super::tiled::product(out, a, b);
}

/// Writes `out[i][j] = Σ_k a(i, k) · b[j][k]` (`A·Bᵀ`) with the kernel
/// chosen for this processor.
#[inline]
pub(super) fn product_transposed<T: Scalar, const R: usize, const C: usize, const K: usize>(
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    x86_64::product_transposed(x86_64::Kernels::selected(), out, a, b);
    #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
    super::tiled::product_transposed(out, a, b);
}
