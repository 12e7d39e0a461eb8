//! [`Momentum`]: gradient descent with a velocity.

use crate::optim::{InvalidHyperparameter, UpdateError, checked_update, decay, positive, valid};
use crate::{Optimizer, Parameters, Scalar};

/// Momentum SGD: `v ← α·v - lr·dW`, then `W ← W + v`.
///
/// The velocity `v` accumulates past steps, so the update keeps going in
/// directions where the gradient is consistent and averages out where it
/// oscillates: a ball rolling down the loss surface, slowed by friction `α`.
/// The velocity is stored as a `G`, the parameters' gradient type, so it has
/// their exact shape and lives wherever the optimizer lives: no heap.
///
/// ```
/// use constnet::{Affine, AffineGradient, Matrix, Momentum, Optimizer};
///
/// let mut layer: Affine<1, 1, f64> = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let mut gradient = AffineGradient { d_weights: Matrix::new([[1.0]]), d_bias: Matrix::new([[-2.0]]) };
/// let mut momentum = Momentum::new(0.5, 0.75);
/// // a step consumes its gradient: the same gradient twice means two copies
/// momentum.step(&mut layer, &mut gradient.clone()).unwrap(); // v = -0.5, W = 0.5
/// momentum.step(&mut layer, &mut gradient).unwrap(); // v = 0.75 · -0.5 - 0.5 = -0.875, W = -0.375
/// assert_eq!(layer.weights, Matrix::new([[-0.375]]));
/// assert_eq!(layer.bias, Matrix::new([[2.75]])); // v = 1, then 1.75
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Momentum<G, T = f32> {
    /// The step size, `lr`.
    pub learning_rate: T,
    /// How much of the velocity survives a step, `α` (the textbook uses 0.9).
    pub momentum: T,
    velocity: G,
}

impl<G: Default, T: Scalar> Momentum<G, T> {
    /// Momentum with learning rate `lr` and momentum `α`, starting at rest.
    ///
    /// # Panics
    ///
    /// If `lr` is not finite and positive or `α` is not in `[0, 1)`; use
    /// [`try_new`](Momentum::try_new) for values from outside the program.
    #[track_caller]
    pub fn new(learning_rate: T, momentum: T) -> Self {
        valid(Self::try_new(learning_rate, momentum))
    }

    /// Momentum with learning rate `lr` and momentum `α`, if `lr` is finite
    /// and positive and `α` is in `[0, 1)`.
    ///
    /// # Errors
    ///
    /// [`InvalidHyperparameter`] naming the first value out of range.
    pub fn try_new(learning_rate: T, momentum: T) -> Result<Self, InvalidHyperparameter<T>> {
        Ok(Self {
            learning_rate: positive("learning rate", learning_rate)?,
            momentum: decay("momentum", momentum)?,
            velocity: G::default(),
        })
    }
}

#[cfg(feature = "alloc")]
impl<G: crate::Zeroable, T: Scalar + crate::Zeroable> Momentum<G, T> {
    /// [`new`](Momentum::new), allocated on the heap without passing through
    /// the stack: for the state of networks too large for it (feature
    /// `alloc`).
    ///
    /// ```
    /// use constnet::{Affine, Momentum, GradientOf, Relu};
    ///
    /// type Layers = (Affine<784, 512>, Relu, Affine<512, 10>);
    /// let optimizer: Box<Momentum<GradientOf<Layers>>> = Momentum::boxed(0.01, 0.9);
    /// # let _ = optimizer;
    /// ```
    pub fn boxed(learning_rate: T, momentum: T) -> alloc::boxed::Box<Self> {
        let mut boxed = crate::zeroable::boxed_zeroed::<Self>();
        boxed.learning_rate = learning_rate;
        boxed.momentum = momentum;
        boxed
    }
}

impl<G, T> Momentum<G, T> {
    /// The velocity `v`, shaped like the parameters.
    pub fn velocity(&self) -> &G {
        &self.velocity
    }
}

