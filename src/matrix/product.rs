//! Matrix products, including the two transposed forms backpropagation needs.
//!
//! Every loop runs over fixed-size arrays, so LLVM sees the trip counts and
//! unrolls and vectorizes small products completely. The loop orders keep the
//! innermost loop walking a contiguous row. Products of at least
//! `TILED_FROM` multiply-adds (a compile-time choice, since the shapes are
//! constants) go to the cache-blocked, register-tiled kernel of `tiled.rs`
//! through `dispatch.rs`, which picks the copy of the kernel compiled for the
//! processor's vector extensions; every copy sums in the same order, the
//! x86-64 ones with fused steps unless the `reproducible` feature is on.
//!
//! Off bare metal the `_into` products are always inlined, and so are
//! `Affine`'s forward and backward: a small network's step then keeps a
//! layer's outputs in registers for the next layer instead of passing them
//! through memory and a call (the 4-6-6-6-1 gradient at batch 1, criterion's
//! W2, took 85 ns instead of 103 ns on an AMD EPYC Zen 2). On bare metal LLVM decides: the
//! same inlining made the Cortex-M3 XOR step's frame 8 bytes larger.

use super::Matrix;
use super::dispatch;
use super::tiled::{DepthColumns, DepthRows, TILED_FROM};
use crate::Scalar;
use crate::math::sum_in_order;

impl<const R: usize, const K: usize, T: Scalar> Matrix<R, K, T> {
    /// The matrix product `self · rhs`: an `R x K` times a `K x C` matrix is an
    /// `R x C` matrix. The inner dimension `K` is checked by the compiler.
    ///
    /// # Speed and bits
    ///
    /// Products of at least 16 384 multiply-adds (`R·K·C`) go to a
    /// cache-blocked, register-tiled kernel; smaller ones to plain loops
    /// that LLVM unrolls. Under `std` on x86-64 the kernel is also compiled
    /// for AVX2 with FMA and for AVX-512, and the widest copy the processor
    /// runs is chosen at run time; the environment variable
    /// `CONSTNET_KERNELS` (`portable`, `avx2` or `avx512`), read once at the
    /// first large product, caps that choice, never above what the
    /// processor runs.
    ///
    /// Every path sums each output over `k` in increasing order, from the
    /// first product (so a sum of negative zeros is `-0`; with `K = 0` the
    /// output is `+0`). The plain loops and the portable kernel round each
    /// step's multiply and add, so their bits are the same on every target,
    /// `no_std` and Cortex-M included. The x86-64 copies fuse each step into
    /// one rounding (faster on cores where separate multiplies and adds cost
    /// issue slots or ports: on an AMD Zen 3, `X·W` 64x784·784x128 runs at
    /// 1.18x of `sgemm` instead of 0.68x), so a large product on a processor
    /// with FMA differs from the portable kernel's in its last bits, by at
    /// most `2·γ_K·Σ_k |a·b|` per element (`γ_K = K·u / (1 - K·u)`, `u` the
    /// unit roundoff); every processor with FMA gives the same bits as every
    /// other. The `reproducible` feature makes them round as the portable
    /// kernel does: the same bits everywhere. Products below the threshold
    /// never fuse.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let x = Matrix::new([[1.0, 2.0]]); // 1 x 2
    /// let w = Matrix::new([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]]); // 2 x 3
    /// assert_eq!(x.matmul(&w), Matrix::new([[2.0, 4.0, -1.0]]));
    /// ```
    #[inline]
    pub fn matmul<const C: usize>(&self, rhs: &Matrix<K, C, T>) -> Matrix<R, C, T> {
        let mut out = Matrix::zeros();
        self.matmul_into(rhs, &mut out);
        out
    }

