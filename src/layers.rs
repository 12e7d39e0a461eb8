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

static_assertions::assert_impl_all!(Relu: Copy, Send, Sync, Default);
static_assertions::assert_impl_all!(Sigmoid: Copy, Send, Sync, Default);
static_assertions::assert_impl_all!(Tanh: Copy, Send, Sync, Default);
static_assertions::assert_impl_all!(Identity: Copy, Send, Sync, Default);
static_assertions::assert_impl_all!(Softmax: Copy, Send, Sync, Default);
// Layers without parameters take no space in a network.
static_assertions::assert_eq_size!(Relu, ());
static_assertions::assert_eq_size!((Affine<3, 2>, Relu, Sigmoid), Affine<3, 2>);
