//! [`Affine<IN, OUT>`]: the fully connected layer `Y = X·W + b`.

use rand::Rng;

use crate::layer::{Layer, Parameters, kind};
use crate::math::sum_in_order;
use crate::matrix::gradient_entry_by_entry;
use crate::stage::LayerUpdate;
use crate::{Init, Matrix, Scalar};

/// A fully connected layer from `IN` to `OUT` features: `Y = X·W + b`.
///
/// It holds exactly its parameters, `IN * OUT + OUT` values of `T` and
/// nothing else (an `Affine<2, 4>` of `f32` is 48 bytes), so it can be a
/// `const`, live in flash, or be copied freely.
///
/// ```
/// use constnet::{Affine, Layer, Matrix};
///
/// let layer = Affine::new(
///     Matrix::new([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), // W: 2 x 3
///     Matrix::new([[0.5, 0.5, 0.5]]),                  // b: 1 x 3
/// );
/// let x = Matrix::new([[1.0, 1.0]]); // a batch of one 2-wide sample
/// assert_eq!(layer.predict(&x), Matrix::new([[5.5, 7.5, 9.5]]));
///
/// // dW = Xᵀ·dY, db = Σ dY, dX = dY·Wᵀ
/// let mut d = Default::default();
/// let mut d_x = Matrix::zeros();
/// layer.backward(&x, &Matrix::new([[1.0, 0.0, -1.0]]), &(), &mut d, Some(&mut d_x));
/// assert_eq!(d.d_weights, Matrix::new([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]));
/// assert_eq!(d.d_bias, Matrix::new([[1.0, 0.0, -1.0]]));
/// assert_eq!(d_x, Matrix::new([[-2.0, -2.0]]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine<const IN: usize, const OUT: usize, T = f32> {
    /// The weights `W`, one row per input feature.
    pub weights: Matrix<IN, OUT, T>,
    /// The bias `b`, added to every sample.
    pub bias: Matrix<1, OUT, T>,
}

/// The gradient of an [`Affine<IN, OUT>`] layer's parameters, shaped like them.
///
/// It doubles as optimizer state of the same shape (momentum's velocity,
/// Adam's moments).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AffineGradient<const IN: usize, const OUT: usize, T = f32> {
    /// `dW = Xᵀ·dY`, shaped like the weights.
    pub d_weights: Matrix<IN, OUT, T>,
    /// `db = Σ dY` over the batch, shaped like the bias.
    pub d_bias: Matrix<1, OUT, T>,
}

impl<const IN: usize, const OUT: usize, T> Affine<IN, OUT, T> {
    /// A layer with the given weights and bias.
    pub const fn new(weights: Matrix<IN, OUT, T>, bias: Matrix<1, OUT, T>) -> Self {
        Self { weights, bias }
    }
}

impl<const IN: usize, const OUT: usize, T: Scalar> Default for Affine<IN, OUT, T> {
    /// All weights and biases zero.
    fn default() -> Self {
        Self::new(Matrix::zeros(), Matrix::zeros())
    }
}

impl<const IN: usize, const OUT: usize, T: Scalar> Default for AffineGradient<IN, OUT, T> {
    /// All zeros.
    fn default() -> Self {
        Self {
            d_weights: Matrix::zeros(),
            d_bias: Matrix::zeros(),
        }
    }
}

impl<const IN: usize, const OUT: usize, T: Scalar> Affine<IN, OUT, T> {
    /// A layer with weights drawn from `rng` by `init` and a zero bias.
    ///
    /// ```
    /// use constnet::{Affine, Init};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let a: Affine<4, 8> = Affine::init(Init::He, &mut StdRng::seed_from_u64(1));
    /// let b: Affine<4, 8> = Affine::init(Init::He, &mut StdRng::seed_from_u64(1));
    /// assert_eq!(a, b);
    /// assert_eq!(a.bias.sum(), 0.0);
    /// ```
    pub fn init<G: Rng + ?Sized>(init: Init, rng: &mut G) -> Self {
        Self::new(init.weights(rng), Matrix::zeros())
    }

    /// Overwrites the weights with draws from `rng` by `init` and the bias
    /// with zeros, in place: how a layer on the heap is initialised.
    ///
    /// ```
    /// use constnet::{Affine, Init};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut layer = Affine::<4, 8>::default();
    /// layer.initialize(Init::He, &mut StdRng::seed_from_u64(1));
    /// assert_eq!(layer, Affine::init(Init::He, &mut StdRng::seed_from_u64(1)));
    /// ```
    pub fn initialize<G: Rng + ?Sized>(&mut self, init: Init, rng: &mut G) {
        init.fill(&mut self.weights, rng);
        self.bias = Matrix::zeros();
    }

    /// A layer with Xavier/Glorot weights (variance `1/IN`), for sigmoid and tanh.
    pub fn xavier<G: Rng + ?Sized>(rng: &mut G) -> Self {
        Self::init(Init::Xavier, rng)
    }

    /// A layer with He weights (variance `2/IN`), for ReLU.
    pub fn he<G: Rng + ?Sized>(rng: &mut G) -> Self {
        Self::init(Init::He, rng)
    }
}

