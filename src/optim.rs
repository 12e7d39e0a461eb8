//! [`Optimizer`]: how parameters move against their gradient.

mod adagrad;
mod adam;
mod momentum;
mod rmsprop;
mod sgd;

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use momentum::Momentum;
pub use rmsprop::RmsProp;
pub(crate) use sgd::FusedSgd;
pub use sgd::Sgd;

use core::fmt;

use crate::{Parameters, Scalar};

/// Updates parameters `P` (a layer or a network) from their gradient.
///
/// An optimizer that keeps state per parameter (momentum, Adam) stores it in
/// values of `P::Gradient`, the parameters' own shape, and walks parameters,
/// gradient and state together with [`Parameters::update`]; layers need to
/// know nothing about it.
///
/// A step is all or nothing: if any entry of the gradient is NaN or
/// infinite, or any updated parameter or state value would be, the step
/// changes nothing (parameters and state keep their bits) and says which
/// parameter matrix it was. So a step that returns `Ok` leaves only finite
/// numbers behind.
///
/// ```
/// use constnet::{Affine, AffineGradient, Matrix, Optimizer, Sgd, UpdateError};
///
/// let mut layer = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let gradient = AffineGradient { d_weights: Matrix::new([[2.0]]), d_bias: Matrix::new([[-1.0]]) };
/// Sgd::new(0.5).step(&mut layer, &gradient).unwrap();
/// assert_eq!(layer, Affine::new(Matrix::new([[0.0]]), Matrix::new([[0.5]])));
///
/// let broken = AffineGradient { d_weights: Matrix::new([[2.0]]), d_bias: Matrix::new([[f32::NAN]]) };
/// let before = layer;
/// assert_eq!(Sgd::new(0.5).step(&mut layer, &broken), Err(UpdateError::NonFiniteGradient { matrix: 1 }));
/// assert_eq!(layer, before);
/// ```
pub trait Optimizer<P: Parameters<T>, T: Scalar> {
    /// Applies one update of `parameters` from `gradient`.
    ///
    /// # Errors
    ///
    /// [`UpdateError`] if the gradient or the update is not finite; nothing
    /// is changed then.
    fn step(&mut self, parameters: &mut P, gradient: &P::Gradient) -> Result<(), UpdateError>;
}

/// Why an optimizer step changed nothing. `matrix` counts the parameter
/// matrices in [`Parameters::visit`] order from 0: the first layer's weights,
/// its bias, the next layer's weights, and so on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpdateError {
    /// The gradient of parameter matrix `matrix` has a NaN or infinite entry.
    NonFiniteGradient {
        /// The parameter matrix, in `visit` order.
        matrix: usize,
    },
    /// Updating parameter matrix `matrix`, or the optimizer's state for it,
    /// would give a NaN or infinite value.
    NonFiniteUpdate {
        /// The parameter matrix, in `visit` order.
        matrix: usize,
    },
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NonFiniteGradient { matrix } => write!(
                f,
                "the gradient of parameter matrix {matrix} (counting weights and biases \
                 from the first layer, from 0) is not finite; nothing was updated: \
                 check the inputs for NaN, infinite or huge values"
            ),
            Self::NonFiniteUpdate { matrix } => write!(
                f,
                "updating parameter matrix {matrix} (counting weights and biases from the \
                 first layer, from 0) would make it or the optimizer's state not finite; \
                 nothing was updated: lower the learning rate"
            ),
        }
    }
}

impl core::error::Error for UpdateError {}

