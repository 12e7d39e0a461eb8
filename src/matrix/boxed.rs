//! Matrices on the heap, for shapes too large for the stack (feature `alloc`).

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec;

use super::Matrix;
use crate::Scalar;

impl<const R: usize, const C: usize, T: Scalar> Matrix<R, C, T> {
    /// A zero matrix allocated directly on the heap.
    ///
    /// `Box::new(Matrix::zeros())` builds the matrix on the stack first and
    /// then moves it, which overflows the stack for large shapes (a
    /// `Matrix<1000, 5000>` of `f32` is 20 MB). This never holds more than one
    /// row on the stack.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let mut x = Matrix::<1000, 5000>::boxed_zeros();
    /// x[(999, 4999)] = 1.0;
    /// let w = Matrix::<5000, 10>::boxed_zeros();
    /// let mut y = Matrix::<1000, 10>::boxed_zeros();
    /// x.matmul_into(&w, &mut y);
    /// assert_eq!(y.sum(), 0.0);
    /// ```
    pub fn boxed_zeros() -> Box<Self> {
        Self::boxed_from_fn(|_, _| T::zero())
    }

    /// A matrix allocated directly on the heap, element `(r, c)` set to `f(r, c)`.
    ///
    /// ```
    /// use constnet::Matrix;
    /// let m = Matrix::<300, 400, f64>::boxed_from_fn(|r, c| (r * 400 + c) as f64);
    /// assert_eq!(m[(299, 399)], 119_999.0);
    /// ```
    pub fn boxed_from_fn(mut f: impl FnMut(usize, usize) -> T) -> Box<Self> {
        let mut rows = vec![[T::zero(); C]; R];
        for (r, row) in rows.iter_mut().enumerate() {
            for (c, x) in row.iter_mut().enumerate() {
                *x = f(r, c);
            }
        }
        let rows: Box<[[T; C]; R]> = match rows.into_boxed_slice().try_into() {
            Ok(rows) => rows,
            Err(_) => unreachable!("the vector holds exactly R rows"),
        };
        Self::from_boxed_rows(rows)
    }

    /// Reinterprets boxed rows as a boxed matrix, without copying.
    #[allow(unsafe_code)]
    fn from_boxed_rows(rows: Box<[[T; C]; R]>) -> Box<Self> {
        // Safe code cannot turn a `Box<A>` into a `Box<B>` without moving the
        // value through the stack, which is what this module exists to avoid.
        // SAFETY: `Matrix<R, C, T>` is `#[repr(transparent)]` over its only
        // field, a `[[T; C]; R]`, so both types have the same size, alignment
        // and validity; the pointer comes from `Box::into_raw` of the same
        // global allocator and is given back to a `Box` exactly once.
        unsafe { Box::from_raw(Box::into_raw(rows).cast::<Self>()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_textbook_batched_product_fits() {
        // A 1000 x 5000 batch times 5000 x 10 weights: 20 MB of input, ten
        // times the 2 MB stack of a test thread.
        let x = Matrix::<1000, 5000>::boxed_from_fn(|r, c| ((r + c) % 7) as f32 - 3.0);
        let w = Matrix::<5000, 10>::boxed_from_fn(|r, c| if r == c { 1.0 } else { 0.0 });
        let mut y = Matrix::<1000, 10>::boxed_zeros();
        x.matmul_into(&w, &mut y);
        // W picks the first ten columns of X.
        for r in [0, 1, 500, 999] {
            for c in 0..10 {
                assert_eq!(y[(r, c)], x[(r, c)]);
            }
        }
    }

    #[test]
    fn boxed_and_stack_matrices_agree() {
        let boxed = Matrix::<3, 4, f64>::boxed_from_fn(|r, c| (r * 4 + c) as f64);
        let stack = Matrix::<3, 4, f64>::from_fn(|r, c| (r * 4 + c) as f64);
        assert_eq!(*boxed, stack);
        assert_eq!(
            boxed.matmul(&stack.transpose()),
            stack.matmul(&stack.transpose())
        );
    }
}
