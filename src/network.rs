//! [`Network`]: layers chained into one type, with the widths between them
//! checked when the network is built, and the training step.

mod chain;

use num_traits::Float;

use crate::layer::{Batch, GradientOf, Layer, Parameters, kind};
use crate::layers::Affine;
use crate::optim::FusedSgd;
use crate::stage::{Buffers, Feed, Incoming, LayerUpdate, Run, Trainable};
use crate::{Activations, Loss, Matrix, Optimizer, Scalar, Sgd, StepError, Workspace};

/// A network: a tuple of layers run in order, such as
/// `Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>`.
///
/// The type is the architecture. [`Network::new`] checks at compile time
/// that each layer's output width is the next layer's input width, and
/// [`predict`](Network::predict) and [`train_step`](Network::train_step)
/// that the batch has the first layer's input width; either mistake is a
/// compile error that names the two widths. Forward, backward and the update
/// are monomorphized for the exact shapes, so a training step runs without
/// allocation or shape checks.
///
/// # Stack and heap
///
/// A training step needs a [`Workspace`]: every layer's output and its
/// gradient, and the gradient of every parameter, [`Workspace::BYTES`] in
/// all. [`train_step`](Network::train_step) keeps it on the stack for the
/// call; [`train_step_with`](Network::train_step_with) uses one the caller
/// keeps, which [`Workspace::boxed`] puts on the heap without passing through
/// the stack. A 784-128-10 network at batch 64 needs a 475 KB workspace and
/// 407 KB for its parameters (and twice that again for Adam's moments), more
/// than a 2 MiB `cargo test` thread holds once debug builds copy values
/// around: box the network, the optimizer and the workspace (see
/// [`Workspace::boxed`]). A step that outgrows its stack does not return an
/// error: the process aborts with `thread '…' has overflowed its stack`.
///
/// ```
/// use constnet::{Affine, Matrix, Mse, Network, Sgd, Sigmoid};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;
///
/// let mut rng = StdRng::seed_from_u64(1);
/// let mut net: Xor = Network::new((Affine::xavier(&mut rng), Sigmoid, Affine::xavier(&mut rng), Sigmoid));
/// let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
/// let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
/// let mut sgd = Sgd::new(2.0);
///
/// let first = net.train_step(&x, &t, &Mse, &mut sgd).unwrap();
/// for _ in 0..5000 {
///     net.train_step(&x, &t, &Mse, &mut sgd).unwrap();
/// }
/// let last = net.train_step(&x, &t, &Mse, &mut sgd).unwrap();
/// assert!(last < first / 10.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Network<L> {
    /// The layers, in order.
    pub layers: L,
}

impl<L> Network<L> {
    /// A network of `layers`, checking that the widths connect: each
    /// layer's input width must be the output width of the layer before.
    ///
    /// `IN`, the width of the network's input, and the element type `T` are
    /// read off the first layer; a network whose first layer has no width of
    /// its own (an activation) names them: `Network::new::<2, f32>(...)`.
    ///
    /// A layer whose input width differs from the output width of the layer
    /// before it does not compile:
    ///
    /// ```compile_fail
    /// use constnet::{Affine, Network, Sigmoid};
    /// let net = Network::new((Affine::<2, 4>::default(), Sigmoid, Affine::<3, 1>::default()));
    /// ```
    ///
    /// ```text
    /// error[E0277]: layer `Affine<3, 1>` cannot take a `Matrix<1, 4>` as input
    /// ```
    // One line, so that a width mismatch quotes it in one line (the error
    // message's length is pinned by a compile-fail test).
    #[rustfmt::skip]
    pub const fn new<const IN: usize, T: Scalar>(layers: L) -> Self where L: Layer<Matrix<1, IN, T>> {
        Self { layers }
    }

