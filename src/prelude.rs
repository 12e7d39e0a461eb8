//! The names a training program uses, in one import:
//! `use constnet::prelude::*;`.
//!
//! Matrices, networks and their layers, losses and optimizers with the
//! traits whose methods they are called through ([`Loss`], [`Optimizer`],
//! [`Parameters`], [`Layer`]), initialisation, the training workspace, the
//! data helpers that batch and evaluate, and from [`rand`] (the version the
//! crate is built with, see [`crate::rand`]) the traits that seed a
//! generator and, with the `std` feature, [`StdRng`].
//!
//! ```
//! use constnet::prelude::*;
//!
//! type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;
//!
//! let mut rng = StdRng::seed_from_u64(42);
//! let mut net: Xor = Network::new((Affine::xavier(&mut rng), Sigmoid, Affine::xavier(&mut rng), Sigmoid));
//! let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
//! let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
//! let mut sgd = Sgd::new(2.0);
//! for _ in 0..5_000 {
//!     net.train_step(&x, &t, &Mse, &mut sgd).expect("a finite loss");
//! }
//! let y = net.predict(&x);
//! assert!(Mse.value(&y, &t) < 0.01);
//! ```

pub use crate::data::{
    Batches, ConfusionMatrix, Labelled, Remainder, Sample, SampleSource, Subset, evaluate,
    fill_batch, one_hot_rows,
};
pub use crate::{
    AdaGrad, Adam, Affine, BinaryCrossEntropy, GradientOf, Identity, Init, Layer, Loss, Matrix,
    Momentum, Mse, Network, Optimizer, Parameters, Relu, RmsProp, Sgd, Sigmoid, Softmax,
    SoftmaxCrossEntropy, Tanh, Workspace,
};
pub use rand::{Rng, SeedableRng};

#[cfg(feature = "std")]
pub use rand::rngs::StdRng;
