//! Operator overloads: `+`, `-` element-wise, `*` as the matrix product.

use core::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

use super::Matrix;
use crate::Scalar;

impl<const R: usize, const C: usize, T: Scalar> AddAssign<&Matrix<R, C, T>> for Matrix<R, C, T> {
    #[inline]
    fn add_assign(&mut self, rhs: &Self) {
        for (x, &y) in self.as_mut_slice().iter_mut().zip(rhs.as_slice()) {
            *x = *x + y;
        }
    }
}

impl<const R: usize, const C: usize, T: Scalar> SubAssign<&Matrix<R, C, T>> for Matrix<R, C, T> {
    #[inline]
    fn sub_assign(&mut self, rhs: &Self) {
        for (x, &y) in self.as_mut_slice().iter_mut().zip(rhs.as_slice()) {
            *x = *x - y;
        }
    }
}

impl<const R: usize, const C: usize, T: Scalar> Add for Matrix<R, C, T> {
    type Output = Self;

    /// Element-wise sum.
    #[inline]
    fn add(mut self, rhs: Self) -> Self {
        self += &rhs;
        self
    }
}

impl<const R: usize, const C: usize, T: Scalar> Sub for Matrix<R, C, T> {
    type Output = Self;

    /// Element-wise difference.
    #[inline]
    fn sub(mut self, rhs: Self) -> Self {
        self -= &rhs;
        self
    }
}

impl<const R: usize, const C: usize, T: Scalar> Neg for Matrix<R, C, T> {
    type Output = Self;

    #[inline]
    fn neg(self) -> Self {
        self.map(|x| -x)
    }
}

impl<const R: usize, const K: usize, const C: usize, T: Scalar> Mul<&Matrix<K, C, T>>
    for &Matrix<R, K, T>
{
    type Output = Matrix<R, C, T>;

    /// The matrix product, as [`Matrix::matmul`].
    #[inline]
    fn mul(self, rhs: &Matrix<K, C, T>) -> Matrix<R, C, T> {
        self.matmul(rhs)
    }
}

impl<const R: usize, const K: usize, const C: usize, T: Scalar> Mul<Matrix<K, C, T>>
    for Matrix<R, K, T>
{
    type Output = Matrix<R, C, T>;

    /// The matrix product, as [`Matrix::matmul`].
    #[inline]
    fn mul(self, rhs: Matrix<K, C, T>) -> Matrix<R, C, T> {
        self.matmul(&rhs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_operators() {
        let a = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
        let b = Matrix::new([[0.5, 0.5], [1.0, -1.0]]);
        assert_eq!(a + b, Matrix::new([[1.5, 2.5], [4.0, 3.0]]));
        assert_eq!(a - b, Matrix::new([[0.5, 1.5], [2.0, 5.0]]));
        assert_eq!(-a, Matrix::new([[-1.0, -2.0], [-3.0, -4.0]]));
        let mut c = a;
        c += &b;
        c -= &b;
        assert_eq!(c, a);
    }

    #[test]
    fn star_is_the_matrix_product() {
        let a = Matrix::new([[1.0, 2.0]]);
        let b = Matrix::new([[3.0], [4.0]]);
        assert_eq!(a * b, Matrix::new([[11.0]]));
        #[allow(clippy::op_ref)]
        let product = &b * &a;
        assert_eq!(product, Matrix::new([[3.0, 6.0], [4.0, 8.0]]));
    }
}
