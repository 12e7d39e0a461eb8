//! Cache-blocked, register-tiled products for shapes too large for the plain
//! loops of `product.rs` to keep in registers.
//!
//! Every product is written as `out[i][j] = Σ_k a(i, k) · b(k, j)` and
//! computed by one register tile: `MR x NR` outputs held in accumulators
//! while, for each depth step, the outer product of `MR` values of `a` and
//! `NR` values of `b` is added to them (each `a` value loaded once and used
//! `NR` times). The depth is cut into blocks of `KC`, and within a block the
//! right operand into panels `NR` wide: a `KC x NR` panel stays in L1 while
//! every block of `MR` rows of the output passes over it. The panels are
//! copied into a stack buffer (`A·Bᵀ`'s transposed), except on bare metal,
//! where `A·B` and `Aᵀ·B` read theirs in place. The tile loops run over
//! fixed-size arrays, so LLVM keeps the accumulators in vector registers
//! and vectorizes the inner loop for whatever the target offers (SSE2,
//! AVX2, NEON, or scalar code on a Cortex-M).
//!
//! The kernel is generic over its tile (`TM x TN`) and over how a step is
//! added ([`MultiplyAdd`]); [`product`] and [`product_transposed`] are its
//! portable copies (tiles of `MR x NR`), and `dispatch.rs` compiles more
//! copies, with wider tiles, for the vector extensions it finds at run time.
//!
//! Each output element still sums its products in increasing `k`, from the
//! first, so with [`Unfused`] steps results are bit-for-bit those of the
//! plain loops, whatever the tile.

use core::array;

use crate::Scalar;

/// Output rows per register tile of the portable kernel.
const MR: usize = 4;
/// Output columns per register tile of the portable kernel: two vector
/// registers of accumulators per output row, so that the 4 x 2 accumulators
/// and the operands fit in 16 registers (SSE2, AVX2, NEON; 32 with
/// AVX-512). On the default x86-64 target (SSE2), 4 x 16 spilled
/// accumulators to the stack: 8 columns took 64x784·784x128 from 17 to 28
/// GFLOP/s.
const NR: usize = if cfg!(target_feature = "avx512f") {
    32
} else if cfg!(target_feature = "avx") {
    16
} else {
    8
};
/// Depth of a block: a `KC x NR` panel of `b` is at most 16 KiB of `f32`.
const KC: usize = 128;

/// Whether `A·B` and `Aᵀ·B` copy each `KC x TN` panel of `b` into a
/// contiguous buffer before the rows of the output pass over it, as `A·Bᵀ`
/// does, rather than read it in place. In place, a panel's rows lie a row
/// of `b` apart, and with rows of a power-of-two size (128 `f32` in a
/// 784-128 layer) they fall into a few sets of a 32 KiB 8-way L1, which
/// then holds only part of the panel. On an AMD EPYC Zen 3 (AVX2) the copy
/// took `X·W` 64x784·784x128 from about 45 to 54 GFLOP/s and `Xᵀ·dY` from
/// 49 to 63, best of alternating runs. On bare metal, where the buffer's
/// stack is what is short, the panels are read in place.
const COPY_PANELS: bool = cfg!(not(target_os = "none"));

/// Products with at least this many multiply-adds take the tiled path; below
/// it, the plain loops, fully unrolled by LLVM, are as fast or faster.
pub(super) const TILED_FROM: usize = 16 * 1024;

/// How a tile adds one product to an accumulator.
pub(super) trait MultiplyAdd {
    /// `acc + a · b`.
    fn multiply_add<T: Scalar>(acc: T, a: T, b: T) -> T;
}

/// A multiply and an add, each rounded: the plain loops' arithmetic, the same
/// bits on every target.
pub(super) struct Unfused;

impl MultiplyAdd for Unfused {
    #[inline(always)]
    fn multiply_add<T: Scalar>(acc: T, a: T, b: T) -> T {
        acc + a * b
    }
}