    /// Runs the network on a batch for inference.
    ///
    /// ```
    /// use constnet::{Affine, Matrix, Network, Relu};
    ///
    /// let net = Network::new((Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::new([[0.0, 0.0]])), Relu));
    /// assert_eq!(net.predict(&Matrix::new([[2.0], [-3.0]])), Matrix::new([[2.0, 0.0], [0.0, 3.0]]));
    /// ```
    pub fn predict<X: Batch>(&self, input: &X) -> L::Output
    where
        L: Layer<X>,
    {
        self.layers.predict(input)
    }

    /// Computes the loss on a batch and its gradient with respect to every
    /// parameter, into `workspace` ([`Workspace::gradient`] reads it), without
    /// changing the network. Returns the loss.
    ///
    /// ```
    /// use constnet::{Affine, Matrix, Mse, Network, Workspace};
    ///
    /// let net = Network::new((Affine::<1, 1, f64>::new(Matrix::new([[0.5]]), Matrix::new([[0.0]])),));
    /// let x = Matrix::new([[1.0], [2.0]]);
    /// let t = Matrix::new([[2.0], [4.0]]);
    /// let mut workspace = Workspace::new();
    /// let loss = net.gradient(&mut workspace, &x, &t, &Mse).unwrap();
    /// assert_eq!(loss, (1.5 * 1.5 + 3.0 * 3.0) / 2.0);
    /// // dL/dw = Σ (w x - t) x = (0.5 - 2) + (1 - 4) 2 = -7.5, dL/db = -4.5
    /// let (d_affine,) = workspace.gradient();
    /// assert_eq!((d_affine.d_weights[(0, 0)], d_affine.d_bias[(0, 0)]), (-7.5, -4.5));
    /// ```
    ///
    /// # Errors
    ///
    /// [`StepError::NonFiniteLoss`] if the loss is NaN or infinite; the
    /// gradient in `workspace` is then not computed.
    pub fn gradient<X, Lo>(
        &self,
        workspace: &mut Workspace<Self, X>,
        input: &X,
        target: &L::Output,
        loss: &Lo,
    ) -> Result<X::Element, StepError<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Self: Trainable<X, Output = L::Output, Gradient = GradientOf<L, X::Element>>,
        Lo: Loss<L::Output>,
    {
        self.propagate(workspace, input, None, target, loss)
    }

    /// Like [`gradient`](Network::gradient), also writing the gradient with
    /// respect to the input, `dX`, into `d_input`.
    ///
    /// # Errors
    ///
    /// [`StepError::NonFiniteLoss`] if the loss is NaN or infinite; neither
    /// gradient is then computed.
    pub fn gradient_with_input<X, Lo>(
        &self,
        workspace: &mut Workspace<Self, X>,
        input: &X,
        d_input: &mut X,
        target: &L::Output,
        loss: &Lo,
    ) -> Result<X::Element, StepError<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Self: Trainable<X, Output = L::Output, Gradient = GradientOf<L, X::Element>>,
        Lo: Loss<L::Output>,
    {
        self.propagate(workspace, input, Some(d_input), target, loss)
    }

    #[inline(always)]
    fn propagate<X, Lo>(
        &self,
        workspace: &mut Workspace<Self, X>,
        input: &X,
        d_input: Option<&mut X>,
        target: &L::Output,
        loss: &Lo,
    ) -> Result<X::Element, StepError<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Self: Trainable<X, Output = L::Output, Gradient = GradientOf<L, X::Element>>,
        Lo: Loss<L::Output>,
    {
        let (stages, gradient) = workspace.parts_mut();
        let incoming = Incoming {
            value: input,
            gradient: d_input,
        };
        let (value, _) = self.run(incoming, stages, gradient, |output| {
            loss_stage(loss, target, output)
        });
        finite_loss(value)
    }

