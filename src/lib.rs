//! Neural networks whose shapes live in the type system.
//!
//! A network is a type: `Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>`.
//! Every matrix carries its shape as const generics, so the compiler checks
//! every product, every gradient and every connection between layers: a
//! gradient `dW` has the type of `W`, `dX` the type of `X`, and a 4-wide layer
//! fed into a 3-wide one does not compile. Because all sizes are known at
//! compile time, a training step (forward, loss, backward, update) is
//! monomorphized into stack-allocated code with no heap and no run-time shape
//! checks, and the same code trains on a laptop and on a microcontroller
//! (`#![no_std]`, no allocator).
//!
//! # Training XOR
//!
//! ```
//! use constnet::{Affine, Matrix, Mse, Network, Sgd, Sigmoid};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;
//!
//! let mut rng = StdRng::seed_from_u64(42);
//! let mut net: Xor = Network::new((Affine::xavier(&mut rng), Sigmoid, Affine::xavier(&mut rng), Sigmoid));
//!
//! let inputs = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
//! let targets = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
//! let mut sgd = Sgd::new(2.0);
//! for _ in 0..10_000 {
//!     net.train_step(&inputs, &targets, &Mse, &mut sgd).expect("finite loss");
//! }
//!
//! let y = net.predict(&inputs);
//! for (y, t) in y.as_slice().iter().zip(targets.as_slice()) {
//!     assert!((y - t).abs() < 0.1, "{y} vs {t}");
//! }
//! ```
//!
//! # The pieces
//!
//! - [`Matrix<R, C, T>`]: fixed-size matrices, `f32` or `f64` ([`Scalar`]).
//! - Layers ([`Layer`]): [`Affine`], [`Relu`], [`Sigmoid`], [`Tanh`],
//!   [`Identity`], [`Softmax`]; tuples of layers are layers, and [`Network`]
//!   checks that their widths connect and trains them in a [`Workspace`].
//! - Losses ([`Loss`]): [`Mse`], [`SoftmaxCrossEntropy`], [`BinaryCrossEntropy`].
//! - Optimizers ([`Optimizer`]): [`Sgd`], [`Momentum`], [`AdaGrad`],
//!   [`RmsProp`], [`Adam`], over any [`Parameters`], their state shaped like
//!   the parameters.
//! - [`gradient_check`]: backpropagation against finite differences.
//! - [`Init`]: seeded Xavier and He initialisation.
//! - [`graph`]: the textbook's scalar computational-graph nodes.
//! - [`bake`]: a trained network written out as Rust source, a `const` that
//!   compiles into any program and lives in flash.
//! - [`weights`]: parameters saved to bytes and loaded back, checked and
//!   checksummed, on `&[u8]` without `std`.
//! - [`data`]: labelled samples parsed from CSV text, with errors that name
//!   the line and column.
//!
//! # Training memory: the workspace
//!
//! A training step writes every layer's output, the gradient flowing back
//! through it, and the gradient of every parameter into a [`Workspace`],
//! whose size [`Workspace::BYTES`] is a constant of the network and batch
//! types. Activations work in place in the output of the `Affine` before
//! them, so each hidden activation is stored once, and the first layer reads
//! the batch where it lies. [`Network::train_step`] keeps a workspace on the
//! stack for the call; [`Network::train_step_with`] uses one you keep, as a
//! `static` on a device or boxed ([`Workspace::boxed`]) for networks larger
//! than the stack.
//!
//! # Writing a layer
//!
//! A layer is one impl of [`Layer`] (and, for a layer without parameters,
//! [`no_parameters!`]): `forward` writes the output of an input into the
//! storage it is given, `backward` overwrites the parameter gradient and,
//! when asked, writes `dX`. Its `Kind` says how the workspace stores its
//! output: [`kind::Fresh`] for a layer that writes a new output (its
//! backward then reads only its input and what it saved, never its output,
//! which the next layer may overwrite), [`kind::InPlace`] for one that
//! overwrites its input and differentiates from its output alone (it also
//! implements [`InPlaceLayer`]). [`Layer::backward_update`], what the fused
//! SGD step calls, has a default built on `backward`; override it only to
//! hand the update each gradient entry as it is summed instead of storing
//! the gradient. An element-wise function whose derivative
//! can be written from its output is simpler still: implement
//! [`Activation`] (the function and its derivative;
//! [`activate_all`](Activation::activate_all), which computes a slice of
//! values, has a default) and call [`activation_layer!`].
//!
//! ```
//! use constnet::{Layer, Matrix, Mse, Network, Affine, Scalar, gradient_check, kind, no_parameters};
//!
//! /// Doubles its input.
//! #[derive(Clone, Copy, Debug, Default, PartialEq)]
//! struct Double;
//!
//! impl<const B: usize, const N: usize, T: Scalar> Layer<Matrix<B, N, T>> for Double {
//!     type Output = Matrix<B, N, T>;
//!     type Kind = kind::Fresh;
//!     type Saved = ();
//!
//!     fn forward(&self, x: &Matrix<B, N, T>, y: &mut Matrix<B, N, T>, _: &mut ()) {
//!         *y = x.scale(T::from_f64(2.0));
//!     }
//!
//!     fn backward(
//!         &self,
//!         _: &Matrix<B, N, T>,
//!         d_y: &Matrix<B, N, T>,
//!         _: &(),
//!         _: &mut (),
//!         d_x: Option<&mut Matrix<B, N, T>>,
//!     ) {
//!         // dX = 2 dY
//!         if let Some(d_x) = d_x {
//!             *d_x = d_y.scale(T::from_f64(2.0));
//!         }
//!     }
//! }
//! no_parameters!(Double);
//!
//! let net = Network::new((Affine::<2, 1, f64>::new(Matrix::new([[0.5], [-0.25]]), Matrix::zeros()), Double));
//! let report = gradient_check(&net, &Mse, &Matrix::new([[1.0, 2.0]]), &Matrix::new([[0.3]]));
//! assert!(report.max_relative_error < 1e-8);
//! ```
//!
//! A layer needs randomness (dropout) or state between steps? Keep it in
//! `Saved`: it lives in the workspace, so the layer itself stays `Copy`,
//! `Send` and `Sync`. `examples/custom_layer.rs` writes a leaky ReLU and a
//! dropout layer this way, each checked against finite differences.
//!
//! # Features
//!
//! - `std` (default): implies `alloc`.
//! - `alloc`: values too large for the stack, allocated on the heap without
//!   passing through it: [`Matrix::boxed_zeros`], [`Matrix::boxed_from_fn`],
//!   [`Network::boxed`], [`Workspace::boxed`], and each optimizer's `boxed`.
//! - `reproducible`: every product gives the same bits on every processor
//!   and target. Without it, products of at least 16 384 multiply-adds,
//!   under `std` on x86-64 with AVX2 and FMA, fuse each multiply-add into
//!   one rounding, for speed (see [`Matrix::matmul`]), and their last bits
//!   then differ from those of every other target.
//!
//! Without default features the crate is `#![no_std]` and allocation-free.
//! `exp`, `ln` and `tanh` are the crate's own (branch-free, so rows of them
//! vectorize; within 1 ulp for `exp` and `ln` over every `f32`, tested
//! exhaustively), so they give the same bits on every target and with
//! every feature set, whatever another crate in the build switches on in
//! `num-traits`; with `reproducible`, so does a whole network.
//! Initialisation uses only exactly rounded arithmetic, so a seed gives the
//! same weights on every target.