/// The left operand of a product, seen one block of `M` output rows at a time.
pub(super) trait Left<T> {
    /// Rows `i0..i0 + M` over depths `k0..k0 + kc` as `M` slices of length
    /// `kc` (`a(i0 + i, k0 + k)` is `rows[i][k]`), when the operand is
    /// stored that way.
    fn rows<const M: usize>(&self, i0: usize, k0: usize, kc: usize) -> Option<[&[T]; M]>;

    /// `[a(i0, k), ..., a(i0 + M - 1, k)]`: how a tile reads an operand
    /// that [`rows`](Left::rows) does not serve.
    fn depth<const M: usize>(&self, i0: usize, k: usize) -> [T; M];
}

/// An operand stored with the depth along its rows: `x[k][index]` (the right
/// side of `A·B`, both sides of `Aᵀ·B`).
pub(super) struct DepthRows<'a, T, const W: usize>(pub &'a [[T; W]]);

impl<T: Scalar, const W: usize> Left<T> for DepthRows<'_, T, W> {
    #[inline(always)]
    fn rows<const M: usize>(&self, _: usize, _: usize, _: usize) -> Option<[&[T]; M]> {
        None
    }

    #[inline(always)]
    fn depth<const M: usize>(&self, i0: usize, k: usize) -> [T; M] {
        // The M values of one depth step are adjacent: read in place, each
        // broadcast against a row of `b` (no transposing copy).
        let values = &self.0[k][i0..i0 + M];
        array::from_fn(|i| values[i])
    }
}

/// An operand stored with the depth along its columns: `x[index][k]` (the
/// left side of `A·B`, both sides of `A·Bᵀ`).
pub(super) struct DepthColumns<'a, T, const W: usize>(pub &'a [[T; W]]);

impl<T: Scalar, const W: usize> Left<T> for DepthColumns<'_, T, W> {
    #[inline(always)]
    fn rows<const M: usize>(&self, i0: usize, k0: usize, kc: usize) -> Option<[&[T]; M]> {
        Some(array::from_fn(|i| &self.0[i0 + i][k0..k0 + kc]))
    }

    #[inline(always)]
    fn depth<const M: usize>(&self, i0: usize, k: usize) -> [T; M] {
        array::from_fn(|i| self.0[i0 + i][k])
    }
}

/// The portable `A·B` and `Aᵀ·B`: see [`product_with`].
#[inline(never)]
pub(super) fn product<T: Scalar, const R: usize, const C: usize>(
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    product_with::<T, R, C, MR, NR, Unfused>(out, a, b);
}

/// The portable `A·Bᵀ`: see [`product_transposed_with`].
#[inline(never)]
pub(super) fn product_transposed<T: Scalar, const R: usize, const C: usize, const K: usize>(
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    product_transposed_with::<T, R, C, K, MR, NR, Unfused>(out, a, b);
}

/// Writes `out[i][j] = Σ_{k < depth} a(i, k) · b[k][j]`: the right operand
/// stored with the depth along its rows (`A·B`, `Aᵀ·B`), read in place, with
/// tiles of `TM x TN` and steps `F`.
#[inline(always)]
pub(super) fn product_with<
    T: Scalar,
    const R: usize,
    const C: usize,
    const TM: usize,
    const TN: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    if b.is_empty() {
        out.fill([T::zero(); C]);
    }
    // No buffer at all where the panels are read in place.
    let mut copy = [[T::zero(); TN]; if COPY_PANELS { KC } else { 0 }];
    for (block, b) in b.chunks(KC).enumerate() {
        let k0 = block * KC;
        let mut j0 = 0;
        while j0 < C {
            let width = TN.min(C - j0);
            if COPY_PANELS {
                let copy = &mut copy[..b.len()];
                for (to, from) in copy.iter_mut().zip(b) {
                    to[..width].copy_from_slice(&from[j0..j0 + width]);
                }
                panel::<T, C, TN, TM, TN, F>(out, a, k0, copy, j0, width, 0);
            } else {
                panel::<T, C, C, TM, TN, F>(out, a, k0, b, j0, width, j0);
            }
            j0 += width;
        }
    }
}