    /// Writes `self · rhs` into `out`, which may live on the heap: the way to
    /// multiply matrices too large for the stack.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let mut out = Matrix::filled(9.0);
    /// Matrix::new([[2.0]]).matmul_into(&Matrix::new([[3.0, 4.0]]), &mut out);
    /// assert_eq!(out, Matrix::new([[6.0, 8.0]]));
    /// ```
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    pub fn matmul_into<const C: usize>(&self, rhs: &Matrix<K, C, T>, out: &mut Matrix<R, C, T>) {
        if R * K * C >= TILED_FROM {
            return dispatch::product(out.rows_mut(), &DepthColumns(self.rows()), rhs.rows());
        }
        if IN_COLUMN_BLOCKS && in_column_blocks(R * K * C, C) {
            for (out_row, lhs_row) in out.rows_mut().iter_mut().zip(self.rows()) {
                column_blocks(|k| lhs_row[k], rhs.rows(), out_row);
            }
            return;
        }
        let Some((first_rhs_row, rhs_rows)) = rhs.rows().split_first() else {
            return out.rows_mut().fill([T::zero(); C]);
        };
        for (out_row, (&first_a, lhs_row)) in out
            .rows_mut()
            .iter_mut()
            .zip(self.rows().iter().filter_map(|row| row.split_first()))
        {
            // A local row, so the sums stay in registers rather than going
            // through `out` at every step; the first term first.
            let mut sums = [T::zero(); C];
            for (o, &b) in sums.iter_mut().zip(first_rhs_row) {
                *o = first_a * b;
            }
            for (&a, rhs_row) in lhs_row.iter().zip(rhs_rows) {
                for (o, &b) in sums.iter_mut().zip(rhs_row) {
                    *o = *o + a * b;
                }
            }
            *out_row = sums;
        }
    }

    /// The product `selfᵀ · rhs` without building the transpose: an `R x K`
    /// and an `R x C` matrix give a `K x C` matrix. With `self` a batch of
    /// inputs and `rhs` the output gradient, this is a weight gradient `Xᵀ·dY`.
    /// Kernels and bits as for [`matmul`](Self::matmul).
    ///
    /// ```
    /// use constnet::Matrix;
    /// let x = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// let dy = Matrix::new([[1.0], [-1.0]]);
    /// assert_eq!(x.transposed_matmul(&dy), x.transpose().matmul(&dy));
    /// ```
    #[inline]
    pub fn transposed_matmul<const C: usize>(&self, rhs: &Matrix<R, C, T>) -> Matrix<K, C, T> {
        let mut out = Matrix::<K, C, T>::zeros();
        self.transposed_matmul_into(rhs, &mut out);
        out
    }

    /// Writes `selfᵀ · rhs` into `out`, overwriting it: a weight gradient
    /// computed straight into its place in a workspace.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let mut d_w = Matrix::filled(9.0);
    /// Matrix::new([[1.0, 2.0]]).transposed_matmul_into(&Matrix::new([[3.0]]), &mut d_w);
    /// assert_eq!(d_w, Matrix::new([[3.0], [6.0]]));
    /// ```
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    pub fn transposed_matmul_into<const C: usize>(
        &self,
        rhs: &Matrix<R, C, T>,
        out: &mut Matrix<K, C, T>,
    ) {
        if R * K * C >= TILED_FROM {
            return dispatch::product(out.rows_mut(), &DepthRows(self.rows()), rhs.rows());
        }
        if IN_COLUMN_BLOCKS && in_column_blocks(R * K * C, C) {
            for (k, out_row) in out.rows_mut().iter_mut().enumerate() {
                column_blocks(|r| self.rows()[r][k], rhs.rows(), out_row);
            }
            return;
        }
        let (Some((first_lhs_row, lhs_rows)), Some((first_rhs_row, rhs_rows))) =
            (self.rows().split_first(), rhs.rows().split_first())
        else {
            return out.rows_mut().fill([T::zero(); C]);
        };
        // The first term, then the rest.
        for (&a, out_row) in first_lhs_row.iter().zip(out.rows_mut()) {
            for (o, &b) in out_row.iter_mut().zip(first_rhs_row) {
                *o = a * b;
            }
        }
        for (lhs_row, rhs_row) in lhs_rows.iter().zip(rhs_rows) {
            for (&a, out_row) in lhs_row.iter().zip(out.rows_mut()) {
                for (o, &b) in out_row.iter_mut().zip(rhs_row) {
                    *o = *o + a * b;
                }
            }
        }
    }

