//! [`Activation`]: an element-wise function and its derivative, side by side,
//! and [`activation_layer!`](crate::activation_layer), which makes one a layer.

use core::fmt::Debug;

use crate::Scalar;

/// An element-wise activation: the function and its derivative, the
/// derivative written in terms of the function's *output* `y`, where it is
/// cheapest (`σ' = y(1 - y)`, `tanh' = 1 - y²`).
///
/// [`activation_layer!`](crate::activation_layer) makes an activation a
/// [`Layer`](crate::Layer) for batches of any shape that works in place
/// ([`kind::InPlace`](crate::kind::InPlace)): forward overwrites its input
/// with `activate(x)`, backward multiplies the output gradient by
/// `derivative(y)`. The layer types hold no math of their own. An activation
/// whose derivative cannot be written from its output is not an
/// `Activation`; write it as a [`Layer`](crate::Layer).
///
/// A leaky ReLU of your own, a layer in twelve lines:
///
/// ```
/// use constnet::{Activation, Affine, Matrix, Network, Scalar, activation_layer};
///
/// #[derive(Clone, Copy, Debug, Default, PartialEq)]
/// struct LeakyRelu;
///
/// impl Activation for LeakyRelu {
///     fn activate<T: Scalar>(&self, x: T) -> T {
///         if x > T::zero() { x } else { x * T::from_f64(0.01) }
///     }
///     fn derivative<T: Scalar>(&self, y: T) -> T {
///         // y > 0 exactly where x > 0
///         if y > T::zero() { T::one() } else { T::from_f64(0.01) }
///     }
/// }
/// activation_layer!(LeakyRelu);
///
/// let net = Network::new((Affine::<1, 2>::new(Matrix::new([[1.0, -1.0]]), Matrix::zeros()), LeakyRelu));
/// assert_eq!(net.predict(&Matrix::new([[3.0]])), Matrix::new([[3.0, -0.03]]));
/// ```
pub trait Activation: Copy + Default + Debug + PartialEq + Send + Sync + 'static {
    /// The function, `y = f(x)`.
    fn activate<T: Scalar>(&self, x: T) -> T;

    /// The derivative `dy/dx`, from the output `y = f(x)`.
    fn derivative<T: Scalar>(&self, y: T) -> T;

    /// Replaces every value of `values` by [`activate`](Activation::activate)
    /// of it: what the layer's forward runs. The default calls `activate`
    /// on each value; an activation can compute several at once instead
    /// ([`Sigmoid`](crate::Sigmoid) and [`Tanh`](crate::Tanh) do), with the
    /// same bits.
    ///
    /// ```
    /// use constnet::{Activation, Sigmoid};
    ///
    /// let mut values = [-1.0_f32, 0.0, 2.0];
    /// Sigmoid.activate_all(&mut values);
    /// assert_eq!(values, [-1.0_f32, 0.0, 2.0].map(|x| Sigmoid.activate(x)));
    /// ```
    #[inline]
    fn activate_all<T: Scalar>(&self, values: &mut [T]) {
        for v in values {
            *v = self.activate(*v);
        }
    }
}