// One line, so that a width mismatch quotes it in one line (the error
// message's length is pinned by a compile-fail test).
#[rustfmt::skip]
impl<const B: usize, const IN: usize, const OUT: usize, T: Scalar> Layer<Matrix<B, IN, T>> for Affine<IN, OUT, T> {
    type Output = Matrix<B, OUT, T>;
    type Kind = kind::Fresh;
    type Saved = ();

    // Always inlined off bare metal, as the products are (see
    // `matrix/product.rs`): a small step keeps its values in registers.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    fn forward(&self, input: &Matrix<B, IN, T>, output: &mut Matrix<B, OUT, T>, _: &mut ()) {
        // Y = X·W + b
        input.matmul_into(&self.weights, output);
        for row in output.rows_mut() {
            for (y, &b) in row.iter_mut().zip(self.bias.row(0)) {
                *y = *y + b;
            }
        }
    }

    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    fn backward(
        &self,
        input: &Matrix<B, IN, T>,
        d_output: &Matrix<B, OUT, T>,
        _: &(),
        gradient: &mut AffineGradient<IN, OUT, T>,
        d_input: Option<&mut Matrix<B, IN, T>>,
    ) {
        // dW = Xᵀ·dY
        input.transposed_matmul_into(d_output, &mut gradient.d_weights);
        // db = Σ_batch dY
        gradient.d_bias = d_output.column_sums();
        // dX = dY·Wᵀ, only when the layer before wants it
        if let Some(d_input) = d_input {
            d_output.matmul_transposed_into(&self.weights, d_input);
        }
    }

    /// Without a stored gradient where that pays (below the tiled products'
    /// size on bare metal, below 1,024 multiply-adds elsewhere): `dX` from
    /// the old weights first, then each weight and bias moved by its
    /// gradient as it is summed, in the order and with the roundings of
    /// `backward`, so the bits are those of `backward` and then the update.
    #[inline]
    fn backward_update<U: LayerUpdate<T>>(
        &mut self,
        input: &Matrix<B, IN, T>,
        d_output: &Matrix<B, OUT, T>,
        _: &(),
        d_input: Option<&mut Matrix<B, IN, T>>,
        update: &U,
    ) {
        if !gradient_entry_by_entry(B * IN * OUT) {
            let mut gradient = AffineGradient::default();
            self.backward(input, d_output, &(), &mut gradient, d_input);
            return update.update(self, &mut gradient);
        }
        // dX = dY·Wᵀ, with the weights before they move
        if let Some(d_input) = d_input {
            d_output.matmul_transposed_into(&self.weights, d_input);
        }
        update.begin_layer(2);
        // dW = Xᵀ·dY: dW[k][o] = Σ_b X[b][k]·dY[b][o]
        // (each sum in increasing batch order, as in `backward`)
        update.update_rows(self.weights.rows_mut(), |k, o| {
            sum_in_order(input.rows().iter().zip(d_output.rows()).map(|(x, d_y)| x[k] * d_y[o]))
        });
        // db = Σ_batch dY
        update.update_rows(self.bias.rows_mut(), |_, o| {
            sum_in_order(d_output.rows().iter().map(|d_y| d_y[o]))
        });
    }

    #[inline]
    fn predict(&self, input: &Matrix<B, IN, T>) -> Matrix<B, OUT, T> {
        // The product, then the bias added in place: no second matrix.
        let mut output = input.matmul(&self.weights);
        for row in output.rows_mut() {
            for (y, &b) in row.iter_mut().zip(self.bias.row(0)) {
                *y = *y + b;
            }
        }
        output
    }
}

impl<const IN: usize, const OUT: usize, T: Scalar> Parameters<T> for Affine<IN, OUT, T> {
    type Gradient = AffineGradient<IN, OUT, T>;
    const PARAMETER_COUNT: usize = IN * OUT + OUT;

    #[inline]
    fn update<const K: usize, F>(
        &mut self,
        gradient: &mut Self::Gradient,
        mut state: [&mut Self::Gradient; K],
        f: &mut F,
    ) where
        F: FnMut(&mut [T], &mut [T], [&mut [T]; K]),
    {
        f(
            self.weights.as_mut_slice(),
            gradient.d_weights.as_mut_slice(),
            state.each_mut().map(|s| s.d_weights.as_mut_slice()),
        );
        f(
            self.bias.as_mut_slice(),
            gradient.d_bias.as_mut_slice(),
            state.each_mut().map(|s| s.d_bias.as_mut_slice()),
        );
    }

    #[inline]
    fn visit<F: FnMut(&[T])>(&self, f: &mut F) {
        f(self.weights.as_slice());
        f(self.bias.as_slice());
    }

    #[inline]
    fn visit_mut<F: FnMut(&mut [T])>(&mut self, f: &mut F) {
        f(self.weights.as_mut_slice());
        f(self.bias.as_mut_slice());
    }

    #[inline]
    fn visit_shapes<F: FnMut(usize, usize)>(&self, f: &mut F) {
        f(IN, OUT);
        f(1, OUT);
    }
}

