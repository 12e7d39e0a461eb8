//! Tuples of layers are layers: `(L0, L1, ..., Ln)` runs `L0` first and feeds
//! each layer's output to the next. Implemented for tuples of 1 to 12 layers;
//! a longer network nests tuples (a tuple is itself a layer).
//!
//! Each impl names the type between consecutive layers (`X1`, `X2`, ...) and
//! ties it with `Output = ...`, so the compiler checks every connection. A
//! tuple runs in training as a chain of stages ([`Run`] for
//! [`kind::Chain`]), each member storing its output where its kind says; its
//! own [`Layer`] methods are the out-of-place form, which keeps every
//! member's output in `Saved`.

use crate::Scalar;
use crate::layer::{Batch, Layer, Parameters, kind};
use crate::stage::{Buffers, Feed, LayerUpdate, Run};

/// Nests the stages of a tuple: each stage's continuation runs the next
/// stage, and the last one's runs `rest`.
macro_rules! nest {
    ($layers:ident $storage:ident $gradient:ident $rest:ident $signal:expr;
     ($i:tt $layer:ident $input:ident $feed:ident)) => {
        <<$layer as Layer<$input>>::Kind as Run<$layer, $input, $feed>>::run(
            &$layers.$i, $signal, &mut $storage.$i, &mut $gradient.$i, $rest,
        )
    };
    ($layers:ident $storage:ident $gradient:ident $rest:ident $signal:expr;
     ($i:tt $layer:ident $input:ident $feed:ident)
     ($ni:tt $nlayer:ident $ninput:ident $nfeed:ident) $($more:tt)*) => {
        <<$layer as Layer<$input>>::Kind as Run<$layer, $input, $feed>>::run(
            &$layers.$i, $signal, &mut $storage.$i, &mut $gradient.$i,
            |signal| nest!($layers $storage $gradient $rest <$nfeed as Feed>::from_buffers(signal);
                ($ni $nlayer $ninput $nfeed) $($more)*),
        )
    };
}

/// Like `nest!`, for the fused pass: each stage hands its layer's gradient
/// to `update` instead of storing it.
macro_rules! nest_update {
    ($layers:ident $storage:ident $update:ident $rest:ident $signal:expr;
     ($i:tt $layer:ident $input:ident $feed:ident)) => {
        <<$layer as Layer<$input>>::Kind as Run<$layer, $input, $feed>>::run_update(
            &mut $layers.$i, $signal, &mut $storage.$i, $update, $rest,
        )
    };
    ($layers:ident $storage:ident $update:ident $rest:ident $signal:expr;
     ($i:tt $layer:ident $input:ident $feed:ident)
     ($ni:tt $nlayer:ident $ninput:ident $nfeed:ident) $($more:tt)*) => {
        <<$layer as Layer<$input>>::Kind as Run<$layer, $input, $feed>>::run_update(
            &mut $layers.$i, $signal, &mut $storage.$i, $update,
            |signal| nest_update!($layers $storage $update $rest <$nfeed as Feed>::from_buffers(signal);
                ($ni $nlayer $ninput $nfeed) $($more)*),
        )
    };
}