    /// One step of training on a batch: forward, loss, backward, and an
    /// optimizer update. Returns the loss before the update.
    ///
    /// The step's storage, a [`Workspace`] of
    /// [`Workspace::<L, X>::BYTES`](Workspace::BYTES) bytes, lives on the
    /// stack for the duration of the call. For networks whose workspace is
    /// large (MNIST-sized ones at batch 64 need about 0.5 MB), keep one
    /// workspace, boxed if need be, and use
    /// [`train_step_with`](Network::train_step_with).
    ///
    /// # Errors
    ///
    /// [`StepError`] if the loss, an entry of the gradient, or an updated
    /// parameter or optimizer state value would be NaN or infinite; the
    /// network and the optimizer are then left unchanged, to the bit. A step
    /// that returns `Ok` leaves only finite numbers behind.
    pub fn train_step<X, Lo, O>(
        &mut self,
        input: &X,
        target: &L::Output,
        loss: &Lo,
        optimizer: &mut O,
    ) -> Result<X::Element, StepError<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Self: Trainable<X, Output = L::Output, Gradient = GradientOf<L, X::Element>>,
        Lo: Loss<L::Output>,
        O: Optimizer<L, X::Element>,
    {
        let mut workspace = Workspace::new();
        self.train_step_with(&mut workspace, input, target, loss, optimizer)
    }

    /// [`train_step`](Network::train_step) in a workspace the caller keeps:
    /// a `static` on a device, a local, or a boxed one
    /// ([`Workspace::boxed`]) for networks too large for the stack.
    ///
    /// ```
    /// use constnet::{Affine, Matrix, Mse, Network, Sgd, Sigmoid, Workspace};
    ///
    /// type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;
    /// type Batch = Matrix<4, 2>;
    /// // The outputs of both Affine layers and their gradients, and the parameter gradient:
    /// assert_eq!(Workspace::<Xor, Batch>::BYTES, (2 * (4 * 4 + 4 * 1) + 17) * 4);
    ///
    /// let mut net: Xor = Network::new((
    ///     Affine::new(Matrix::new([[4.0, 6.0, -3.0, 1.0], [4.0, 6.0, -3.0, -1.0]]), Matrix::new([[-2.0, -3.0, 4.0, 0.0]])),
    ///     Sigmoid,
    ///     Affine::new(Matrix::new([[-6.0], [6.0], [-1.0], [0.5]]), Matrix::new([[-1.0]])),
    ///     Sigmoid,
    /// ));
    /// let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    /// let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    /// let mut workspace = Workspace::<Xor, Batch>::new();
    /// let mut sgd = Sgd::new(1.0);
    /// let first = net.train_step_with(&mut workspace, &x, &t, &Mse, &mut sgd).unwrap();
    /// let mut last = first;
    /// for _ in 0..100 {
    ///     last = net.train_step_with(&mut workspace, &x, &t, &Mse, &mut sgd).unwrap();
    /// }
    /// assert!(last < first);
    /// ```
    ///
    /// # Errors
    ///
    /// [`StepError`] if the loss, an entry of the gradient, or an updated
    /// parameter or optimizer state value would be NaN or infinite; the
    /// network and the optimizer are then left unchanged, to the bit. A step
    /// that returns `Ok` leaves only finite numbers behind.
    pub fn train_step_with<X, Lo, O>(
        &mut self,
        workspace: &mut Workspace<Self, X>,
        input: &X,
        target: &L::Output,
        loss: &Lo,
        optimizer: &mut O,
    ) -> Result<X::Element, StepError<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Self: Trainable<X, Output = L::Output, Gradient = GradientOf<L, X::Element>>,
        Lo: Loss<L::Output>,
        O: Optimizer<L, X::Element>,
    {
        let value = self.gradient(workspace, input, target, loss)?;
        optimizer.step(&mut self.layers, workspace.parts_mut().1)?;
        Ok(value)
    }
}

