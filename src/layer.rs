//! The traits every layer implements: [`Layer`] (forward and backward over a
//! batch, into storage the caller provides), [`InPlaceLayer`] (for layers
//! that overwrite their input with their output) and [`Parameters`] (what an
//! optimizer updates).

use core::fmt::Debug;

use crate::stage::LayerUpdate;
use crate::{Matrix, Scalar};

/// A batch of samples flowing through a network: a [`Matrix<B, N, T>`] of
/// `B` samples with `N` features each.
///
/// Layers are generic over their input type, and this trait lets them name
/// the element type of whatever batch they take.
pub trait Batch: Copy + Default {
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

/// How a layer stores its output during training: the [`Layer::Kind`] of
/// every layer is one of these.
pub mod kind {
    /// The layer writes its output into storage of its own, and its
    /// [`backward`](crate::Layer::backward) reads only its input (and what
    /// it kept in [`Saved`](crate::Layer::Saved)). An
    /// [`Affine`](crate::Affine) layer is `Fresh`; so is every layer a user
    /// writes unless it says otherwise.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Fresh;

    /// The layer overwrites its input with its output and computes its
    /// derivative from the output alone: it implements
    /// [`InPlaceLayer`](crate::InPlaceLayer). Activations and
    /// [`Softmax`](crate::Softmax) are `InPlace`, so after an `Affine` they
    /// cost no memory: the activation lives in the `Affine`'s output.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct InPlace;

    /// A tuple of layers or a [`Network`](crate::Network): its members
    /// choose their storage one by one.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Chain;
}

/// A differentiable function of a batch `X`: a layer, or a whole network.
///
/// A layer holds only its parameters. What a training step needs besides
/// them (every layer's output, the gradients flowing back, the parameter
/// gradient) lives in a [`Workspace`](crate::Workspace) sized by the types,
/// which [`Network`](crate::Network) hands each layer a piece of:
///
/// - [`forward`](Layer::forward) writes the output into `output`, and may
///   keep something for backward in `saved` (a dropout mask; `()` for most
///   layers);
/// - [`backward`](Layer::backward) reads the input and the output gradient
///   and **overwrites** `gradient` with the gradient of the parameters, and
///   `d_input`, when it is given, with `dX`. The first layer of a network is
///   not asked for `dX`, which saves a product per step.
///
/// Every shape is a type, so a gradient of the wrong shape does not compile.
/// A layer whose output is computed in place (an activation) says so with
/// `type Kind = kind::InPlace` and also implements [`InPlaceLayer`]; the
/// methods here are then its out-of-place form. Every other layer uses
/// `type Kind = kind::Fresh`, and its `backward` must not depend on its
/// output: the next layer may have overwritten it (keep what you need in
/// `Saved`). See the crate documentation's "Writing a layer".
///
/// ```
/// use constnet::{Affine, AffineGradient, Layer, Matrix};
///
/// let layer = Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::new([[0.0, 0.5]]));
/// let x = Matrix::new([[2.0]]);
/// let mut y = Matrix::zeros();
/// layer.forward(&x, &mut y, &mut ());
/// assert_eq!(y, Matrix::new([[2.0, -1.5]]));
///
/// let mut d_layer = AffineGradient::default();
/// let mut d_x = Matrix::zeros();
/// layer.backward(&x, &Matrix::new([[1.0, 1.0]]), &(), &mut d_layer, Some(&mut d_x));
/// assert_eq!(d_layer.d_weights, Matrix::new([[2.0, 2.0]])); // dW = Xᵀ·dY, the shape of W
/// assert_eq!(d_x, Matrix::new([[0.0]])); // dX = dY·Wᵀ, the type of X
/// ```
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot take a `{X}` as input",
    label = "the IN of this layer is not the width of what feeds it (the OUT of the layer before, or the batch's width)"
)]
pub trait Layer<X: Batch>: Parameters<X::Element> {
    /// What the layer produces from an `X`.
    type Output: Batch<Element = X::Element>;
    /// How the layer's output is stored during training: [`kind::Fresh`]
    /// for a layer that writes a new output, [`kind::InPlace`] for one that
    /// overwrites its input.
    type Kind;
    /// What `forward` keeps for `backward` besides the input: `()` for most
    /// layers.
    type Saved: Default;

    /// Runs the layer for training: writes the output of `input` into
    /// `output`, and whatever `backward` needs besides the input into
    /// `saved`.
    fn forward(&self, input: &X, output: &mut Self::Output, saved: &mut Self::Saved);

