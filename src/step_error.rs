//! [`StepError`]: why a training step changed nothing.

use core::fmt;

use crate::UpdateError;

/// Why a training step changed nothing: the network and the optimizer keep
/// every bit they had. A step either returns `Ok` and leaves only finite
/// numbers, or returns one of these.
///
/// `matrix` counts the parameter matrices in
/// [`Parameters::visit`](crate::Parameters::visit) order from 0: the first
/// layer's weights, its bias, the next layer's weights, and so on.
///
/// ```
/// use constnet::{Affine, Matrix, Mse, Network, Sgd, StepError};
///
/// let mut net = Network::new((Affine::<1, 1>::new(Matrix::new([[1.0]]), Matrix::zeros()),));
/// let before = net;
/// let error = net.train_step(&Matrix::new([[f32::NAN]]), &Matrix::new([[0.0]]), &Mse, &mut Sgd::new(0.1));
/// assert!(matches!(error, Err(StepError::NonFiniteLoss { .. })));
/// assert_eq!(net, before);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepError<T> {
    /// The loss is NaN or infinite.
    NonFiniteLoss {
        /// The loss that was computed.
        loss: T,
    },
    /// The loss is finite but the gradient of parameter matrix `matrix` is
    /// not: typically an infinite input (`inf · 0` is NaN) or a huge one.
    NonFiniteGradient {
        /// The parameter matrix, in `visit` order.
        matrix: usize,
    },
    /// The gradient is finite but updating parameter matrix `matrix`, or the
    /// optimizer's state for it, would overflow: the learning rate is too
    /// large for the gradient.
    NonFiniteUpdate {
        /// The parameter matrix, in `visit` order.
        matrix: usize,
    },
}

impl<T> From<UpdateError> for StepError<T> {
    fn from(error: UpdateError) -> Self {
        match error {
            UpdateError::NonFiniteGradient { matrix } => Self::NonFiniteGradient { matrix },
            UpdateError::NonFiniteUpdate { matrix } => Self::NonFiniteUpdate { matrix },
        }
    }
}

impl<T: fmt::Display> fmt::Display for StepError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonFiniteLoss { loss } => write!(
                f,
                "the loss is {loss} (not finite); nothing was updated: \
                 lower the learning rate or check the data for NaN or infinite values"
            ),
            Self::NonFiniteGradient { matrix } => {
                UpdateError::NonFiniteGradient { matrix: *matrix }.fmt(f)
            }
            Self::NonFiniteUpdate { matrix } => {
                UpdateError::NonFiniteUpdate { matrix: *matrix }.fmt(f)
            }
        }
    }
}

impl<T: fmt::Debug + fmt::Display> core::error::Error for StepError<T> {}