impl<L> Network<L> {
    /// One SGD step that applies each layer's update as soon as its
    /// gradient is known, last layer first, so that the network's gradient
    /// is never stored whole: the step needs [`Activations`] instead of a
    /// [`Workspace`]. An [`Affine`](crate::Affine) layer whose products are
    /// below the tiled kernels' size (16,384 multiply-adds) on bare metal, or
    /// below 1,024 elsewhere (where the stored gradient's product is faster),
    /// moves each weight as soon as that weight's gradient is summed, so it
    /// stores no gradient at all (for 1-16-16-1 at batch 1, the step keeps 264 B of activations
    /// instead of a 1,548 B workspace); a larger layer holds its own gradient
    /// while its backward runs (for 784-128-10, 401 KB instead of 407 KB).
    /// The result is the same, to the bit, as
    /// [`train_step_with`](Network::train_step_with) with [`Sgd`]: each
    /// layer's `dX` is computed from its weights before they move, and every
    /// gradient entry is summed in the same order.
    ///
    /// ```
    /// use constnet::{Activations, Affine, Matrix, Mse, Network, Relu, Sgd, Workspace};
    ///
    /// let layers = (Affine::<1, 4>::new(Matrix::new([[0.5, -1.0, 0.25, 2.0]]), Matrix::zeros()), Relu,
    ///               Affine::<4, 1>::new(Matrix::new([[1.0], [0.5], [-0.5], [0.25]]), Matrix::zeros()));
    /// let (mut fused, mut stored) = (Network::new(layers), Network::new(layers));
    /// let (x, t) = (Matrix::new([[0.5], [1.5]]), Matrix::new([[0.1], [0.9]]));
    /// let sgd = Sgd::new(0.1);
    /// let mut activations = Activations::new();
    /// let mut workspace = Workspace::new();
    /// for _ in 0..10 {
    ///     fused.train_step_fused(&mut activations, &x, &t, &Mse, &sgd).unwrap();
    ///     stored.train_step_with(&mut workspace, &x, &t, &Mse, &mut sgd.clone()).unwrap();
    /// }
    /// assert_eq!(fused, stored);
    /// ```
    ///
    /// # Errors
    ///
    /// [`StepError`]. A non-finite loss changes nothing. A non-finite
    /// gradient entry or update is found as the updates go, last layer
    /// first: the parameter where it is found and everything the pass has
    /// not reached yet (the rest of its matrix, or of its layer when the
    /// layer hands its gradient over whole, and every layer before it) are
    /// left unchanged, but what the pass has already updated stays updated,
    /// with finite values. So an `Ok` step leaves only finite numbers behind,
    /// as every step does, but unlike
    /// [`train_step_with`](Network::train_step_with) a failed fused step is
    /// not all or nothing (the error message's "nothing was updated" is the
    /// all-or-nothing forms').
    pub fn train_step_fused<X, Lo>(
        &mut self,
        activations: &mut Activations<Self, X>,
        input: &X,
        target: &L::Output,
        loss: &Lo,
        sgd: &Sgd<X::Element>,
    ) -> Result<X::Element, StepError<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Self: Trainable<X, Output = L::Output>,
        Lo: Loss<L::Output>,
    {
        let mut matrices = 0;
        self.visit(&mut |_: &[X::Element]| matrices += 1);
        let update = FusedSgd::new(sgd, matrices);
        let incoming = Incoming {
            value: input,
            gradient: None,
        };
        let (value, _) = self.run_update(incoming, activations.stages_mut(), &update, |output| {
            loss_stage(loss, target, output)
        });
        let value = finite_loss(value)?;
        match update.error() {
            Some(error) => Err(error.into()),
            None => Ok(value),
        }
    }
}

/// The last stage of every training pass: the loss, and its gradient written
/// into the last slot; the stages run backward only if the loss is finite.
#[inline(always)]
fn loss_stage<Y: Batch, Lo: Loss<Y>>(
    loss: &Lo,
    target: &Y,
    output: Buffers<'_, Y>,
) -> (Y::Element, bool) {
    let value = loss.value_and_gradient(output.value, target, output.gradient);
    (value, value.is_finite())
}

/// `loss` if it is finite, the step's error otherwise.
#[inline(always)]
fn finite_loss<T: Scalar>(loss: T) -> Result<T, StepError<T>> {
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(StepError::NonFiniteLoss { loss })
    }
}

impl<L: Parameters<T>, T: Scalar> Parameters<T> for Network<L> {
    type Gradient = L::Gradient;
    const PARAMETER_COUNT: usize = L::PARAMETER_COUNT;

