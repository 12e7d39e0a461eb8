//! [`Adam`]: momentum and RMSProp together, with bias correction.

use crate::optim::{InvalidHyperparameter, UpdateError, checked_update, decay, positive, valid};
use crate::{Optimizer, Parameters, Scalar};

/// Adam: moving averages of the gradient (`m`, like momentum) and of its
/// square (`v`, like RMSProp), corrected for their start at zero.
///
/// At step `t` (counting from 1), as the textbook writes it:
///
/// ```text
/// lr_t = lr · √(1 - β₂ᵗ) / (1 - β₁ᵗ)
/// m ← m + (1 - β₁)(dW - m)
/// v ← v + (1 - β₂)(dW² - v)
/// W ← W - lr_t · m / (√v + 1e-7)
/// ```
///
/// `lr_t` folds the bias correction of both averages into the step size, so
/// the first steps are about `lr` long rather than tiny. `m` and `v` are
/// stored as `G`s, the parameters' gradient type: no heap. The powers
/// `β₁ᵗ` and `β₂ᵗ` are kept as running products, so there is no step counter
/// to overflow.
///
/// ```
/// use constnet::{Adam, Affine, AffineGradient, Matrix, Optimizer};
///
/// let mut layer: Affine<1, 1, f64> = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let mut gradient = AffineGradient { d_weights: Matrix::new([[0.5]]), d_bias: Matrix::new([[-40.0]]) };
/// let mut adam = Adam::default(); // lr = 0.001, β₁ = 0.9, β₂ = 0.999
/// adam.step(&mut layer, &mut gradient).unwrap();
/// // the first step is lr in the direction against the gradient, whatever its size
/// assert!((layer.weights[(0, 0)] - (1.0 - 0.001)).abs() < 1e-8);
/// assert!((layer.bias[(0, 0)] - 0.001).abs() < 1e-8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adam<G, T = f32> {
    /// The step size, `lr`.
    pub learning_rate: T,
    /// The decay rate of the gradient's moving average, `β₁`.
    pub beta1: T,
    /// The decay rate of the squared gradient's moving average, `β₂`.
    pub beta2: T,
    first_moment: G,
    second_moment: G,
    /// `β₁ᵗ` and `β₂ᵗ` after `t` steps.
    beta1_power: T,
    beta2_power: T,
}

impl<G: Default, T: Scalar> Adam<G, T> {
    /// Adam with learning rate `lr` and decay rates `β₁`, `β₂`, before its
    /// first step.
    ///
    /// # Panics
    ///
    /// If `lr` is not finite and positive or a `β` is not in `[0, 1)`; use
    /// [`try_new`](Adam::try_new) for values from outside the program.
    #[track_caller]
    pub fn new(learning_rate: T, beta1: T, beta2: T) -> Self {
        valid(Self::try_new(learning_rate, beta1, beta2))
    }

    /// Adam with learning rate `lr` and decay rates `β₁`, `β₂`, if `lr` is
    /// finite and positive and both `β` are in `[0, 1)`.
    ///
    /// ```
    /// use constnet::{Adam, GradientOf, Affine};
    /// let error = Adam::<GradientOf<Affine<2, 1>>>::try_new(0.001, 1.0, 0.999).unwrap_err();
    /// assert_eq!(error.to_string(), "β₁ = 1 is not valid: it must be at least 0 and less than 1");
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidHyperparameter`] naming the first value out of range.
    pub fn try_new(learning_rate: T, beta1: T, beta2: T) -> Result<Self, InvalidHyperparameter<T>> {
        Ok(Self {
            learning_rate: positive("learning rate", learning_rate)?,
            beta1: decay("β₁", beta1)?,
            beta2: decay("β₂", beta2)?,
            first_moment: G::default(),
            second_moment: G::default(),
            beta1_power: T::one(),
            beta2_power: T::one(),
        })
    }
}

#[cfg(feature = "alloc")]
impl<G: crate::Zeroable, T: Scalar + crate::Zeroable> Adam<G, T> {
    /// [`new`](Adam::new), allocated on the heap without passing through
    /// the stack: for the state of networks too large for it (feature
    /// `alloc`).
    ///
    /// ```
    /// use constnet::{Affine, Adam, GradientOf, Relu};
    ///
    /// type Layers = (Affine<784, 512>, Relu, Affine<512, 10>);
    /// let optimizer: Box<Adam<GradientOf<Layers>>> = Adam::boxed(0.001, 0.9, 0.999);
    /// # let _ = optimizer;
    /// ```
    pub fn boxed(learning_rate: T, beta1: T, beta2: T) -> alloc::boxed::Box<Self> {
        let mut boxed = crate::zeroable::boxed_zeroed::<Self>();
        boxed.learning_rate = learning_rate;
        boxed.beta1 = beta1;
        boxed.beta2 = beta2;
        boxed.beta1_power = T::one();
        boxed.beta2_power = T::one();
        boxed
    }
}

