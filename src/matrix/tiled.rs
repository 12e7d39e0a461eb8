//! Cache-blocked, register-tiled products for shapes too large for the plain
//! loops of `product.rs` to keep in registers.
//!
//! Every product is written as `out[i][j] = Σ_k a(i, k) · b(k, j)` and
//! computed by one register tile: `MR x NR` outputs held in accumulators
//! while, for each depth step, the outer product of `MR` values of `a` and
//! `NR` values of `b` is added to them (each `a` value loaded once and used
//! `NR` times). The depth is cut into blocks of `KC` so that the rows of `b`
//! a tile reads stay in L1. `A·B` and `Aᵀ·B` read `b` in place; `A·Bᵀ`
//! copies `NR`-wide panels of `b`, transposed, into a stack buffer.
//! The tile loops run over fixed-size arrays, so LLVM keeps the accumulators
//! in vector registers and vectorizes the inner loop for whatever the target
//! offers (SSE2, AVX2, NEON, or scalar code on a Cortex-M).
//!
//! Each output element still sums its products in increasing `k`, starting
//! from zero, so results are bit-for-bit those of the plain loops.

use core::array;

use crate::Scalar;

/// Output rows per register tile.
const MR: usize = 4;
/// Output columns per register tile. With 32 vector registers (AVX-512),
/// 4 x 32 `f32` accumulators take 8 of them; with 16 (SSE2, AVX2, NEON),
/// 4 x 16 take 8 of 16 AVX2 registers, where 4 x 32 would spill (measured
/// under `target-cpu=x86-64-v3`: 78 against 123 GFLOP/s on 64x784x128).
/// The kernel is the same safe code either way; only its width changes.
const NR: usize = if cfg!(target_feature = "avx512f") {
    32
} else {
    16
};
/// Depth of a block: a packed `KC x NR` panel of `b` is at most 16 KiB of `f32`.
const KC: usize = 128;

/// Products with at least this many multiply-adds take the tiled path; below
/// it, the plain loops, fully unrolled by LLVM, are as fast or faster.
pub(super) const TILED_FROM: usize = 16 * 1024;

/// The left operand of a product, seen one block of `M` output rows at a time.
pub(super) trait Left<T> {
    /// Rows `i0..i0 + M` of the left operand over depths `k0..k0 + kc`, as
    /// `M` slices of length `kc` (`a(i0 + i, k0 + k)` is `rows[i][k]`),
    /// copied into `scratch` if they are not stored that way.
    fn rows<'s, const M: usize>(
        &'s self,
        i0: usize,
        k0: usize,
        kc: usize,
        scratch: &'s mut [[T; KC]; MR],
    ) -> [&'s [T]; M];
}

/// An operand stored with the depth along its rows: `x[k][index]` (the right
/// side of `A·B`, both sides of `Aᵀ·B`).
pub(super) struct DepthRows<'a, T, const W: usize>(pub &'a [[T; W]]);

impl<T: Scalar, const W: usize> Left<T> for DepthRows<'_, T, W> {
    #[inline(always)]
    fn rows<'s, const M: usize>(
        &'s self,
        i0: usize,
        k0: usize,
        kc: usize,
        scratch: &'s mut [[T; KC]; MR],
    ) -> [&'s [T]; M] {
        // The M values of one depth step are adjacent here. Read in place,
        // LLVM vectorizes across them (gathering and scattering the
        // accumulators) instead of along the tile's columns; a transposed
        // copy, made once per block of rows, gives it one slice per row.
        for (k, row) in self.0[k0..k0 + kc].iter().enumerate() {
            for (s, &a) in scratch.iter_mut().zip(&row[i0..i0 + M]) {
                s[k] = a;
            }
        }
        let scratch: &'s [[T; KC]; MR] = scratch;
        array::from_fn(|i| &scratch[i][..kc])
    }
}

/// An operand stored with the depth along its columns: `x[index][k]` (the
/// left side of `A·B`, both sides of `A·Bᵀ`).
pub(super) struct DepthColumns<'a, T, const W: usize>(pub &'a [[T; W]]);

impl<T: Scalar, const W: usize> Left<T> for DepthColumns<'_, T, W> {
    #[inline(always)]
    fn rows<'s, const M: usize>(
        &'s self,
        i0: usize,
        k0: usize,
        kc: usize,
        _: &'s mut [[T; KC]; MR],
    ) -> [&'s [T]; M] {
        array::from_fn(|i| &self.0[i0 + i][k0..k0 + kc])
    }
}

/// Writes `out[i][j] = Σ_{k < depth} a(i, k) · b[k][j]`: the right operand
/// stored with the depth along its rows (`A·B`, `Aᵀ·B`), read in place.
#[inline(never)]
pub(super) fn product<T: Scalar, const R: usize, const C: usize>(
    out: &mut [[T; C]; R],
    a: &impl Left<T>,
    b: &[[T; C]],
) {
    if b.is_empty() {
        out.fill([T::zero(); C]);
    }
    let mut scratch = [[T::zero(); KC]; MR];
    for (block, b) in b.chunks(KC).enumerate() {
        let k0 = block * KC;
        let mut i0 = 0;
        while i0 + MR <= R {
            let rows = a.rows::<MR>(i0, k0, b.len(), &mut scratch);
            columns(out, i0, 0, C, rows, b, 0, k0 == 0);
            i0 += MR;
        }
        while i0 < R {
            let rows = a.rows::<1>(i0, k0, b.len(), &mut scratch);
            columns(out, i0, 0, C, rows, b, 0, k0 == 0);
            i0 += 1;
        }
    }
}

