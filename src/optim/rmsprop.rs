//! [`RmsProp`]: AdaGrad with a memory that fades.

use crate::optim::{InvalidHyperparameter, UpdateError, checked_update, decay, positive, valid};
use crate::{Optimizer, Parameters, Scalar};

/// RMSProp: `h ← ρ·h + (1 - ρ)·dW²`, then `W ← W - lr·dW / (√h + 1e-7)`.
///
/// Like [`AdaGrad`](crate::AdaGrad), each parameter's step is divided by the
/// root of its squared gradients, but `h` is an exponential moving average
/// with decay rate `ρ` rather than a sum, so old gradients are forgotten and
/// the steps do not shrink to nothing. `h` is stored as a `G`, the
/// parameters' gradient type: no heap.
///
/// ```
/// use constnet::{Affine, AffineGradient, Matrix, Optimizer, RmsProp};
///
/// let mut layer: Affine<1, 1, f64> = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let mut gradient = AffineGradient { d_weights: Matrix::new([[2.0]]), d_bias: Matrix::new([[0.0]]) };
/// let mut rmsprop = RmsProp::new(0.5, 0.75);
/// rmsprop.step(&mut layer, &mut gradient).unwrap();
/// // h = 0.25 · 4 = 1, W = 1 - 0.5 · 2 / (1 + 1e-7) ≈ 0
/// assert_eq!(rmsprop.mean_square().d_weights, Matrix::new([[1.0]]));
/// assert!(layer.weights[(0, 0)].abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmsProp<G, T = f32> {
    /// The step size, `lr`.
    pub learning_rate: T,
    /// How much of the moving average survives a step, `ρ` (the textbook
    /// uses 0.99).
    pub decay_rate: T,
    mean_square: G,
}

impl<G: Default, T: Scalar> RmsProp<G, T> {
    /// RMSProp with learning rate `lr` and decay rate `ρ`, with no history.
    ///
    /// # Panics
    ///
    /// If `lr` is not finite and positive or `ρ` is not in `[0, 1)`; use
    /// [`try_new`](RmsProp::try_new) for values from outside the program.
    #[track_caller]
    pub fn new(learning_rate: T, decay_rate: T) -> Self {
        valid(Self::try_new(learning_rate, decay_rate))
    }

    /// RMSProp with learning rate `lr` and decay rate `ρ`, if `lr` is finite
    /// and positive and `ρ` is in `[0, 1)`.
    ///
    /// # Errors
    ///
    /// [`InvalidHyperparameter`] naming the first value out of range.
    pub fn try_new(learning_rate: T, decay_rate: T) -> Result<Self, InvalidHyperparameter<T>> {
        Ok(Self {
            learning_rate: positive("learning rate", learning_rate)?,
            decay_rate: decay("decay rate", decay_rate)?,
            mean_square: G::default(),
        })
    }
}

#[cfg(feature = "alloc")]
impl<G: crate::Zeroable, T: Scalar + crate::Zeroable> RmsProp<G, T> {
    /// [`new`](RmsProp::new), allocated on the heap without passing through
    /// the stack: for the state of networks too large for it (feature
    /// `alloc`).
    ///
    /// ```
    /// use constnet::{Affine, RmsProp, GradientOf, Relu};
    ///
    /// type Layers = (Affine<784, 512>, Relu, Affine<512, 10>);
    /// let optimizer: Box<RmsProp<GradientOf<Layers>>> = RmsProp::boxed(0.01, 0.99);
    /// # let _ = optimizer;
    /// ```
    pub fn boxed(learning_rate: T, decay_rate: T) -> alloc::boxed::Box<Self> {
        let mut boxed = crate::zeroable::boxed_zeroed::<Self>();
        boxed.learning_rate = learning_rate;
        boxed.decay_rate = decay_rate;
        boxed
    }
}

impl<G, T> RmsProp<G, T> {
    /// The moving average of squared gradients, `h`, shaped like the
    /// parameters.
    pub fn mean_square(&self) -> &G {
        &self.mean_square
    }
}

impl<G: Default, T: Scalar> Default for RmsProp<G, T> {
    /// The textbook's hyperparameters: `lr = 0.01`, `ρ = 0.99`.
    fn default() -> Self {
        Self::new(T::from_f64(0.01), T::from_f64(0.99))
    }
}

impl<P, G, T> Optimizer<P, T> for RmsProp<G, T>
where
    P: Parameters<T, Gradient = G>,
    T: Scalar,
{
    #[inline]
    fn step(&mut self, parameters: &mut P, gradient: &mut G) -> Result<(), UpdateError> {
        let (lr, rho) = (self.learning_rate, self.decay_rate);
        let epsilon = T::from_f64(1e-7);
        checked_update(
            parameters,
            gradient,
            [&mut self.mean_square],
            |w, d, [h]| {
                // h ← ρh + (1 - ρ)dW²; W ← W - lr·dW / (√h + ε)
                let h = rho * h + (T::one() - rho) * d * d;
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
        let mut layer: Affine<1, 1, f64> = Affine::new(Matrix::new([[1.0]]), Matrix::new([[3.0]]));
        let mut optimizer = RmsProp::new(0.5, 0.75);
        let gradient = |g: f64| AffineGradient {
            d_weights: Matrix::new([[g]]),
            d_bias: Matrix::new([[0.0]]),
        };

        optimizer.step(&mut layer, &mut gradient(2.0)).unwrap();
        // h = 0.25·4 = 1; W = 1 - 0.5·2/(1 + 1e-7) = 9.9999990000001e-8
        assert_eq!(optimizer.mean_square().d_weights, Matrix::new([[1.0]]));
        assert!((layer.weights[(0, 0)] - 9.999_999_000_000_1e-8).abs() < 1e-15);

        optimizer.step(&mut layer, &mut gradient(-2.0)).unwrap();
        // h = 0.75·1 + 0.25·4 = 1.75; W += 0.5·2/(√1.75 + 1e-7)
        assert_eq!(optimizer.mean_square().d_weights, Matrix::new([[1.75]]));
        assert!((layer.weights[(0, 0)] - 0.755_928_988_875_591_6).abs() < 1e-15);
        assert_eq!(layer.bias, Matrix::new([[3.0]]));
    }

    #[test]
    fn with_no_decay_it_forgets_all_but_the_last_gradient() {
        // ρ = 0: h = dW², so every step is lr·sign(dW) (up to the 1e-7).
        let mut layer: Affine<1, 1, f64> = Affine::default();
        let mut optimizer = RmsProp::new(0.25, 0.0);
        for g in [100.0, 0.01, 7.0] {
            let before = layer.weights[(0, 0)];
            let mut gradient = AffineGradient {
                d_weights: Matrix::new([[g]]),
                d_bias: Matrix::zeros(),
            };
            optimizer.step(&mut layer, &mut gradient).unwrap();
            assert!((before - layer.weights[(0, 0)] - 0.25).abs() < 1e-5);
        }
    }

    #[test]
    fn default_is_the_textbooks() {
        let r = RmsProp::<(), f32>::default();
        assert_eq!((r.learning_rate, r.decay_rate), (0.01, 0.99));
    }
}
