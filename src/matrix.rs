//! [`Matrix<R, C, T>`]: a fixed-size matrix whose shape is part of its type.

mod dispatch;
mod ops;
mod product;
mod tiled;

pub(crate) use product::gradient_entry_by_entry;

#[cfg(feature = "alloc")]
mod boxed;

use core::fmt;
use core::ops::{Index, IndexMut};

use crate::Scalar;

/// An `R x C` matrix stored inline, row-major, with element type `T` (`f32` by default).
///
/// The shape is part of the type, so every operation is checked by the
/// compiler: the product of an `R x K` and a `K x C` matrix is an `R x C`
/// matrix, and a product whose inner dimensions differ does not compile.
/// A `Matrix` owns its storage (`R * C` elements, nothing else), is `Copy`,
/// and never allocates. Matrices too large for the stack can live on the heap
/// with [`Matrix::boxed_zeros`] (feature `alloc`).
///
/// In a network, the rows of a matrix are the samples of a batch and the
/// columns are the features: `Matrix<4, 2>` is a batch of four 2-wide inputs.
///
/// ```
/// use constnet::Matrix;
///
/// let a = Matrix::new([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]); // 3 x 2
/// let b = Matrix::new([[1.0, 0.0, 2.0], [0.0, 1.0, 3.0]]); // 2 x 3
/// let c: Matrix<3, 3> = a.matmul(&b);
/// assert_eq!(c[(2, 2)], 5.0 * 2.0 + 6.0 * 3.0);
/// assert_eq!(a.transpose(), Matrix::new([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]));
/// ```
#[derive(Clone, Copy, PartialEq)]
#[repr(transparent)]
pub struct Matrix<const R: usize, const C: usize, T = f32> {
    rows: [[T; C]; R],
}

impl<const R: usize, const C: usize, T> Matrix<R, C, T> {
    /// The number of rows, `R`.
    pub const ROWS: usize = R;
    /// The number of columns, `C`.
    pub const COLS: usize = C;

    /// Builds a matrix from its rows.
    ///
    /// ```
    /// use constnet::Matrix;
    /// const M: Matrix<1, 2> = Matrix::new([[0.5, -0.5]]);
    /// assert_eq!(M[(0, 1)], -0.5);
    /// ```
    #[inline]
    pub const fn new(rows: [[T; C]; R]) -> Self {
        Self { rows }
    }

    /// The rows, as the nested array they are stored in.
    #[inline]
    pub const fn rows(&self) -> &[[T; C]; R] {
        &self.rows
    }

    /// The rows, mutably.
    #[inline]
    pub fn rows_mut(&mut self) -> &mut [[T; C]; R] {
        &mut self.rows
    }

    /// Consumes the matrix and returns its rows.
    #[inline]
    pub fn into_rows(self) -> [[T; C]; R] {
        self.rows
    }

    /// Row `index`.
    ///
    /// # Panics
    ///
    /// If `index >= R`.
    #[inline]
    pub const fn row(&self, index: usize) -> &[T; C] {
        &self.rows[index]
    }

    /// All `R * C` elements in row-major order.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(m.as_slice(), &[1.0, 2.0, 3.0, 4.0]);
    /// ```
    #[inline]
    pub const fn as_slice(&self) -> &[T] {
        self.rows.as_flattened()
    }

    /// All elements in row-major order, mutably.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.rows.as_flattened_mut()
    }
}

impl<const R: usize, const C: usize, T: Scalar> Matrix<R, C, T> {
    /// The matrix of all zeros.
    #[inline]
    pub fn zeros() -> Self {
        Self::filled(T::zero())
    }

    /// The matrix with every element equal to `value`.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::<2, 3>::filled(7.0);
    /// assert!(m.as_slice().iter().all(|&x| x == 7.0));
    /// ```
    #[inline]
    pub fn filled(value: T) -> Self {
        Self {
            rows: [[value; C]; R],
        }
    }

