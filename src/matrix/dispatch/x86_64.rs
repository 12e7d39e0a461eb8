//! Copies of the tiled kernel compiled for AVX2 with FMA and for AVX-512,
//! called when the processor reports those extensions at run time.
//!
//! This is the crate's only `unsafe` outside `boxed.rs`: a call from code
//! built for the default x86-64 target (SSE2) into a `#[target_feature]`
//! function is `unsafe`, because the processor must run the instructions
//! it was compiled for. Every such call follows, in the same function, the
//! run-time check that it does; the copies themselves are the same safe
//! generic kernel as the portable one, with wider tiles: 4 x 16 `f32`
//! (8 of 16 AVX2 registers) and 4 x 64 (16 of 32 AVX-512 registers).
//!
//! Why it is worth the `unsafe`: built for the default target, the products
//! of a 784-128 layer with a batch of 64 (`X·W` 64x784·784x128, `Xᵀ·dY`
//! giving 784x128, `dY·Wᵀ` giving 64x784) measured, in GFLOP/s on an AMD
//! EPYC (Zen 5, AVX-512), best of 10-iteration runs, interleaved, against
//! `matrixmultiply::sgemm` 0.3.11 in the same runs (its AVX2+FMA kernel,
//! and its AVX-512 one, which its default `avx512` feature selects):
//!
//! | product | before (SSE2) | portable | AVX2 | AVX-512 | sgemm AVX2 | sgemm AVX-512 |
//! |---|---|---|---|---|---|---|
//! | `X·W` | 39.3 | 44.1 | 104.9 (1.08x) | 198.4 (1.17x) | 96.7 | 169.0 |
//! | `Xᵀ·dY` | 36.2 | 42.4 | 111.3 (1.08x) | 200.2 (0.96x) | 103.4 | 208.9 |
//! | `dY·Wᵀ` | 36.7 | 41.1 | 99.7 (1.04x) | 136.1 (0.91x) | 95.8 | 149.6 |
//!
//! (ratios to sgemm with the same extensions, all with separate multiplies
//! and adds). Fused multiply-adds, which the copies use by default,
//! measured the same within the noise on this core, which has separate add
//! and multiply pipes: 116, 104 and 102 with AVX2, 186, 199 and 144 with
//! AVX-512.
//!
//! On a processor without AVX-512 (AMD EPYC Zen 2, criterion medians of
//! three runs, default target) the AVX2 copy runs the three at 54.9, 55.1
//! and 47.7 GFLOP/s, 1.01x, 0.92x and 0.87x of `sgemm`'s AVX2 kernel in the
//! same runs. On a Zen 3 the unfused copy reaches only 0.68x, 0.69x and
//! 0.72x (39 to 44 GFLOP/s against 56 to 62), and the fused one 1.18x,
//! 1.10x and 1.03x (77, 82 and 69 GFLOP/s; `BENCHMARKS.md`): that is why
//! the copies fuse unless the `reproducible` feature asks for the portable
//! kernel's bits.

#![allow(unsafe_code)]

use core::sync::atomic::{AtomicU8, Ordering};

use crate::Scalar;
#[cfg(feature = "reproducible")]
use crate::matrix::tiled::Unfused;
use crate::matrix::tiled::{
    self, DepthColumns, Left, MultiplyAdd, product_transposed_with, product_with,
};
#[cfg(any(test, not(feature = "reproducible")))]
use crate::scalar::cast;

/// How the dispatched copies add a step: fused, one rounding, unless the
/// `reproducible` feature asks for the portable kernel's rounded multiply
/// and rounded add (and so its bits).
#[cfg(not(feature = "reproducible"))]
type Step = Fused;
#[cfg(feature = "reproducible")]
type Step = Unfused;

/// The instruction sets a copy of the kernel is compiled for, in increasing
/// order of width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kernels {
    /// The portable kernel, compiled for the build's target (SSE2 on the
    /// default x86-64 target).
    Portable = 1,
    /// AVX2 and FMA: 16 vector registers of 8 `f32`.
    Avx2Fma = 2,
    /// AVX-512F: 32 vector registers of 16 `f32`.
    Avx512 = 3,
}

/// The kernels chosen for this process, once known (0 before).
static SELECTED: AtomicU8 = AtomicU8::new(0);

