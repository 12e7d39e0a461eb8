//! Numerical gradient checking: backpropagation against central finite
//! differences.

use crate::layer::Parameters;
use crate::stage::{Incoming, Trainable};
use crate::{Loss, Matrix, Scalar};

/// Which value a [`GradientReport`] entry refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GradientEntry {
    /// The parameter at this position, in [`Parameters::visit`] order.
    Parameter(usize),
    /// The input element at this position, row-major.
    Input(usize),
    /// The loss itself, at the unmoved parameters and input: it is not
    /// finite, so no gradient can be checked.
    Loss,
}

/// The result of a gradient check.
///
/// Any NaN or infinite value (in the loss, a backpropagated gradient or a
/// finite difference) makes `max_relative_error` infinite and `worst` the
/// first entry where it appeared, so [`passed`](GradientReport::passed) is
/// false for every tolerance: a check cannot pass on NaN.
///
/// ```
/// use constnet::{Affine, GradientEntry, Matrix, Mse, gradient_check};
///
/// let broken: Affine<1, 1, f64> = Affine::new(Matrix::new([[f64::NAN]]), Matrix::zeros());
/// let report = gradient_check(&broken, &Mse, &Matrix::new([[1.0]]), &Matrix::new([[0.0]]));
/// assert!(!report.passed(1e-6));
/// assert_eq!(report.worst, Some(GradientEntry::Loss));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientReport<T> {
    /// The largest relative error over all checked values (see [`GradientCheck`]).
    pub max_relative_error: T,
    /// Where the largest error is, or `None` when nothing was checked.
    pub worst: Option<GradientEntry>,
    /// The backpropagated gradient at `worst`.
    pub analytic: T,
    /// The finite-difference gradient at `worst`.
    pub numeric: T,
    /// How many values were checked: every parameter and every input element.
    pub checked: usize,
}

/// Settings for a gradient check; [`gradient_check`] uses the defaults.
///
/// Each parameter and each input element `p` is moved by `±step` and the
/// loss evaluated; the numeric gradient is `(L(p + step) - L(p - step)) /
/// (2 step)`. The relative error of a backpropagated value `a` against the
/// numeric `n` is `|a - n| / max(|a|, |n|, floor)`: relative for gradients
/// larger than `floor`, absolute below it, where rounding in the loss swamps
/// a finite difference anyway.
///
/// ```
/// use constnet::{Affine, GradientCheck, Matrix, Mse};
///
/// let layer: Affine<2, 1, f64> = Affine::new(Matrix::new([[0.3], [-0.2]]), Matrix::new([[0.1]]));
/// let x = Matrix::new([[1.0, 2.0]]);
/// let report = GradientCheck::default().run(&layer, &Mse, &x, &Matrix::new([[1.0]]));
/// assert!(report.max_relative_error < 1e-8);
/// assert_eq!(report.checked, 3 + 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientCheck<T> {
    /// The finite-difference step.
    pub step: T,
    /// Gradients smaller than this are compared absolutely.
    pub floor: T,
}

impl<T: Scalar> GradientReport<T> {
    /// Whether every checked value agrees within `tolerance` (relative, see
    /// [`GradientCheck`]) and every value was finite.
    pub fn passed(&self, tolerance: T) -> bool {
        self.max_relative_error.is_finite() && self.max_relative_error < tolerance
    }
}

impl<T: Scalar> Default for GradientCheck<T> {
    /// `step = ε^(1/3)`, which balances truncation and rounding error in a
    /// central difference (6e-6 for `f64`, 5e-3 for `f32`). `floor = 1e-4`
    /// for `f64`, `0.1` for `f32`: an `f32` loss carries 7 digits, so its
    /// central difference is good to about `1e-5 · |L|` absolutely, and only
    /// gradients above `0.1` can be held to a relative `1e-3`. Below it the
    /// check is absolute (`1e-4` at a tolerance of `1e-3`), which still
    /// catches a wrong sign or factor in any gradient larger than about `1e-3`.
    fn default() -> Self {
        let eps = T::epsilon();
        let floor = if eps > T::from_f64(1e-10) { 0.1 } else { 1e-4 };
        Self {
            step: eps.cbrt(),
            floor: T::from_f64(floor),
        }
    }
}

