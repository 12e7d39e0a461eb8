//! [`Sgd`]: stochastic gradient descent.

use core::cell::Cell;

use crate::optim::{InvalidHyperparameter, UpdateError, checked_stateless_update, positive, valid};
use crate::stage::LayerUpdate;
use crate::{Optimizer, Parameters, Scalar};

/// Stochastic gradient descent: `W ← W - lr · dW`.
///
/// The minus is the whole point: the gradient points uphill, so the step goes
/// the other way. It keeps no state.
///
/// ```
/// use constnet::{Affine, AffineGradient, Matrix, Optimizer, Sgd};
///
/// let mut layer: Affine<1, 2> = Affine::new(Matrix::new([[1.0, 1.0]]), Matrix::zeros());
/// let mut gradient = AffineGradient { d_weights: Matrix::new([[4.0, -4.0]]), d_bias: Matrix::zeros() };
/// Sgd::new(0.25).step(&mut layer, &mut gradient).unwrap();
/// assert_eq!(layer.weights, Matrix::new([[0.0, 2.0]]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd<T = f32> {
    /// The step size, `lr`.
    pub learning_rate: T,
}

impl<T: Scalar> Sgd<T> {
    /// SGD with the given learning rate.
    ///
    /// # Panics
    ///
    /// If the learning rate is not finite and positive; use
    /// [`try_new`](Sgd::try_new) for values from outside the program.
    #[track_caller]
    pub fn new(learning_rate: T) -> Self {
        valid(Self::try_new(learning_rate))
    }