impl Kernels {
    /// The widest kernels this processor (and its operating system) can run.
    pub(super) fn detected() -> Self {
        if std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
        {
            Kernels::Avx512
        } else if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            Kernels::Avx2Fma
        } else {
            Kernels::Portable
        }
    }

    /// The kernels named by a value of `CONSTNET_KERNELS`, if it names any.
    pub(super) fn from_name(name: &str) -> Option<Self> {
        match name {
            "portable" => Some(Kernels::Portable),
            "avx2" => Some(Kernels::Avx2Fma),
            "avx512" => Some(Kernels::Avx512),
            _ => None,
        }
    }

    /// The kernels products use in this process: the detected ones, capped
    /// by `CONSTNET_KERNELS` when it names kernels, decided at the first call.
    pub(super) fn selected() -> Self {
        match SELECTED.load(Ordering::Relaxed) {
            1 => Kernels::Portable,
            2 => Kernels::Avx2Fma,
            3 => Kernels::Avx512,
            _ => {
                let cap = std::env::var("CONSTNET_KERNELS")
                    .ok()
                    .and_then(|name| Self::from_name(&name));
                let kernels = cap.map_or(Self::detected(), |cap| cap.min(Self::detected()));
                // Threads that race here store the same value.
                SELECTED.store(kernels as u8, Ordering::Relaxed);
                kernels
            }
        }
    }
}

/// A fused multiply-add: `a · b + acc` rounded once (one `vfmadd` with FMA).
/// Element types other than `f32` and `f64` (there are none in the crate)
/// fall back to a multiply and an add.
#[cfg(any(test, not(feature = "reproducible")))]
pub(super) struct Fused;

#[cfg(any(test, not(feature = "reproducible")))]
impl MultiplyAdd for Fused {
    #[inline(always)]
    fn multiply_add<T: Scalar>(acc: T, a: T, b: T) -> T {
        // `T` is known after monomorphization, so the casts fold away.
        if let (Some(acc), Some(a), Some(b)) =
            (cast::<T, f32>(&acc), cast::<T, f32>(&a), cast::<T, f32>(&b))
            && let Some(sum) = cast::<f32, T>(&a.mul_add(b, acc))
        {
            return sum;
        }
        if let (Some(acc), Some(a), Some(b)) =
            (cast::<T, f64>(&acc), cast::<T, f64>(&a), cast::<T, f64>(&b))
            && let Some(sum) = cast::<f64, T>(&a.mul_add(b, acc))
        {
            return sum;
        }
        acc + a * b
    }
}

/// `A·B` and `Aᵀ·B` with the widest of `kernels` that this processor runs.
#[inline]
pub(super) fn product<T: Scalar, const R: usize, const C: usize>(
    kernels: Kernels,
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    product_by::<T, R, C, Step>(kernels, out, a, b);
}

/// `A·Bᵀ` with the widest of `kernels` that this processor runs.
#[inline]
pub(super) fn product_transposed<T: Scalar, const R: usize, const C: usize, const K: usize>(
    kernels: Kernels,
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    product_transposed_by::<T, R, C, K, Step>(kernels, out, a, b);
}

/// `A·B` and `Aᵀ·B` with steps `F` and the widest of `kernels` that this
/// processor runs.
#[inline]
fn product_by<T: Scalar, const R: usize, const C: usize, F: MultiplyAdd>(
    kernels: Kernels,
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    if kernels >= Kernels::Avx512 && Kernels::detected() >= Kernels::Avx512 {
        // SAFETY: the processor runs AVX-512F, AVX2 and FMA, checked just
        // above; the function is otherwise safe code.
        unsafe { product_avx512::<T, R, C, F>(out, a, b) }
    } else if kernels >= Kernels::Avx2Fma && Kernels::detected() >= Kernels::Avx2Fma {
        // SAFETY: the processor runs AVX2 and FMA, checked just above; the
        // function is otherwise safe code.
        unsafe { product_avx2::<T, R, C, F>(out, a, b) }
    } else {
        tiled::product(out, a, b);
    }
}

/// `A·Bᵀ` with steps `F` and the widest of `kernels` that this processor
/// runs.
#[inline]
fn product_transposed_by<
    T: Scalar,
    const R: usize,
    const C: usize,
    const K: usize,
    F: MultiplyAdd,
>(
    kernels: Kernels,
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    if kernels >= Kernels::Avx512 && Kernels::detected() >= Kernels::Avx512 {
        // SAFETY: the processor runs AVX-512F, AVX2 and FMA, checked just
        // above; the function is otherwise safe code.
        unsafe { product_transposed_avx512::<T, R, C, K, F>(out, a, b) }
    } else if kernels >= Kernels::Avx2Fma && Kernels::detected() >= Kernels::Avx2Fma {
        // SAFETY: the processor runs AVX2 and FMA, checked just above; the
        // function is otherwise safe code.
        unsafe { product_transposed_avx2::<T, R, C, K, F>(out, a, b) }
    } else {
        tiled::product_transposed(out, a, b);
    }
}

