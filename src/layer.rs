//! The traits every layer and network implements: [`Layer`] (forward and
//! backward over a batch) and [`Parameters`] (what an optimizer updates).

use core::fmt::Debug;

use crate::{Matrix, Scalar};

/// A batch of samples flowing through a network: a [`Matrix<B, N, T>`] of
/// `B` samples with `N` features each.
///
/// Layers are generic over their input type, and this trait lets them name
/// the element type of whatever batch they take.
pub trait Batch: Copy {
    /// The element type, `f32` or `f64`.
    type Element: Scalar;
    /// The number of samples, `B`.
    const SAMPLES: usize;
    /// The number of features per sample, `N`.
    const FEATURES: usize;
}

impl<const B: usize, const N: usize, T: Scalar> Batch for Matrix<B, N, T> {
    type Element = T;
    const SAMPLES: usize = B;
    const FEATURES: usize = N;
}

/// A differentiable function of a batch `X`: a layer, or a whole network.
///
/// `forward` returns the output and a *cache*, what `backward` needs later
/// (the input for an [`Affine`](crate::Affine) layer, the output for a
/// [`Sigmoid`](crate::Sigmoid)). Keeping the cache out of the layer keeps
/// layers small, `Copy` and shareable between threads, and makes the memory a
/// training step needs visible in the types.
///
/// `backward` takes the gradient of the loss with respect to the output and
/// returns the gradient with respect to the input (of type `X`) and with
/// respect to the parameters (of the layer's [`Parameters::Gradient`] type).
/// Every shape is a type, so a gradient of the wrong shape does not compile.
///
/// A tuple of layers is a layer: `(Affine<2, 4>, Sigmoid, Affine<4, 1>)`
/// runs its members in order.
///
/// ```
/// use constnet::{Activation, Affine, Layer, Matrix, Sigmoid};
///
/// let net = (Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::new([[0.0, 0.5]])), Sigmoid);
/// let x = Matrix::new([[2.0]]);
/// let (y, cache) = net.forward(&x);
/// assert_eq!(y, Matrix::new([[2.0, -1.5]]).map(Sigmoid::activate));
///
/// let (d_x, (d_affine, ())) = net.backward(&cache, &Matrix::new([[1.0, 1.0]]));
/// let d_x: Matrix<1, 1> = d_x; // dX has the type of X
/// assert_eq!(d_affine.d_weights.as_slice().len(), 2); // dW has the shape of W
/// # let _ = d_x;
/// ```
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot take a `{X}` as input",
    label = "the input's width does not match this layer",
    note = "`Affine<IN, OUT>` takes a batch `Matrix<B, IN>` and gives a `Matrix<B, OUT>`: the width of a batch, or the OUT of the layer before, must equal the next IN"
)]
pub trait Layer<X: Batch>: Parameters<X::Element> {
    /// What the layer produces from an `X`.
    type Output: Batch<Element = X::Element>;
    /// What `forward` keeps for `backward`.
    type Cache;

    /// Runs the layer, keeping what `backward` needs.
    fn forward(&self, input: &X) -> (Self::Output, Self::Cache);

    /// Runs the layer for inference, keeping nothing.
    fn predict(&self, input: &X) -> Self::Output {
        self.forward(input).0
    }

    /// Propagates the output gradient back: returns `dX` and the gradient of
    /// the parameters.
    fn backward(
        &self,
        cache: &Self::Cache,
        d_output: &Self::Output,
    ) -> (X, <Self as Parameters<X::Element>>::Gradient);

    /// Propagates the output gradient back to the parameters only, skipping
    /// `dX` where that saves work. Training needs no gradient with respect to
    /// the network's input; for a first `Affine<IN, OUT>` layer that is a
    /// `B x OUT` by `OUT x IN` product saved every step.
    ///
    /// The default returns `backward`'s gradient; layers whose `dX` costs
    /// something override it.
    fn backward_parameters(
        &self,
        cache: &Self::Cache,
        d_output: &Self::Output,
    ) -> <Self as Parameters<X::Element>>::Gradient {
        self.backward(cache, d_output).1
    }
}

