//! [`Zeroable`]: types for which all-zero bytes are a valid value, so that
//! they can be allocated zeroed on the heap without passing through the
//! stack (feature `alloc`).
//!
//! Safe Rust has no way to build a large value in place on the heap:
//! `Box::new(value)` builds it on the stack first (in debug builds, several
//! times over), which is what overflows a 2 MiB thread for MNIST-sized
//! networks. `Box::new_zeroed` allocates zeroed memory, and `Zeroable` is the
//! promise that makes reading it as a `T` sound. The crate's matrices, layers,
//! gradients and optimizers are all made of floats, so all-zero is their
//! zero value.

use alloc::boxed::Box;

use crate::{Matrix, Scalar};

/// A type whose all-zero bit pattern is a valid value (every float, integer,
/// array and tuple of them, and the crate's matrices, layers, gradients and
/// training storage).
///
/// # Safety
///
/// Implement it only for types for which all-zero bytes are a valid value:
/// no references, `NonZero` integers, enums without a zero discriminant, or
/// types with invariants that zero breaks. A struct whose fields are all
/// `Zeroable` is `Zeroable`.
#[allow(unsafe_code)]
pub unsafe trait Zeroable {}

/// A `T` allocated on the heap with every byte zero.
#[allow(unsafe_code)]
pub(crate) fn boxed_zeroed<T: Zeroable>() -> Box<T> {
    // SAFETY: `T: Zeroable` promises that all-zero bytes are a valid `T`.
    unsafe { Box::<T>::new_zeroed().assume_init() }
}

macro_rules! zeroable {
    ($($t:ty),+ $(,)?) => {$(
        // SAFETY: zero is a valid value of every primitive number type and of `()`.
        #[allow(unsafe_code)]
        unsafe impl Zeroable for $t {}
    )+};
}
zeroable!(
    f32,
    f64,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    bool,
    ()
);

// SAFETY: an array of zero-valid elements is zero-valid.
#[allow(unsafe_code)]
unsafe impl<T: Zeroable, const N: usize> Zeroable for [T; N] {}

// SAFETY: a matrix is its array of rows (`repr(transparent)`).
#[allow(unsafe_code)]
unsafe impl<const R: usize, const C: usize, T: Scalar + Zeroable> Zeroable for Matrix<R, C, T> {}

// SAFETY: `PhantomData` has no bytes.
#[allow(unsafe_code)]
unsafe impl<T: ?Sized> Zeroable for core::marker::PhantomData<T> {}

macro_rules! zeroable_tuple {
    ($($name:ident)+) => {
        // SAFETY: a tuple of zero-valid fields is zero-valid (padding is never read).
        #[allow(unsafe_code)]
        unsafe impl<$($name: Zeroable),+> Zeroable for ($($name,)+) {}
    };
}
zeroable_tuple!(A);
zeroable_tuple!(A B);
zeroable_tuple!(A B C);
zeroable_tuple!(A B C D);
zeroable_tuple!(A B C D E);
zeroable_tuple!(A B C D E F);
zeroable_tuple!(A B C D E F G);
zeroable_tuple!(A B C D E F G H);
zeroable_tuple!(A B C D E F G H I);
zeroable_tuple!(A B C D E F G H I J);
zeroable_tuple!(A B C D E F G H I J K);
zeroable_tuple!(A B C D E F G H I J K L);

/// Implements [`Zeroable`] for a struct from the crate whose fields are all
/// zero-valid, with its generic parameters.
macro_rules! zeroable_struct {
    ($(impl[$($generics:tt)*] $t:ty;)+) => {$(
        // SAFETY: every field of the type is a float matrix, a float, or a
        // zero-sized marker, all valid at zero.
        #[allow(unsafe_code)]
        unsafe impl<$($generics)*> $crate::Zeroable for $t {}
    )+};
}

zeroable_struct! {
    impl[Y: Zeroable, S: Zeroable] crate::stage::Slot<Y, S>;
    impl[L: Zeroable] crate::Network<L>;
    impl[const IN: usize, const OUT: usize, T: Scalar + Zeroable] crate::Affine<IN, OUT, T>;
    impl[const IN: usize, const OUT: usize, T: Scalar + Zeroable] crate::AffineGradient<IN, OUT, T>;
    impl[G: Zeroable, T: Scalar + Zeroable] crate::Momentum<G, T>;
    impl[G: Zeroable, T: Scalar + Zeroable] crate::AdaGrad<G, T>;
    impl[G: Zeroable, T: Scalar + Zeroable] crate::RmsProp<G, T>;
    impl[G: Zeroable, T: Scalar + Zeroable] crate::Adam<G, T>;
    impl[T: Scalar + Zeroable] crate::Sgd<T>;
    impl[] crate::Relu;
    impl[] crate::Sigmoid;
    impl[] crate::Tanh;
    impl[] crate::Identity;
    impl[] crate::Softmax;
}

impl<L: Zeroable> crate::Network<L> {
    /// A network with every parameter zero, allocated on the heap without
    /// passing through the stack (feature `alloc`); initialise its layers in
    /// place with [`Affine::initialize`](crate::Affine::initialize).
    ///
    /// ```
    /// use constnet::{Affine, Init, Network, Relu};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut net = Network::<(Affine<784, 512>, Relu, Affine<512, 10>)>::boxed();
    /// net.layers.0.initialize(Init::He, &mut StdRng::seed_from_u64(1));
    /// assert_ne!(net.layers.0.weights[(0, 0)], 0.0);
    /// assert_eq!(net.layers.2.weights[(0, 0)], 0.0);
    /// ```
    pub fn boxed() -> Box<Self> {
        boxed_zeroed()
    }
}