impl<G, T> Adam<G, T> {
    /// The moving average of the gradient, `m`, shaped like the parameters.
    pub fn first_moment(&self) -> &G {
        &self.first_moment
    }

    /// The moving average of the squared gradient, `v`, shaped like the
    /// parameters.
    pub fn second_moment(&self) -> &G {
        &self.second_moment
    }
}

impl<G: Default, T: Scalar> Default for Adam<G, T> {
    /// The textbook's hyperparameters: `lr = 0.001`, `β₁ = 0.9`, `β₂ = 0.999`.
    fn default() -> Self {
        Self::new(T::from_f64(0.001), T::from_f64(0.9), T::from_f64(0.999))
    }
}

impl<P, G, T> Optimizer<P, T> for Adam<G, T>
where
    P: Parameters<T, Gradient = G>,
    T: Scalar,
{
    #[inline]
    fn step(&mut self, parameters: &mut P, gradient: &mut G) -> Result<(), UpdateError> {
        let (beta1, beta2) = (self.beta1, self.beta2);
        let beta1_power = self.beta1_power * beta1;
        let beta2_power = self.beta2_power * beta2;
        // lr_t = lr √(1 - β₂ᵗ) / (1 - β₁ᵗ): both bias corrections in one factor
        let lr_t = self.learning_rate * (T::one() - beta2_power).sqrt() / (T::one() - beta1_power);
        let epsilon = T::from_f64(1e-7);
        checked_update(
            parameters,
            gradient,
            [&mut self.first_moment, &mut self.second_moment],
            |w, d, [m, v]| {
                // m ← m + (1 - β₁)(dW - m); v ← v + (1 - β₂)(dW² - v)
                let m = m + (T::one() - beta1) * (d - m);
                let v = v + (T::one() - beta2) * (d * d - v);
                (w - lr_t * m / (v.sqrt() + epsilon), [m, v])
            },
        )?;
        // The step counter moves only with a step that happened.
        self.beta1_power = beta1_power;
        self.beta2_power = beta2_power;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Affine, AffineGradient, Matrix};

    #[test]
    fn first_two_steps_by_hand() {
        let mut layer: Affine<1, 1, f64> = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
        // (1 - 0.9 and 1 - 0.999 are inexact in binary: the moments match to
        // an ulp or two, the weights to 1e-15)
        let mut optimizer = Adam::new(0.001, 0.9, 0.999);
        let gradient = |g: f64| AffineGradient {
            d_weights: Matrix::new([[g]]),
            d_bias: Matrix::new([[0.0]]),
        };

        optimizer.step(&mut layer, &mut gradient(0.5)).unwrap();
        // lr_1 = 0.001·√0.001/0.1 = 3.16227766e-4; m = 0.05; v = 0.00025;
        // W = 1 - lr_1·0.05/(√0.00025 + 1e-7)
        assert!((optimizer.first_moment().d_weights[(0, 0)] - 0.05).abs() < 1e-16);
        assert!((optimizer.second_moment().d_weights[(0, 0)] - 0.000_25).abs() < 1e-18);
        assert!((layer.weights[(0, 0)] - 0.999_000_006_324_515_3).abs() < 1e-15);

        optimizer.step(&mut layer, &mut gradient(-0.25)).unwrap();
        // lr_2 = 0.001·√(1 - 0.999²)/(1 - 0.9²); m = 0.05 + 0.1(-0.25 - 0.05) = 0.02;
        // v = 0.00025 + 0.001(0.0625 - 0.00025) = 0.00031225
        assert!((optimizer.first_moment().d_weights[(0, 0)] - 0.02).abs() < 1e-16);
        assert!((optimizer.second_moment().d_weights[(0, 0)] - 0.000_312_25).abs() < 1e-18);
        assert!((layer.weights[(0, 0)] - 0.998_733_670_792_079_2).abs() < 1e-15);
        // a parameter whose gradient is always zero stays put
        assert_eq!(layer.bias, Matrix::new([[0.0]]));
    }

    #[test]
    fn default_is_the_textbooks() {
        let a = Adam::<(), f32>::default();
        assert_eq!((a.learning_rate, a.beta1, a.beta2), (0.001, 0.9, 0.999));
    }
}