/// The trainable parameters of a layer or network, seen by optimizers as a
/// sequence of flat slices of `T`.
///
/// `Gradient` has the parameters' shape as a type: for
/// [`Affine<IN, OUT>`](crate::Affine) it is an
/// [`AffineGradient<IN, OUT>`](crate::AffineGradient), for a layer without
/// parameters it is `()`, and for a tuple of layers it is the tuple of their
/// gradients. Optimizer state (momentum, Adam's moments) is stored in values
/// of the same type, so it costs no heap and is shaped by the compiler.
///
/// ```
/// use constnet::{Affine, Parameters, Relu};
///
/// type Net = (Affine<2, 3>, Relu, Affine<3, 1>);
/// assert_eq!(<Net as Parameters<f32>>::PARAMETER_COUNT, 2 * 3 + 3 + 3 * 1 + 1);
/// ```
pub trait Parameters<T: Scalar> {
    /// A value shaped like the parameters: a gradient, or optimizer state.
    /// `Default` is all zeros.
    type Gradient: Copy + Default + Debug + PartialEq;

    /// The number of scalar parameters.
    const PARAMETER_COUNT: usize;

    /// Calls `f` once for each parameter slice, in a fixed order, with the
    /// matching slice of `gradient` and of each of the `K` state values.
    ///
    /// This is the whole interface between networks and optimizers: SGD uses
    /// `K = 0`, momentum `K = 1`, Adam `K = 2`.
    fn update<const K: usize, F>(
        &mut self,
        gradient: &Self::Gradient,
        state: [&mut Self::Gradient; K],
        f: &mut F,
    ) where
        F: FnMut(&mut [T], &[T], [&mut [T]; K]);

    /// Calls `f` once for each parameter slice, in the order of `update`.
    fn visit<F: FnMut(&[T])>(&self, f: &mut F);

    /// Calls `f` once for each parameter slice mutably, in the order of
    /// `update`.
    fn visit_mut<F: FnMut(&mut [T])>(&mut self, f: &mut F);

    /// Calls `f` with the shape `(rows, columns)` of each parameter slice, in
    /// the order of `update`: what saved weights record, so that they load
    /// only into parameters of the same shape.
    ///
    /// `rows * columns` is the length of the matching slice of
    /// [`visit`](Parameters::visit). The default sees each slice as a single
    /// row; layers whose parameters are matrices override it, and tuples and
    /// networks forward it.
    ///
    /// ```
    /// use constnet::{Affine, Parameters, Relu};
    ///
    /// let net: (Affine<3, 2>, Relu, Affine<2, 1>) = Default::default();
    /// let mut shapes = Vec::new();
    /// Parameters::<f32>::visit_shapes(&net, &mut |rows, columns| shapes.push((rows, columns)));
    /// assert_eq!(shapes, [(3, 2), (1, 2), (2, 1), (1, 1)]);
    /// ```
    fn visit_shapes<F: FnMut(usize, usize)>(&self, f: &mut F) {
        self.visit(&mut |slice: &[T]| f(1, slice.len()));
    }
}

/// The gradient type of the parameters of `L` with elements `T`.
pub type GradientOf<L, T = f32> = <L as Parameters<T>>::Gradient;

/// Implements [`Parameters`] for layers that have none.
macro_rules! no_parameters {
    ($($layer:ty),+ $(,)?) => {$(
        impl<T: $crate::Scalar> $crate::Parameters<T> for $layer {
            type Gradient = ();
            const PARAMETER_COUNT: usize = 0;

            #[inline]
            fn update<const K: usize, F>(&mut self, _: &(), _: [&mut (); K], _: &mut F)
            where
                F: FnMut(&mut [T], &[T], [&mut [T]; K]),
            {
            }

            #[inline]
            fn visit<F: FnMut(&[T])>(&self, _: &mut F) {}

            #[inline]
            fn visit_mut<F: FnMut(&mut [T])>(&mut self, _: &mut F) {}
        }
    )+};
}
pub(crate) use no_parameters;
