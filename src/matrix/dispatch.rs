//! The entry points of the tiled products: the portable kernel of
//! `tiled.rs`, or, under `std` on x86-64, a copy of the same kernel compiled
//! for the vector extensions the processor reports at run time (AVX2 with
//! FMA, AVX-512), chosen once per process by `x86_64.rs`.
//!
//! What the choice changes, and what it does not:
//!
//! - Every copy sums each output in increasing `k`, from the first
//!   product, whatever its tile. The portable kernel rounds each step's
//!   multiply and add, as the plain loops do; the x86-64 copies fuse them
//!   into one rounding (`vfmadd`). So a large product has one set of bits wherever AVX2 and
//!   FMA run (the AVX2 and AVX-512 copies agree with each other), and
//!   another, that of the portable kernel, everywhere else: `no_std`,
//!   Cortex-M, other architectures, x86-64 without FMA. The two differ in
//!   the last bits, each element by at most `2·γ_K·Σ_k |a·b|`.
//! - Fused is the default because it is what makes the products fast on
//!   cores where a separate multiply and add cost issue slots or ports (AMD
//!   Zen 3: `X·W` 64x784·784x128 from 0.68x to 1.18x of `sgemm`; many Intel
//!   cores); on AMD Zen 5 both measured the same (see `x86_64.rs`).
//! - The `reproducible` feature makes the x86-64 copies round as the
//!   portable kernel does: then every product gives the same bits on every
//!   target and processor, and references computed on one host hold on
//!   every other, a Cortex-M included.
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