/// Writes `out[i][j] = Σ_{k < depth} a(i, k) · b[j][k]`: the right operand
/// stored with the depth along its columns (`A·Bᵀ`), with tiles of
/// `TM x TN` and steps `F`. Its `KC x TN` panels are copied, transposed,
/// into a buffer that stays in L1 while every row of the output passes over
/// it.
#[inline(always)]
pub(super) fn product_transposed_with<
    T: Scalar,
    const R: usize,
    const C: usize,
    const K: usize,
    const TM: usize,
    const TN: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    if K == 0 {
        out.fill([T::zero(); C]);
    }
    let mut panel = [[T::zero(); TN]; KC];
    let mut k0 = 0;
    while k0 < K {
        let kc = KC.min(K - k0);
        let panel = &mut panel[..kc];
        let mut j0 = 0;
        while j0 < C {
            let width = TN.min(C - j0);
            transpose_into(panel, &b[j0..j0 + width], k0);
            self::panel::<T, C, TN, TM, TN, F>(out, a, k0, panel, j0, width, 0);
            j0 += width;
        }
        k0 += kc;
    }
}

/// Copies `b[n][k0 + k]` to `panel[k][n]` for every `n < b.len()` and
/// `k < panel.len()`: 8 x 8 blocks loaded as rows and stored as columns, so
/// that LLVM can transpose them in vector registers, then the edges one
/// element at a time.
#[inline(always)]
fn transpose_into<T: Scalar, const K: usize, const TN: usize>(
    panel: &mut [[T; TN]],
    b: &[[T; K]],
    k0: usize,
) {
    const B: usize = 8;
    let kc = panel.len();
    let mut n = 0;
    while n + B <= b.len() {
        let rows: [&[T]; B] = array::from_fn(|i| &b[n + i][k0..k0 + kc]);
        let mut k = 0;
        while k + B <= kc {
            let block: [[T; B]; B] = array::from_fn(|i| {
                let row = &rows[i][k..k + B];
                array::from_fn(|j| row[j])
            });
            for (j, p) in panel[k..k + B].iter_mut().enumerate() {
                let column: [T; B] = array::from_fn(|i| block[i][j]);
                p[n..n + B].copy_from_slice(&column);
            }
            k += B;
        }
        for (p, k) in panel[k..].iter_mut().zip(k..) {
            for (i, row) in rows.iter().enumerate() {
                p[n + i] = row[k];
            }
        }
        n += B;
    }
    for (i, row) in b[n..].iter().enumerate() {
        for (p, &x) in panel.iter_mut().zip(&row[k0..k0 + kc]) {
            p[n + i] = x;
        }
    }
}

/// Output columns `j0..j0 + width` over one depth block starting at `k0` (the
/// first one overwrites the output, the others add to it), every row of the
/// output in blocks of `TM`, reading the right operand's rows `b` from
/// column `b0` on.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn panel<
    T: Scalar,
    const C: usize,
    const W: usize,
    const TM: usize,
    const TN: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]],
    a: &impl Left<T>,
    k0: usize,
    b: &[[T; W]],
    j0: usize,
    width: usize,
    b0: usize,
) {
    let rows = out.len();
    let mut i0 = 0;
    while i0 + TM <= rows {
        columns::<T, TM, C, W, TN, F>(out, i0, j0, width, a, k0, b, b0);
        i0 += TM;
    }
    if TM > 4 && rows - i0 >= 4 {
        columns::<T, 4, C, W, TN, F>(out, i0, j0, width, a, k0, b, b0);
        i0 += 4;
    }
    if TM > 2 && rows - i0 >= 2 {
        columns::<T, 2, C, W, TN, F>(out, i0, j0, width, a, k0, b, b0);
        i0 += 2;
    }
    if TM > 1 && rows - i0 >= 1 {
        columns::<T, 1, C, W, TN, F>(out, i0, j0, width, a, k0, b, b0);
    }
}

