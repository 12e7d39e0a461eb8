//! The layers: one file each, with its forward, its backward and its tests.

pub(crate) mod activation;
mod affine;
mod identity;
mod relu;
mod sigmoid;
mod softmax;
mod tanh;

pub use activation::Activation;
pub use affine::{Affine, AffineGradient};
pub use identity::Identity;
pub use relu::Relu;
pub use sigmoid::Sigmoid;
pub use softmax::Softmax;
pub use tanh::Tanh;