// The tiles: 4 rows of two 256-bit registers of accumulators under AVX2
// (16 `f32`, 8 `f64` per row), of four 512-bit ones under AVX-512. Measured
// on `f32` with the default target: 6 x 16 under AVX2 was as fast where it
// compiled well but fell to 55 GFLOP/s on `X·W`; 4 x 32 and 6 x 32 under
// AVX-512 measured no faster than 4 x 64, and 8 x 32 was vectorized across
// its rows (4 GFLOP/s).

#[target_feature(enable = "avx2,fma")]
fn product_avx2<T: Scalar, const R: usize, const C: usize, F: MultiplyAdd>(
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    if size_of::<T>() <= 4 {
        product_with::<T, R, C, 4, 16, F>(out, a, b);
    } else {
        product_with::<T, R, C, 4, 8, F>(out, a, b);
    }
}

#[target_feature(enable = "avx512f,avx2,fma")]
fn product_avx512<T: Scalar, const R: usize, const C: usize, F: MultiplyAdd>(
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    if size_of::<T>() <= 4 {
        product_with::<T, R, C, 4, 64, F>(out, a, b);
    } else {
        product_with::<T, R, C, 4, 32, F>(out, a, b);
    }
}

#[target_feature(enable = "avx2,fma")]
fn product_transposed_avx2<
    T: Scalar,
    const R: usize,
    const C: usize,
    const K: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    if size_of::<T>() <= 4 {
        product_transposed_with::<T, R, C, K, 4, 16, F>(out, a, b);
    } else {
        product_transposed_with::<T, R, C, K, 4, 8, F>(out, a, b);
    }
}

#[target_feature(enable = "avx512f,avx2,fma")]
fn product_transposed_avx512<
    T: Scalar,
    const R: usize,
    const C: usize,
    const K: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    if size_of::<T>() <= 4 {
        product_transposed_with::<T, R, C, K, 4, 64, F>(out, a, b);
    } else {
        product_transposed_with::<T, R, C, K, 4, 32, F>(out, a, b);
    }
}

#[cfg(test)]
mod tests {
    //! Every copy of the kernel this processor runs, forced one at a time,
    //! against the definition and against the portable kernel, on shapes
    //! that leave a remainder of every tile width and of the depth block.

    use super::*;
    use crate::Matrix;
    use crate::matrix::tiled::{DepthRows, Unfused};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// The kernels this processor runs, the portable one first.
    fn available() -> impl Iterator<Item = Kernels> {
        [Kernels::Portable, Kernels::Avx2Fma, Kernels::Avx512]
            .into_iter()
            .filter(|&kernels| kernels <= Kernels::detected())
    }

    /// `A·B`, `Aᵀ·B` and `A·Bᵀ`, each computed by the copy `kernels` with
    /// steps `F` from operands that hold `a` and `b` (transposed as the form
    /// needs).
    fn products<T: Scalar, const R: usize, const K: usize, const C: usize, F: MultiplyAdd>(
        kernels: Kernels,
        a: &Matrix<R, K, T>,
        b: &Matrix<K, C, T>,
    ) -> [Matrix<R, C, T>; 3] {
        let (a_transposed, b_transposed) = (a.transpose(), b.transpose());
        let mut out = [Matrix::filled(T::nan()); 3];
        product_by::<T, R, C, F>(
            kernels,
            out[0].rows_mut(),
            &DepthColumns(a.rows()),
            b.rows(),
        );
        let left = DepthRows(a_transposed.rows());
        product_by::<T, R, C, F>(kernels, out[1].rows_mut(), &left, b.rows());
        let left = DepthColumns(a.rows());
        product_transposed_by::<T, R, C, K, F>(
            kernels,
            out[2].rows_mut(),
            &left,
            b_transposed.rows(),
        );
        out
    }

    /// Integer entries keep every partial sum exact, fused or not, so every
    /// copy must give the definition's bits, and a wrong index shows at once.
    fn integers<T: Scalar, const R: usize, const C: usize>(seed: usize) -> Matrix<R, C, T> {
        Matrix::from_fn(|r, c| T::from_f64(((r * 31 + c * 17 + seed) % 11) as f64 - 5.0))
    }