#![no_std]
#![cfg_attr(not(feature = "alloc"), forbid(unsafe_code))]
#![cfg_attr(feature = "alloc", deny(unsafe_code))]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod bake;
pub mod data;
pub mod graph;
pub mod prelude;
pub mod weights;

mod gradcheck;
mod init;
mod layer;
mod layers;
mod loss;
mod math;
mod matrix;
mod network;
mod optim;
mod scalar;
pub mod stage;
mod step_error;
mod workspace;
#[cfg(feature = "alloc")]
mod zeroable;

pub use gradcheck::{GradientCheck, GradientEntry, GradientReport, gradient_check};
pub use init::Init;
pub use layer::{Batch, GradientOf, InPlaceLayer, Layer, Parameters, kind};
pub use layers::{Activation, Affine, AffineGradient, Identity, Relu, Sigmoid, Softmax, Tanh};
pub use loss::{BinaryCrossEntropy, Loss, Mse, SoftmaxCrossEntropy};
pub use matrix::Matrix;
pub use network::Network;
pub use optim::{
    AdaGrad, Adam, InvalidHyperparameter, Momentum, Optimizer, RmsProp, Sgd, UpdateError,
};
pub use scalar::Scalar;
pub use stage::Trainable;
pub use step_error::StepError;
pub use workspace::{Activations, Workspace};
#[cfg(feature = "alloc")]
pub use zeroable::Zeroable;

/// The `rand` crate the library is built with, version 0.9: seed generators
/// through it (`constnet::rand::SeedableRng`, and with the `std` feature
/// `constnet::rand::rngs::StdRng`) and they have the traits that
/// [`Init`] and [`Affine::xavier`] take. A `rand` of another major version
/// in your own `Cargo.toml` (`cargo add rand` picks the newest, 0.10) has
/// traits of the same names that are not these: its generators are not
/// accepted.
///
/// ```
/// use constnet::Affine;
/// use constnet::rand::{SeedableRng, rngs::StdRng};
///
/// let layer: Affine<3, 2> = Affine::he(&mut StdRng::seed_from_u64(1));
/// assert_ne!(layer.weights, constnet::Matrix::zeros());
/// ```
pub use rand;

// The README's examples are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