static_assertions::assert_eq_size!(Affine<2, 4>, [f32; 12]);
static_assertions::assert_eq_size!(Affine<2, 4, f64>, [f64; 12]);
static_assertions::assert_eq_size!(AffineGradient<2, 4>, Affine<2, 4>);
static_assertions::assert_impl_all!(Affine<2, 4>: Copy, Send, Sync, Default);
static_assertions::assert_impl_all!(AffineGradient<2, 4>: Copy, Send, Sync, Default);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mse, gradient_check};

    fn layer() -> Affine<3, 2, f64> {
        Affine::new(
            Matrix::new([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]]),
            Matrix::new([[0.05, -0.1]]),
        )
    }

    /// Forward into fresh storage, as a workspace runs it.
    fn forward(layer: &Affine<3, 2, f64>, x: &Matrix<2, 3, f64>) -> Matrix<2, 2, f64> {
        let mut y = Matrix::filled(f64::NAN);
        layer.forward(x, &mut y, &mut ());
        y
    }

    #[test]
    fn forward_by_hand() {
        let x = Matrix::new([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]);
        let y = forward(&layer(), &x);
        // row 0: [0.1 + 0.8 - 1.5 + 0.05, -0.2 + 0.6 + 1.8 - 0.1]
        // row 1: [-0.4 - 0.25 + 0.05, -0.3 + 0.3 - 0.1]
        let want = Matrix::new([[-0.55, 2.1], [-0.6, -0.1]]);
        for (a, b) in y.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-12, "{y:?}");
        }
        assert_eq!(layer().predict(&x), y);
    }

    #[test]
    fn backward_by_hand() {
        let x = Matrix::new([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]);
        let d_y = Matrix::new([[1.0, 0.0], [2.0, -1.0]]);
        // Storage full of garbage: backward overwrites, never accumulates.
        let mut d = AffineGradient {
            d_weights: Matrix::filled(f64::NAN),
            d_bias: Matrix::filled(f64::NAN),
        };
        let mut d_x = Matrix::filled(f64::NAN);
        layer().backward(&x, &d_y, &(), &mut d, Some(&mut d_x));
        // dW = Xᵀ·dY
        assert_eq!(
            d.d_weights,
            Matrix::new([[1.0, 0.0], [0.0, 1.0], [4.0, -0.5]])
        );
        assert_eq!(d.d_bias, Matrix::new([[3.0, -1.0]]));
        // dX = dY·Wᵀ
        let want = Matrix::new([[0.1, 0.4, -0.5], [0.4, 0.5, -1.6]]);
        for (a, b) in d_x.as_slice().iter().zip(want.as_slice()) {
            assert!((a - b).abs() < 1e-12, "{d_x:?}");
        }
        // Without dX, the same parameter gradient.
        let mut without = AffineGradient::default();
        layer().backward(&x, &d_y, &(), &mut without, None);
        assert_eq!(without, d);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = Matrix::new([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5], [0.3, 0.2, 0.1]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]);
        let report = gradient_check(&layer(), &Mse, &x, &t);
        assert_eq!(report.checked, 8 + 9);
        assert!(report.max_relative_error < 1e-7, "{report:?}");
    }

    #[test]
    fn gradient_matches_finite_differences_in_f32() {
        let l: Affine<3, 2, f32> = Affine::new(
            Matrix::new([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]]),
            Matrix::new([[0.05, -0.1]]),
        );
        let x = Matrix::new([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]);
        let t = Matrix::new([[0.0, 1.0], [1.0, 0.0]]);
        let report = gradient_check(&l, &Mse, &x, &t);
        assert!(report.max_relative_error < 1e-3, "{report:?}");
    }

    #[test]
    fn update_walks_weights_then_bias() {
        let mut l = layer();
        let g = AffineGradient {
            d_weights: Matrix::filled(1.0),
            d_bias: Matrix::filled(2.0),
        };
        let mut seen = [0usize; 2];
        let mut calls = 0;
        l.update(
            &mut g.clone(),
            [],
            &mut |p: &mut [f64], d: &mut [f64], []| {
                seen[calls] = p.len();
                assert!(d.iter().all(|&v| v == (calls + 1) as f64));
                calls += 1;
            },
        );
        assert_eq!(seen, [6, 2]);
        assert_eq!(<Affine<3, 2, f64> as Parameters<f64>>::PARAMETER_COUNT, 8);
    }

    #[test]
    fn shapes_are_weights_then_bias_and_match_the_slices() {
        let l = layer();
        let mut shapes = [(0, 0); 2];
        let mut n = 0;
        l.visit_shapes(&mut |rows, columns| {
            shapes[n] = (rows, columns);
            n += 1;
        });
        assert_eq!(shapes, [(3, 2), (1, 2)]);
        let mut lengths = [0; 2];
        let mut n = 0;
        l.visit(&mut |slice: &[f64]| {
            lengths[n] = slice.len();
            n += 1;
        });
        assert_eq!(lengths, [3 * 2, 2]);
    }
}