impl<T: Scalar> GradientCheck<T> {
    /// Checks `layer`'s backward pass (a layer or a whole network) under
    /// `loss`, at input `input` and target `target`: every parameter and every
    /// input element.
    pub fn run<L, Lo, const B: usize, const IN: usize, const OUT: usize>(
        &self,
        layer: &L,
        loss: &Lo,
        input: &Matrix<B, IN, T>,
        target: &Matrix<B, OUT, T>,
    ) -> GradientReport<T>
    where
        L: Trainable<Matrix<B, IN, T>, Output = Matrix<B, OUT, T>> + Clone,
        Lo: Loss<Matrix<B, OUT, T>>,
    {
        // Backpropagation as training runs it: through the layer's stages,
        // with every output in its workspace slot.
        let mut storage = L::Storage::default();
        let mut gradient = <L as Parameters<T>>::Gradient::default();
        let mut d_input = Matrix::zeros();
        let incoming = Incoming {
            value: input,
            gradient: Some(&mut d_input),
        };
        layer.run(incoming, &mut storage, &mut gradient, |output| {
            loss.gradient(output.value, target, output.gradient);
            ((), true)
        });
        let loss_at = |l: &L, x: &Matrix<B, IN, T>| loss.value(&l.predict(x), target);
        let two_step = self.step + self.step;

        let mut report = GradientReport {
            max_relative_error: T::zero(),
            worst: None,
            analytic: T::zero(),
            numeric: T::zero(),
            checked: 0,
        };
        let mut record = |entry, analytic: T, numeric: T| {
            let scale = analytic.abs().max(numeric.abs()).max(self.floor);
            // A NaN or infinite value on either side (a NaN weight, an
            // infinite bias, a loss that overflows) can never pass: its error
            // is infinite, and the first such entry is the one reported.
            let error = if analytic.is_finite() && numeric.is_finite() {
                (analytic - numeric).abs() / scale
            } else {
                T::infinity()
            };
            let worse = error > report.max_relative_error;
            if report.worst.is_none() || worse {
                report.max_relative_error = error;
                report.worst = Some(entry);
                report.analytic = analytic;
                report.numeric = numeric;
            }
            report.checked += 1;
        };
        let base = loss_at(layer, input);
        if !base.is_finite() {
            record(GradientEntry::Loss, base, base);
        }

        for i in 0..L::PARAMETER_COUNT {
            let moved = |delta: T| {
                let mut l = layer.clone();
                nudge_parameter(&mut l, i, delta);
                loss_at(&l, input)
            };
            let numeric = (moved(self.step) - moved(-self.step)) / two_step;
            // A non-finite parameter fails the check whatever its
            // gradients say (a saturated sigmoid hides an infinite bias).
            let analytic = if nth_parameter(layer, i).is_finite() {
                nth_gradient(layer, &mut gradient, i)
            } else {
                T::nan()
            };
            record(GradientEntry::Parameter(i), analytic, numeric);
        }
        for i in 0..B * IN {
            let moved = |delta: T| {
                let mut x = *input;
                x.as_mut_slice()[i] = x.as_slice()[i] + delta;
                loss_at(layer, &x)
            };
            let numeric = (moved(self.step) - moved(-self.step)) / two_step;
            let analytic = if input.as_slice()[i].is_finite() {
                d_input.as_slice()[i]
            } else {
                T::nan()
            };
            record(GradientEntry::Input(i), analytic, numeric);
        }
        report
    }
}

/// Checks `layer`'s backward pass (a layer or a whole network) under `loss`
/// against central finite differences, with [`GradientCheck`]'s defaults, and
/// returns the worst relative error over every parameter and input element.
///
/// ```
/// use constnet::{Affine, Matrix, Network, Sigmoid, SoftmaxCrossEntropy, gradient_check};
///
/// let net = Network::new((
///     Affine::<2, 3, f64>::new(Matrix::new([[0.1, -0.4, 0.2], [0.7, 0.3, -0.5]]), Matrix::new([[0.0, 0.1, -0.1]])),
///     Sigmoid,
///     Affine::<3, 2, f64>::new(Matrix::new([[0.5, -0.5], [0.25, 0.1], [-0.3, 0.9]]), Matrix::zeros()),
/// ));
/// let x = Matrix::new([[1.0, -1.0], [0.5, 2.0]]);
/// let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
/// let report = gradient_check(&net, &SoftmaxCrossEntropy, &x, &t);
/// assert!(report.max_relative_error < 1e-7, "{report:?}");
/// ```
pub fn gradient_check<L, Lo, T, const B: usize, const IN: usize, const OUT: usize>(
    layer: &L,
    loss: &Lo,
    input: &Matrix<B, IN, T>,
    target: &Matrix<B, OUT, T>,
) -> GradientReport<T>
where
    T: Scalar,
    L: Trainable<Matrix<B, IN, T>, Output = Matrix<B, OUT, T>> + Clone,
    Lo: Loss<Matrix<B, OUT, T>>,
{
    GradientCheck::default().run(layer, loss, input, target)
}