    /// The product `self · rhsᵀ` without building the transpose: an `R x K`
    /// and a `C x K` matrix give an `R x C` matrix. With `self` an output
    /// gradient and `rhs` the weights, this is the input gradient `dY·Wᵀ`.
    /// Kernels and bits as for [`matmul`](Self::matmul).
    ///
    /// ```
    /// use constnet::Matrix;
    /// let dy = Matrix::new([[1.0, 2.0]]);
    /// let w = Matrix::new([[1.0, 0.0], [3.0, 4.0], [5.0, 6.0]]);
    /// assert_eq!(dy.matmul_transposed(&w), dy.matmul(&w.transpose()));
    /// ```
    #[inline]
    pub fn matmul_transposed<const C: usize>(&self, rhs: &Matrix<C, K, T>) -> Matrix<R, C, T> {
        let mut out = Matrix::<R, C, T>::zeros();
        self.matmul_transposed_into(rhs, &mut out);
        out
    }

    /// Writes `self · rhsᵀ` into `out`, overwriting it: an input gradient
    /// computed straight into its place in a workspace.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let mut d_x = Matrix::filled(9.0);
    /// Matrix::new([[1.0]]).matmul_transposed_into(&Matrix::new([[2.0], [3.0]]), &mut d_x);
    /// assert_eq!(d_x, Matrix::new([[2.0, 3.0]]));
    /// ```
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    pub fn matmul_transposed_into<const C: usize>(
        &self,
        rhs: &Matrix<C, K, T>,
        out: &mut Matrix<R, C, T>,
    ) {
        if R * K * C >= TILED_FROM {
            return dispatch::product_transposed(
                out.rows_mut(),
                &DepthColumns(self.rows()),
                rhs.rows(),
            );
        }
        for (out_row, lhs_row) in out.rows_mut().iter_mut().zip(self.rows()) {
            row_times_transposed::<SIDE_BY_SIDE, T, K, C>(lhs_row, rhs.rows(), out_row);
        }
    }
}

/// Whether a row times a transposed matrix ([`row_times_transposed`]) sums
/// the row's outputs side by side rather than one dot product after
/// another: off bare metal, where the sums vectorize across the row (a
/// column of the matrix gathered by shuffles) instead of each ending in a
/// horizontal sum (the 4-6-6-6-1 gradient at batch 1: 586 instructions
/// instead of 680, 76 ns instead of 86 on an AMD EPYC Zen 3). On a Cortex-M
/// the dot products are shorter code and fewer instructions (the Cortex-M4F
/// sine step: 11,446 against 11,940).
const SIDE_BY_SIDE: bool = cfg!(not(target_os = "none"));

/// `out[c] = Σ_k a[k] · b[c][k]`, each sum over increasing `k`:
/// the sums side by side, a step of `k` at a time for all of them, or one
/// dot product after another. The same bits either way.
#[inline(always)]
fn row_times_transposed<const SIDE_BY_SIDE: bool, T: Scalar, const K: usize, const C: usize>(
    a: &[T; K],
    b: &[[T; K]; C],
    out: &mut [T; C],
) {
    if !SIDE_BY_SIDE {
        for (o, b_row) in out.iter_mut().zip(b) {
            *o = sum_in_order(a.iter().zip(b_row).map(|(&a, &b)| a * b));
        }
        return;
    }
    let Some((&first, rest)) = a.split_first() else {
        return out.fill(T::zero());
    };
    // A local row, so the sums stay in registers.
    let mut sums = [T::zero(); C];
    for (s, b_row) in sums.iter_mut().zip(b) {
        *s = first * b_row[0];
    }
    for (k, &a) in rest.iter().enumerate() {
        for (s, b_row) in sums.iter_mut().zip(b) {
            *s = *s + a * b_row[k + 1];
        }
    }
    *out = sums;
}

/// Whether a layer whose gradient product has `multiply_adds`
/// multiply-adds computes it entry by entry in a fused step, moving each
/// parameter as soon as its gradient is summed, rather than storing it
/// whole. On bare metal (`target_os = "none"`), where memory is what is
/// short, every product below the tiled kernel's size; elsewhere only the
/// small ones, since the entries' sums (a strided column each) do not
/// vectorize and the product does: 64-32-10 at batch 32, whose second layer
/// has 10,240, took 18 µs a fused step entry by entry and 13 µs stored.
pub(crate) const fn gradient_entry_by_entry(multiply_adds: usize) -> bool {
    if cfg!(target_os = "none") {
        multiply_adds < TILED_FROM
    } else {
        multiply_adds < 1024
    }
}