/// Output rows `i0..i0 + M`, columns `j0..j0 + width`, over one depth block,
/// reading the right operand's rows `b` from column `b0` on: tiles `TN`
/// wide, then the rest split into tiles of 16, 8, 4, 2 and 1.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn columns<
    T: Scalar,
    const M: usize,
    const C: usize,
    const W: usize,
    const TN: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]],
    i0: usize,
    j0: usize,
    width: usize,
    a: &impl Left<T>,
    k0: usize,
    b: &[[T; W]],
    b0: usize,
) {
    let mut n = 0;
    while n + TN <= width {
        tile::<T, M, TN, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
        n += TN;
    }
    if TN > 32 && width - n >= 32 {
        tile::<T, M, 32, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
        n += 32;
    }
    if TN > 16 && width - n >= 16 {
        tile::<T, M, 16, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
        n += 16;
    }
    if TN > 8 && width - n >= 8 {
        tile::<T, M, 8, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
        n += 8;
    }
    if TN > 4 && width - n >= 4 {
        tile::<T, M, 4, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
        n += 4;
    }
    if TN > 2 && width - n >= 2 {
        tile::<T, M, 2, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
        n += 2;
    }
    if TN > 1 && width - n >= 1 {
        tile::<T, M, 1, C, W, F>(out, i0, j0 + n, a, k0, b, b0 + n);
    }
}

/// The register tile: the `M x N` outputs at `(i0, j0)` held in
/// accumulators while, for each depth step `k` of the block starting at
/// `k0`, the outer product of `a(i0..i0 + M, k0 + k)` and `b[k][b0..b0 + N]`
/// is added to them.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn tile<
    T: Scalar,
    const M: usize,
    const N: usize,
    const C: usize,
    const W: usize,
    F: MultiplyAdd,
>(
    out: &mut [[T; C]],
    i0: usize,
    j0: usize,
    a: &impl Left<T>,
    k0: usize,
    b: &[[T; W]],
    b0: usize,
) {
    let out = &mut out[i0..i0 + M];
    // The first depth block starts from `-0`, so that its first step gives
    // the first product as it is (fused or not), as the plain loops do; the
    // output is never cleared beforehand, nor read back.
    let mut acc: [[T; N]; M] = if k0 == 0 {
        [[-T::zero(); N]; M]
    } else {
        array::from_fn(|i| {
            let values = &out[i][j0..j0 + N];
            array::from_fn(|n| values[n])
        })
    };
    // Indexing by the depth `k`, rather than zipping an iterator over the
    // depths with `b`, keeps LLVM vectorizing along the tile's columns: with
    // the iterator, built with `target-cpu=native` on Zen 5, it vectorized
    // across the rows instead, gathering and scattering the accumulators
    // (3 GFLOP/s).
    if let Some(rows) = a.rows::<M>(i0, k0, b.len()) {
        for (k, b) in b.iter().enumerate() {
            let b = &b[b0..b0 + N];
            for (acc, row) in acc.iter_mut().zip(&rows) {
                multiply_add::<T, F, N>(acc, row[k], b);
            }
        }
    } else {
        for (k, b) in b.iter().enumerate() {
            let b = &b[b0..b0 + N];
            for (acc, a) in acc.iter_mut().zip(a.depth::<M>(i0, k0 + k)) {
                multiply_add::<T, F, N>(acc, a, b);
            }
        }
    }
    for (out, acc) in out.iter_mut().zip(&acc) {
        out[j0..j0 + N].copy_from_slice(acc);
    }
}

