//! [`Workspace`]: the storage of a training step, sized by the types.

use core::fmt;

use crate::layer::{Batch, GradientOf};
use crate::stage::Trainable;

/// Everything a training step of network `L` on batches `X` writes: each
/// layer's output and the gradient of the loss with respect to it (once per
/// activation, however many layers work on it in place), what layers keep
/// for their backward pass, and the gradient of every parameter.
///
/// Its size is a constant of the types, [`Workspace::BYTES`], known before
/// anything runs. Keep one for as many steps as you like: on a
/// microcontroller as a `static` or a local in `main`, on a laptop as a local
/// or, for networks too large for the stack, on the heap with
/// [`Workspace::boxed`]. Nothing in it needs clearing between steps: every
/// step overwrites what it reads.
///
/// ```
/// use constnet::{Affine, Matrix, Network, Relu, Workspace};
///
/// type Net = Network<(Affine<784, 128>, Relu, Affine<128, 10>)>;
/// type Batch = Matrix<64, 784>;
/// // The two Affine outputs and their gradients (Relu works in the first
/// // one's), and one gradient per parameter; the input itself is only lent.
/// let activations = 2 * (64 * 128 + 64 * 10);
/// let parameters = 784 * 128 + 128 + 128 * 10 + 10;
/// assert_eq!(Workspace::<Net, Batch>::BYTES, (activations + parameters) * 4);
/// ```
pub struct Workspace<L: Trainable<X>, X: Batch> {
    activations: Activations<L, X>,
    gradient: GradientOf<L, X::Element>,
}

/// The part of a [`Workspace`] without the parameter gradient: each layer's
/// output and the gradient with respect to it, and what layers save for
/// backward. It is all that
/// [`Network::train_step_fused`](crate::Network::train_step_fused), which
/// applies each layer's update as soon as its gradient is known, needs.
///
/// ```
/// use constnet::{Activations, Affine, Matrix, Network, Relu, Workspace};
///
/// type Sine = Network<(Affine<1, 16>, Relu, Affine<16, 16>, Relu, Affine<16, 1>)>;
/// type Batch = Matrix<1, 1>;
/// assert_eq!(Activations::<Sine, Batch>::BYTES, 2 * (16 + 16 + 1) * 4);
/// assert_eq!(Workspace::<Sine, Batch>::BYTES, Activations::<Sine, Batch>::BYTES + 321 * 4);
/// ```
pub struct Activations<L: Trainable<X>, X: Batch> {
    stages: L::Storage,
}

impl<L: Trainable<X>, X: Batch> Activations<L, X> {
    /// The size in bytes: what a fused training step of `L` on batches `X`
    /// needs besides the network and the batch. `Affine` layers below the
    /// tiled products' size (16,384 multiply-adds per product) on bare
    /// metal, or below 1,024 elsewhere, store no gradient at all in a fused
    /// step; a larger one, or a layer of your own
    /// with the default [`Layer::backward_update`](crate::Layer::backward_update),
    /// holds its own gradient on the stack while its backward runs.
    pub const BYTES: usize = core::mem::size_of::<Self>();

    /// Storage with every value zero.
    pub fn new() -> Self {
        Self {
            stages: L::Storage::default(),
        }
    }

    pub(crate) fn stages_mut(&mut self) -> &mut L::Storage {
        &mut self.stages
    }
}

impl<L: Trainable<X>, X: Batch> Default for Activations<L, X> {
    fn default() -> Self {
        Self::new()
    }
}

impl<L: Trainable<X>, X: Batch> fmt::Debug for Activations<L, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Activations")
            .field("bytes", &Self::BYTES)
            .finish_non_exhaustive()
    }
}

impl<L: Trainable<X>, X: Batch> Workspace<L, X> {
    /// The size of the workspace in bytes: what a training step of `L` on
    /// batches `X` needs besides the network, the optimizer and the batch.
    pub const BYTES: usize = core::mem::size_of::<Self>();

    /// A workspace with every value zero.
    pub fn new() -> Self {
        Self {
            activations: Activations::new(),
            gradient: Default::default(),
        }
    }

    /// The gradient of every parameter from the last
    /// [`Network::gradient`](crate::Network::gradient), shaped like the
    /// network's parameters.
    ///
    /// A training step consumes the gradient it computes (see
    /// [`Optimizer::step`](crate::Optimizer::step)): after
    /// [`Network::train_step_with`](crate::Network::train_step_with) this
    /// holds unspecified values.
    pub fn gradient(&self) -> &GradientOf<L, X::Element> {
        &self.gradient
    }

