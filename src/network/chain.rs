//! Tuples of layers are layers: `(L0, L1, ..., Ln)` runs `L0` first and feeds
//! each layer's output to the next. Implemented for tuples of 1 to 12 layers;
//! a longer network nests tuples (a tuple is itself a layer).
//!
//! Each impl names the type between consecutive layers (`X1`, `X2`, ...) and
//! ties it with `Output = ...`, so the compiler checks every connection.

use crate::Scalar;
use crate::layer::{Batch, Layer, Parameters};
use crate::network::Connect;

macro_rules! chain {
    (
        [$($layer:ident)+] [$($input:ident)+] [$($output:ident)+] [$($i:tt)+]
        [$($cache:ident)+] [$($grad:ident)+] [$(($ri:tt $rgrad:ident))+]
        [$(($pi:tt $pgrad:ident))*] ($first:tt $fgrad:ident) => $last:ident
    ) => {
        impl<T: Scalar, $($layer: Parameters<T>),+> Parameters<T> for ($($layer,)+) {
            type Gradient = ($($layer::Gradient,)+);
            const PARAMETER_COUNT: usize = 0 $(+ $layer::PARAMETER_COUNT)+;

            #[inline]
            fn update<const K: usize, F>(
                &mut self,
                gradient: &Self::Gradient,
                mut state: [&mut Self::Gradient; K],
                f: &mut F,
            ) where
                F: FnMut(&mut [T], &[T], [&mut [T]; K]),
            {
                $( self.$i.update(&gradient.$i, state.each_mut().map(|s| &mut s.$i), f); )+
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

        impl<X: Batch, $($output,)+ $($layer,)+> Layer<X> for ($($layer,)+)
        where
            $(
                $output: Batch<Element = X::Element>,
                $layer: Layer<$input, Output = $output>,
            )+
        {
            type Output = $last;
            type Cache = ($(<$layer as Layer<$input>>::Cache,)+);

            #[inline]
            fn forward(&self, input: &X) -> ($last, Self::Cache) {
                let signal = input;
                $(
                    let (out, $cache) = self.$i.forward(signal);
                    let signal = &out;
                )+
                let _ = signal;
                (out, ($($cache,)+))
            }

            #[inline]
            fn predict(&self, input: &X) -> $last {
                let signal = input;
                $(
                    let out = self.$i.predict(signal);
                    let signal = &out;
                )+
                let _ = signal;
                out
            }

            #[inline]
            fn backward(
                &self,
                cache: &Self::Cache,
                d_output: &$last,
            ) -> (X, <Self as Parameters<X::Element>>::Gradient) {
                let d = d_output;
                $(
                    let (d_in, $rgrad) = self.$ri.backward(&cache.$ri, d);
                    let d = &d_in;
                )+
                let _ = d;
                (d_in, ($($grad,)+))
            }

            #[inline]
            fn backward_parameters(
                &self,
                cache: &Self::Cache,
                d_output: &$last,
            ) -> <Self as Parameters<X::Element>>::Gradient {
                // As `backward`, but the first layer skips its dX.
                let d = d_output;
                $(
                    let (d_in, $pgrad) = self.$pi.backward(&cache.$pi, d);
                    let d = &d_in;
                )*
                let $fgrad = self.$first.backward_parameters(&cache.$first, d);
                ($($grad,)+)
            }
        }

        impl<X, $($output,)+ $($layer,)+> Connect<X> for ($($layer,)+)
        where
            $( $layer: Connect<$input, Output = $output>, )+
        {
            type Output = $last;
        }
    };
}

chain! { [L0] [X] [Y] [0] [c0] [g0] [(0 g0)] [] (0 g0) => Y }
chain! { [L0 L1] [X X1] [X1 Y] [0 1] [c0 c1] [g0 g1] [(1 g1) (0 g0)] [(1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2] [X X1 X2] [X1 X2 Y] [0 1 2] [c0 c1 c2] [g0 g1 g2] [(2 g2) (1 g1) (0 g0)] [(2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3] [X X1 X2 X3] [X1 X2 X3 Y] [0 1 2 3] [c0 c1 c2 c3] [g0 g1 g2 g3] [(3 g3) (2 g2) (1 g1) (0 g0)] [(3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4] [X X1 X2 X3 X4] [X1 X2 X3 X4 Y] [0 1 2 3 4] [c0 c1 c2 c3 c4] [g0 g1 g2 g3 g4] [(4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5] [X X1 X2 X3 X4 X5] [X1 X2 X3 X4 X5 Y] [0 1 2 3 4 5] [c0 c1 c2 c3 c4 c5] [g0 g1 g2 g3 g4 g5] [(5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5 L6] [X X1 X2 X3 X4 X5 X6] [X1 X2 X3 X4 X5 X6 Y] [0 1 2 3 4 5 6] [c0 c1 c2 c3 c4 c5 c6] [g0 g1 g2 g3 g4 g5 g6] [(6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5 L6 L7] [X X1 X2 X3 X4 X5 X6 X7] [X1 X2 X3 X4 X5 X6 X7 Y] [0 1 2 3 4 5 6 7] [c0 c1 c2 c3 c4 c5 c6 c7] [g0 g1 g2 g3 g4 g5 g6 g7] [(7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5 L6 L7 L8] [X X1 X2 X3 X4 X5 X6 X7 X8] [X1 X2 X3 X4 X5 X6 X7 X8 Y] [0 1 2 3 4 5 6 7 8] [c0 c1 c2 c3 c4 c5 c6 c7 c8] [g0 g1 g2 g3 g4 g5 g6 g7 g8] [(8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5 L6 L7 L8 L9] [X X1 X2 X3 X4 X5 X6 X7 X8 X9] [X1 X2 X3 X4 X5 X6 X7 X8 X9 Y] [0 1 2 3 4 5 6 7 8 9] [c0 c1 c2 c3 c4 c5 c6 c7 c8 c9] [g0 g1 g2 g3 g4 g5 g6 g7 g8 g9] [(9 g9) (8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(9 g9) (8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 L10] [X X1 X2 X3 X4 X5 X6 X7 X8 X9 X10] [X1 X2 X3 X4 X5 X6 X7 X8 X9 X10 Y] [0 1 2 3 4 5 6 7 8 9 10] [c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 c10] [g0 g1 g2 g3 g4 g5 g6 g7 g8 g9 g10] [(10 g10) (9 g9) (8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(10 g10) (9 g9) (8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
chain! { [L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11] [X X1 X2 X3 X4 X5 X6 X7 X8 X9 X10 X11] [X1 X2 X3 X4 X5 X6 X7 X8 X9 X10 X11 Y] [0 1 2 3 4 5 6 7 8 9 10 11] [c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11] [g0 g1 g2 g3 g4 g5 g6 g7 g8 g9 g10 g11] [(11 g11) (10 g10) (9 g9) (8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1) (0 g0)] [(11 g11) (10 g10) (9 g9) (8 g8) (7 g7) (6 g6) (5 g5) (4 g4) (3 g3) (2 g2) (1 g1)] (0 g0) => Y }