    /// Builds a matrix by calling `f(row, column)` for every element.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::<2, 2>::from_fn(|r, c| (10 * r + c) as f32);
    /// assert_eq!(m, Matrix::new([[0.0, 1.0], [10.0, 11.0]]));
    /// ```
    #[inline]
    pub fn from_fn(mut f: impl FnMut(usize, usize) -> T) -> Self {
        Self {
            rows: core::array::from_fn(|r| core::array::from_fn(|c| f(r, c))),
        }
    }

    /// Builds a matrix from `R * C` elements in row-major order, or `None` when
    /// `values` has another length.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::<2, 2>::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(m[(1, 0)], 3.0);
    /// assert!(Matrix::<2, 2>::from_slice(&[1.0]).is_none());
    /// ```
    pub fn from_slice(values: &[T]) -> Option<Self> {
        if values.len() != R * C {
            return None;
        }
        Some(Self::from_fn(|r, c| values[r * C + c]))
    }

    /// A batch of `R` copies of one row: the row broadcast over the batch.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let batch: Matrix<3, 2> = Matrix::broadcast_row(&Matrix::new([[1.0, 2.0]]));
    /// assert_eq!(batch.row(2), &[1.0, 2.0]);
    /// ```
    #[inline]
    pub fn broadcast_row(row: &Matrix<1, C, T>) -> Self {
        Self {
            rows: [row.rows[0]; R],
        }
    }

    /// The transpose, a `C x R` matrix.
    #[inline]
    pub fn transpose(&self) -> Matrix<C, R, T> {
        Matrix::from_fn(|r, c| self.rows[c][r])
    }

    /// Applies `f` to every element.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::new([[1.0, -2.0]]).map(|x: f32| x.abs());
    /// assert_eq!(m, Matrix::new([[1.0, 2.0]]));
    /// ```
    #[inline]
    pub fn map(&self, mut f: impl FnMut(T) -> T) -> Self {
        let mut out = *self;
        out.as_mut_slice().iter_mut().for_each(|x| *x = f(*x));
        out
    }

    /// Combines two matrices of the same shape element by element with `f`.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let a = Matrix::new([[1.0, 2.0]]);
    /// let b = Matrix::new([[3.0, 5.0]]);
    /// assert_eq!(a.zip_map(&b, f32::max), b);
    /// ```
    #[inline]
    pub fn zip_map(&self, other: &Self, mut f: impl FnMut(T, T) -> T) -> Self {
        let mut out = *self;
        out.as_mut_slice()
            .iter_mut()
            .zip(other.as_slice())
            .for_each(|(x, &y)| *x = f(*x, y));
        out
    }

    /// The element-wise (Hadamard) product.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let a = Matrix::new([[1.0, 2.0]]);
    /// assert_eq!(a.hadamard(&Matrix::new([[3.0, 4.0]])), Matrix::new([[3.0, 8.0]]));
    /// ```
    #[inline]
    pub fn hadamard(&self, other: &Self) -> Self {
        self.zip_map(other, |x, y| x * y)
    }

    /// Every element multiplied by `factor`.
    ///
    /// ```
    /// use constnet::Matrix;
    /// assert_eq!(Matrix::new([[1.0, -2.0]]).scale(0.5), Matrix::new([[0.5, -1.0]]));
    /// ```
    #[inline]
    pub fn scale(&self, factor: T) -> Self {
        self.map(|x| x * factor)
    }