    #[inline]
    fn update<const K: usize, F>(
        &mut self,
        gradient: &mut Self::Gradient,
        state: [&mut Self::Gradient; K],
        f: &mut F,
    ) where
        F: FnMut(&mut [T], &mut [T], [&mut [T]; K]),
    {
        self.layers.update(gradient, state, f);
    }

    #[inline]
    fn visit<F: FnMut(&[T])>(&self, f: &mut F) {
        self.layers.visit(f);
    }

    #[inline]
    fn visit_mut<F: FnMut(&mut [T])>(&mut self, f: &mut F) {
        self.layers.visit_mut(f);
    }

    #[inline]
    fn visit_shapes<F: FnMut(usize, usize)>(&self, f: &mut F) {
        self.layers.visit_shapes(f);
    }
}

/// A network is a layer: it can be nested in another network, or checked by
/// [`gradient_check`](crate::gradient_check) as a whole.
impl<X: Batch, L: Layer<X>> Layer<X> for Network<L> {
    type Output = L::Output;
    type Kind = kind::Chain;
    type Saved = L::Saved;

    #[inline]
    fn forward(&self, input: &X, output: &mut L::Output, saved: &mut L::Saved) {
        self.layers.forward(input, output, saved);
    }

    #[inline]
    fn backward(
        &self,
        input: &X,
        d_output: &L::Output,
        saved: &L::Saved,
        gradient: &mut GradientOf<L, X::Element>,
        d_input: Option<&mut X>,
    ) {
        self.layers
            .backward(input, d_output, saved, gradient, d_input);
    }

    #[inline]
    fn predict(&self, input: &X) -> L::Output {
        self.layers.predict(input)
    }
}

impl<X: Batch, P: Feed, L: Layer<X>> Run<Network<L>, X, P> for kind::Chain
where
    L::Kind: Run<L, X, P>,
{
    type Storage = <L::Kind as Run<L, X, P>>::Storage;
    type Next = <L::Kind as Run<L, X, P>>::Next;

    #[inline(always)]
    fn run<V, R>(
        network: &Network<L>,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        gradient: &mut GradientOf<L, X::Element>,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, L::Output>) -> (V, bool),
    {
        <L::Kind as Run<L, X, P>>::run(&network.layers, input, storage, gradient, rest)
    }

    #[inline(always)]
    fn run_update<V, R, U>(
        network: &mut Network<L>,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, L::Output>) -> (V, bool),
        U: LayerUpdate<X::Element>,
    {
        <L::Kind as Run<L, X, P>>::run_update(&mut network.layers, input, storage, update, rest)
    }
}