/// Writes `out[i][j] = Σ_{k < depth} a(i, k) · b[j][k]`: the right operand
/// stored with the depth along its columns (`A·Bᵀ`). Its `KC x NR` panels
/// are copied, transposed, into a buffer that stays in L1 while every row of
/// the output passes over it.
#[inline(never)]
pub(super) fn product_transposed<T: Scalar, const R: usize, const C: usize, const K: usize>(
    out: &mut [[T; C]; R],
    a: &DepthColumns<'_, T, K>,
    b: &[[T; K]; C],
) {
    if K == 0 {
        out.fill([T::zero(); C]);
    }
    let mut scratch = [[T::zero(); KC]; MR];
    let mut panel = [[T::zero(); NR]; KC];
    let mut k0 = 0;
    while k0 < K {
        let kc = KC.min(K - k0);
        let panel = &mut panel[..kc];
        let mut j0 = 0;
        while j0 < C {
            let width = NR.min(C - j0);
            for (n, row) in b[j0..j0 + width].iter().enumerate() {
                for (p, &x) in panel.iter_mut().zip(&row[k0..k0 + kc]) {
                    p[n] = x;
                }
            }
            let mut i0 = 0;
            while i0 + MR <= R {
                let rows = a.rows::<MR>(i0, k0, kc, &mut scratch);
                columns(out, i0, j0, width, rows, panel, 0, k0 == 0);
                i0 += MR;
            }
            while i0 < R {
                let rows = a.rows::<1>(i0, k0, kc, &mut scratch);
                columns(out, i0, j0, width, rows, panel, 0, k0 == 0);
                i0 += 1;
            }
            j0 += width;
        }
        k0 += kc;
    }
}

/// Output rows `i0..i0 + M`, columns `j0..j0 + width`, over one depth block
/// (the `first` one overwrites the output, the others add to it), reading
/// the right operand's rows `b` from column `b0` on: tiles `NR` wide, then
/// the rest split into tiles of 16, 8, 4, 2 and 1.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn columns<T: Scalar, const M: usize, const C: usize, const W: usize>(
    out: &mut [[T; C]],
    i0: usize,
    j0: usize,
    width: usize,
    rows: [&[T]; M],
    b: &[[T; W]],
    b0: usize,
    first: bool,
) {
    let mut n = 0;
    while n + NR <= width {
        tile::<T, M, NR, C, W>(out, i0, j0 + n, rows, b, b0 + n, first);
        n += NR;
    }
    if width - n >= 16 {
        tile::<T, M, 16, C, W>(out, i0, j0 + n, rows, b, b0 + n, first);
        n += 16;
    }
    if width - n >= 8 {
        tile::<T, M, 8, C, W>(out, i0, j0 + n, rows, b, b0 + n, first);
        n += 8;
    }
    if width - n >= 4 {
        tile::<T, M, 4, C, W>(out, i0, j0 + n, rows, b, b0 + n, first);
        n += 4;
    }
    if width - n >= 2 {
        tile::<T, M, 2, C, W>(out, i0, j0 + n, rows, b, b0 + n, first);
        n += 2;
    }
    if width - n >= 1 {
        tile::<T, M, 1, C, W>(out, i0, j0 + n, rows, b, b0 + n, first);
    }
}

/// The register tile: the `M x N` outputs at `(i0, j0)` held in
/// accumulators while, for each depth step `k`, the outer product of
/// `rows[i][k]` and `b[k][b0..b0 + N]` is added to them.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn tile<T: Scalar, const M: usize, const N: usize, const C: usize, const W: usize>(
    out: &mut [[T; C]],
    i0: usize,
    j0: usize,
    rows: [&[T]; M],
    b: &[[T; W]],
    b0: usize,
    first: bool,
) {
    // Slices as long as `b`, so that indexing them by `k` needs no check.
    let rows = rows.map(|row| &row[..b.len()]);
    let out = &mut out[i0..i0 + M];
    // The first depth block starts from zero, so the output is never
    // cleared beforehand, nor read back.
    let mut acc: [[T; N]; M] = if first {
        [[T::zero(); N]; M]
    } else {
        array::from_fn(|i| {
            let values = &out[i][j0..j0 + N];
            array::from_fn(|n| values[n])
        })
    };
    for (k, b) in b.iter().enumerate() {
        let b = &b[b0..b0 + N];
        for (acc, row) in acc.iter_mut().zip(&rows) {
            multiply_add(acc, row[k], b);
        }
    }
    for (out, acc) in out.iter_mut().zip(&acc) {
        out[j0..j0 + N].copy_from_slice(acc);
    }
}

/// `acc += a · b`, one row of a tile: LLVM turns it into vector multiplies
/// and adds of `b` against `a` broadcast.
#[inline(always)]
fn multiply_add<T: Scalar, const N: usize>(acc: &mut [T; N], a: T, b: &[T]) {
    for (acc, &b) in acc.iter_mut().zip(b) {
        *acc = *acc + a * b;
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
