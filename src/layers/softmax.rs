//! [`Softmax`]: turns each row of scores into probabilities.

use crate::layer::{Layer, no_parameters};
use crate::{Matrix, Scalar, math};

/// The softmax of each row, `y_i = e^(x_i) / Σ_j e^(x_j)`: every row becomes
/// a probability distribution.
///
/// The row maximum is subtracted before `exp`, so logits of ±1e4 give finite
/// probabilities. For training a classifier, prefer a linear last layer and
/// [`SoftmaxCrossEntropy`](crate::SoftmaxCrossEntropy), which fuses the two
/// and has a simpler, more accurate gradient; this layer is for networks that
/// must output probabilities.
///
/// ```
/// use constnet::{Layer, Matrix, Softmax};
///
/// let y = Softmax.predict(&Matrix::new([[0.0_f64, 0.0], [1e4, -1e4]]));
/// assert_eq!(y, Matrix::new([[0.5, 0.5], [1.0, 0.0]]));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Softmax;

impl<const B: usize, const N: usize, T: Scalar> Layer<Matrix<B, N, T>> for Softmax {
    type Output = Matrix<B, N, T>;
    type Cache = Matrix<B, N, T>;

    #[inline]
    fn forward(&self, input: &Matrix<B, N, T>) -> (Matrix<B, N, T>, Matrix<B, N, T>) {
        let output = self.predict(input);
        (output, output)
    }

    #[inline]
    fn predict(&self, input: &Matrix<B, N, T>) -> Matrix<B, N, T> {
        let mut output = Matrix::zeros();
        for (out_row, in_row) in output.rows_mut().iter_mut().zip(input.rows()) {
            math::softmax(in_row, out_row);
        }
        output
    }

    #[inline]
    fn backward(
        &self,
        output: &Matrix<B, N, T>,
        d_output: &Matrix<B, N, T>,
    ) -> (Matrix<B, N, T>, ()) {
        // dx_i = y_i (dy_i - Σ_j dy_j y_j), the Jacobian diag(y) - y yᵀ applied to dy
        let mut d_input = Matrix::zeros();
        for ((d_in, y), d_out) in d_input
            .rows_mut()
            .iter_mut()
            .zip(output.rows())
            .zip(d_output.rows())
        {
            let dot = y.iter().zip(d_out).fold(T::zero(), |s, (&y, &d)| s + y * d);
            for ((d_in, &y), &d) in d_in.iter_mut().zip(y).zip(d_out) {
                *d_in = y * (d - dot);
            }
        }
        (d_input, ())
    }
}

no_parameters!(Softmax);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mse, gradient_check};

    #[test]
    fn rows_are_distributions() {
        let x = Matrix::new([[1.0_f64, 2.0, 3.0], [-5.0, 0.0, 5.0]]);
        let y = Softmax.predict(&x);
        for row in y.rows() {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        }
        // e / (1 + e + e²) etc.
        let e = 1.0_f64.exp();
        let s = 1.0 + e + e * e;
        assert!((y[(0, 0)] - 1.0 / s).abs() < 1e-15);
        assert!((y[(0, 2)] - e * e / s).abs() < 1e-15);
    }

    #[test]
    fn shifting_logits_changes_nothing() {
        let x = Matrix::new([[0.3_f64, -1.2, 2.2]]);
        let shifted = x.map(|v| v + 1000.0);
        let (a, b) = (Softmax.predict(&x), Softmax.predict(&shifted));
        for (a, b) in a.as_slice().iter().zip(b.as_slice()) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = Matrix::new([[0.3_f64, -1.2, 2.2], [1.0, 0.5, -0.5]]);
        let t = Matrix::new([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]);
        let report = gradient_check(&Softmax, &Mse, &x, &t);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
    }

    proptest::proptest! {
        #[test]
        fn rows_sum_to_one_for_logits_within_1e4(
            logits in proptest::collection::vec(-1e4_f32..=1e4, 15),
            wide in proptest::collection::vec(-1e4_f64..=1e4, 15),
            d_y in proptest::collection::vec(-1e4_f32..=1e4, 15),
        ) {
            let x = Matrix::<3, 5>::from_slice(&logits).unwrap();
            let (y, cache) = Softmax.forward(&x);
            for row in y.rows() {
                proptest::prop_assert!(row.iter().all(|p| (0.0..=1.0).contains(p)), "{y:?}");
                proptest::prop_assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6, "{y:?}");
            }
            // The largest logit has the largest probability.
            for (r, &c) in x.argmax_rows().iter().enumerate() {
                proptest::prop_assert!(y.row(r).iter().all(|&p| p <= y[(r, c)]));
            }
            let (d_x, ()) = Softmax.backward(&cache, &Matrix::from_slice(&d_y).unwrap());
            proptest::prop_assert!(d_x.is_finite(), "{d_x:?}");

            let y = Softmax.predict(&Matrix::<3, 5, f64>::from_slice(&wide).unwrap());
            for row in y.rows() {
                proptest::prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-14, "{y:?}");
            }
        }
    }
}
