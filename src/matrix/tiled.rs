//! Cache-blocked, register-tiled products for shapes too large for the plain
//! loops of `product.rs` to keep in registers.
//!
//! Every product is written as `out[i][j] = Σ_k a(i, k) · b(k, j)`, where
//! each operand is read through [`Operand`], so one kernel serves `A·B`,
//! `Aᵀ·B` and `A·Bᵀ`. The depth is cut into blocks of [`KC`]; for each block
//! an `NR`-wide panel of `b` is copied into a contiguous stack buffer (small
//! enough for L1), and the output is swept in tiles of `MR x NR` values held
//! in registers, each `a` value loaded once per tile row and used `NR` times.
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
/// Output columns per register tile: two 8-lane vectors of `f32`.
const NR: usize = 16;
/// Depth of a block: the packed `KC x NR` panel of `b` is 8 KiB of `f32`.
const KC: usize = 128;

/// Products with at least this many multiply-adds take the tiled path; below
/// it, the plain loops, fully unrolled by LLVM, are as fast or faster.
pub(super) const TILED_FROM: usize = 16 * 1024;

/// One operand of a product, stored either way round.
pub(super) trait Operand<T> {
    /// As the left operand: adds `a(i, k0 + k) · panel[k][n0 + n]` over the
    /// panel's depth to `out[i][j0 + n0 + n]`, for `i` in `i0..i0 + M` and
    /// `n < N`: one `M x N` register tile.
    #[allow(clippy::too_many_arguments)]
    fn tile<const M: usize, const N: usize, const C: usize>(
        &self,
        out: &mut [[T; C]],
        i0: usize,
        j0: usize,
        n0: usize,
        k0: usize,
        panel: &[[T; NR]],
    );

    /// As the right operand: copies `b(k0 + k, j0 + n)` into `panel[k][n]`
    /// for `n < width` and `k < panel.len()`.
    fn pack(&self, panel: &mut [[T; NR]], j0: usize, k0: usize, width: usize);
}

/// An operand stored with the depth along its rows: `x[k][index]` (the right
/// side of `A·B`, both sides of `Aᵀ·B`).
pub(super) struct DepthRows<'a, T, const W: usize>(pub &'a [[T; W]]);

impl<T: Scalar, const W: usize> Operand<T> for DepthRows<'_, T, W> {
    #[inline(always)]
    fn tile<const M: usize, const N: usize, const C: usize>(
        &self,
        out: &mut [[T; C]],
        i0: usize,
        j0: usize,
        n0: usize,
        k0: usize,
        panel: &[[T; NR]],
    ) {
        let depth_rows = &self.0[k0..k0 + panel.len()];
        accumulate::<T, M, N, C>(out, i0, j0 + n0, |acc| {
            for (row, b) in depth_rows.iter().zip(panel) {
                let b = &b[n0..n0 + N];
                for (acc, &a) in acc.iter_mut().zip(&row[i0..i0 + M]) {
                    multiply_add(acc, a, b);
                }
            }
        });
    }

    #[inline(always)]
    fn pack(&self, panel: &mut [[T; NR]], j0: usize, k0: usize, width: usize) {
        let depth_rows = &self.0[k0..k0 + panel.len()];
        for (p, row) in panel.iter_mut().zip(depth_rows) {
            p[..width].copy_from_slice(&row[j0..j0 + width]);
        }
    }
}

/// An operand stored with the depth along its columns: `x[index][k]` (the
/// left side of `A·B`, both sides of `A·Bᵀ`).
pub(super) struct DepthColumns<'a, T, const W: usize>(pub &'a [[T; W]]);

impl<T: Scalar, const W: usize> Operand<T> for DepthColumns<'_, T, W> {
    #[inline(always)]
    fn tile<const M: usize, const N: usize, const C: usize>(
        &self,
        out: &mut [[T; C]],
        i0: usize,
        j0: usize,
        n0: usize,
        k0: usize,
        panel: &[[T; NR]],
    ) {
        let depth = k0..k0 + panel.len();
        // One slice per row, cut to the panel's depth, so that indexing by
        // the panel's `k` needs no bounds check.
        let rows: [&[T]; M] = array::from_fn(|i| &self.0[i0 + i][depth.clone()]);
        accumulate::<T, M, N, C>(out, i0, j0 + n0, |acc| {
            for (k, b) in panel.iter().enumerate() {
                let b = &b[n0..n0 + N];
                for (acc, row) in acc.iter_mut().zip(&rows) {
                    multiply_add(acc, row[k], b);
                }
            }
        });
    }

    #[inline(always)]
    fn pack(&self, panel: &mut [[T; NR]], j0: usize, k0: usize, width: usize) {
        let depth = k0..k0 + panel.len();
        for (n, row) in self.0[j0..j0 + width].iter().enumerate() {
            for (p, &x) in panel.iter_mut().zip(&row[depth.clone()]) {
                p[n] = x;
            }
        }
    }
}