    /// The sum of each column, as a single row (the bias gradient `Σ dY`).
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::new([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    /// assert_eq!(m.column_sums(), Matrix::new([[9.0, 12.0]]));
    /// ```
    #[inline]
    pub fn column_sums(&self) -> Matrix<1, C, T> {
        let Some((first, rows)) = self.rows.split_first() else {
            return Matrix::zeros();
        };
        // The first row, then the rest added in order.
        let mut sums = *first;
        for row in rows {
            for (sum, &x) in sums.iter_mut().zip(row) {
                *sum = *sum + x;
            }
        }
        Matrix::new([sums])
    }

    /// Adds `row` to every row: the bias broadcast over a batch.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::<2, 2>::zeros().add_row(&Matrix::new([[1.0, 2.0]]));
    /// assert_eq!(m, Matrix::new([[1.0, 2.0], [1.0, 2.0]]));
    /// ```
    #[inline]
    pub fn add_row(&self, row: &Matrix<1, C, T>) -> Self {
        let mut out = *self;
        for out_row in &mut out.rows {
            for (x, &b) in out_row.iter_mut().zip(&row.rows[0]) {
                *x = *x + b;
            }
        }
        out
    }

    /// The sum of all elements.
    #[inline]
    pub fn sum(&self) -> T {
        self.as_slice().iter().fold(T::zero(), |acc, &x| acc + x)
    }

    /// Whether every element is finite (neither NaN nor infinite).
    #[inline]
    pub fn is_finite(&self) -> bool {
        self.as_slice().iter().all(|x| x.is_finite())
    }

    /// The column of the largest element of each row: the predicted class of
    /// each sample.
    ///
    /// Ties go to the first column. NaN is never chosen over a number; a row
    /// that is all NaN gives column 0.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let scores = Matrix::new([[0.1, 0.7, 0.2], [0.5, 0.5, 0.0]]);
    /// assert_eq!(scores.argmax_rows(), [1, 0]);
    /// ```
    pub fn argmax_rows(&self) -> [usize; R] {
        core::array::from_fn(|r| {
            let row = &self.rows[r];
            let mut best = 0;
            for (c, &x) in row.iter().enumerate().skip(1) {
                if x > row[best] || (row[best].is_nan() && !x.is_nan()) {
                    best = c;
                }
            }
            best
        })
    }
}

impl<const N: usize, T: Scalar> Matrix<N, N, T> {
    /// The `N x N` identity matrix.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(m.matmul(&Matrix::identity()), m);
    /// ```
    pub fn identity() -> Self {
        Self::from_fn(|r, c| if r == c { T::one() } else { T::zero() })
    }
}

impl<const R: usize, const C: usize, T: Scalar> Default for Matrix<R, C, T> {
    /// The zero matrix.
    fn default() -> Self {
        Self::zeros()
    }
}

impl<const R: usize, const C: usize, T> From<[[T; C]; R]> for Matrix<R, C, T> {
    fn from(rows: [[T; C]; R]) -> Self {
        Self { rows }
    }
}

impl<const R: usize, const C: usize, T> Index<(usize, usize)> for Matrix<R, C, T> {
    type Output = T;

    /// The element at `(row, column)`.
    ///
    /// # Panics
    ///
    /// If `row >= R` or `column >= C`.
    #[inline]
    fn index(&self, (row, column): (usize, usize)) -> &T {
        &self.rows[row][column]
    }
}

impl<const R: usize, const C: usize, T> IndexMut<(usize, usize)> for Matrix<R, C, T> {
    #[inline]
    fn index_mut(&mut self, (row, column): (usize, usize)) -> &mut T {
        &mut self.rows[row][column]
    }
}

impl<const R: usize, const C: usize, T: fmt::Debug> fmt::Debug for Matrix<R, C, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Matrix<{R}, {C}>")?;
        f.debug_list().entries(self.rows.iter()).finish()
    }
}