/// Whether products below the tiled kernel's size sum blocks of
/// [`COLUMN_BLOCK`] output columns in registers over the whole depth
/// ([`column_blocks`]). On a Cortex-M4F (`eabihf`: a single-precision FPU with
/// 32 registers) that makes a multiply-accumulate one load and one `vfma`,
/// 2.5 instructions in all against 9.4 for the row-at-a-time loop, which
/// reloads and stores its output row at every step. Elsewhere the row loop
/// stays: LLVM vectorizes it on x86-64, and on a core without an FPU every
/// float operation is a library call, so the loop order saves nothing there
/// and the blocks would only add code.
const IN_COLUMN_BLOCKS: bool = cfg!(target_abi = "eabihf");

/// Output columns summed in registers at once by [`column_blocks`].
const COLUMN_BLOCK: usize = 16;

/// Whether a product of `macs` multiply-adds with `columns` output columns
/// goes to [`column_blocks`]: at least one whole block of columns, and
/// enough work that the blocks' loops pay for their code.
const fn in_column_blocks(macs: usize, columns: usize) -> bool {
    columns >= COLUMN_BLOCK && macs >= 1024
}

/// One output row of a product, `out[c] = Σ_k a(k) · b[k][c]`:
/// [`COLUMN_BLOCK`] columns at a time, their sums kept in registers over the
/// whole depth, four rows of `b` per turn of the loop; the columns after the
/// last whole block by a plain row. Every sum starts at `-0` (so its first
/// step gives the first term as it is) and adds its terms in increasing
/// `k`, with a rounded multiply and a rounded add per term, exactly as the
/// row-at-a-time loops do, so the bits are the same.
#[inline]
fn column_blocks<T: Scalar, const D: usize, const C: usize>(
    a: impl Fn(usize) -> T,
    b: &[[T; C]; D],
    out: &mut [T; C],
) {
    let (blocks, rest) = out.as_chunks_mut::<COLUMN_BLOCK>();
    let (quads, single_rows) = b.as_chunks::<4>();
    let block_of = |row: &[T; C], start: usize| -> Option<[T; COLUMN_BLOCK]> {
        row[start..].first_chunk().copied()
    };
    for (block, out_block) in blocks.iter_mut().enumerate() {
        let start = block * COLUMN_BLOCK;
        let mut sums = [-T::zero(); COLUMN_BLOCK];
        // The four rows written out: a loop of four stays a loop where the
        // caller's crate optimizes for size.
        for (quad, [b0, b1, b2, b3]) in quads.iter().enumerate() {
            let k = 4 * quad;
            let (Some(b0), Some(b1), Some(b2), Some(b3)) = (
                block_of(b0, start),
                block_of(b1, start),
                block_of(b2, start),
                block_of(b3, start),
            ) else {
                return;
            };
            add_products(&mut sums, a(k), &b0);
            add_products(&mut sums, a(k + 1), &b1);
            add_products(&mut sums, a(k + 2), &b2);
            add_products(&mut sums, a(k + 3), &b3);
        }
        for (i, row) in single_rows.iter().enumerate() {
            let Some(b_block) = block_of(row, start) else {
                return;
            };
            add_products(&mut sums, a(4 * quads.len() + i), &b_block);
        }
        *out_block = sums;
    }
    plain_row(&a, b, rest);
}

/// `out[c] = Σ_k a(k) · b[k][c]` for the last `out.len()` columns of `b`,
/// a row at a time.
#[inline]
fn plain_row<T: Scalar, const D: usize, const C: usize>(
    a: &impl Fn(usize) -> T,
    b: &[[T; C]; D],
    out: &mut [T],
) {
    let from = C - out.len();
    let Some((first, rows)) = b.split_first() else {
        return out.fill(T::zero());
    };
    let a_first = a(0);
    for (sum, &b) in out.iter_mut().zip(&first[from..]) {
        *sum = a_first * b;
    }
    for (k, row) in rows.iter().enumerate() {
        let a = a(k + 1);
        for (sum, &b) in out.iter_mut().zip(&row[from..]) {
            *sum = *sum + a * b;
        }
    }
}