/// Applies an element-wise update `rule(w, dW, state) -> (w', state')` to
/// every parameter, all or nothing: a first pass computes every new value
/// and checks it (and the gradient) without writing, a second writes them.
/// Both passes run the same `rule`, so the values written are the values
/// checked.
#[inline]
pub(crate) fn checked_update<P, T, const K: usize>(
    parameters: &mut P,
    gradient: &P::Gradient,
    mut state: [&mut P::Gradient; K],
    rule: impl Fn(T, T, [T; K]) -> (T, [T; K]),
) -> Result<(), UpdateError>
where
    P: Parameters<T> + ?Sized,
    T: Scalar,
{
    let mut problem = None;
    let mut matrix = 0;
    parameters.update(
        gradient,
        state.each_mut().map(|s| &mut **s),
        &mut |w: &mut [T], d_w: &[T], s: [&mut [T]; K]| {
            if problem.is_none() {
                let (gradient_finite, update_finite) = check(w, d_w, &s, &rule);
                if !gradient_finite {
                    problem = Some(UpdateError::NonFiniteGradient { matrix });
                } else if !update_finite {
                    problem = Some(UpdateError::NonFiniteUpdate { matrix });
                }
            }
            matrix += 1;
        },
    );
    if let Some(problem) = problem {
        return Err(problem);
    }
    parameters.update(
        gradient,
        state,
        &mut |w: &mut [T], d_w: &[T], s: [&mut [T]; K]| commit(w, d_w, s, &rule),
    );
    Ok(())
}

/// Lanes of the two passes: blocks of this many elements are fixed-size
/// arrays, so the compiler sees no bounds to check and vectorizes them.
const LANES: usize = 16;

/// Writes `rule`'s new values into `w` and `s`.
#[inline]
fn commit<T: Scalar, const K: usize>(
    w: &mut [T],
    d_w: &[T],
    s: [&mut [T]; K],
    rule: &impl Fn(T, T, [T; K]) -> (T, [T; K]),
) {
    let n = w.len();
    let (d_blocks, d_rest) = d_w[..n].as_chunks::<LANES>();
    let (w_blocks, w_rest) = w.as_chunks_mut::<LANES>();
    let blocks = w_blocks.len();
    let mut s = s.map(|s| s[..n].as_chunks_mut::<LANES>());
    for b in 0..blocks {
        let (w, d) = (&mut w_blocks[b], &d_blocks[..blocks][b]);
        for j in 0..LANES {
            let (new_w, new_s) = rule(w[j], d[j], core::array::from_fn(|k| s[k].0[..blocks][b][j]));
            w[j] = new_w;
            for (s, new) in s.iter_mut().zip(new_s) {
                s.0[..blocks][b][j] = new;
            }
        }
    }
    for (i, (w, &d)) in w_rest.iter_mut().zip(d_rest).enumerate() {
        let (new_w, new_s) = rule(*w, d, core::array::from_fn(|k| s[k].1[i]));
        *w = new_w;
        for (s, new) in s.iter_mut().zip(new_s) {
            s.1[i] = new;
        }
    }
}