impl<const R: usize, const C: usize, T: fmt::Display> fmt::Display for Matrix<R, C, T> {
    /// One line per row, elements separated by spaces; the formatter's
    /// precision applies to every element (`{:.3}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (r, row) in self.rows.iter().enumerate() {
            if r > 0 {
                writeln!(f)?;
            }
            f.write_str("[")?;
            for (c, x) in row.iter().enumerate() {
                if c > 0 {
                    f.write_str(" ")?;
                }
                match f.precision() {
                    Some(p) => write!(f, "{x:.p$}")?,
                    None => write!(f, "{x}")?,
                }
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

static_assertions::assert_eq_size!(Matrix<3, 5>, [f32; 15]);
static_assertions::assert_eq_size!(Matrix<3, 5, f64>, [f64; 15]);
static_assertions::assert_impl_all!(Matrix<3, 5>: Copy, Send, Sync, Default);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors() {
        assert_eq!(Matrix::<2, 3>::zeros().as_slice(), &[0.0; 6]);
        assert_eq!(
            Matrix::<2, 2, f64>::identity(),
            Matrix::new([[1.0, 0.0], [0.0, 1.0]])
        );
        assert_eq!(Matrix::<2, 3>::default(), Matrix::zeros());
        assert_eq!(Matrix::from([[1.0_f32, 2.0]]), Matrix::new([[1.0, 2.0]]));
        assert_eq!(Matrix::<1, 3>::ROWS * Matrix::<1, 3>::COLS, 3);
    }

    #[test]
    fn indexing_is_row_then_column() {
        let mut m = Matrix::new([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        assert_eq!(m[(1, 2)], 6.0);
        m[(0, 1)] = 9.0;
        assert_eq!(m.row(0), &[1.0, 9.0, 3.0]);
        assert_eq!(m.into_rows()[0][1], 9.0);
    }

    #[test]
    #[should_panic(expected = "index out of bounds")]
    fn indexing_out_of_range_panics() {
        let m = Matrix::<2, 2>::zeros();
        let _ = m[(2, 0)];
    }

    #[test]
    fn element_wise() {
        let a = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
        let b = Matrix::new([[0.5, -1.0], [2.0, 0.0]]);
        assert_eq!(a.hadamard(&b), Matrix::new([[0.5, -2.0], [6.0, 0.0]]));
        assert_eq!(a.scale(2.0), Matrix::new([[2.0, 4.0], [6.0, 8.0]]));
        assert_eq!(
            a.zip_map(&b, |x, y| x - y),
            Matrix::new([[0.5, 3.0], [1.0, 4.0]])
        );
        assert_eq!(a.sum(), 10.0);
    }

    #[test]
    fn column_sums_and_broadcast() {
        let m = Matrix::new([[1.0, -1.0], [2.0, 5.0], [0.5, 0.5]]);
        assert_eq!(m.column_sums(), Matrix::new([[3.5, 4.5]]));
        let bias = Matrix::new([[10.0, 20.0]]);
        assert_eq!(m.add_row(&bias), m + Matrix::<3, 2>::broadcast_row(&bias));
    }

    #[test]
    fn argmax_prefers_first_and_skips_nan() {
        let m = Matrix::new([[1.0, 3.0, 3.0], [f32::NAN, 1.0, 0.0], [f32::NAN; 3]]);
        assert_eq!(m.argmax_rows(), [1, 1, 0]);
    }

    #[test]
    fn finiteness() {
        assert!(Matrix::new([[1.0, 2.0]]).is_finite());
        assert!(!Matrix::new([[1.0, f32::NAN]]).is_finite());
        assert!(!Matrix::new([[f32::INFINITY, 0.0]]).is_finite());
    }

    #[test]
    fn from_slice_checks_length() {
        assert_eq!(
            Matrix::<1, 3>::from_slice(&[1.0, 2.0, 3.0]),
            Some(Matrix::new([[1.0, 2.0, 3.0]]))
        );
        assert_eq!(Matrix::<1, 3>::from_slice(&[1.0, 2.0]), None);
    }

    #[test]
    fn formatting() {
        extern crate alloc;
        use alloc::format;
        let m = Matrix::new([[1.0, 2.5], [-3.0, 0.125]]);
        assert_eq!(format!("{m:.2}"), "[1.00 2.50]\n[-3.00 0.12]");
        assert_eq!(format!("{m}"), "[1 2.5]\n[-3 0.125]");
        assert_eq!(format!("{m:?}"), "Matrix<2, 2>[[1.0, 2.5], [-3.0, 0.125]]");
    }
}
