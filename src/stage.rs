//! How a training pass runs through a chain of layers, and where each
//! layer's output lives meanwhile.
//!
//! A network's layers run as *stages*. Each stage receives a signal (the
//! network's input, or the output buffer of the stage before it together
//! with that buffer's gradient), runs its layer's forward, hands its own
//! output on to the rest of the chain, and when the rest returns, runs its
//! layer's backward. Written this way (each stage calls the rest of the
//! chain as a continuation), every buffer is borrowed exactly once, with no
//! copies and no run-time bookkeeping, and the compiler sees the whole step
//! as one function.
//!
//! Where a layer's output lives is chosen by types, from the layer's
//! [`Kind`](crate::Layer::Kind) and what feeds it ([`Feed`]):
//!
//! | layer | fed by | output stored in |
//! |---|---|---|
//! | [`kind::Fresh`] (`Affine`) | anything | a [`Slot`] of its own |
//! | [`kind::InPlace`] (activations) | a `Fresh` layer | the `Fresh` layer's slot, overwritten |
//! | [`kind::InPlace`] | the network's input, or another `InPlace` layer | a [`Slot`] of its own |
//!
//! An `InPlace` layer needs its output in backward, so a second `InPlace`
//! layer after it gets a slot of its own rather than overwriting it, and the
//! network's input, which the caller lends, is never written. `Fresh`
//! layers read their input in backward, never their output, which is what
//! lets an activation overwrite it.
//!
//! Users meet this module only in bounds: [`Trainable`] is what
//! [`Network::train_step`](crate::Network::train_step) and
//! [`Workspace`](crate::Workspace) require, and every [`Layer`] whose kind
//! is one of the three in [`kind`] has it.

use crate::layer::{Batch, InPlaceLayer, Layer, kind};

/// What feeds a stage: the network's input ([`FromInput`]) or the output of
/// the stage before ([`FromFresh`], [`FromInPlace`]).
pub trait Feed {
    /// The signal a stage receives: its input and where its input gradient goes.
    type Signal<'a, X: 'a>;

    /// The input, and the buffer for the gradient with respect to it when
    /// one is wanted.
    fn split<'a, X: 'a>(signal: Self::Signal<'a, X>) -> (&'a X, Option<&'a mut X>);

    /// The signal of a stage fed by the stage before it.
    fn from_buffers<'a, X: 'a>(buffers: Buffers<'a, X>) -> Self::Signal<'a, X>;
}

/// The network's input, lent by the caller: read, never written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FromInput;

/// The output of a [`kind::Fresh`] layer, which its backward does not read:
/// the next layer may overwrite it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FromFresh;

/// The output of a [`kind::InPlace`] layer, which its backward reads: the
/// next layer must leave it alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FromInPlace;

/// The network's input and, when the caller wants it, the buffer for `dX`.
#[derive(Debug)]
pub struct Incoming<'a, X> {
    /// The input batch.
    pub value: &'a X,
    /// Where the gradient with respect to the input goes, if anywhere.
    pub gradient: Option<&'a mut X>,
}

/// A stage's output and the buffer of its gradient, lent to the rest of the
/// chain: the next stage reads `value` (or overwrites it, if it works in
/// place) and writes the gradient with respect to it into `gradient`.
#[derive(Debug)]
pub struct Buffers<'a, X> {
    /// The output.
    pub value: &'a mut X,
    /// The gradient of the loss with respect to `value`, written by the rest
    /// of the chain before the stage's backward reads it.
    pub gradient: &'a mut X,
}

impl Feed for FromInput {
    type Signal<'a, X: 'a> = Incoming<'a, X>;

    #[inline(always)]
    fn split<'a, X: 'a>(signal: Incoming<'a, X>) -> (&'a X, Option<&'a mut X>) {
        (signal.value, signal.gradient)
    }

    #[inline(always)]
    fn from_buffers<'a, X: 'a>(buffers: Buffers<'a, X>) -> Incoming<'a, X> {
        Incoming {
            value: buffers.value,
            gradient: Some(buffers.gradient),
        }
    }
}

impl Feed for FromFresh {
    type Signal<'a, X: 'a> = Buffers<'a, X>;

    #[inline(always)]
    fn split<'a, X: 'a>(signal: Buffers<'a, X>) -> (&'a X, Option<&'a mut X>) {
        (signal.value, Some(signal.gradient))
    }

    #[inline(always)]
    fn from_buffers<'a, X: 'a>(buffers: Buffers<'a, X>) -> Buffers<'a, X> {
        buffers
    }
}

impl Feed for FromInPlace {
    type Signal<'a, X: 'a> = Buffers<'a, X>;

    #[inline(always)]
    fn split<'a, X: 'a>(signal: Buffers<'a, X>) -> (&'a X, Option<&'a mut X>) {
        (signal.value, Some(signal.gradient))
    }

