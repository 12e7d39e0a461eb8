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
}

/// The result of a gradient check.
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
            *output.gradient = loss.gradient(output.value, target);
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
            let error = (analytic - numeric).abs() / scale;
            // A NaN error (a NaN gradient) is the worst there is.
            let worse = error.is_nan() || error > report.max_relative_error;
            if report.worst.is_none() || (worse && !report.max_relative_error.is_nan()) {
                report.max_relative_error = error;
                report.worst = Some(entry);
                report.analytic = analytic;
                report.numeric = numeric;
            }
            report.checked += 1;
        };

        for i in 0..L::PARAMETER_COUNT {
            let moved = |delta: T| {
                let mut l = layer.clone();
                nudge_parameter(&mut l, i, delta);
                loss_at(&l, input)
            };
            let numeric = (moved(self.step) - moved(-self.step)) / two_step;
            record(
                GradientEntry::Parameter(i),
                nth_gradient(layer, &gradient, i),
                numeric,
            );
        }
        for i in 0..B * IN {
            let moved = |delta: T| {
                let mut x = *input;
                x.as_mut_slice()[i] = x.as_slice()[i] + delta;
                loss_at(layer, &x)
            };
            let numeric = (moved(self.step) - moved(-self.step)) / two_step;
            record(GradientEntry::Input(i), d_input.as_slice()[i], numeric);
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

/// The `index`-th scalar of a gradient of `parameters`, in `visit` order.
fn nth_gradient<P: Parameters<T> + Clone, T: Scalar>(
    parameters: &P,
    gradient: &P::Gradient,
    index: usize,
) -> T {
    let mut offset = 0;
    let mut value = T::nan();
    parameters
        .clone()
        .update(gradient, [], &mut |_: &mut [T], d: &[T], []| {
            if (offset..offset + d.len()).contains(&index) {
                value = d[index - offset];
            }
            offset += d.len();
        });
    value
}