/// Adds `delta` to the `index`-th scalar parameter, in `visit` order.
fn nudge_parameter<P: Parameters<T>, T: Scalar>(parameters: &mut P, index: usize, delta: T) {
    let mut offset = 0;
    parameters.visit_mut(&mut |slice: &mut [T]| {
        if (offset..offset + slice.len()).contains(&index) {
            slice[index - offset] = slice[index - offset] + delta;
        }
        offset += slice.len();
    });
}

/// The `index`-th scalar parameter, in `visit` order.
fn nth_parameter<P: Parameters<T>, T: Scalar>(parameters: &P, index: usize) -> T {
    let mut offset = 0;
    let mut value = T::nan();
    parameters.visit(&mut |slice: &[T]| {
        if (offset..offset + slice.len()).contains(&index) {
            value = slice[index - offset];
        }
        offset += slice.len();
    });
    value
}

/// The `index`-th scalar of a gradient of `parameters`, in `visit` order.
/// The gradient is only read; it is `&mut` because `update`, the one walk
/// over a gradient, lends it so.
fn nth_gradient<P: Parameters<T> + Clone, T: Scalar>(
    parameters: &P,
    gradient: &mut P::Gradient,
    index: usize,
) -> T {
    let mut offset = 0;
    let mut value = T::nan();
    parameters
        .clone()
        .update(gradient, [], &mut |_: &mut [T], d: &mut [T], []| {
            if (offset..offset + d.len()).contains(&index) {
                value = d[index - offset];
            }
            offset += d.len();
        });
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::kind;
    use crate::{Affine, Layer, Mse, Network, Sigmoid};

    fn layer() -> Affine<2, 2, f64> {
        Affine::new(
            Matrix::new([[0.5, -0.3], [0.2, 0.8]]),
            Matrix::new([[0.1, -0.1]]),
        )
    }

    #[test]
    fn a_correct_backward_passes() {
        let x = Matrix::new([[1.0, -2.0]]);
        let t = Matrix::new([[0.5, 0.25]]);
        let report = gradient_check(&layer(), &Mse, &x, &t);
        assert!(report.passed(1e-8), "{report:?}");
        assert_eq!(report.checked, 6 + 2);
    }

    #[test]
    fn a_nan_weight_fails_visibly() {
        let mut broken = layer();
        broken.weights[(1, 0)] = f64::NAN;
        let report = gradient_check(
            &broken,
            &Mse,
            &Matrix::new([[1.0, -2.0]]),
            &Matrix::new([[0.5, 0.25]]),
        );
        assert!(!report.passed(1e-6));
        assert!(!report.passed(f64::INFINITY));
        assert_eq!(report.max_relative_error, f64::INFINITY);
        assert_eq!(report.worst, Some(GradientEntry::Loss));
    }

    #[test]
    fn an_infinite_bias_fails_visibly() {
        // With a sigmoid after it, the loss stays finite while the bias's
        // gradient and finite difference are not usable.
        let net = Network::new((
            Affine::<2, 1, f64>::new(Matrix::new([[0.5], [0.25]]), Matrix::new([[f64::INFINITY]])),
            Sigmoid,
        ));
        let report = gradient_check(
            &net,
            &Mse,
            &Matrix::new([[1.0, 2.0]]),
            &Matrix::new([[0.5]]),
        );
        assert!(!report.passed(1e-3), "{report:?}");
        assert_eq!(report.max_relative_error, f64::INFINITY);
    }

    /// A layer whose backward is off by a factor of two.
    #[derive(Clone, Copy, Debug, Default)]
    struct WrongDouble;

    impl<const B: usize, const N: usize> Layer<Matrix<B, N, f64>> for WrongDouble {
        type Output = Matrix<B, N, f64>;
        type Kind = kind::Fresh;
        type Saved = ();

        fn forward(&self, x: &Matrix<B, N, f64>, y: &mut Matrix<B, N, f64>, _: &mut ()) {
            *y = x.scale(2.0);
        }

        fn backward(
            &self,
            _: &Matrix<B, N, f64>,
            d_y: &Matrix<B, N, f64>,
            _: &(),
            _: &mut (),
            d_x: Option<&mut Matrix<B, N, f64>>,
        ) {
            if let Some(d_x) = d_x {
                *d_x = *d_y; // should be 2 dY
            }
        }
    }
    crate::no_parameters!(WrongDouble);

    #[test]
    fn a_wrong_backward_fails_and_names_the_entry() {
        let report = gradient_check(
            &WrongDouble,
            &Mse,
            &Matrix::new([[1.0, 3.0]]),
            &Matrix::new([[0.0, 0.0]]),
        );
        assert!(!report.passed(1e-3));
        // dL/dx = 2·2(2x - 0)/1 = 8x against the claimed 4x: a relative error of 1/2.
        assert!((report.max_relative_error - 0.5).abs() < 1e-6, "{report:?}");
        assert!(matches!(report.worst, Some(GradientEntry::Input(_))));
    }
}
