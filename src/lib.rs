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
//!   checks that their widths connect.
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
//! # Features
//!
//! - `std` (default): implies `alloc`.
//! - `alloc`: [`Matrix::boxed_zeros`] and [`Matrix::boxed_from_fn`], for
//!   matrices too large for the stack.
//!
//! Without default features the crate is `#![no_std]` and allocation-free.
//! Float math goes through `num_traits::Float` on its `libm` backend with or
//! without `std` (the crate never turns on num-traits' `std` feature; if
//! another crate in the build does, `exp` and `ln` come from the platform
//! instead and may differ in the last bit). Initialisation uses only exactly
//! rounded arithmetic, so a seed gives the same weights on every target.

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
mod workspace;
#[cfg(feature = "alloc")]
mod zeroable;

pub use gradcheck::{GradientCheck, GradientEntry, GradientReport, gradient_check};
pub use init::Init;
pub use layer::{Batch, GradientOf, InPlaceLayer, Layer, Parameters, kind};
pub use layers::{Activation, Affine, AffineGradient, Identity, Relu, Sigmoid, Softmax, Tanh};
pub use loss::{BinaryCrossEntropy, Loss, Mse, SoftmaxCrossEntropy};
pub use matrix::Matrix;
pub use network::{Network, NonFiniteLoss};
pub use optim::{AdaGrad, Adam, Momentum, Optimizer, RmsProp, Sgd};
pub use scalar::Scalar;
pub use stage::Trainable;
pub use workspace::Workspace;
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