    fn uniform<T: Scalar, const R: usize, const C: usize>(rng: &mut StdRng) -> Matrix<R, C, T> {
        Matrix::from_fn(|_, _| T::from_f64(rng.random_range(-1.0..1.0)))
    }

    fn exact_on_integers<T: Scalar, const R: usize, const K: usize, const C: usize>() {
        let a = integers::<T, R, K>(1);
        let b = integers::<T, K, C>(2);
        // From the first product, as every path sums.
        let want: Matrix<R, C, T> =
            Matrix::from_fn(|r, c| (0..K).fold(-T::zero(), |sum, k| sum + a[(r, k)] * b[(k, c)]));
        for kernels in available() {
            for got in products::<T, R, K, C, Unfused>(kernels, &a, &b) {
                assert_eq!(got, want, "{kernels:?} unfused, {}", T::NAME);
            }
            for got in products::<T, R, K, C, Fused>(kernels, &a, &b) {
                assert_eq!(got, want, "{kernels:?} fused, {}", T::NAME);
            }
        }
    }

    #[test]
    fn every_copy_is_exact_on_integers_with_every_remainder() {
        // 7 rows = one 4-row tile + 3 single rows; depth 131 = one 128 block
        // + 3; 37 columns = 32 + 4 + 1 (AVX-512, f32), 16 + 16 + 4 + 1
        // (AVX2, f32; AVX-512, f64), 8 x 4 + 4 + 1 (AVX2, f64).
        exact_on_integers::<f32, 7, 131, 37>();
        exact_on_integers::<f64, 7, 131, 37>();
        // 63 columns = 32 + 16 + 8 + 4 + 2 + 1; 5 rows = 4 + 1; depth 130.
        exact_on_integers::<f32, 5, 130, 63>();
        exact_on_integers::<f64, 5, 130, 63>();
    }