    /// Propagates the output gradient back: overwrites `gradient` with the
    /// gradient of the parameters and, when asked, `d_input` with `dX`.
    /// `input` and `saved` are what [`forward`](Layer::forward) saw and left.
    fn backward(
        &self,
        input: &X,
        d_output: &Self::Output,
        saved: &Self::Saved,
        gradient: &mut Self::Gradient,
        d_input: Option<&mut X>,
    );

    /// Backward and the update of the parameters in one, for
    /// [`Network::train_step_fused`](crate::Network::train_step_fused):
    /// writes `dX` into `d_input` when asked, computed from the parameters
    /// before they move, and hands the parameter gradient to `update`.
    ///
    /// The default computes the gradient with
    /// [`backward`](Layer::backward) into a local and hands it over whole.
    /// A layer can instead pass each entry of its gradient to
    /// [`LayerUpdate::update_rows`](crate::stage::LayerUpdate::update_rows)
    /// as it computes it, so that its gradient is never stored:
    /// [`Affine`](crate::Affine) does for small products (on bare metal,
    /// all below the size where they go to the tiled kernels).
    #[inline]
    fn backward_update<U: LayerUpdate<X::Element>>(
        &mut self,
        input: &X,
        d_output: &Self::Output,
        saved: &Self::Saved,
        d_input: Option<&mut X>,
        update: &U,
    ) {
        let mut gradient = Self::Gradient::default();
        self.backward(input, d_output, saved, &mut gradient, d_input);
        update.update(self, &mut gradient);
    }

    /// Runs the layer for inference, returning the output by value.
    ///
    /// The default calls `forward` with fresh storage; layers whose
    /// inference differs from training (dropout) or that can skip work
    /// override it.
    fn predict(&self, input: &X) -> Self::Output {
        let mut output = Self::Output::default();
        self.forward(input, &mut output, &mut Self::Saved::default());
        output
    }
}

/// A layer that overwrites its input with its output (`Output = X`) and
/// differentiates from the output alone, so training stores one matrix for
/// it and the layer before: the activations, [`Softmax`](crate::Softmax).
///
/// Implement it beside [`Layer`] with `type Kind = kind::InPlace`; an
/// [`Activation`](crate::Activation) gets both from
/// [`activation_layer!`](crate::activation_layer).
pub trait InPlaceLayer<X: Batch>: Layer<X, Output = X, Kind = kind::InPlace> {
    /// Replaces `values`, the layer's input, with its output.
    fn forward_in_place(&self, values: &mut X, saved: &mut Self::Saved);

    /// Replaces `d_values`, the gradient with respect to the output, with the
    /// gradient with respect to the input, from `output`; overwrites
    /// `gradient` with the gradient of the parameters.
    fn backward_in_place(
        &self,
        output: &X,
        d_values: &mut X,
        saved: &Self::Saved,
        gradient: &mut Self::Gradient,
    );
}

/// The trainable parameters of a layer or network, seen by optimizers as a
/// sequence of flat slices of `T`.
///
/// `Gradient` has the parameters' shape as a type: for
/// [`Affine<IN, OUT>`](crate::Affine) it is an
/// [`AffineGradient<IN, OUT>`](crate::AffineGradient), for a layer without
/// parameters it is `()` (implement it with
/// [`no_parameters!`](crate::no_parameters)), and for a tuple of layers it is
/// the tuple of their gradients. Optimizer state (momentum, Adam's moments)
/// is stored in values of the same type, so it costs no heap and is shaped by
/// the compiler.
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
        gradient: &mut Self::Gradient,
        state: [&mut Self::Gradient; K],
        f: &mut F,
    ) where
        F: FnMut(&mut [T], &mut [T], [&mut [T]; K]);

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

/// Implements [`Parameters`] for layer types that have none: their gradient
/// is `()`.
///
/// ```
/// use constnet::{Parameters, no_parameters};
///
/// #[derive(Clone, Copy, Debug, Default)]
/// struct Halve;
/// no_parameters!(Halve);
///
/// assert_eq!(<Halve as Parameters<f32>>::PARAMETER_COUNT, 0);
/// ```
#[macro_export]
macro_rules! no_parameters {
    ($($layer:ty),+ $(,)?) => {$(
        impl<T: $crate::Scalar> $crate::Parameters<T> for $layer {
            type Gradient = ();
            const PARAMETER_COUNT: usize = 0;

            #[inline]
            fn update<const K: usize, F>(&mut self, _: &mut (), _: [&mut (); K], _: &mut F)
            where
                F: FnMut(&mut [T], &mut [T], [&mut [T]; K]),
            {
            }

            #[inline]
            fn visit<F: FnMut(&[T])>(&self, _: &mut F) {}

            #[inline]
            fn visit_mut<F: FnMut(&mut [T])>(&mut self, _: &mut F) {}
        }
    )+};
}