/// Whether every value `rule` would write is finite, and if not, whether
/// the gradient is to blame: `(gradient finite, update finite)`.
///
/// The fast pass adds the new values up in independent lanes: a NaN or an
/// infinity makes its lane's sum NaN or infinite for good, so finite sums
/// prove finite values, at one addition per value (the lanes are
/// independent, so the compiler vectorizes the pass without reordering any
/// float operation). Only when a sum is not finite (a non-finite value, or,
/// rarely, finite values whose sum overflows) does a second pass look at
/// each value, and at the gradient (whose non-finite entries make their
/// updates non-finite, the learning rate being finite and positive).
#[inline]
fn check<T: Scalar, const K: usize>(
    w: &[T],
    d_w: &[T],
    state: &[&mut [T]; K],
    rule: &impl Fn(T, T, [T; K]) -> (T, [T; K]),
) -> (bool, bool) {
    let n = w.len();
    let d_w = &d_w[..n];
    let s = state;
    let (w_blocks, w_rest) = w.as_chunks::<LANES>();
    let (d_blocks, d_rest) = d_w.as_chunks::<LANES>();
    let blocks = w_blocks.len();
    let s: [_; K] = core::array::from_fn(|k| s[k][..n].as_chunks::<LANES>());
    if blocks == 0 {
        // A short slice (a bias, a small layer): one sum, no lanes to set up.
        let sum = (0..n).fold(T::zero(), |sum, i| {
            let (new_w, new_s) = rule(w[i], d_w[i], core::array::from_fn(|k| state[k][i]));
            new_s.iter().fold(sum + new_w, |sum, &x| sum + x)
        });
        if sum.is_finite() {
            return (true, true);
        }
        return exact_check(w, d_w, state, rule);
    }
    let mut lanes = [T::zero(); LANES];
    for b in 0..blocks {
        let (w, d) = (&w_blocks[b], &d_blocks[..blocks][b]);
        for j in 0..LANES {
            let (new_w, new_s) = rule(w[j], d[j], core::array::from_fn(|k| s[k].0[..blocks][b][j]));
            lanes[j] = new_s.iter().fold(lanes[j] + new_w, |sum, &x| sum + x);
        }
    }
    for (i, (&w, &d)) in w_rest.iter().zip(d_rest).enumerate() {
        let (new_w, new_s) = rule(w, d, core::array::from_fn(|k| s[k].1[i]));
        lanes[0] = new_s.iter().fold(lanes[0] + new_w, |sum, &x| sum + x);
    }
    if lanes.iter().all(|x| x.is_finite()) {
        return (true, true);
    }
    exact_check(w, d_w, state, rule)
}

/// The slow path of [`check`]: each value and each gradient entry on its own.
#[cold]
fn exact_check<T: Scalar, const K: usize>(
    w: &[T],
    d_w: &[T],
    state: &[&mut [T]; K],
    rule: &impl Fn(T, T, [T; K]) -> (T, [T; K]),
) -> (bool, bool) {
    let n = w.len();
    let gradient_finite = d_w[..n].iter().all(|d| d.is_finite());
    let update_finite = (0..n).all(|i| {
        let (new_w, new_s) = rule(w[i], d_w[i], core::array::from_fn(|k| state[k][i]));
        new_w.is_finite() && new_s.iter().all(|x| x.is_finite())
    });
    (gradient_finite, update_finite)
}

/// Why a hyperparameter was rejected: its name, its value, and the range it
/// must be in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InvalidHyperparameter<T> {
    /// The hyperparameter, as the optimizer's documentation names it.
    pub name: &'static str,
    /// The value given.
    pub value: T,
    /// What it must be.
    pub requirement: &'static str,
}

impl<T: fmt::Display> fmt::Display for InvalidHyperparameter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {} is not valid: it must be {}",
            self.name, self.value, self.requirement
        )
    }
}

impl<T: fmt::Debug + fmt::Display> core::error::Error for InvalidHyperparameter<T> {}

/// `value` if it is finite and greater than zero.
pub(crate) fn positive<T: Scalar>(
    name: &'static str,
    value: T,
) -> Result<T, InvalidHyperparameter<T>> {
    if value.is_finite() && value > T::zero() {
        Ok(value)
    } else {
        Err(InvalidHyperparameter {
            name,
            value,
            requirement: "finite and greater than 0",
        })
    }
}

/// `value` if it is in `[0, 1)`.
pub(crate) fn decay<T: Scalar>(
    name: &'static str,
    value: T,
) -> Result<T, InvalidHyperparameter<T>> {
    if value >= T::zero() && value < T::one() {
        Ok(value)
    } else {
        Err(InvalidHyperparameter {
            name,
            value,
            requirement: "at least 0 and less than 1",
        })
    }
}

/// Unwraps a hyperparameter check in a constructor that documents the panic.
#[track_caller]
pub(crate) fn valid<V, T: fmt::Display>(checked: Result<V, InvalidHyperparameter<T>>) -> V {
    match checked {
        Ok(value) => value,
        Err(error) => panic!("{error}"),
    }
}