/// `acc += a · b`, one row of a tile: LLVM turns it into vector operations
/// on `b` against `a` broadcast.
#[inline(always)]
fn multiply_add<T: Scalar, F: MultiplyAdd, const N: usize>(acc: &mut [T; N], a: T, b: &[T]) {
    for (acc, &b) in acc.iter_mut().zip(b) {
        *acc = F::multiply_add(*acc, a, b);
    }
}

#[cfg(test)]
mod tests {
    //! The tiled path against the product's definition, on shapes that are
    //! not multiples of the tile (`MR`, `NR`) or block (`KC`) sizes.

    use super::*;
    use crate::Matrix;
    use crate::matrix::product::tests::{assert_close, matrix, naive};
    use proptest::prelude::*;

    /// Integer entries keep every partial sum exact, so any order of
    /// summation gives the same bits and a wrong index shows at once.
    fn integers<const R: usize, const C: usize>(seed: usize) -> Matrix<R, C> {
        Matrix::from_fn(|r, c| ((r * 31 + c * 17 + seed) % 11) as f32 - 5.0)
    }

    // Every shape below takes the tiled path.
    const _: () = {
        assert!(7 * 131 * 37 >= TILED_FROM);
        assert!(13 * 140 * 10 >= TILED_FROM);
        assert!(130 * 5 * 27 >= TILED_FROM);
        assert!(5 * 130 * 63 >= TILED_FROM);
        assert!(6 * 129 * 33 >= TILED_FROM);
    };

    #[test]
    fn exact_on_integers_with_every_remainder() {
        // 7 rows = one 4-row tile + 3 single rows; 37 columns = 32 + 4 + 1;
        // depth 131 = one 128 block + 3.
        let a = integers::<7, 131>(1);
        let b = integers::<131, 37>(2);
        let want: Matrix<7, 37> =
            Matrix::from_fn(|r, c| (0..131).map(|k| a[(r, k)] * b[(k, c)]).sum());
        assert_eq!(a.matmul(&b), want);
        assert_eq!(a.transpose().transposed_matmul(&b), want);
        assert_eq!(a.matmul_transposed(&b.transpose()), want);
    }

    #[test]
    fn exact_on_integers_with_every_remainder_width() {
        // 63 columns = 32 + 16 + 8 + 4 + 2 + 1; 5 rows = 4 + 1; depth 128 + 2.
        let a = integers::<5, 130>(3);
        let b = integers::<130, 63>(4);
        let want: Matrix<5, 63> =
            Matrix::from_fn(|r, c| (0..130).map(|k| a[(r, k)] * b[(k, c)]).sum());
        assert_eq!(a.matmul(&b), want);
        assert_eq!(a.transpose().transposed_matmul(&b), want);
        assert_eq!(a.matmul_transposed(&b.transpose()), want);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn product_with_odd_shapes(a in matrix::<7, 131>(), b in matrix::<131, 37>()) {
            assert_close(&a.matmul(&b), &naive(&a, &b))?;
        }

        #[test]
        fn narrow_product(a in matrix::<13, 140>(), b in matrix::<140, 10>()) {
            // 10 columns: narrower than a tile, split 8 + 2.
            let mut out = Matrix::filled(f64::NAN);
            a.matmul_into(&b, &mut out);
            assert_close(&out, &naive(&a, &b))?;
        }

        #[test]
        fn weight_gradient_form(x in matrix::<130, 5>(), dy in matrix::<130, 27>()) {
            // Xᵀ·dY with a depth (the batch) of 130 and 27 = 16 + 8 + 2 + 1 columns.
            assert_close(&x.transposed_matmul(&dy), &naive(&x.transpose(), &dy))?;
        }

        #[test]
        fn input_gradient_form(dy in matrix::<6, 129>(), w in matrix::<33, 129>()) {
            // dY·Wᵀ: both operands read across their rows.
            assert_close(&dy.matmul_transposed(&w), &naive(&dy, &w.transpose()))?;
        }
    }
}