macro_rules! chain {
    (
        [$($layer:ident)+] [$($input:ident)+] [$($output:ident)+] [$($i:tt)+]
        [$($feed:ident)+] [$($next:ident)+] [$(($ri:tt $prev:tt))*]
        [$($tin:ty),+] => $tout:ty, $last:ident $lastnext:ident
    ) => {
        impl<T: Scalar, $($layer: Parameters<T>),+> Parameters<T> for ($($layer,)+) {
            type Gradient = ($($layer::Gradient,)+);
            const PARAMETER_COUNT: usize = 0 $(+ $layer::PARAMETER_COUNT)+;

            #[inline]
            fn update<const K: usize, F>(
                &mut self,
                gradient: &mut Self::Gradient,
                mut state: [&mut Self::Gradient; K],
                f: &mut F,
            ) where
                F: FnMut(&mut [T], &mut [T], [&mut [T]; K]),
            {
                $( self.$i.update(&mut gradient.$i, state.each_mut().map(|s| &mut s.$i), f); )+
            }

            #[inline]
            fn visit<F: FnMut(&[T])>(&self, f: &mut F) {
                $( self.$i.visit(f); )+
            }

            #[inline]
            fn visit_mut<F: FnMut(&mut [T])>(&mut self, f: &mut F) {
                $( self.$i.visit_mut(f); )+
            }

            #[inline]
            fn visit_shapes<F: FnMut(usize, usize)>(&self, f: &mut F) {
                $( self.$i.visit_shapes(f); )+
            }
        }

        impl<X: Batch, $($layer,)+> Layer<X> for ($($layer,)+)
        where
            $( $layer: Layer<$tin>, )+
        {
            type Output = $tout;
            type Kind = kind::Chain;
            type Saved = ($((<$layer as Layer<$tin>>::Output, <$layer as Layer<$tin>>::Saved),)+);

            #[inline]
            fn forward(&self, input: &X, output: &mut $tout, saved: &mut Self::Saved) {
                let signal = input;
                $(
                    self.$i.forward(signal, &mut saved.$i.0, &mut saved.$i.1);
                    let signal = &saved.$i.0;
                )+
                *output = *signal;
            }

            #[inline]
            fn backward(
                &self,
                input: &X,
                d_output: &$tout,
                saved: &Self::Saved,
                gradient: &mut Self::Gradient,
                d_input: Option<&mut X>,
            ) {
                let d = d_output;
                $(
                    let mut d_in = Default::default();
                    self.$ri.backward(&saved.$prev.0, d, &saved.$ri.1, &mut gradient.$ri, Some(&mut d_in));
                    let d = &d_in;
                )*
                self.0.backward(input, d, &saved.0.1, &mut gradient.0, d_input);
            }

            #[inline]
            fn predict(&self, input: &X) -> $tout {
                let signal = input;
                $(
                    let out = self.$i.predict(signal);
                    let signal = &out;
                )+
                *signal
            }
        }

        impl<X: Batch, P: Feed, $($output,)+ $($layer,)+ $($next,)+> Run<($($layer,)+), X, P> for kind::Chain
        where
            $(
                $output: Batch<Element = X::Element>,
                $layer: Layer<$input, Output = $output>,
                <$layer as Layer<$input>>::Kind: Run<$layer, $input, $feed, Next = $next>,
                $next: Feed,
            )+
        {
            type Storage = ($(<<$layer as Layer<$input>>::Kind as Run<$layer, $input, $feed>>::Storage,)+);
            type Next = $lastnext;

            #[inline(always)]
            fn run<V, R>(
                layers: &($($layer,)+),
                input: P::Signal<'_, X>,
                storage: &mut Self::Storage,
                gradient: &mut <($($layer,)+) as Parameters<X::Element>>::Gradient,
                rest: R,
            ) -> (V, bool)
            where
                R: FnOnce(Buffers<'_, $last>) -> (V, bool),
            {
                nest!(layers storage gradient rest input; $(($i $layer $input $feed))+)
            }

            #[inline(always)]
            fn run_update<V, R, U>(
                layers: &mut ($($layer,)+),
                input: P::Signal<'_, X>,
                storage: &mut Self::Storage,
                update: &U,
                rest: R,
            ) -> (V, bool)
            where
                R: FnOnce(Buffers<'_, $last>) -> (V, bool),
                U: LayerUpdate<X::Element>,
            {
                nest_update!(layers storage update rest input; $(($i $layer $input $feed))+)
            }
        }
    };
}

chain! {
    [L0] [X] [Y] [0] [P] [N1] []
    [X]
    => <L0 as Layer<X>>::Output, Y N1
}
chain! {
    [L0 L1] [X X1] [X1 Y] [0 1] [P N1] [N1 N2] [(1 0)]
    [X, <L0 as Layer<X>>::Output]
    => <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, Y N2
}
chain! {
    [L0 L1 L2] [X X1 X2] [X1 X2 Y] [0 1 2] [P N1 N2] [N1 N2 N3] [(2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output]
    => <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, Y N3
}
chain! {
    [L0 L1 L2 L3] [X X1 X2 X3] [X1 X2 X3 Y] [0 1 2 3] [P N1 N2 N3] [N1 N2 N3 N4] [(3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output]
    => <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, Y N4
}
chain! {
    [L0 L1 L2 L3 L4] [X X1 X2 X3 X4] [X1 X2 X3 X4 Y] [0 1 2 3 4] [P N1 N2 N3 N4] [N1 N2 N3 N4 N5] [(4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output]
    => <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, Y N5
}
chain! {
    [L0 L1 L2 L3 L4 L5] [X X1 X2 X3 X4 X5] [X1 X2 X3 X4 X5 Y] [0 1 2 3 4 5] [P N1 N2 N3 N4 N5] [N1 N2 N3 N4 N5 N6] [(5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N6
}
chain! {
    [L0 L1 L2 L3 L4 L5 L6] [X X1 X2 X3 X4 X5 X6] [X1 X2 X3 X4 X5 X6 Y] [0 1 2 3 4 5 6] [P N1 N2 N3 N4 N5 N6] [N1 N2 N3 N4 N5 N6 N7] [(6 5) (5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N7
}
chain! {
    [L0 L1 L2 L3 L4 L5 L6 L7] [X X1 X2 X3 X4 X5 X6 X7] [X1 X2 X3 X4 X5 X6 X7 Y] [0 1 2 3 4 5 6 7] [P N1 N2 N3 N4 N5 N6 N7] [N1 N2 N3 N4 N5 N6 N7 N8] [(7 6) (6 5) (5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N8
}
chain! {
    [L0 L1 L2 L3 L4 L5 L6 L7 L8] [X X1 X2 X3 X4 X5 X6 X7 X8] [X1 X2 X3 X4 X5 X6 X7 X8 Y] [0 1 2 3 4 5 6 7 8] [P N1 N2 N3 N4 N5 N6 N7 N8] [N1 N2 N3 N4 N5 N6 N7 N8 N9] [(8 7) (7 6) (6 5) (5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N9
}
chain! {
    [L0 L1 L2 L3 L4 L5 L6 L7 L8 L9] [X X1 X2 X3 X4 X5 X6 X7 X8 X9] [X1 X2 X3 X4 X5 X6 X7 X8 X9 Y] [0 1 2 3 4 5 6 7 8 9] [P N1 N2 N3 N4 N5 N6 N7 N8 N9] [N1 N2 N3 N4 N5 N6 N7 N8 N9 N10] [(9 8) (8 7) (7 6) (6 5) (5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L9 as Layer<<L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N10
}
chain! {
    [L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 L10] [X X1 X2 X3 X4 X5 X6 X7 X8 X9 X10] [X1 X2 X3 X4 X5 X6 X7 X8 X9 X10 Y] [0 1 2 3 4 5 6 7 8 9 10] [P N1 N2 N3 N4 N5 N6 N7 N8 N9 N10] [N1 N2 N3 N4 N5 N6 N7 N8 N9 N10 N11] [(10 9) (9 8) (8 7) (7 6) (6 5) (5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L9 as Layer<<L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L10 as Layer<<L9 as Layer<<L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N11
}
chain! {
    [L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11] [X X1 X2 X3 X4 X5 X6 X7 X8 X9 X10 X11] [X1 X2 X3 X4 X5 X6 X7 X8 X9 X10 X11 Y] [0 1 2 3 4 5 6 7 8 9 10 11] [P N1 N2 N3 N4 N5 N6 N7 N8 N9 N10 N11] [N1 N2 N3 N4 N5 N6 N7 N8 N9 N10 N11 N12] [(11 10) (10 9) (9 8) (8 7) (7 6) (6 5) (5 4) (4 3) (3 2) (2 1) (1 0)]
    [X, <L0 as Layer<X>>::Output, <L1 as Layer<<L0 as Layer<X>>::Output>>::Output, <L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output, <L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output, <L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output, <L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L9 as Layer<<L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, <L10 as Layer<<L9 as Layer<<L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output]
    => <L11 as Layer<<L10 as Layer<<L9 as Layer<<L8 as Layer<<L7 as Layer<<L6 as Layer<<L5 as Layer<<L4 as Layer<<L3 as Layer<<L2 as Layer<<L1 as Layer<<L0 as Layer<X>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output>>::Output, Y N12
}