    /// The gradient, for an [`Optimizer::step`](crate::Optimizer::step) of
    /// your own after [`Network::gradient`](crate::Network::gradient).
    ///
    /// ```
    /// use constnet::{Affine, Matrix, Mse, Network, Optimizer, Sgd, Workspace};
    ///
    /// let mut net = Network::new((Affine::<1, 1>::new(Matrix::new([[0.5]]), Matrix::zeros()),));
    /// let (x, t) = (Matrix::new([[1.0]]), Matrix::new([[2.0]]));
    /// let mut workspace = Workspace::new();
    /// net.gradient(&mut workspace, &x, &t, &Mse).unwrap();
    /// // dL/dw = 2 (0.5 - 2) 1 = -3
    /// assert_eq!(workspace.gradient().0.d_weights, Matrix::new([[-3.0]]));
    /// Sgd::new(0.5).step(&mut net, workspace.gradient_mut()).unwrap();
    /// assert_eq!(net.layers.0.weights, Matrix::new([[2.0]]));
    /// ```
    pub fn gradient_mut(&mut self) -> &mut GradientOf<L, X::Element> {
        &mut self.gradient
    }

    pub(crate) fn parts_mut(&mut self) -> (&mut L::Storage, &mut GradientOf<L, X::Element>) {
        (&mut self.activations.stages, &mut self.gradient)
    }
}

impl<L: Trainable<X>, X: Batch> Default for Workspace<L, X> {
    fn default() -> Self {
        Self::new()
    }
}

impl<L: Trainable<X>, X: Batch> fmt::Debug for Workspace<L, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workspace")
            .field("bytes", &Self::BYTES)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "alloc")]
impl<L: Trainable<X>, X: Batch> Workspace<L, X>
where
    L::Storage: crate::Zeroable,
    GradientOf<L, X::Element>: crate::Zeroable,
{
    /// A workspace allocated on the heap, zeroed there: it never passes
    /// through the stack, however large it is (feature `alloc`).
    ///
    /// Every workspace of the crate's layers can be boxed; a layer of your
    /// own whose `Saved` or gradient type is not made of matrices, numbers
    /// and tuples needs [`Zeroable`](crate::Zeroable) for it.
    ///
    /// ```
    /// use constnet::{Adam, Affine, Init, Matrix, Network, Relu, SoftmaxCrossEntropy, Workspace};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// type Net = Network<(Affine<784, 128>, Relu, Affine<128, 10>)>;
    /// type Batch = Matrix<64, 784>;
    ///
    /// // On a 2 MiB thread, in debug builds too: nothing large is on the stack.
    /// std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
    ///     let mut rng = StdRng::seed_from_u64(1);
    ///     let mut net = Net::boxed();
    ///     net.layers.0.initialize(Init::He, &mut rng);
    ///     net.layers.2.initialize(Init::Xavier, &mut rng);
    ///     let mut adam = Adam::boxed(0.001, 0.9, 0.999);
    ///     let mut workspace = Workspace::<Net, Batch>::boxed();
    ///     let x = Matrix::<64, 784>::boxed_from_fn(|r, c| ((r * 784 + c) % 7) as f32 / 7.0);
    ///     let t = Matrix::<64, 10>::boxed_from_fn(|r, c| (r % 10 == c) as u8 as f32);
    ///     let loss = net.train_step_with(&mut workspace, &*x, &t, &SoftmaxCrossEntropy, &mut *adam).unwrap();
    ///     assert!(loss > 2.0 && loss < 3.0, "{loss}");
    /// }).unwrap().join().unwrap();
    /// ```
    pub fn boxed() -> alloc::boxed::Box<Self> {
        crate::zeroable::boxed_zeroed()
    }
}

#[cfg(feature = "alloc")]
// SAFETY: its one field is `Zeroable` by the bound.
#[allow(unsafe_code)]
unsafe impl<L: Trainable<X>, X: Batch> crate::Zeroable for Activations<L, X> where
    L::Storage: crate::Zeroable
{
}

#[cfg(feature = "alloc")]
// SAFETY: both fields are `Zeroable` by the bounds.
#[allow(unsafe_code)]
unsafe impl<L: Trainable<X>, X: Batch> crate::Zeroable for Workspace<L, X>
where
    L::Storage: crate::Zeroable,
    GradientOf<L, X::Element>: crate::Zeroable,
{
}