impl<G: Default, T: Scalar> Default for Momentum<G, T> {
    /// The textbook's hyperparameters: `lr = 0.01`, `α = 0.9`.
    fn default() -> Self {
        Self::new(T::from_f64(0.01), T::from_f64(0.9))
    }
}

impl<P, G, T> Optimizer<P, T> for Momentum<G, T>
where
    P: Parameters<T, Gradient = G>,
    T: Scalar,
{
    #[inline]
    fn step(&mut self, parameters: &mut P, gradient: &mut G) -> Result<(), UpdateError> {
        let (lr, alpha) = (self.learning_rate, self.momentum);
        checked_update(parameters, gradient, [&mut self.velocity], |w, d, [v]| {
            // v ← αv - lr·dW; W ← W + v
            let v = alpha * v - lr * d;
            (w + v, [v])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Affine, AffineGradient, Matrix, Network, Relu};

    type Net = Network<(Affine<2, 1, f64>, Relu, Affine<1, 1, f64>)>;

    fn net() -> Net {
        Network::new((
            Affine::new(Matrix::new([[1.0], [2.0]]), Matrix::new([[0.5]])),
            Relu,
            Affine::new(Matrix::new([[-1.0]]), Matrix::new([[0.0]])),
        ))
    }

    fn gradient(scale: f64) -> crate::GradientOf<Net, f64> {
        (
            AffineGradient {
                d_weights: Matrix::new([[1.0], [-2.0]]).scale(scale),
                d_bias: Matrix::new([[4.0]]).scale(scale),
            },
            (),
            AffineGradient {
                d_weights: Matrix::new([[0.5]]).scale(scale),
                d_bias: Matrix::new([[-0.25]]).scale(scale),
            },
        )
    }

    #[test]
    fn first_two_steps_by_hand() {
        // lr = 0.5, α = 0.75, all dyadic: every value below is exact.
        let mut net = net();
        let mut optimizer = Momentum::new(0.5, 0.75);
        optimizer.step(&mut net, &mut gradient(1.0)).unwrap();
        // v = -lr·g = [-0.5, 1], [-2]; [-0.25], [0.125]
        let (first, _, second) = net.layers;
        assert_eq!(first.weights, Matrix::new([[0.5], [3.0]]));
        assert_eq!(first.bias, Matrix::new([[-1.5]]));
        assert_eq!(second.weights, Matrix::new([[-1.25]]));
        assert_eq!(second.bias, Matrix::new([[0.125]]));

        optimizer.step(&mut net, &mut gradient(2.0)).unwrap();
        // v = 0.75 v - 0.5 (2g) = -1.375 g: [-1.375, 2.75], [-5.5]; [-0.6875], [0.34375]
        let (first, _, second) = net.layers;
        assert_eq!(first.weights, Matrix::new([[-0.875], [5.75]]));
        assert_eq!(first.bias, Matrix::new([[-7.0]]));
        assert_eq!(second.weights, Matrix::new([[-1.9375]]));
        assert_eq!(second.bias, Matrix::new([[0.46875]]));
        assert_eq!(optimizer.velocity().0.d_bias, Matrix::new([[-5.5]]));
    }

    #[test]
    fn without_momentum_it_is_sgd() {
        let mut a = net();
        let mut b = net();
        let mut momentum = Momentum::new(0.1, 0.0);
        let mut sgd = crate::Sgd::new(0.1);
        for scale in [1.0, -3.0, 0.5] {
            momentum.step(&mut a, &mut gradient(scale)).unwrap();
            sgd.step(&mut b, &mut gradient(scale)).unwrap();
        }
        assert_eq!(a, b);
    }

    #[test]
    fn default_is_the_textbooks() {
        let m = Momentum::<(), f32>::default();
        assert_eq!((m.learning_rate, m.momentum), (0.01, 0.9));
    }
}