/// `sums[c] += a · b[c]` for one block of columns, written out column by
/// column: a loop here stays a loop where the caller's crate optimizes for
/// size, and then the sums live in memory instead of registers.
#[inline(always)]
fn add_products<T: Scalar>(sums: &mut [T; COLUMN_BLOCK], a: T, b: &[T; COLUMN_BLOCK]) {
    macro_rules! columns {
        ($($c:literal)*) => { $( sums[$c] = sums[$c] + a * b[$c]; )* };
    }
    columns!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
}

#[cfg(test)]
pub(super) mod tests {
    //! Also the helpers of the tiled kernel's tests.

    use super::*;
    use proptest::prelude::*;

    /// The product by its definition, one dot product per element.
    pub(in crate::matrix) fn naive<const R: usize, const K: usize, const C: usize>(
        a: &Matrix<R, K, f64>,
        b: &Matrix<K, C, f64>,
    ) -> Matrix<R, C, f64> {
        Matrix::from_fn(|r, c| (0..K).map(|k| a[(r, k)] * b[(k, c)]).sum())
    }

    pub(in crate::matrix) fn matrix<const R: usize, const C: usize>()
    -> impl Strategy<Value = Matrix<R, C, f64>> {
        proptest::collection::vec(-10.0..10.0_f64, R * C)
            .prop_map(|v| Matrix::from_slice(&v).expect("length is R * C"))
    }

    pub(in crate::matrix) fn assert_close<const R: usize, const C: usize>(
        got: &Matrix<R, C, f64>,
        want: &Matrix<R, C, f64>,
    ) -> Result<(), TestCaseError> {
        for (g, w) in got.as_slice().iter().zip(want.as_slice()) {
            prop_assert!((g - w).abs() <= 1e-9 * (1.0 + w.abs()), "{} != {}", g, w);
        }
        Ok(())
    }