    #[inline(always)]
    fn from_buffers<'a, X: 'a>(buffers: Buffers<'a, X>) -> Buffers<'a, X> {
        buffers
    }
}

/// The storage of a stage that keeps its own output: the output, its
/// gradient, and what the layer saved for backward.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Slot<Y, S> {
    /// The layer's output.
    pub value: Y,
    /// The gradient of the loss with respect to the output.
    pub gradient: Y,
    /// What the layer's forward kept for its backward.
    pub saved: S,
}

/// How a layer of kind `Self` runs as a stage fed by `P`: implemented for
/// the three markers of [`kind`], for every layer of that kind.
pub trait Run<L: Layer<X> + ?Sized, X: Batch, P: Feed> {
    /// The stage's storage in a [`Workspace`](crate::Workspace).
    type Storage: Default;
    /// What this stage feeds the next one.
    type Next: Feed;

    /// Runs `layer` forward on `input`, then `rest` on the output, then,
    /// if `rest` says so, `layer` backward, writing the parameter gradient
    /// into `gradient`. Returns what `rest` returned.
    fn run<V, R>(
        layer: &L,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        gradient: &mut L::Gradient,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, L::Output>) -> (V, bool);

    /// Like [`run`](Run::run), but instead of storing the parameter
    /// gradient, hands it to `update` as soon as the layer's backward has
    /// computed it (after its `dX`, which needs the old parameters), and
    /// drops it: the gradient of one layer at a time exists.
    fn run_update<V, R, U>(
        layer: &mut L,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, L::Output>) -> (V, bool),
        U: LayerUpdate<X::Element>;
}

/// What a fused step does with each layer's gradient as soon as it is known:
/// [`Sgd`](crate::Sgd) applies it.
///
/// A layer hands it its gradient in one of two ways, from
/// [`Layer::backward_update`]: whole ([`update`](LayerUpdate::update)), or
/// entry by entry as it computes them ([`begin_layer`](LayerUpdate::begin_layer),
/// then [`update_rows`](LayerUpdate::update_rows) for each parameter matrix),
/// so that the layer's gradient is never stored at all.
pub trait LayerUpdate<T: crate::Scalar> {
    /// Updates `parameters`, one layer's, from their gradient, which it
    /// consumes (as [`Optimizer::step`](crate::Optimizer::step) does).
    fn update<P: crate::Parameters<T> + ?Sized>(
        &self,
        parameters: &mut P,
        gradient: &mut P::Gradient,
    );

    /// Starts the entry-by-entry update of one layer with `matrices`
    /// parameter matrices; each of them then goes through
    /// [`update_rows`](LayerUpdate::update_rows), in
    /// [`visit`](crate::Parameters::visit) order.
    fn begin_layer(&self, matrices: usize);

    /// Updates the next parameter matrix of the layer begun last, `rows`,
    /// entry by entry, in row-major order, with `gradient(row, column)` as
    /// each entry's gradient. An entry whose gradient or new value would not
    /// be finite ends the pass: it and every entry after it, in this matrix
    /// and in the layers still to come, stay as they are.
    fn update_rows<const C: usize>(
        &self,
        rows: &mut [[T; C]],
        gradient: impl FnMut(usize, usize) -> T,
    );
}

impl<L: Layer<X> + ?Sized, X: Batch, P: Feed> Run<L, X, P> for kind::Fresh {
    type Storage = Slot<L::Output, L::Saved>;
    type Next = FromFresh;

    #[inline(always)]
    fn run<V, R>(
        layer: &L,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        gradient: &mut L::Gradient,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, L::Output>) -> (V, bool),
    {
        let (x, d_x) = P::split(input);
        layer.forward(x, &mut storage.value, &mut storage.saved);
        let (result, backward) = rest(Buffers {
            value: &mut storage.value,
            gradient: &mut storage.gradient,
        });
        if backward {
            layer.backward(x, &storage.gradient, &storage.saved, gradient, d_x);
        }
        (result, backward)
    }

    #[inline(always)]
    fn run_update<V, R, U>(
        layer: &mut L,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, L::Output>) -> (V, bool),
        U: LayerUpdate<X::Element>,
    {
        let (x, d_x) = P::split(input);
        layer.forward(x, &mut storage.value, &mut storage.saved);
        let (result, backward) = rest(Buffers {
            value: &mut storage.value,
            gradient: &mut storage.gradient,
        });
        if backward {
            // Not `run` with a gradient made beforehand, as the in-place
            // stages do (their gradient is `()`): whatever gradient the
            // layer makes exists only during its own backward, not while the
            // rest of the chain runs.
            layer.backward_update(x, &storage.gradient, &storage.saved, d_x, update);
        }
        (result, backward)
    }
}

/// An in-place layer after a fresh one: it overwrites the fresh layer's
/// output and gradient buffers and keeps only what it saves.
impl<L: InPlaceLayer<X> + ?Sized, X: Batch> Run<L, X, FromFresh> for kind::InPlace {
    type Storage = L::Saved;
    type Next = FromInPlace;

    #[inline(always)]
    fn run<V, R>(
        layer: &L,
        input: Buffers<'_, X>,
        saved: &mut L::Saved,
        gradient: &mut L::Gradient,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, X>) -> (V, bool),
    {
        layer.forward_in_place(input.value, saved);
        let (result, backward) = rest(Buffers {
            value: &mut *input.value,
            gradient: &mut *input.gradient,
        });
        if backward {
            // dX = f'(y) ⊙ dY, written over dY
            layer.backward_in_place(input.value, input.gradient, saved, gradient);
        }
        (result, backward)
    }