    fn unfused_gives_portable_bits<T: Scalar, const R: usize, const K: usize, const C: usize>() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..4 {
            let a = uniform::<T, R, K>(&mut rng);
            let b = uniform::<T, K, C>(&mut rng);
            let portable = products::<T, R, K, C, Unfused>(Kernels::Portable, &a, &b);
            for kernels in available() {
                let got = products::<T, R, K, C, Unfused>(kernels, &a, &b);
                assert_eq!(got, portable, "{kernels:?}, {}", T::NAME);
            }
        }
    }

    #[test]
    fn unfused_copies_give_the_portable_bits() {
        unfused_gives_portable_bits::<f32, 7, 131, 37>();
        unfused_gives_portable_bits::<f32, 5, 130, 63>();
        unfused_gives_portable_bits::<f64, 7, 131, 37>();
    }

    /// Both the fused and the unfused sum of `K` products are within
    /// `γ_K · Σ_k |a_k · b_k|` of the exact sum, `γ_K = K·u / (1 - K·u)`
    /// with `u` the unit roundoff (each of the `K` steps rounds the running
    /// sum, and the unfused one the product too, by at most `u`), so they
    /// are within twice that of each other.
    fn fused_within_bound<T: Scalar, const R: usize, const K: usize, const C: usize>() {
        let unit_roundoff = T::epsilon().to_f64() / 2.0;
        let gamma = K as f64 * unit_roundoff / (1.0 - K as f64 * unit_roundoff);
        let mut rng = StdRng::seed_from_u64(11);
        let a = uniform::<T, R, K>(&mut rng);
        let b = uniform::<T, K, C>(&mut rng);
        let portable = products::<T, R, K, C, Unfused>(Kernels::Portable, &a, &b);
        for kernels in available().filter(|&kernels| kernels != Kernels::Portable) {
            let fused = products::<T, R, K, C, Fused>(kernels, &a, &b);
            let mut differing = 0;
            for (fused, portable) in fused.iter().zip(&portable) {
                for r in 0..R {
                    for c in 0..C {
                        let magnitude: f64 =
                            (0..K).map(|k| (a[(r, k)] * b[(k, c)]).to_f64().abs()).sum();
                        let difference = (fused[(r, c)].to_f64() - portable[(r, c)].to_f64()).abs();
                        assert!(
                            difference <= 2.0 * gamma * magnitude,
                            "{kernels:?}, {}: {difference} > 2 γ_K {magnitude}",
                            T::NAME
                        );
                        differing += usize::from(difference > 0.0);
                    }
                }
            }
            // The bound is not met by being equal: fused steps round
            // differently somewhere.
            assert!(differing > 0, "{kernels:?}, {}: no output differs", T::NAME);
        }
    }

    #[test]
    fn fused_copies_stay_within_the_rounding_bound() {
        fused_within_bound::<f32, 7, 131, 37>();
        fused_within_bound::<f32, 5, 130, 63>();
        fused_within_bound::<f64, 7, 131, 37>();
    }

    /// Operands whose every output is `-(1 + 2h) + (1 + h)²` with the two
    /// products at depths `k` and `k + 1`, `h` being half the precision's
    /// digits (`2^-13` in `f32`, `2^-27` in `f64`): `(1 + h)²` rounds to
    /// `1 + 2h`, so unfused steps give 0, and a fused step gives `h²`
    /// exactly, which it returns.
    fn rounding_witness<T: Scalar, const R: usize, const K: usize, const C: usize>(
        k: usize,
    ) -> (Matrix<R, K, T>, Matrix<K, C, T>, T) {
        let h = T::from_f64(if T::NAME == "f32" {
            2.0_f64.powi(-13)
        } else {
            2.0_f64.powi(-27)
        });
        let one = T::one();
        let a = Matrix::<R, K, T>::from_fn(|_, d| match d.wrapping_sub(k) {
            0 => -one,
            1 => one + h,
            _ => T::zero(),
        });
        let b = Matrix::<K, C, T>::from_fn(|d, _| match d.wrapping_sub(k) {
            0 => one + h + h,
            1 => one + h,
            _ => T::zero(),
        });
        (a, b, h * h)
    }

    fn rounds_once<T: Scalar, const R: usize, const K: usize, const C: usize>(k: usize) {
        let (a, b, h_squared) = rounding_witness::<T, R, K, C>(k);
        for kernels in available() {
            let fused = if kernels == Kernels::Portable {
                T::zero()
            } else {
                h_squared
            };
            for got in products::<T, R, K, C, Fused>(kernels, &a, &b) {
                assert_eq!(got, Matrix::filled(fused), "{kernels:?} fused, k = {k}");
            }
            for got in products::<T, R, K, C, Unfused>(kernels, &a, &b) {
                assert_eq!(got, Matrix::zeros(), "{kernels:?} unfused, k = {k}");
            }
        }
    }

    #[test]
    fn fused_copies_round_once() {
        // Both products in the first depth block, then across the boundary
        // of two blocks (the second adds to the output the first wrote).
        rounds_once::<f32, 7, 131, 37>(0);
        rounds_once::<f32, 7, 131, 37>(127);
        rounds_once::<f64, 7, 131, 37>(0);
        rounds_once::<f64, 7, 131, 37>(127);
    }

    /// The public products, as a user calls them: fused steps wherever a
    /// copy for AVX2 or AVX-512 runs, unless the `reproducible` feature is
    /// on; the portable kernel's bits otherwise.
    fn public_products_step<T: Scalar, const R: usize, const K: usize, const C: usize>() {
        let (a, b, h_squared) = rounding_witness::<T, R, K, C>(5);
        let fused = !cfg!(feature = "reproducible") && Kernels::selected() > Kernels::Portable;
        let want = Matrix::filled(if fused { h_squared } else { T::zero() });
        let (a_transposed, b_transposed) = (a.transpose(), b.transpose());
        assert_eq!(a.matmul(&b), want, "A·B, {}", T::NAME);
        assert_eq!(
            a_transposed.transposed_matmul(&b),
            want,
            "Aᵀ·B, {}",
            T::NAME
        );
        assert_eq!(
            a.matmul_transposed(&b_transposed),
            want,
            "A·Bᵀ, {}",
            T::NAME
        );
    }

    #[test]
    fn public_products_fuse_unless_reproducible() {
        public_products_step::<f32, 7, 131, 37>();
        public_products_step::<f64, 7, 131, 37>();
    }

    #[test]
    fn kernels_are_named_and_capped_by_the_processor() {
        assert_eq!(Kernels::from_name("portable"), Some(Kernels::Portable));
        assert_eq!(Kernels::from_name("avx2"), Some(Kernels::Avx2Fma));
        assert_eq!(Kernels::from_name("avx512"), Some(Kernels::Avx512));
        assert_eq!(Kernels::from_name("AVX2"), None);
        assert_eq!(Kernels::from_name(""), None);
        assert!(Kernels::selected() <= Kernels::detected());
        // Decided once: the second call reads the stored choice.
        assert_eq!(Kernels::selected(), Kernels::selected());
    }
}