    /// SGD with the given learning rate, if it is finite and positive.
    ///
    /// ```
    /// use constnet::Sgd;
    /// assert!(Sgd::try_new(0.1_f32).is_ok());
    /// let error = Sgd::try_new(f32::NAN).unwrap_err();
    /// assert_eq!(error.to_string(), "learning rate = NaN is not valid: it must be finite and greater than 0");
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidHyperparameter`] naming the learning rate.
    pub fn try_new(learning_rate: T) -> Result<Self, InvalidHyperparameter<T>> {
        Ok(Self {
            learning_rate: positive("learning rate", learning_rate)?,
        })
    }
}

impl<T: Scalar> Default for Sgd<T> {
    /// The textbook's learning rate, 0.01.
    fn default() -> Self {
        Self::new(T::from_f64(0.01))
    }
}

impl<P: Parameters<T>, T: Scalar> Optimizer<P, T> for Sgd<T> {
    #[inline]
    fn step(&mut self, parameters: &mut P, gradient: &mut P::Gradient) -> Result<(), UpdateError> {
        let lr = self.learning_rate;
        // W ← W - lr · dW
        checked_stateless_update(parameters, gradient, |w, d| w - lr * d)
    }
}

/// SGD applied layer by layer during a fused pass: remembers the first
/// error, numbers matrices in `visit` order although layers arrive last
/// first, and updates nothing after an error.
pub(crate) struct FusedSgd<T> {
    learning_rate: T,
    /// Parameter matrices of the layers not yet updated (those before).
    remaining: Cell<usize>,
    /// The number of the matrix the next `update_rows` updates.
    next_matrix: Cell<usize>,
    error: Cell<Option<UpdateError>>,
}

impl<T: Scalar> FusedSgd<T> {
    /// A fused SGD pass over `matrices` parameter matrices.
    pub(crate) fn new(sgd: &Sgd<T>, matrices: usize) -> Self {
        Self {
            learning_rate: sgd.learning_rate,
            remaining: Cell::new(matrices),
            next_matrix: Cell::new(0),
            error: Cell::new(None),
        }
    }

    /// The first layer whose gradient or update was not finite, if any.
    pub(crate) fn error(&self) -> Option<UpdateError> {
        self.error.get()
    }
}

impl<T: Scalar> LayerUpdate<T> for FusedSgd<T> {
    #[inline]
    fn update<P: Parameters<T> + ?Sized>(&self, parameters: &mut P, gradient: &mut P::Gradient) {
        let mut matrices = 0;
        parameters.visit(&mut |_: &[T]| matrices += 1);
        self.begin_layer(matrices);
        let first = self.next_matrix.get();
        if self.error.get().is_some() {
            return;
        }
        let lr = self.learning_rate;
        // W ← W - lr · dW, this layer's, all or nothing
        if let Err(error) = checked_stateless_update(parameters, gradient, |w, d| w - lr * d) {
            self.error.set(Some(match error {
                UpdateError::NonFiniteGradient { matrix } => UpdateError::NonFiniteGradient {
                    matrix: first + matrix,
                },
                UpdateError::NonFiniteUpdate { matrix } => UpdateError::NonFiniteUpdate {
                    matrix: first + matrix,
                },
            }));
        }
    }

    #[inline]
    fn begin_layer(&self, matrices: usize) {
        let first = self.remaining.get() - matrices;
        self.remaining.set(first);
        self.next_matrix.set(first);
    }

    #[inline]
    fn update_rows<const C: usize>(
        &self,
        rows: &mut [[T; C]],
        mut gradient: impl FnMut(usize, usize) -> T,
    ) {
        let matrix = self.next_matrix.get();
        self.next_matrix.set(matrix + 1);
        if self.error.get().is_some() {
            return;
        }
        let lr = self.learning_rate;
        for (r, row) in rows.iter_mut().enumerate() {
            for (c, w) in row.iter_mut().enumerate() {
                let d_w = gradient(r, c);
                // W ← W - lr · dW, entry by entry, finite values only
                let updated = *w - lr * d_w;
                if !updated.is_finite() {
                    self.error.set(Some(if d_w.is_finite() {
                        UpdateError::NonFiniteUpdate { matrix }
                    } else {
                        UpdateError::NonFiniteGradient { matrix }
                    }));
                    return;
                }
                *w = updated;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Affine, AffineGradient, Matrix, Network, Relu};

    #[test]
    fn steps_against_the_gradient_in_every_layer() {
        let mut net = Network::new((
            Affine::<2, 2, f64>::new(Matrix::filled(1.0), Matrix::filled(1.0)),
            Relu,
            Affine::<2, 1, f64>::new(Matrix::filled(1.0), Matrix::filled(1.0)),
        ));
        let mut gradient = (
            AffineGradient {
                d_weights: Matrix::new([[1.0, 2.0], [3.0, 4.0]]),
                d_bias: Matrix::new([[-1.0, -2.0]]),
            },
            (),
            AffineGradient {
                d_weights: Matrix::new([[10.0], [-10.0]]),
                d_bias: Matrix::new([[0.5]]),
            },
        );
        Sgd::new(0.1).step(&mut net, &mut gradient).unwrap();
        let (first, _, second) = net.layers;
        assert_eq!(first.weights, Matrix::new([[0.9, 0.8], [0.7, 0.6]]));
        assert_eq!(first.bias, Matrix::new([[1.1, 1.2]]));
        assert_eq!(second.weights, Matrix::new([[0.0], [2.0]]));
        assert_eq!(second.bias, Matrix::new([[0.95]]));
    }

    #[test]
    fn a_step_lowers_the_loss() {
        use crate::{Loss, Mse};
        let mut net = Network::new((Affine::<1, 1, f64>::new(
            Matrix::new([[0.5]]),
            Matrix::new([[0.0]]),
        ),));
        let x = Matrix::new([[1.0], [2.0]]);
        let t = Matrix::new([[2.0], [4.0]]);
        let before = Mse.value(&net.predict(&x), &t);
        let mut workspace = crate::Workspace::new();
        net.gradient(&mut workspace, &x, &t, &Mse).unwrap();
        Sgd::new(0.05)
            .step(&mut net, workspace.gradient_mut())
            .unwrap();
        let after = Mse.value(&net.predict(&x), &t);
        assert!(after < before, "{after} >= {before}");
        // dL/dw = (2/2)(Σ (w x - t) x) = (0.5 - 2) + (1 - 4) 2 = -7.5, db = -1.5 - 3 = -4.5
        assert_eq!(net.layers.0.weights, Matrix::new([[0.5 + 0.05 * 7.5]]));
        assert_eq!(net.layers.0.bias, Matrix::new([[0.05 * 4.5]]));
    }
}
