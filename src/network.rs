//! [`Network`]: layers chained into one type, with the widths between them
//! checked when the network is built.

mod chain;

use core::fmt;
use core::marker::PhantomData;

use num_traits::Float;

use crate::layer::{Batch, GradientOf, Layer, Parameters};
use crate::layers::{Affine, Softmax};
use crate::{Loss, Optimizer, Scalar};

/// A network: a tuple of layers run in order, such as
/// `Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>`.
///
/// The type is the architecture. [`Network::new`] checks at compile time
/// that each layer's output width is the next layer's input width, and
/// [`forward`](Network::forward) that the batch has the first layer's input
/// width; either mistake is a compile error that names the two widths.
/// Forward, backward and the update are monomorphized for the exact shapes,
/// so a training step runs without allocation or shape checks.
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

/// What [`Network::forward`] keeps for [`Network::backward`]: the layers'
/// caches, tagged with the input type so `backward` knows the shapes.
pub struct Trace<X, C> {
    /// The caches of the layers, in order.
    pub caches: C,
    input: PhantomData<fn() -> X>,
}

impl<X, C: Clone> Clone for Trace<X, C> {
    fn clone(&self) -> Self {
        Self {
            caches: self.caches.clone(),
            input: PhantomData,
        }
    }
}

impl<X, C: Copy> Copy for Trace<X, C> {}

impl<X, C: fmt::Debug> fmt::Debug for Trace<X, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trace")
            .field("caches", &self.caches)
            .finish()
    }
}

/// A training step whose loss was NaN or infinite: the parameters were left
/// as they were, since updating them would spread the NaN to every weight.
///
/// The usual causes are a learning rate too large for the data, or NaN or
/// infinite values in the inputs or targets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NonFiniteLoss<T> {
    /// The loss that was computed.
    pub loss: T,
}

impl<T: fmt::Display> fmt::Display for NonFiniteLoss<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the loss is {} (not finite); the parameters were not updated: \
             lower the learning rate or check the data for NaN or infinite values",
            self.loss
        )
    }
}

impl<T: fmt::Debug + fmt::Display> core::error::Error for NonFiniteLoss<T> {}

impl<L> Network<L> {
    /// A network of `layers`, checking that the widths connect.
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
    /// error[E0277]: layer `Affine<3, 1>` cannot follow a layer whose output is `Width<4>`
    /// ```
    pub const fn new(layers: L) -> Self
    where
        L: Connect<AnyWidth>,
    {
        Self { layers }
    }

    /// Runs the network on a batch, keeping what [`backward`](Network::backward) needs.
    pub fn forward<X: Batch>(&self, input: &X) -> (L::Output, Trace<X, L::Cache>)
    where
        L: Layer<X>,
    {
        let (output, caches) = self.layers.forward(input);
        let trace = Trace {
            caches,
            input: PhantomData,
        };
        (output, trace)
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

    /// Backpropagates `d_output`, the gradient of the loss with respect to the
    /// output, and returns the gradient of every parameter as one value of the
    /// network's gradient type, shaped like the layers.
    pub fn backward<X: Batch>(
        &self,
        trace: &Trace<X, L::Cache>,
        d_output: &L::Output,
    ) -> GradientOf<L, X::Element>
    where
        L: Layer<X>,
    {
        self.layers.backward_parameters(&trace.caches, d_output)
    }

    /// Like [`backward`](Network::backward), also returning the gradient with
    /// respect to the input, `dX`.
    pub fn backward_with_input<X: Batch>(
        &self,
        trace: &Trace<X, L::Cache>,
        d_output: &L::Output,
    ) -> (X, GradientOf<L, X::Element>)
    where
        L: Layer<X>,
    {
        self.layers.backward(&trace.caches, d_output)
    }

    /// One step of training on a batch: forward, loss, backward, and an
    /// optimizer update. Returns the loss before the update.
    ///
    /// # Errors
    ///
    /// [`NonFiniteLoss`] if the loss is NaN or infinite; the network is then
    /// left unchanged.
    pub fn train_step<X, Lo, O>(
        &mut self,
        input: &X,
        target: &L::Output,
        loss: &Lo,
        optimizer: &mut O,
    ) -> Result<X::Element, NonFiniteLoss<X::Element>>
    where
        X: Batch,
        L: Layer<X>,
        Lo: Loss<L::Output>,
        O: Optimizer<L, X::Element>,
    {
        let (output, trace) = self.forward(input);
        let (value, d_output) = loss.value_and_gradient(&output, target);
        if !value.is_finite() {
            return Err(NonFiniteLoss { loss: value });
        }
        let gradient = self.backward(&trace, &d_output);
        optimizer.step(&mut self.layers, &gradient);
        Ok(value)
    }
}

impl<L: Parameters<T>, T: Scalar> Parameters<T> for Network<L> {
    type Gradient = L::Gradient;
    const PARAMETER_COUNT: usize = L::PARAMETER_COUNT;

