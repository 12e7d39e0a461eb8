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
/// A step consumes its gradient: the optimizer may use it as scratch (SGD
/// keeps the old parameters there, so that its one pass can be undone), so
/// its values afterwards are unspecified, after `Ok` and `Err` alike. The
/// training steps of [`Network`](crate::Network) compute a new gradient for
/// every step; to keep one, copy it first (gradients are `Copy`).
///
/// ```
/// use constnet::{Affine, AffineGradient, Matrix, Optimizer, Sgd, UpdateError};
///
/// let mut layer = Affine::new(Matrix::new([[1.0]]), Matrix::new([[0.0]]));
/// let mut gradient = AffineGradient { d_weights: Matrix::new([[2.0]]), d_bias: Matrix::new([[-1.0]]) };
/// Sgd::new(0.5).step(&mut layer, &mut gradient).unwrap();
/// assert_eq!(layer, Affine::new(Matrix::new([[0.0]]), Matrix::new([[0.5]])));
///
/// let mut broken = AffineGradient { d_weights: Matrix::new([[2.0]]), d_bias: Matrix::new([[f32::NAN]]) };
/// let before = layer;
/// assert_eq!(Sgd::new(0.5).step(&mut layer, &mut broken), Err(UpdateError::NonFiniteGradient { matrix: 1 }));
/// assert_eq!(layer, before);
/// ```
pub trait Optimizer<P: Parameters<T>, T: Scalar> {
    /// Applies one update of `parameters` from `gradient`, which it consumes:
    /// its values afterwards are unspecified.
    ///
    /// # Errors
    ///
    /// [`UpdateError`] if the gradient or the update is not finite; the
    /// parameters and the optimizer's state are unchanged then.
    fn step(&mut self, parameters: &mut P, gradient: &mut P::Gradient) -> Result<(), UpdateError>;
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

impl UpdateError {
    /// The parameter matrix the error names.
    pub(crate) fn matrix(self) -> usize {
        match self {
            Self::NonFiniteGradient { matrix } | Self::NonFiniteUpdate { matrix } => matrix,
        }
    }
}

/// Applies an element-wise update `rule(w, dW, state) -> (w', state')` to
/// every parameter, all or nothing: a first pass computes every new value
/// and checks it (and the gradient) without writing, a second writes them.
/// Both passes run the same `rule`, so the values written are the values
/// checked. Optimizers with state use it; a rule without state has the
/// one-pass [`checked_stateless_update`].
#[inline]
pub(crate) fn checked_update<P, T, const K: usize>(
    parameters: &mut P,
    gradient: &mut P::Gradient,
    mut state: [&mut P::Gradient; K],
    rule: impl Fn(T, T, [T; K]) -> (T, [T; K]),
) -> Result<(), UpdateError>
where
    P: Parameters<T> + ?Sized,
    T: Scalar,
{
    let checked = first_failure(
        parameters,
        gradient,
        state.each_mut().map(|s| &mut **s),
        |w, d_w, s| check(w, d_w, &s, &rule),
    );
    if let Some(problem) = checked {
        return Err(problem);
    }
    parameters.update(
        gradient,
        state,
        &mut |w: &mut [T], d_w: &mut [T], s: [&mut [T]; K]| commit(w, d_w, s, &rule),
    );
    Ok(())
}

/// Applies an element-wise update `rule(w, dW) -> w'` without optimizer
/// state (SGD's), all or nothing, in one pass: each new value is written
/// over its parameter and the old value over its gradient entry, which the
/// step no longer needs, and each block of [`LANES`] is checked as it is
/// done. If a block is not finite, every parameter written so far gets its
/// old value back from the gradient, bit for bit, and nothing else is
/// touched.
///
/// So `gradient` holds the parameters' old values afterwards where they were
/// updated: a step consumes its gradient.
///
/// Against [`checked_update`]'s two passes this runs `rule` once per value
/// (on a soft-float Cortex-M every float operation is a call) and checks with
/// an integer test per value instead of a float addition.
#[inline]
pub(crate) fn checked_stateless_update<P, T>(
    parameters: &mut P,
    gradient: &mut P::Gradient,
    rule: impl Fn(T, T) -> T,
) -> Result<(), UpdateError>
where
    P: Parameters<T> + ?Sized,
    T: Scalar,
{
    let Some(problem) = first_failure(
        parameters,
        gradient,
        [],
        // Inlined for the same reason as `first_failure`'s own closure.
        #[cfg_attr(not(target_os = "none"), inline(always))]
        |w, d_w, []| update_logged(w, d_w, &rule),
    ) else {
        return Ok(());
    };
    // The matrices before the failing one are updated: put them back.
    let mut updated = problem.matrix();
    parameters.update(gradient, [], &mut |w: &mut [T], old: &mut [T], []| {
        if updated > 0 {
            updated -= 1;
            undo(w, &old[..w.len()]);
        }
    });
    Err(problem)
}

/// Runs `per_matrix` on each parameter matrix (with its gradient and state)
/// until one fails with `Err(whether its gradient is finite)`, and returns
/// that matrix's error; the matrices after it are not given to `per_matrix`.
#[inline]
fn first_failure<P, T, const K: usize>(
    parameters: &mut P,
    gradient: &mut P::Gradient,
    state: [&mut P::Gradient; K],
    mut per_matrix: impl FnMut(&mut [T], &mut [T], [&mut [T]; K]) -> Result<(), bool>,
) -> Option<UpdateError>
where
    P: Parameters<T> + ?Sized,
    T: Scalar,
{
    let mut problem = None;
    let mut matrix = 0;
    // Off bare metal the closure is inlined into each matrix's call, where
    // the matrix's length is a constant and its blocks straight-line code:
    // XOR's step took 128 ns with one call per matrix and 117 ns so (AMD
    // EPYC Zen 2). An attribute may sit on a closure only where it is an
    // argument, hence `identity`.
    let mut each_matrix = core::convert::identity(
        #[cfg_attr(not(target_os = "none"), inline(always))]
        |w: &mut [T], d_w: &mut [T], s: [&mut [T]; K]| {
            if problem.is_none()
                && let Err(gradient_finite) = per_matrix(w, d_w, s)
            {
                problem = Some(if gradient_finite {
                    UpdateError::NonFiniteUpdate { matrix }
                } else {
                    UpdateError::NonFiniteGradient { matrix }
                });
            }
            matrix += 1;
        },
    );
    parameters.update(gradient, state, &mut each_matrix);
    problem
}

/// One matrix of [`checked_stateless_update`]: `w ← rule(w, dW)` with the old
/// `w` left in `dW`, a block of [`LANES`] at a time. On a non-finite new
/// value, puts back this matrix's old values and says whether the gradient
/// is to blame (`Err(gradient finite)`).
#[cfg_attr(not(target_os = "none"), inline(always))]
#[cfg_attr(target_os = "none", inline)]
fn update_logged<T: Scalar>(
    w: &mut [T],
    d_w: &mut [T],
    rule: &impl Fn(T, T) -> T,
) -> Result<(), bool> {
    let n = w.len();
    let d_w = &mut d_w[..n];
    // How many values are updated, from the front, and whether the gradient
    // of the block that failed, if one did, is finite. Blocks of LANES, then
    // of QUARTER (small networks are made of matrices smaller than a
    // block: XOR's 2-4-1 step took 172 ns with the rest value by value and
    // 141 ns so, on a Zen 2), then single values.
    let (mut done, mut failed) = update_blocks::<T, LANES>(w, d_w, rule);
    if failed.is_none() {
        let (more, quarter_failed) =
            update_blocks::<T, QUARTER>(&mut w[done..], &mut d_w[done..], rule);
        done += more;
        failed = quarter_failed;
    }
    if failed.is_none() {
        failed = update_block(&mut w[done..], &mut d_w[done..], rule).err();
        done = n;
    }
    match failed {
        None => Ok(()),
        Some(block_finite) => {
            // The failed block's gradient is gone (it holds the old values);
            // the rest is untouched.
            let gradient_finite = block_finite && all_finite(&d_w[done..]);
            undo(&mut w[..done], &d_w[..done]);
            Err(gradient_finite)
        }
    }
}

/// Updates the whole blocks of `M` values at the front of `w`, as
/// [`update_block`] does, until one fails: how many values were updated
/// (the failed block included) and, if one failed, whether its gradient was
/// finite.
#[inline(always)]
fn update_blocks<T: Scalar, const M: usize>(
    w: &mut [T],
    d_w: &mut [T],
    rule: &impl Fn(T, T) -> T,
) -> (usize, Option<bool>) {
    let (w_blocks, _) = w.as_chunks_mut::<M>();
    let (d_blocks, _) = d_w.as_chunks_mut::<M>();
    let mut done = 0;
    for (w, d) in w_blocks.iter_mut().zip(d_blocks.iter_mut()) {
        done += M;
        if let Err(gradient_finite) = update_block(w, d, rule) {
            return (done, Some(gradient_finite));
        }
    }
    (done, None)
}

/// Updates one block, writing each new value over its parameter and the old
/// value over its gradient entry, and says whether every new value is
/// finite; if not, `Err(whether the block's gradient was finite)`.
///
/// The checks are integer tests combined with `&`, not `&&`: no branch per
/// value, so a block stays vectors on x86 and one loop on a Cortex-M.
#[inline(always)]
fn update_block<T: Scalar>(
    w: &mut [T],
    d: &mut [T],
    rule: &impl Fn(T, T) -> T,
) -> Result<(), bool> {
    let (mut gradient_finite, mut finite) = (true, true);
    for (w, d) in w.iter_mut().zip(d.iter_mut()) {
        let old = *w;
        gradient_finite &= d.is_finite();
        *w = rule(old, *d);
        finite &= w.is_finite();
        *d = old;
    }
    if finite { Ok(()) } else { Err(gradient_finite) }
}

/// The failure path of [`checked_stateless_update`]: puts back the values
/// updated so far from the old values kept in the gradient.
#[cold]
fn undo<T: Scalar>(updated: &mut [T], old: &[T]) {
    updated.copy_from_slice(old);
}

fn all_finite<T: Scalar>(values: &[T]) -> bool {
    values.iter().all(|x| x.is_finite())
}

/// Lanes of the update passes: blocks of this many elements are fixed-size
/// arrays, so the compiler sees no bounds to check and vectorizes them.
const LANES: usize = 16;

/// A quarter of [`LANES`]: one SSE vector of `f32`.
const QUARTER: usize = LANES / 4;

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
/// the gradient is to blame: `Err(gradient finite)`.
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
) -> Result<(), bool> {
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
            return Ok(());
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
    if all_finite(&lanes) {
        return Ok(());
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
) -> Result<(), bool> {
    let n = w.len();
    let gradient_finite = all_finite(&d_w[..n]);
    let update_finite = (0..n).all(|i| {
        let (new_w, new_s) = rule(w[i], d_w[i], core::array::from_fn(|k| state[k][i]));
        new_w.is_finite() && all_finite(&new_s)
    });
    if gradient_finite && update_finite {
        Ok(())
    } else {
        Err(gradient_finite)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Affine, GradientOf, Relu};

    /// Matrices of 32, 8, 40 and 5 values: blocks of [`LANES`], a remainder,
    /// and slices shorter than a block.
    type Net = (Affine<4, 8>, Relu, Affine<8, 5>);

    fn net() -> Net {
        let mut net = Net::default();
        let mut i = 0.0_f32;
        net.visit_mut(&mut |w: &mut [f32]| {
            for w in w {
                i += 1.0;
                *w = i / 8.0 - 5.0;
            }
        });
        net
    }

    /// A gradient of ones, with `bad` written at flat positions.
    fn gradient(bad: &[(usize, f32)]) -> GradientOf<Net> {
        let mut gradient = GradientOf::<Net>::default();
        let mut scratch = net();
        let mut position = 0;
        scratch.update(
            &mut gradient,
            [],
            &mut |_: &mut [f32], d: &mut [f32], []| {
                for d in d {
                    *d = bad
                        .iter()
                        .find(|&&(p, _)| p == position)
                        .map_or(1.0, |&(_, v)| v);
                    position += 1;
                }
            },
        );
        gradient
    }

    fn bits(net: &Net) -> [u32; 85] {
        let mut bits = [0; 85];
        let mut i = 0;
        net.visit(&mut |w: &[f32]| {
            for w in w {
                bits[i] = w.to_bits();
                i += 1;
            }
        });
        bits
    }

    /// The one-pass update against the two-pass one, with one or two bad
    /// gradient entries at every position: the same result, the same error,
    /// and after an error the same (untouched) parameters.
    #[test]
    fn one_pass_update_agrees_with_the_two_pass_update() {
        // 3e38 · 10 overflows: a finite gradient, a non-finite update.
        let rule = |w: f32, d: f32| w - 10.0 * d;
        let bad = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 3e38, -3e38];
        let mut cases = 0;
        for first in 0..85 {
            for &a in &bad {
                for second in [None, Some((first + 1) % 85), Some((first + 17) % 85)] {
                    for &b in &bad {
                        // without a second entry, the first twice
                        let entries = [(first, a), second.map_or((first, a), |p| (p, b))];
                        let (mut one, mut two) = (net(), net());
                        let one_result =
                            checked_stateless_update(&mut one, &mut gradient(&entries), rule);
                        let two_result =
                            checked_update(&mut two, &mut gradient(&entries), [], |w, d, []| {
                                (rule(w, d), [])
                            });
                        assert_eq!(one_result, two_result, "{entries:?}");
                        assert!(one_result.is_err(), "{entries:?}");
                        assert_eq!(bits(&one), bits(&net()), "{entries:?}");
                        cases += 1;
                    }
                }
            }
        }
        assert_eq!(cases, 85 * 5 * 3 * 5);
    }

    #[test]
    fn one_pass_update_writes_the_rule_and_keeps_the_old_values() {
        let mut updated = net();
        let mut d = gradient(&[(3, 2.0), (40, -4.0)]);
        assert_eq!(
            checked_stateless_update(&mut updated, &mut d, |w: f32, d| w - 0.5 * d),
            Ok(())
        );
        let (before, after) = (bits(&net()), bits(&updated));
        let mut old = [0; 85];
        let mut i = 0;
        net().update(&mut d, [], &mut |_: &mut [f32], d: &mut [f32], []| {
            for d in d {
                old[i] = d.to_bits();
                i += 1;
            }
        });
        // the gradient now holds the old parameters
        assert_eq!(old, before);
        for (i, (&b, &a)) in before.iter().zip(&after).enumerate() {
            let step = match i {
                3 => 2.0,
                40 => -4.0,
                _ => 1.0,
            };
            assert_eq!(a, (f32::from_bits(b) - 0.5 * step).to_bits(), "{i}");
        }
    }

    #[test]
    fn the_error_names_the_matrix_and_the_cause() {
        // matrix 0: positions 0..32, 1: 32..40, 2: 40..80, 3: 80..85
        for (position, matrix) in [(0, 0), (31, 0), (32, 1), (39, 1), (40, 2), (79, 2), (84, 3)] {
            let mut net = net();
            let result = checked_stateless_update(
                &mut net,
                &mut gradient(&[(position, f32::NAN)]),
                |w, d| w - d,
            );
            assert_eq!(result, Err(UpdateError::NonFiniteGradient { matrix }));
            let result =
                checked_stateless_update(&mut net, &mut gradient(&[(position, 3e38)]), |w, d| {
                    w - 10.0 * d
                });
            assert_eq!(result, Err(UpdateError::NonFiniteUpdate { matrix }));
        }
    }
}
