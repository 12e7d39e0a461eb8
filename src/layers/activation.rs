//! [`Activation`]: an element-wise function and its derivative, side by side.

use core::fmt::Debug;

use crate::Scalar;

/// An element-wise activation: the function and its derivative, the
/// derivative written in terms of the function's *output* `y`, where it is
/// cheapest (`σ' = y(1 - y)`, `tanh' = 1 - y²`).
///
/// Every activation is a [`Layer`](crate::Layer) for batches of any shape:
/// `forward` keeps its output as the cache and `backward` multiplies the
/// output gradient by `derivative(y)`. The layer types hold no math of their
/// own.
///
/// ```
/// use constnet::{Activation, Sigmoid};
/// assert_eq!(Sigmoid::activate(0.0_f64), 0.5);
/// assert_eq!(Sigmoid::derivative(0.5_f64), 0.25);
/// ```
pub trait Activation: Copy + Default + Debug + PartialEq + Send + Sync + 'static {
    /// The function, `y = f(x)`.
    fn activate<T: Scalar>(x: T) -> T;

    /// The derivative `dy/dx`, from the output `y = f(x)`.
    fn derivative<T: Scalar>(y: T) -> T;
}

/// Makes an [`Activation`] a parameter-free [`Layer`](crate::Layer) over
/// batches of any shape.
macro_rules! activation_layer {
    ($($name:ident),+ $(,)?) => {$(
        impl<const B: usize, const N: usize, T: $crate::Scalar>
            $crate::Layer<$crate::Matrix<B, N, T>> for $name
        {
            type Output = $crate::Matrix<B, N, T>;
            type Cache = $crate::Matrix<B, N, T>;

            #[inline]
            fn forward(&self, input: &$crate::Matrix<B, N, T>) -> (Self::Output, Self::Cache) {
                let output = input.map(<$name as $crate::Activation>::activate);
                (output, output)
            }

            #[inline]
            fn predict(&self, input: &$crate::Matrix<B, N, T>) -> Self::Output {
                input.map(<$name as $crate::Activation>::activate)
            }

            #[inline]
            fn backward(
                &self,
                output: &Self::Cache,
                d_output: &Self::Output,
            ) -> ($crate::Matrix<B, N, T>, ()) {
                // dX = dY ⊙ f'(y)
                let d_input = d_output
                    .zip_map(output, |d, y| d * <$name as $crate::Activation>::derivative(y));
                (d_input, ())
            }

            #[inline]
            fn backward_parameters(&self, _: &Self::Cache, _: &Self::Output) {}
        }

        $crate::layer::no_parameters!($name);

        // An activation keeps the width it is given.
        impl<W> $crate::Connect<W> for $name {
            type Output = W;
        }
    )+};
}
pub(crate) use activation_layer;

#[cfg(test)]
pub(crate) mod tests {
    //! Shared checks for activation layers.

    use crate::{Activation, Layer, Matrix, Mse, gradient_check};

    /// Inputs that avoid the kinks of ReLU, where finite differences are undefined.
    pub(crate) fn inputs() -> Matrix<3, 4, f64> {
        Matrix::new([
            [-2.0, -0.7, 0.3, 1.9],
            [0.9, -1.3, 2.4, -0.2],
            [0.05, 0.6, -3.1, 1.1],
        ])
    }

    /// Checks an activation layer's backward pass against finite differences,
    /// through MSE against an arbitrary target.
    pub(crate) fn check_gradient<A>(activation: A)
    where
        A: Activation + Layer<Matrix<3, 4, f64>, Output = Matrix<3, 4, f64>>,
    {
        let target = Matrix::from_fn(|r, c| 0.1 * (r as f64) - 0.2 * (c as f64));
        let report = gradient_check(&activation, &Mse, &inputs(), &target);
        assert_eq!(report.checked, 12);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
    }

    /// Checks `derivative(f(x))` against a central difference of `f` at `x`.
    pub(crate) fn check_derivative<A: Activation>() {
        for &x in inputs().as_slice() {
            let h = 1e-6;
            let numeric = (A::activate(x + h) - A::activate(x - h)) / (2.0 * h);
            let analytic = A::derivative(A::activate(x));
            assert!(
                (numeric - analytic).abs() < 1e-8,
                "at {x}: {numeric} vs {analytic}"
            );
        }
    }
}