/// Loads the `M x N` output tile at `(i0, j0)` into registers, lets `update`
/// add to it, and stores it back.
#[inline(always)]
fn accumulate<T: Scalar, const M: usize, const N: usize, const C: usize>(
    out: &mut [[T; C]],
    i0: usize,
    j0: usize,
    update: impl FnOnce(&mut [[T; N]; M]),
) {
    let rows = &mut out[i0..i0 + M];
    let mut acc: [[T; N]; M] = array::from_fn(|i| {
        let values = &rows[i][j0..j0 + N];
        array::from_fn(|n| values[n])
    });
    update(&mut acc);
    for (row, acc) in rows.iter_mut().zip(&acc) {
        row[j0..j0 + N].copy_from_slice(acc);
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

/// Writes `out[i][j] = Σ_{k < depth} a(i, k) · b(k, j)`.
#[inline(never)]
pub(super) fn product<T: Scalar, const R: usize, const C: usize>(
    out: &mut [[T; C]; R],
    depth: usize,
    a: &impl Operand<T>,
    b: &impl Operand<T>,
) {
    out.fill([T::zero(); C]);
    let mut panel = [[T::zero(); NR]; KC];
    let mut k0 = 0;
    while k0 < depth {
        let kc = KC.min(depth - k0);
        let panel = &mut panel[..kc];
        let mut j0 = 0;
        while j0 < C {
            let width = NR.min(C - j0);
            b.pack(panel, j0, k0, width);
            let mut i0 = 0;
            while i0 + MR <= R {
                row_block::<T, MR, C>(out, i0, j0, width, k0, a, panel);
                i0 += MR;
            }
            while i0 < R {
                row_block::<T, 1, C>(out, i0, j0, width, k0, a, panel);
                i0 += 1;
            }
            j0 += width;
        }
        k0 += kc;
    }
}

/// Output rows `i0..i0 + M`, columns `j0..j0 + width`, over one depth block:
/// a full-width tile, or a narrower panel split into tiles of 8, 4, 2 and 1.
#[inline(always)]
fn row_block<T: Scalar, const M: usize, const C: usize>(
    out: &mut [[T; C]],
    i0: usize,
    j0: usize,
    width: usize,
    k0: usize,
    a: &impl Operand<T>,
    panel: &[[T; NR]],
) {
    if width == NR {
        a.tile::<M, NR, C>(out, i0, j0, 0, k0, panel);
        return;
    }
    let mut n0 = 0;
    if width - n0 >= 8 {
        a.tile::<M, 8, C>(out, i0, j0, n0, k0, panel);
        n0 += 8;
    }
    if width - n0 >= 4 {
        a.tile::<M, 4, C>(out, i0, j0, n0, k0, panel);
        n0 += 4;
    }
    if width - n0 >= 2 {
        a.tile::<M, 2, C>(out, i0, j0, n0, k0, panel);
        n0 += 2;
    }
    if width - n0 >= 1 {
        a.tile::<M, 1, C>(out, i0, j0, n0, k0, panel);
    }
}

#[cfg(test)]
mod tests {
    //! The tiled path against the product's definition, on shapes that are
    //! not multiples of the tile (`MR`, `NR`) or block (`KC`) sizes.

    use super::*;
    use crate::Matrix;
    use proptest::prelude::*;

    fn naive<const R: usize, const K: usize, const C: usize>(
        a: &Matrix<R, K, f64>,
        b: &Matrix<K, C, f64>,
    ) -> Matrix<R, C, f64> {
        Matrix::from_fn(|r, c| (0..K).map(|k| a[(r, k)] * b[(k, c)]).sum())
    }

    fn matrix<const R: usize, const C: usize>() -> impl Strategy<Value = Matrix<R, C, f64>> {
        proptest::collection::vec(-10.0..10.0_f64, R * C)
            .prop_map(|v| Matrix::from_slice(&v).expect("length is R * C"))
    }

    fn assert_close<const R: usize, const C: usize>(
        got: &Matrix<R, C, f64>,
        want: &Matrix<R, C, f64>,
    ) -> Result<(), TestCaseError> {
        for (g, w) in got.as_slice().iter().zip(want.as_slice()) {
            prop_assert!((g - w).abs() <= 1e-9 * (1.0 + w.abs()), "{} != {}", g, w);
        }
        Ok(())
    }

    /// Integer entries keep every partial sum exact, so any order of
    /// summation gives the same bits and a wrong index shows at once.
    fn integers<const R: usize, const C: usize>(seed: usize) -> Matrix<R, C> {
        Matrix::from_fn(|r, c| ((r * 31 + c * 17 + seed) % 11) as f32 - 5.0)
    }

    #[test]
    fn the_shapes_take_the_tiled_path() {
        assert!(7 * 131 * 37 >= TILED_FROM);
        assert!(13 * 140 * 10 >= TILED_FROM);
        assert!(130 * 5 * 27 >= TILED_FROM);
    }

    #[test]
    fn exact_on_integers_with_every_remainder() {
        // 7 rows = one 4-row tile + 3 single rows; 37 columns = 16 + 16 + 4 + 1;
        // depth 131 = one 128 block + 3.
        let a = integers::<7, 131>(1);
        let b = integers::<131, 37>(2);
        let want: Matrix<7, 37> =
            Matrix::from_fn(|r, c| (0..131).map(|k| a[(r, k)] * b[(k, c)]).sum());
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
            // 10 columns: a panel narrower than NR, split 8 + 2.
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