static_assertions::assert_impl_all!(
    Network<(Affine<2, 4>, crate::Sigmoid, Affine<4, 1>, crate::Sigmoid)>: Copy, Send, Sync
);
static_assertions::assert_eq_size!(
    Network<(Affine<2, 4>, crate::Sigmoid, Affine<4, 1>, crate::Sigmoid)>,
    [f32; 12 + 5]
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::gradient_entry_by_entry;
    use crate::{Matrix, Mse, Relu, Sgd, Sigmoid, Tanh, gradient_check};

    fn net() -> Network<(Affine<3, 4, f64>, Tanh, Affine<4, 2, f64>, Sigmoid)> {
        Network::new((
            Affine::new(
                Matrix::from_fn(|r, c| 0.1 * (r as f64) - 0.15 * (c as f64) + 0.05),
                Matrix::new([[0.1, -0.1, 0.2, 0.0]]),
            ),
            Tanh,
            Affine::new(
                Matrix::from_fn(|r, c| 0.3 - 0.2 * (r as f64) + 0.25 * (c as f64)),
                Matrix::new([[-0.05, 0.05]]),
            ),
            Sigmoid,
        ))
    }

    #[test]
    fn predict_is_the_layers_in_order() {
        let n = net();
        let x = Matrix::new([[1.0, -2.0, 0.5], [0.0, 0.3, 0.9]]);
        let (a, tanh, b, sigmoid) = n.layers;
        let want = sigmoid.predict(&b.predict(&tanh.predict(&a.predict(&x))));
        assert_eq!(n.predict(&x), want);
        let mut out = Matrix::zeros();
        let mut saved = Default::default();
        n.forward(&x, &mut out, &mut saved);
        assert_eq!(out, want);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = Matrix::new([[1.0, -2.0, 0.5], [0.0, 0.3, 0.9]]);
        let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
        let report = gradient_check(&net(), &Mse, &x, &t);
        assert_eq!(report.checked, 3 * 4 + 4 + 4 * 2 + 2 + 6);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
    }

    /// The gradient by the tuple's out-of-place `Layer` methods, which keep
    /// every layer's output separately.
    fn out_of_place_gradient<L: Layer<Matrix<1, 3, f64>, Output = Matrix<1, 2, f64>>>(
        layers: &L,
        x: &Matrix<1, 3, f64>,
        t: &Matrix<1, 2, f64>,
    ) -> (GradientOf<L, f64>, Matrix<1, 3, f64>) {
        let mut y = Matrix::zeros();
        let mut saved = L::Saved::default();
        layers.forward(x, &mut y, &mut saved);
        let mut d_y = Matrix::zeros();
        Mse.gradient(&y, t, &mut d_y);
        let mut gradient = GradientOf::<L, f64>::default();
        let mut d_x = Matrix::zeros();
        layers.backward(x, &d_y, &saved, &mut gradient, Some(&mut d_x));
        (gradient, d_x)
    }

    #[test]
    fn workspace_gradient_is_the_layers_gradient() {
        let n = net();
        let x = Matrix::new([[1.0, -2.0, 0.5]]);
        let t = Matrix::new([[0.5, 0.25]]);
        let mut workspace = Workspace::new();
        let loss = n.gradient(&mut workspace, &x, &t, &Mse).unwrap();
        assert_eq!(loss, Mse.value(&n.predict(&x), &t));
        let d = *workspace.gradient();
        let (d_first, (), d_second, ()) = d;
        assert_eq!(d_first.d_weights.as_slice().len(), 12);
        assert_eq!(d_second.d_bias.as_slice().len(), 2);

        // The in-place stages give the out-of-place layers' gradient, to the bit.
        let (same, d_x) = out_of_place_gradient(&n.layers, &x, &t);
        assert_eq!(same, d);
        let mut d_input = Matrix::filled(f64::NAN);
        n.gradient_with_input(&mut workspace, &x, &mut d_input, &t, &Mse)
            .unwrap();
        assert_eq!(d_input, d_x);
        assert_eq!(*workspace.gradient(), d);

        // Nesting changes nothing either.
        let nested = Network::new(((n.layers.0, n.layers.1), (n.layers.2, n.layers.3)));
        let mut workspace = Workspace::new();
        nested.gradient(&mut workspace, &x, &t, &Mse).unwrap();
        let ((d0, ()), (d2, ())) = *workspace.gradient();
        assert_eq!((d0, (), d2, ()), d);
    }

    #[test]
    fn in_place_layers_get_their_own_storage_where_they_must() {
        // Sigmoid first (the input is only lent) and Tanh after Sigmoid (whose
        // backward needs its output): both work on copies of their own.
        type Net = Network<(Sigmoid, Affine<3, 2, f64>, Sigmoid, Tanh, Affine<2, 2, f64>)>;
        let n: Net = Network::new::<3, f64>((
            Sigmoid,
            Affine::new(
                Matrix::from_fn(|r, c| 0.2 * (r as f64) - 0.3 * (c as f64) + 0.1),
                Matrix::new([[0.1, -0.2]]),
            ),
            Sigmoid,
            Tanh,
            Affine::new(Matrix::new([[0.5, -1.0], [0.25, 2.0]]), Matrix::zeros()),
        ));
        let x = Matrix::new([[1.0, -2.0, 0.5], [0.0, 0.3, 0.9]]);
        let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
        let report = gradient_check(&n, &Mse, &x, &t);
        assert_eq!(report.checked, 6 + 2 + 4 + 2 + 6);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
        // Storage: Sigmoid's copy of the input, the first Affine's output
        // (the second Sigmoid works in it), Tanh's copy, the last Affine's
        // output: each value and gradient, then the parameter gradient.
        type Batch = Matrix<2, 3, f64>;
        let activations = 2 * (2 * 3 + 2 * 2 + 2 * 2 + 2 * 2);
        assert_eq!(Workspace::<Net, Batch>::BYTES, (activations + 8 + 6) * 8);
    }

    #[test]
    fn non_finite_loss_leaves_the_network_alone() {
        let mut n = net();
        let before = n;
        let x = Matrix::new([[f64::NAN, 0.0, 0.0]]);
        let err = n
            .train_step(&x, &Matrix::new([[0.0, 1.0]]), &Mse, &mut Sgd::new(0.1))
            .unwrap_err();
        assert!(matches!(err, StepError::NonFiniteLoss { loss } if loss.is_nan()));
        assert_eq!(n, before);
        extern crate alloc;
        assert!(alloc::format!("{err}").starts_with("the loss is NaN (not finite)"));
    }

    proptest::proptest! {
        /// Whatever the inputs within ±1e4, a training step either reports a
        /// finite loss and leaves finite weights, or reports a non-finite
        /// loss and changes nothing: NaN never enters the parameters silently.
        #[test]
        fn training_on_inputs_within_1e4_never_hides_nan(
            inputs in proptest::collection::vec(-1e4_f32..=1e4, 6),
            class in 0usize..2,
            learning_rate in 0.001_f32..10.0,
        ) {
            use crate::SoftmaxCrossEntropy;
            let mut n = Network::new((
                Affine::<3, 4>::new(
                    Matrix::from_fn(|r, c| 0.3 * (r as f32) - 0.2 * (c as f32)),
                    Matrix::zeros(),
                ),
                Sigmoid,
                Affine::<4, 2>::new(Matrix::from_fn(|r, c| 0.5 - 0.25 * ((r + c) as f32)), Matrix::zeros()),
            ));
            let x = Matrix::<2, 3>::from_slice(&inputs).unwrap();
            let t = Matrix::from_fn(|_, c| if c == class { 1.0 } else { 0.0 });
            let mut sgd = Sgd::new(learning_rate);
            for _ in 0..3 {
                let before = n;
                match n.train_step(&x, &t, &SoftmaxCrossEntropy, &mut sgd) {
                    Ok(loss) => {
                        proptest::prop_assert!(loss.is_finite());
                        let mut finite = true;
                        n.visit(&mut |w: &[f32]| finite &= w.iter().all(|w| w.is_finite()));
                        proptest::prop_assert!(finite, "{n:?}");
                    }
                    Err(_) => proptest::prop_assert_eq!(n, before),
                }
            }
        }
    }

    /// Trains two copies, one by `train_step_fused` and one by
    /// `train_step_with` and `Sgd`, and asserts the same bits at every step.
    fn fused_matches_stored<L, X, Lo>(layers: L, x: &X, t: &L::Output, loss: &Lo, steps: usize)
    where
        X: Batch,
        L: Layer<X> + Copy + PartialEq + core::fmt::Debug,
        Network<L>: Trainable<X, Output = L::Output, Gradient = GradientOf<L, X::Element>>,
        Lo: Loss<L::Output>,
    {
        extern crate alloc;
        let (mut fused, mut stored) = (Network { layers }, Network { layers });
        let mut activations = Activations::new();
        let mut workspace = Workspace::new();
        let sgd = Sgd::new(X::Element::from_f64(0.05));
        let mut first = None;
        let mut last = None;
        for step in 0..steps {
            let a = fused.train_step_fused(&mut activations, x, t, loss, &sgd);
            let b = stored.train_step_with(&mut workspace, x, t, loss, &mut sgd.clone());
            assert_eq!(a, b, "step {step}");
            assert_eq!(fused, stored, "step {step}");
            first = first.or(a.ok());
            last = a.ok();
        }
        assert!(last < first, "the loss fell: {first:?} to {last:?}");
    }

    #[test]
    fn a_fused_step_gives_the_stored_steps_bits() {
        use crate::{Init, SoftmaxCrossEntropy};
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        // The textbook's XOR network, whose gradient is summed entry by entry.
        let xor = (
            Affine::<2, 4>::init(Init::Xavier, &mut rng),
            Sigmoid,
            Affine::<4, 1>::init(Init::Xavier, &mut rng),
            Sigmoid,
        );
        let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
        let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
        fused_matches_stored(xor, &x, &t, &Mse, 50);

        // 48-32-10 at batch 16: the first layer (24,576 multiply-adds) hands
        // its gradient over whole; the second (5,120) too on a host, and is
        // summed entry by entry on bare metal.
        const { assert!(!gradient_entry_by_entry(16 * 48 * 32)) };
        let wide = (
            Affine::<48, 32>::init(Init::He, &mut rng),
            Relu,
            Affine::<32, 10>::init(Init::Xavier, &mut rng),
        );
        let x = Matrix::<16, 48>::from_fn(|r, c| ((r * 7 + c * 3) % 11) as f32 / 11.0 - 0.4);
        let t = Matrix::<16, 10>::from_fn(|r, c| if c == r % 10 { 1.0 } else { 0.0 });
        fused_matches_stored(wide, &x, &t, &SoftmaxCrossEntropy, 10);
    }

    /// An entry whose update would not be finite ends a fused step there:
    /// the entries before it in its matrix and the layers after it (updated
    /// first) have moved, by finite amounts; it and everything before it in
    /// the network have not.
    #[test]
    fn a_fused_step_stops_at_the_first_non_finite_entry() {
        let layers = (
            Affine::<1, 2>::new(Matrix::new([[1.0, 1e19]]), Matrix::zeros()),
            Relu,
            Affine::<2, 2>::new(Matrix::new([[1.0, 0.0], [0.0, 1.0]]), Matrix::zeros()),
        );
        let mut net = Network::new(layers);
        // y = h = (1, 1e19), a finite loss; dY ≈ y, so dW = hᵀ·dY has 1e38
        // in its last entry, which lr = 10 takes past f32::MAX.
        let (x, t) = (Matrix::new([[1.0]]), Matrix::new([[0.0, 0.0]]));
        let mut activations = Activations::new();
        let error = net
            .train_step_fused(&mut activations, &x, &t, &Mse, &Sgd::new(10.0))
            .unwrap_err();
        assert_eq!(error, StepError::NonFiniteUpdate { matrix: 2 });
        let (first, _, last) = net.layers;
        assert_eq!(first, layers.0, "the layer before is unchanged");
        let [[w00, w01], [w10, w11]] = *last.weights.rows();
        assert!(w00 < 0.0 && w01 < -1e19 && w10 < -1e19, "{last:?}");
        assert_eq!(w11, 1.0, "the failed entry is unchanged");
        assert_eq!(last.bias, layers.2.bias, "the matrix after it too");
        let mut finite = true;
        net.visit(&mut |w: &[f32]| finite &= w.iter().all(|w| w.is_finite()));
        assert!(finite);
    }

    #[test]
    fn nested_tuples_are_networks_too() {
        let flat = net();
        let (a, tanh, b, sigmoid) = flat.layers;
        let nested = Network::new(((a, tanh), (b, sigmoid)));
        let x = Matrix::new([[0.2, 0.4, -0.6]]);
        assert_eq!(nested.predict(&x), flat.predict(&x));
        assert_eq!(
            <Network<((Affine<3, 4, f64>, Relu), Affine<4, 2, f64>)> as Parameters<f64>>::PARAMETER_COUNT,
            16 + 10
        );
    }
}
