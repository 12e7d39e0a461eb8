//! [`OptimizerChoice`]: one of the library's five optimizers, picked on the
//! command line.

use constnet::{
    AdaGrad, Adam, Momentum, Optimizer, Parameters, RmsProp, Sgd, UpdateError, Zeroable,
};

/// The names `--optimizer` takes.
pub const NAMES: &str = "sgd|momentum|adagrad|rmsprop|adam";

/// The hyperparameters an example uses for each optimizer.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// SGD's learning rate.
    pub sgd: f32,
    /// Momentum's learning rate and momentum `α`.
    pub momentum: (f32, f32),
    /// AdaGrad's learning rate.
    pub adagrad: f32,
    /// RMSProp's learning rate and decay rate `ρ`.
    pub rmsprop: (f32, f32),
    /// Adam's learning rate and decay rates `β₁`, `β₂`.
    pub adam: (f32, f32, f32),
}

impl Settings {
    /// The textbook's hyperparameters, the optimizers' `Default`s.
    pub fn textbook() -> Self {
        // Read off the defaults of optimizers without state (`G = ()`).
        let momentum = Momentum::<(), f32>::default();
        let rmsprop = RmsProp::<(), f32>::default();
        let adam = Adam::<(), f32>::default();
        Self {
            sgd: Sgd::<f32>::default().learning_rate,
            momentum: (momentum.learning_rate, momentum.momentum),
            adagrad: AdaGrad::<(), f32>::default().learning_rate,
            rmsprop: (rmsprop.learning_rate, rmsprop.decay_rate),
            adam: (adam.learning_rate, adam.beta1, adam.beta2),
        }
    }
}

/// One of the five optimizers, its state (shaped like the parameters, `G`)
/// allocated on the heap, so that it fits networks too large for the stack.
///
/// It is an [`Optimizer`] itself: a training loop written once runs with
/// any of them, and each step goes to the chosen one's `step` (the same
/// arithmetic, bit for bit, as calling it directly).
#[derive(Debug)]
pub enum OptimizerChoice<G> {
    /// Stochastic gradient descent.
    Sgd(Sgd),
    /// SGD with momentum.
    Momentum(Box<Momentum<G>>),
    /// AdaGrad.
    AdaGrad(Box<AdaGrad<G>>),
    /// RMSProp.
    RmsProp(Box<RmsProp<G>>),
    /// Adam.
    Adam(Box<Adam<G>>),
}

impl<G: Zeroable> OptimizerChoice<G> {
    /// The optimizer `name` (one of [`NAMES`]) with the hyperparameters in
    /// `settings`, and the learning rate `learning_rate` instead if given.
    pub fn new(
        name: &str,
        settings: &Settings,
        learning_rate: Option<f32>,
    ) -> Result<Self, String> {
        let lr = |default: f32| learning_rate.unwrap_or(default);
        Ok(match name {
            "sgd" => Self::Sgd(Sgd::new(lr(settings.sgd))),
            "momentum" => {
                let (rate, momentum) = settings.momentum;
                Self::Momentum(Momentum::boxed(lr(rate), momentum))
            }
            "adagrad" => Self::AdaGrad(AdaGrad::boxed(lr(settings.adagrad))),
            "rmsprop" => {
                let (rate, decay) = settings.rmsprop;
                Self::RmsProp(RmsProp::boxed(lr(rate), decay))
            }
            "adam" => {
                let (rate, beta1, beta2) = settings.adam;
                Self::Adam(Adam::boxed(lr(rate), beta1, beta2))
            }
            other => return Err(format!("unknown optimizer `{other}` (expected {NAMES})")),
        })
    }
}

impl<G> OptimizerChoice<G> {
    /// The optimizer and its hyperparameters, for the report.
    pub fn describe(&self) -> String {
        match self {
            Self::Sgd(o) => format!("SGD (lr {})", o.learning_rate),
            Self::Momentum(o) => format!("Momentum (lr {}, α {})", o.learning_rate, o.momentum),
            Self::AdaGrad(o) => format!("AdaGrad (lr {})", o.learning_rate),
            Self::RmsProp(o) => format!("RMSProp (lr {}, ρ {})", o.learning_rate, o.decay_rate),
            Self::Adam(o) => format!(
                "Adam (lr {}, β₁ {}, β₂ {})",
                o.learning_rate, o.beta1, o.beta2
            ),
        }
    }
}

impl<P: Parameters<f32, Gradient = G>, G> Optimizer<P, f32> for OptimizerChoice<G> {
    fn step(&mut self, parameters: &mut P, gradient: &mut G) -> Result<(), UpdateError> {
        match self {
            Self::Sgd(o) => o.step(parameters, gradient),
            Self::Momentum(o) => o.step(parameters, gradient),
            Self::AdaGrad(o) => o.step(parameters, gradient),
            Self::RmsProp(o) => o.step(parameters, gradient),
            Self::Adam(o) => o.step(parameters, gradient),
        }
    }
}