    #[inline(always)]
    fn run_update<V, R, U>(
        layer: &mut L,
        input: Buffers<'_, X>,
        saved: &mut L::Saved,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, X>) -> (V, bool),
        U: LayerUpdate<X::Element>,
    {
        let mut gradient = L::Gradient::default();
        let result =
            <Self as Run<L, X, FromFresh>>::run(&*layer, input, saved, &mut gradient, rest);
        if result.1 {
            update.update(layer, &mut gradient);
        }
        result
    }
}

/// An in-place layer whose input must survive (the network's input, or the
/// output of another in-place layer): it works on a copy in its own slot.
#[inline(always)]
fn run_on_copy<L, X, V, R>(
    layer: &L,
    (x, d_x): (&X, Option<&mut X>),
    storage: &mut Slot<X, L::Saved>,
    gradient: &mut L::Gradient,
    rest: R,
) -> (V, bool)
where
    L: InPlaceLayer<X> + ?Sized,
    X: Batch,
    R: FnOnce(Buffers<'_, X>) -> (V, bool),
{
    storage.value = *x;
    layer.forward_in_place(&mut storage.value, &mut storage.saved);
    let (result, backward) = rest(Buffers {
        value: &mut storage.value,
        gradient: &mut storage.gradient,
    });
    if backward {
        layer.backward_in_place(
            &storage.value,
            &mut storage.gradient,
            &storage.saved,
            gradient,
        );
        if let Some(d_x) = d_x {
            *d_x = storage.gradient;
        }
    }
    (result, backward)
}

/// The feeds whose buffer an in-place layer must not overwrite: the
/// network's input, which is only lent, and the output of another in-place
/// layer, which that layer's backward still needs.
pub trait Preserved: Feed {}

impl Preserved for FromInput {}
impl Preserved for FromInPlace {}

impl<L: InPlaceLayer<X> + ?Sized, X: Batch, P: Preserved> Run<L, X, P> for kind::InPlace {
    type Storage = Slot<X, L::Saved>;
    type Next = FromInPlace;

    #[inline(always)]
    fn run<V, R>(
        layer: &L,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        gradient: &mut L::Gradient,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, X>) -> (V, bool),
    {
        run_on_copy(layer, P::split(input), storage, gradient, rest)
    }

    #[inline(always)]
    fn run_update<V, R, U>(
        layer: &mut L,
        input: P::Signal<'_, X>,
        storage: &mut Self::Storage,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, X>) -> (V, bool),
        U: LayerUpdate<X::Element>,
    {
        let mut gradient = L::Gradient::default();
        let result = run_on_copy(&*layer, P::split(input), storage, &mut gradient, rest);
        if result.1 {
            update.update(layer, &mut gradient);
        }
        result
    }
}

/// A layer or network that a [`Workspace`](crate::Workspace) can train on
/// batches `X`: every [`Layer`] of one of the kinds in [`kind`], and every
/// tuple and [`Network`](crate::Network) of them.
pub trait Trainable<X: Batch>: Layer<X> {
    /// The storage of every stage: outputs, their gradients, saved values.
    type Storage: Default;

    /// Runs forward on `input`, then `rest` on the final output, then, if
    /// `rest` says so, backward into `gradient` (and `input.gradient`).
    fn run<V, R>(
        &self,
        input: Incoming<'_, X>,
        storage: &mut Self::Storage,
        gradient: &mut Self::Gradient,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, Self::Output>) -> (V, bool);

    /// Like [`run`](Trainable::run), handing each layer's gradient to
    /// `update` as soon as it is known instead of storing it.
    fn run_update<V, R, U>(
        &mut self,
        input: Incoming<'_, X>,
        storage: &mut Self::Storage,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, Self::Output>) -> (V, bool),
        U: LayerUpdate<X::Element>;
}

impl<X: Batch, L: Layer<X>> Trainable<X> for L
where
    L::Kind: Run<L, X, FromInput>,
{
    type Storage = <L::Kind as Run<L, X, FromInput>>::Storage;

    #[inline(always)]
    fn run<V, R>(
        &self,
        input: Incoming<'_, X>,
        storage: &mut Self::Storage,
        gradient: &mut Self::Gradient,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, Self::Output>) -> (V, bool),
    {
        <L::Kind as Run<L, X, FromInput>>::run(self, input, storage, gradient, rest)
    }

    #[inline(always)]
    fn run_update<V, R, U>(
        &mut self,
        input: Incoming<'_, X>,
        storage: &mut Self::Storage,
        update: &U,
        rest: R,
    ) -> (V, bool)
    where
        R: FnOnce(Buffers<'_, Self::Output>) -> (V, bool),
        U: LayerUpdate<X::Element>,
    {
        <L::Kind as Run<L, X, FromInput>>::run_update(self, input, storage, update, rest)
    }
}