    #[test]
    fn hand_computed_product() {
        let a = Matrix::new([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        let b = Matrix::new([[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]);
        assert_eq!(a.matmul(&b), Matrix::new([[58.0, 64.0], [139.0, 154.0]]));
        assert_eq!(
            b.matmul(&a),
            Matrix::new([[39.0, 54.0, 69.0], [49.0, 68.0, 87.0], [59.0, 82.0, 105.0]])
        );
    }

    #[test]
    fn product_with_identity_is_unchanged() {
        let a = Matrix::new([[1.5, -2.0, 0.25], [4.0, 0.0, -6.0]]);
        assert_eq!(Matrix::<2, 2>::identity().matmul(&a), a);
        assert_eq!(a.matmul(&Matrix::<3, 3>::identity()), a);
    }

    proptest! {
        #[test]
        fn product_matches_definition(a in matrix::<3, 5>(), b in matrix::<5, 4>()) {
            assert_close(&a.matmul(&b), &naive(&a, &b))?;
        }

        #[test]
        fn transpose_of_product(a in matrix::<3, 5>(), b in matrix::<5, 4>()) {
            // (AB)ᵀ = BᵀAᵀ
            assert_close(&a.matmul(&b).transpose(), &b.transpose().matmul(&a.transpose()))?;
        }

        #[test]
        fn transposed_forms_match_explicit_transposes(
            x in matrix::<4, 3>(), dy in matrix::<4, 2>(), w in matrix::<3, 2>(),
        ) {
            assert_close(&x.transposed_matmul(&dy), &naive(&x.transpose(), &dy))?;
            assert_close(&dy.matmul_transposed(&w), &naive(&dy, &w.transpose()))?;
        }

        #[test]
        fn small_products_sum_in_increasing_depth_from_the_first_term(
            v in proptest::collection::vec(-10.0..10.0_f32, 6 + 36 + 15 + 35 + 20 + 12),
        ) {
            // The bits every path promises: each element is
            // `(t₀ + t₁) + …` over increasing depth, in `f32`.
            fn in_order(mut terms: impl Iterator<Item = f32>) -> u32 {
                let first = terms.next().expect("a term");
                terms.fold(first, |sum, term| sum + term).to_bits()
            }
            fn take<const R: usize, const C: usize>(v: &mut &[f32]) -> Matrix<R, C, f32> {
                let (head, rest) = v.split_at(R * C);
                *v = rest;
                Matrix::from_slice(head).expect("length is R * C")
            }
            let mut v = v.as_slice();
            let (dy, w) = (take::<1, 6>(&mut v), take::<6, 6>(&mut v));
            let got = dy.matmul_transposed(&w);
            let (mut side_by_side, mut dot_products) = ([0.0; 6], [0.0; 6]);
            row_times_transposed::<true, f32, 6, 6>(&dy.rows()[0], w.rows(), &mut side_by_side);
            row_times_transposed::<false, f32, 6, 6>(&dy.rows()[0], w.rows(), &mut dot_products);
            for c in 0..6 {
                let want = in_order((0..6).map(|k| dy[(0, k)] * w[(c, k)]));
                prop_assert_eq!(got[(0, c)].to_bits(), want);
                prop_assert_eq!(side_by_side[c].to_bits(), want);
                prop_assert_eq!(dot_products[c].to_bits(), want);
            }
            let (a, b) = (take::<3, 5>(&mut v), take::<7, 5>(&mut v));
            let got = a.matmul_transposed(&b);
            for (r, c) in (0..3).flat_map(|r| (0..7).map(move |c| (r, c))) {
                let want = in_order((0..5).map(|k| a[(r, k)] * b[(c, k)]));
                prop_assert_eq!(got[(r, c)].to_bits(), want);
            }
            let (x, dy) = (take::<4, 5>(&mut v), take::<4, 3>(&mut v));
            let got = x.transposed_matmul(&dy);
            for (k, c) in (0..5).flat_map(|k| (0..3).map(move |c| (k, c))) {
                let want = in_order((0..4).map(|r| x[(r, k)] * dy[(r, c)]));
                prop_assert_eq!(got[(k, c)].to_bits(), want);
            }
            let got = x.transpose().matmul(&dy);
            for (k, c) in (0..5).flat_map(|k| (0..3).map(move |c| (k, c))) {
                let want = in_order((0..4).map(|r| x[(r, k)] * dy[(r, c)]));
                prop_assert_eq!(got[(k, c)].to_bits(), want);
            }
        }

        #[test]
        fn transpose_is_an_involution(a in matrix::<3, 7>()) {
            prop_assert_eq!(a.transpose().transpose(), a);
        }
    }
}

#[cfg(test)]
mod into_tests {
    use super::*;

    /// The column blocks the Cortex-M4F uses give the row loops' bits, with
    /// a partial block after the whole ones and with sums that round.
    #[test]
    fn column_blocks_give_the_row_loops_bits() {
        let x = Matrix::<3, 40, f32>::from_fn(|r, c| ((r * 13 + c * 7) % 17) as f32 / 3.0 - 2.5);
        let w = Matrix::<40, 37, f32>::from_fn(|r, c| ((r * 5 + c * 11) % 19) as f32 / 7.0 - 1.3);
        let dy = Matrix::<3, 37, f32>::from_fn(|r, c| ((r + 3 * c) % 23) as f32 / 9.0 - 1.1);
        const { assert!(3 * 40 * 37 < TILED_FROM && in_column_blocks(3 * 40 * 37, 37)) };

        let mut by_rows = Matrix::<3, 37, f32>::zeros();
        for (out_row, x_row) in by_rows.rows_mut().iter_mut().zip(x.rows()) {
            for (&a, w_row) in x_row.iter().zip(w.rows()) {
                for (o, &b) in out_row.iter_mut().zip(w_row) {
                    *o += a * b;
                }
            }
        }
        let mut by_blocks = Matrix::<3, 37, f32>::filled(f32::NAN);
        for (out_row, x_row) in by_blocks.rows_mut().iter_mut().zip(x.rows()) {
            column_blocks(|k| x_row[k], w.rows(), out_row);
        }
        assert_eq!(by_blocks, by_rows);
        assert_eq!(x.matmul(&w), by_rows);

        let mut d_w = Matrix::<40, 37, f32>::filled(f32::NAN);
        for (k, out_row) in d_w.rows_mut().iter_mut().enumerate() {
            column_blocks(|r| x.rows()[r][k], dy.rows(), out_row);
        }
        assert_eq!(d_w, x.transposed_matmul(&dy));
        assert_eq!(d_w, x.transpose().matmul(&dy));
    }

    /// Every path starts each sum from its first term, so all of them give
    /// `-0` for a sum of negative zeros (`+0 · -1`), and `+0` for an empty
    /// sum.
    #[test]
    fn every_path_starts_a_sum_from_its_first_term() {
        fn negative_zeros<const R: usize, const C: usize>(m: &Matrix<R, C, f32>) -> bool {
            m.as_slice().iter().all(|x| x.to_bits() == 1 << 31)
        }
        let small = Matrix::<2, 3, f32>::zeros();
        let w = Matrix::<3, 4, f32>::filled(-1.0);
        assert!(negative_zeros(&small.matmul(&w)));
        assert!(negative_zeros(
            &small.transposed_matmul(&Matrix::<2, 4, f32>::filled(-1.0))
        ));
        assert!(negative_zeros(
            &small.matmul_transposed(&Matrix::<4, 3, f32>::filled(-1.0))
        ));
        assert!(negative_zeros(
            &Matrix::<3, 2, f32>::filled(-0.0).column_sums()
        ));
        let mut dots = [f32::NAN; 4];
        row_times_transposed::<false, f32, 3, 4>(&[0.0; 3], &[[-1.0; 3]; 4], &mut dots);
        assert!(dots.iter().all(|x| x.to_bits() == 1 << 31));

        let mut blocks = [f32::NAN; 37];
        column_blocks(|_| 0.0, &[[-1.0_f32; 37]; 8], &mut blocks);
        assert!(blocks.iter().all(|x| x.to_bits() == 1 << 31));

        const { assert!(TILED_FROM <= 64 * 16 * 16) };
        let tiled = Matrix::<64, 16, f32>::zeros();
        let minus_one = Matrix::<16, 16, f32>::filled(-1.0);
        assert!(negative_zeros(&tiled.matmul(&minus_one)));
        assert!(negative_zeros(&tiled.matmul_transposed(&minus_one)));
        let minus_one = Matrix::<64, 16, f32>::filled(-1.0);
        assert!(negative_zeros(&tiled.transposed_matmul(&minus_one)));

        let empty = Matrix::<2, 0, f32>::zeros().matmul(&Matrix::<0, 3, f32>::zeros());
        assert!(empty.as_slice().iter().all(|x| x.to_bits() == 0));
        let empty = Matrix::<0, 3, f32>::zeros().column_sums();
        assert!(empty.as_slice().iter().all(|x| x.to_bits() == 0));
    }

    /// The tiled kernels overwrite what `out` held: the `_into` forms need
    /// no cleared output, however large the product.
    #[test]
    fn large_products_into_garbage_equal_the_by_value_forms() {
        let a = Matrix::<32, 64, f64>::from_fn(|r, c| ((r * 7 + c * 3) % 11) as f64 - 5.0);
        let b = Matrix::<64, 48, f64>::from_fn(|r, c| ((r * 5 + c) % 13) as f64 - 6.0);
        let dy = Matrix::<32, 48, f64>::from_fn(|r, c| ((r + 2 * c) % 7) as f64 - 3.0);
        const { assert!(32 * 64 * 48 >= TILED_FROM) };

        let mut out = Matrix::filled(f64::NAN);
        a.matmul_into(&b, &mut out);
        assert_eq!(out, a.matmul(&b));

        let mut d_w = Matrix::filled(f64::NAN);
        a.transposed_matmul_into(&dy, &mut d_w);
        assert_eq!(d_w, a.transpose().matmul(&dy));

        let mut d_x = Matrix::filled(f64::NAN);
        dy.matmul_transposed_into(&b, &mut d_x);
        assert_eq!(d_x, dy.matmul(&b.transpose()));
    }
}
