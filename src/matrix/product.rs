//! Matrix products, including the two transposed forms backpropagation needs.
//!
//! Every loop runs over fixed-size arrays, so LLVM sees the trip counts and
//! unrolls and vectorizes small products completely. The loop orders keep the
//! innermost loop walking a contiguous row. Products of at least
//! `TILED_FROM` multiply-adds (a compile-time choice, since the shapes are
//! constants) go to the cache-blocked, register-tiled kernel of `tiled.rs`
//! through `dispatch.rs`, which picks the copy of the kernel compiled for the
//! processor's vector extensions; every copy sums in the same order and so
//! gives the same bits (unless the `fma` feature fuses the steps).

use super::Matrix;
use super::dispatch;
use super::tiled::{DepthColumns, DepthRows, TILED_FROM};
use crate::Scalar;

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
    /// Every path sums each output over `k` in increasing order, with a
    /// rounded multiply and a rounded add per step, so a product has the
    /// same bits on every target and processor, `no_std` and Cortex-M
    /// included. The `fma` feature makes the x86-64 copies use fused
    /// multiply-adds instead (one rounding per step): faster on cores whose
    /// multiplies and adds share execution ports, as on many Intel cores (on
    /// AMD Zen 5 it measured no faster), and large products then differ from
    /// the other paths in their last bits, by at most `2·γ_K·Σ_k |a·b|`
    /// per element (`γ_K = K·u / (1 - K·u)`, `u` the unit roundoff); products
    /// below the threshold keep their bits.
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
    #[inline]
    pub fn matmul_into<const C: usize>(&self, rhs: &Matrix<K, C, T>, out: &mut Matrix<R, C, T>) {
        if R * K * C >= TILED_FROM {
            return dispatch::product(out.rows_mut(), &DepthColumns(self.rows()), rhs.rows());
        }
        for (out_row, lhs_row) in out.rows_mut().iter_mut().zip(self.rows()) {
            // A local row, so the sums stay in registers rather than going
            // through `out` at every step.
            let mut sums = [T::zero(); C];
            for (&a, rhs_row) in lhs_row.iter().zip(rhs.rows()) {
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
    #[inline]
    pub fn transposed_matmul_into<const C: usize>(
        &self,
        rhs: &Matrix<R, C, T>,
        out: &mut Matrix<K, C, T>,
    ) {
        if R * K * C >= TILED_FROM {
            return dispatch::product(out.rows_mut(), &DepthRows(self.rows()), rhs.rows());
        }
        *out.rows_mut() = [[T::zero(); C]; K];
        for (lhs_row, rhs_row) in self.rows().iter().zip(rhs.rows()) {
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
    #[inline]
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
            for (o, rhs_row) in out_row.iter_mut().zip(rhs.rows()) {
                *o = lhs_row
                    .iter()
                    .zip(rhs_row)
                    .fold(T::zero(), |acc, (&a, &b)| acc + a * b);
            }
        }
    }
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
        fn transpose_is_an_involution(a in matrix::<3, 7>()) {
            prop_assert_eq!(a.transpose().transpose(), a);
        }
    }
}

#[cfg(test)]
mod into_tests {
    use super::*;

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
