//! [`Softmax`]: turns each row of scores into probabilities.

use crate::layer::{InPlaceLayer, Layer, kind};
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
    type Kind = kind::InPlace;
    type Saved = ();

    #[inline]
    fn forward(&self, input: &Matrix<B, N, T>, output: &mut Matrix<B, N, T>, _: &mut ()) {
        for (out_row, in_row) in output.rows_mut().iter_mut().zip(input.rows()) {
            math::softmax(in_row, out_row);
        }
    }

    #[inline]
    fn backward(
        &self,
        input: &Matrix<B, N, T>,
        d_output: &Matrix<B, N, T>,
        _: &(),
        _: &mut (),
        d_input: Option<&mut Matrix<B, N, T>>,
    ) {
        if let Some(d_input) = d_input {
            let output = self.predict(input);
            *d_input = *d_output;
            self.backward_in_place(&output, d_input, &(), &mut ());
        }
    }
}

impl<const B: usize, const N: usize, T: Scalar> InPlaceLayer<Matrix<B, N, T>> for Softmax {
    #[inline]
    fn forward_in_place(&self, values: &mut Matrix<B, N, T>, _: &mut ()) {
        for row in values.rows_mut() {
            let input = *row;
            math::softmax(&input, row);
        }
    }

    #[inline]
    fn backward_in_place(
        &self,
        output: &Matrix<B, N, T>,
        d_values: &mut Matrix<B, N, T>,
        _: &(),
        _: &mut (),
    ) {
        // dx_i = y_i (dy_i - Σ_j dy_j y_j), the Jacobian diag(y) - y yᵀ applied to dy
        for (d, y) in d_values.rows_mut().iter_mut().zip(output.rows()) {
            let dot = y
                .iter()
                .zip(d.iter())
                .fold(T::zero(), |s, (&y, &d)| s + y * d);
            for (d, &y) in d.iter_mut().zip(y) {
                *d = y * (*d - dot);
            }
        }
    }
}

crate::no_parameters!(Softmax);

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

    #[test]
    fn in_place_and_out_of_place_agree_to_the_bit() {
        let x = Matrix::new([[0.3_f64, -1.2, 2.2], [1.0, 0.5, -0.5]]);
        let d_y = Matrix::new([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]);
        let mut y = Matrix::filled(f64::NAN);
        Softmax.forward(&x, &mut y, &mut ());
        let mut in_place = x;
        Softmax.forward_in_place(&mut in_place, &mut ());
        assert_eq!(in_place, y);
        let mut d_x = Matrix::filled(f64::NAN);
        Softmax.backward(&x, &d_y, &(), &mut (), Some(&mut d_x));
        let mut d_in_place = d_y;
        Softmax.backward_in_place(&y, &mut d_in_place, &(), &mut ());
        assert_eq!(d_in_place, d_x);
    }

    proptest::proptest! {
        #[test]
        fn rows_sum_to_one_for_logits_within_1e4(
            logits in proptest::collection::vec(-1e4_f32..=1e4, 15),
            wide in proptest::collection::vec(-1e4_f64..=1e4, 15),
            d_y in proptest::collection::vec(-1e4_f32..=1e4, 15),
        ) {
            let x = Matrix::<3, 5>::from_slice(&logits).unwrap();
            let y = Softmax.predict(&x);
            for row in y.rows() {
                proptest::prop_assert!(row.iter().all(|p| (0.0..=1.0).contains(p)), "{y:?}");
                proptest::prop_assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6, "{y:?}");
            }
            // The largest logit has the largest probability.
            for (r, &c) in x.argmax_rows().iter().enumerate() {
                proptest::prop_assert!(y.row(r).iter().all(|&p| p <= y[(r, c)]));
            }
            let mut d_x = Matrix::from_slice(&d_y).unwrap();
            Softmax.backward_in_place(&y, &mut d_x, &(), &mut ());
            proptest::prop_assert!(d_x.is_finite(), "{d_x:?}");

            let y = Softmax.predict(&Matrix::<3, 5, f64>::from_slice(&wide).unwrap());
            for row in y.rows() {
                proptest::prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-14, "{y:?}");
            }
        }
    }
}