/// Makes [`Activation`] types parameter-free, in-place
/// [`Layer`](crate::Layer)s over batches of any shape: implements
/// [`Layer`](crate::Layer), [`InPlaceLayer`](crate::InPlaceLayer) and
/// [`Parameters`](crate::Parameters) for each type named.
///
/// See [`Activation`] for an example.
#[macro_export]
macro_rules! activation_layer {
    ($($name:ty),+ $(,)?) => {$(
        impl<const B: usize, const N: usize, T: $crate::Scalar>
            $crate::Layer<$crate::Matrix<B, N, T>> for $name
        {
            type Output = $crate::Matrix<B, N, T>;
            type Kind = $crate::kind::InPlace;
            type Saved = ();

            #[inline]
            fn forward(
                &self,
                input: &$crate::Matrix<B, N, T>,
                output: &mut $crate::Matrix<B, N, T>,
                _: &mut (),
            ) {
                *output = *input;
                $crate::Activation::activate_all(self, output.as_mut_slice());
            }

            #[inline]
            fn backward(
                &self,
                input: &$crate::Matrix<B, N, T>,
                d_output: &$crate::Matrix<B, N, T>,
                _: &(),
                _: &mut (),
                d_input: Option<&mut $crate::Matrix<B, N, T>>,
            ) {
                // dX = dY ⊙ f'(y), with y = f(x) computed again from the input
                if let Some(d_input) = d_input {
                    *d_input = *input;
                    $crate::Activation::activate_all(self, d_input.as_mut_slice());
                    for (d_x, &d_y) in d_input.as_mut_slice().iter_mut().zip(d_output.as_slice()) {
                        *d_x = d_y * $crate::Activation::derivative(self, *d_x);
                    }
                }
            }

            #[inline]
            fn predict(&self, input: &$crate::Matrix<B, N, T>) -> $crate::Matrix<B, N, T> {
                let mut output = *input;
                $crate::Activation::activate_all(self, output.as_mut_slice());
                output
            }
        }

        impl<const B: usize, const N: usize, T: $crate::Scalar>
            $crate::InPlaceLayer<$crate::Matrix<B, N, T>> for $name
        {
            #[inline]
            fn forward_in_place(&self, values: &mut $crate::Matrix<B, N, T>, _: &mut ()) {
                $crate::Activation::activate_all(self, values.as_mut_slice());
            }

            #[inline]
            fn backward_in_place(
                &self,
                output: &$crate::Matrix<B, N, T>,
                d_values: &mut $crate::Matrix<B, N, T>,
                _: &(),
                _: &mut (),
            ) {
                // dX = dY ⊙ f'(y)
                for (d, &y) in d_values.as_mut_slice().iter_mut().zip(output.as_slice()) {
                    *d = *d * $crate::Activation::derivative(self, y);
                }
            }
        }

        $crate::no_parameters!($name);
    )+};
}

#[cfg(test)]
pub(crate) mod tests {
    //! Shared checks for activation layers.

    use crate::{Activation, InPlaceLayer, Layer, Matrix, Mse, gradient_check};

    /// Inputs that avoid the kinks of ReLU, where finite differences are undefined.
    pub(crate) fn inputs() -> Matrix<3, 4, f64> {
        Matrix::new([
            [-2.0, -0.7, 0.3, 1.9],
            [0.9, -1.3, 2.4, -0.2],
            [0.05, 0.6, -3.1, 1.1],
        ])
    }

    /// Checks an activation layer's backward pass against finite differences,
    /// through MSE against an arbitrary target, and its in-place form against
    /// its out-of-place one, to the bit.
    pub(crate) fn check_gradient<A>(activation: A)
    where
        A: Activation + InPlaceLayer<Matrix<3, 4, f64>, Saved = ()> + Layer<Matrix<3, 4, f64>>,
        A: crate::Parameters<f64, Gradient = ()>,
    {
        let target = Matrix::from_fn(|r, c| 0.1 * (r as f64) - 0.2 * (c as f64));
        let report = gradient_check(&activation, &Mse, &inputs(), &target);
        assert_eq!(report.checked, 12);
        assert!(report.max_relative_error < 1e-7, "{report:?}");

        let x = inputs();
        let mut y = Matrix::filled(f64::NAN);
        activation.forward(&x, &mut y, &mut ());
        let mut in_place = x;
        activation.forward_in_place(&mut in_place, &mut ());
        assert_eq!(in_place, y);
        assert_eq!(activation.predict(&x), y);

        let d_y = target;
        let mut d_x = Matrix::filled(f64::NAN);
        activation.backward(&x, &d_y, &(), &mut (), Some(&mut d_x));
        let mut d_in_place = d_y;
        activation.backward_in_place(&y, &mut d_in_place, &(), &mut ());
        assert_eq!(d_in_place, d_x);
    }

    /// Checks `derivative(f(x))` against a central difference of `f` at `x`.
    pub(crate) fn check_derivative<A: Activation>(a: A) {
        for &x in inputs().as_slice() {
            let h = 1e-6;
            let numeric = (a.activate(x + h) - a.activate(x - h)) / (2.0 * h);
            let analytic = a.derivative(a.activate(x));
            assert!(
                (numeric - analytic).abs() < 1e-8,
                "at {x}: {numeric} vs {analytic}"
            );
        }
    }
}