    #[inline]
    fn update<const K: usize, F>(
        &mut self,
        gradient: &Self::Gradient,
        state: [&mut Self::Gradient; K],
        f: &mut F,
    ) where
        F: FnMut(&mut [T], &[T], [&mut [T]; K]),
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

impl<X: Batch, L: Layer<X>> Layer<X> for Network<L> {
    type Output = L::Output;
    type Cache = L::Cache;

    #[inline]
    fn forward(&self, input: &X) -> (L::Output, L::Cache) {
        self.layers.forward(input)
    }

    #[inline]
    fn predict(&self, input: &X) -> L::Output {
        self.layers.predict(input)
    }

    #[inline]
    fn backward(&self, cache: &L::Cache, d_output: &L::Output) -> (X, GradientOf<L, X::Element>) {
        self.layers.backward(cache, d_output)
    }

    #[inline]
    fn backward_parameters(
        &self,
        cache: &L::Cache,
        d_output: &L::Output,
    ) -> GradientOf<L, X::Element> {
        self.layers.backward_parameters(cache, d_output)
    }
}

/// The number of features flowing from one layer to the next, as a type:
/// what [`Connect`] checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Width<const N: usize>;

/// The input of a network's first layer, whose width nothing before it fixes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AnyWidth;

/// A layer that can follow a layer whose output is `W` (a [`Width`], or
/// [`AnyWidth`] for the first layer), giving an output of width `Output`.
///
/// This is how [`Network::new`] checks a network's widths without knowing
/// its batch size: `Affine<IN, OUT>` follows `Width<IN>` and gives
/// `Width<OUT>`; activations keep the width they are given.
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot follow a layer whose output is `{W}`",
    label = "this network's layers do not connect",
    note = "`Affine<IN, OUT>` takes IN values per sample: its IN must equal the OUT of the `Affine` before it"
)]
pub trait Connect<W> {
    /// The width this layer outputs.
    type Output;
}

impl<const IN: usize, const OUT: usize, T> Connect<Width<IN>> for Affine<IN, OUT, T> {
    type Output = Width<OUT>;
}

impl<const IN: usize, const OUT: usize, T> Connect<AnyWidth> for Affine<IN, OUT, T> {
    type Output = Width<OUT>;
}

impl<W> Connect<W> for Softmax {
    type Output = W;
}

impl<W, L: Connect<W>> Connect<W> for Network<L> {
    type Output = L::Output;
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
    fn forward_is_the_layers_in_order() {
        let n = net();
        let x = Matrix::new([[1.0, -2.0, 0.5], [0.0, 0.3, 0.9]]);
        let (a, tanh, b, sigmoid) = n.layers;
        let want = sigmoid.predict(&b.predict(&tanh.predict(&a.predict(&x))));
        assert_eq!(n.predict(&x), want);
        assert_eq!(n.forward(&x).0, want);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = Matrix::new([[1.0, -2.0, 0.5], [0.0, 0.3, 0.9]]);
        let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
        let report = gradient_check(&net(), &Mse, &x, &t);
        assert_eq!(report.checked, 3 * 4 + 4 + 4 * 2 + 2 + 6);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
    }

    #[test]
    fn backward_returns_one_gradient_shaped_like_the_network() {
        let n = net();
        let x = Matrix::new([[1.0, -2.0, 0.5]]);
        let (y, trace) = n.forward(&x);
        let d = n.backward(&trace, &y);
        let (d_first, (), d_second, ()) = d;
        assert_eq!(d_first.d_weights.as_slice().len(), 12);
        assert_eq!(d_second.d_bias.as_slice().len(), 2);
        let (d_x, same) = n.backward_with_input(&trace, &y);
        assert_eq!(same, d);
        // Skipping the first layer's dX changes no gradient, to the bit.
        assert_eq!(n.layers.backward_parameters(&trace.caches, &y), d);
        let nested = Network::new(((n.layers.0, n.layers.1), (n.layers.2, n.layers.3)));
        let (y, trace) = nested.forward(&x);
        let ((d0, ()), (d2, ())) = nested.backward(&trace, &y);
        assert_eq!((d0, (), d2, ()), d);
        let _: Matrix<1, 3, f64> = d_x;
    }

    #[test]
    fn non_finite_loss_leaves_the_network_alone() {
        let mut n = net();
        let before = n;
        let x = Matrix::new([[f64::NAN, 0.0, 0.0]]);
        let err = n
            .train_step(&x, &Matrix::new([[0.0, 1.0]]), &Mse, &mut Sgd::new(0.1))
            .unwrap_err();
        assert!(err.loss.is_nan());
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
                    Err(error) => {
                        proptest::prop_assert!(!error.loss.is_finite());
                        proptest::prop_assert_eq!(n, before);
                    }
                }
            }
        }
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
