//! [`AdaGrad`]: a learning rate per parameter that shrinks with its history.

use crate::optim::{InvalidHyperparameter, UpdateError, checked_update, positive, valid};
use crate::{Optimizer, Parameters, Scalar};

/// AdaGrad: `h ← h + dW²`, then `W ← W - lr·dW / (√h + 1e-7)`.
///
/// Each parameter's step is divided by the root of the sum of its squared
/// gradients so far, so parameters that have moved a lot slow down first.
/// The `1e-7` keeps the first division finite when a gradient is zero. The
/// sum `h` is stored as a `G`, the parameters' gradient type: no heap.
///
/// ```
/// use constnet::{AdaGrad, Affine, AffineGradient, Matrix, Optimizer};
///
/// let mut layer: Affine<1, 1, f64> = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let mut gradient = AffineGradient { d_weights: Matrix::new([[4.0]]), d_bias: Matrix::new([[0.0]]) };
/// AdaGrad::new(0.5).step(&mut layer, &mut gradient).unwrap();
/// // h = 16, W = 1 - 0.5 · 4 / (4 + 1e-7) ≈ 0.5
/// assert!((layer.weights[(0, 0)] - 0.5).abs() < 1e-7);
/// assert_eq!(layer.bias[(0, 0)], 0.0); // a zero gradient moves nothing
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdaGrad<G, T = f32> {
    /// The step size, `lr`.
    pub learning_rate: T,
    squared_sum: G,
}

impl<G: Default, T: Scalar> AdaGrad<G, T> {
    /// AdaGrad with learning rate `lr`, with no history.
    ///
    /// # Panics
    ///
    /// If `lr` is not finite and positive; use
    /// [`try_new`](AdaGrad::try_new) for values from outside the program.
    #[track_caller]
    pub fn new(learning_rate: T) -> Self {
        valid(Self::try_new(learning_rate))
    }

    /// AdaGrad with learning rate `lr`, if it is finite and positive.
    ///
    /// # Errors
    ///
    /// [`InvalidHyperparameter`] naming the learning rate.
    pub fn try_new(learning_rate: T) -> Result<Self, InvalidHyperparameter<T>> {
        Ok(Self {
            learning_rate: positive("learning rate", learning_rate)?,
            squared_sum: G::default(),
        })
    }
}

#[cfg(feature = "alloc")]
impl<G: crate::Zeroable, T: Scalar + crate::Zeroable> AdaGrad<G, T> {
    /// [`new`](AdaGrad::new), allocated on the heap without passing through
    /// the stack: for the state of networks too large for it (feature
    /// `alloc`).
    ///
    /// ```
    /// use constnet::{Affine, AdaGrad, GradientOf, Relu};
    ///
    /// type Layers = (Affine<784, 512>, Relu, Affine<512, 10>);
    /// let optimizer: Box<AdaGrad<GradientOf<Layers>>> = AdaGrad::boxed(0.01);
    /// # let _ = optimizer;
    /// ```
    pub fn boxed(learning_rate: T) -> alloc::boxed::Box<Self> {
        let mut boxed = crate::zeroable::boxed_zeroed::<Self>();
        boxed.learning_rate = learning_rate;
        boxed
    }
}

impl<G, T> AdaGrad<G, T> {
    /// The sum of squared gradients so far, `h`, shaped like the parameters.
    pub fn squared_sum(&self) -> &G {
        &self.squared_sum
    }
}

impl<G: Default, T: Scalar> Default for AdaGrad<G, T> {
    /// The textbook's learning rate, 0.01.
    fn default() -> Self {
        Self::new(T::from_f64(0.01))
    }
}

impl<P, G, T> Optimizer<P, T> for AdaGrad<G, T>
where
    P: Parameters<T, Gradient = G>,
    T: Scalar,
{
    #[inline]
    fn step(&mut self, parameters: &mut P, gradient: &mut G) -> Result<(), UpdateError> {
        let lr = self.learning_rate;
        let epsilon = T::from_f64(1e-7);
        checked_update(
            parameters,
            gradient,
            [&mut self.squared_sum],
            |w, d, [h]| {
                // h ← h + dW²; W ← W - lr·dW / (√h + ε)
                let h = h + d * d;
                (w - lr * d / (h.sqrt() + epsilon), [h])
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Affine, AffineGradient, Matrix};

    #[test]
    fn first_two_steps_by_hand() {
        let mut layer: Affine<1, 2, f64> = Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::zeros());
        let mut optimizer = AdaGrad::new(0.5);
        let gradient = |a: f64, b: f64| AffineGradient {
            d_weights: Matrix::new([[a, b]]),
            d_bias: Matrix::new([[0.0, 0.0]]),
        };

        optimizer
            .step(&mut layer, &mut gradient(4.0, -1.0))
            .unwrap();
        // h = [16, 1]; W = 1 - 0.5·4/(4 + 1e-7), -1 + 0.5·1/(1 + 1e-7)
        assert_eq!(
            optimizer.squared_sum().d_weights,
            Matrix::new([[16.0, 1.0]])
        );
        assert!((layer.weights[(0, 0)] - 0.500_000_012_499_999_7).abs() < 1e-15);
        assert!((layer.weights[(0, 1)] + 0.500_000_049_999_995).abs() < 1e-15);

        optimizer.step(&mut layer, &mut gradient(3.0, 0.0)).unwrap();
        // h = [25, 1]; W = 0.5000000125 - 0.5·3/(5 + 1e-7); a zero gradient moves nothing
        assert_eq!(
            optimizer.squared_sum().d_weights,
            Matrix::new([[25.0, 1.0]])
        );
        assert!((layer.weights[(0, 0)] - 0.200_000_018_499_999_57).abs() < 1e-15);
        assert!((layer.weights[(0, 1)] + 0.500_000_049_999_995).abs() < 1e-15);
        assert_eq!(layer.bias, Matrix::zeros());
    }

    #[test]
    fn steps_shrink_under_a_constant_gradient() {
        let mut layer: Affine<1, 1, f64> = Affine::default();
        let gradient = AffineGradient {
            d_weights: Matrix::new([[2.0]]),
            d_bias: Matrix::new([[2.0]]),
        };
        let mut optimizer = AdaGrad::new(1.0);
        let mut previous = 0.0;
        let mut last_step = f64::INFINITY;
        for n in 1..=4 {
            optimizer.step(&mut layer, &mut gradient.clone()).unwrap();
            let w = layer.weights[(0, 0)];
            // after n steps h = 4n, so this step was 2/(2√n + 1e-7) ≈ 1/√n
            let step = previous - w;
            assert!((step - 1.0 / f64::from(n).sqrt()).abs() < 1e-6, "{step}");
            assert!(step < last_step);
            (previous, last_step) = (w, step);
        }
    }

    #[test]
    fn default_is_the_textbooks() {
        assert_eq!(AdaGrad::<(), f64>::default().learning_rate, 0.01);
    }
}
