//! Two layers written outside the crate, each in one impl: a leaky ReLU (an
//! `Activation`, made a layer by `activation_layer!`) and dropout (a `Layer`
//! with randomness and a train/eval switch). Both are checked against finite
//! differences, then a 64-64-10 network with both learns the digits.
//!
//! Run it with `cargo run --release --example custom_layer`.

use std::process::ExitCode;

use constnet::data::{
    Batches, Labelled, Remainder, Sample, Subset, evaluate, fill_batch, read_labelled_csv,
};
use constnet::{
    Activation, Adam, Affine, GradientOf, Layer, Loss, Matrix, Mse, Network, Scalar,
    SoftmaxCrossEntropy, Workspace, activation_layer, gradient_check, kind, no_parameters,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

// ---------------------------------------------------------------------------
// A custom activation: the function and its derivative from the output.

/// The leaky ReLU, `y = x` for `x > 0` and `0.01 x` otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct LeakyRelu;

impl Activation for LeakyRelu {
    fn activate<T: Scalar>(&self, x: T) -> T {
        if x > T::zero() {
            x
        } else {
            x * T::from_f64(0.01)
        }
    }

    fn derivative<T: Scalar>(&self, y: T) -> T {
        // y > 0 exactly where x > 0
        if y > T::zero() {
            T::one()
        } else {
            T::from_f64(0.01)
        }
    }
}

activation_layer!(LeakyRelu);

// ---------------------------------------------------------------------------
// A custom layer with randomness: inverted dropout.
//
// The layer holds only its settings, so it stays `Copy + Send + Sync` and
// can be a `const`. Its random state lives in what it saves for backward,
// in the workspace: each training forward pass (`forward`) draws a new mask
// from it; inference (`predict`) is the identity. That is the train/eval
// switch: training goes through a workspace, inference does not.

/// Zeroes each activation with probability `rate` while training, and
/// scales the rest by `1 / (1 - rate)`, so inference needs no rescaling.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Dropout {
    rate: f64,
    seed: u64,
}

/// What a dropout layer keeps between forward and backward: the mask it
/// applied, and the state of its random generator.
#[derive(Clone, Copy, Debug)]
struct DropoutState<const B: usize, const N: usize, T> {
    mask: Matrix<B, N, T>,
    draws: u64,
}

impl<const B: usize, const N: usize, T: Scalar> Default for DropoutState<B, N, T> {
    fn default() -> Self {
        Self {
            mask: Matrix::zeros(),
            draws: 0,
        }
    }
}

/// SplitMix64: a small, portable generator, enough for masks.
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl<const B: usize, const N: usize, T: Scalar> Layer<Matrix<B, N, T>> for Dropout {
    type Output = Matrix<B, N, T>;
    type Kind = kind::Fresh;
    type Saved = DropoutState<B, N, T>;

    fn forward(&self, x: &Matrix<B, N, T>, y: &mut Matrix<B, N, T>, state: &mut Self::Saved) {
        let keep = T::one() / T::from_f64(1.0 - self.rate);
        let mut rng = self.seed ^ state.draws;
        state.draws = state.draws.wrapping_add(1);
        for m in state.mask.as_mut_slice() {
            let u = (split_mix(&mut rng) >> 11) as f64 / (1u64 << 53) as f64;
            *m = if u < self.rate { T::zero() } else { keep };
        }
        // y = x ⊙ mask
        *y = x.hadamard(&state.mask);
    }

    fn backward(
        &self,
        _: &Matrix<B, N, T>,
        d_y: &Matrix<B, N, T>,
        state: &Self::Saved,
        _: &mut (),
        d_x: Option<&mut Matrix<B, N, T>>,
    ) {
        // dX = dY ⊙ mask
        if let Some(d_x) = d_x {
            *d_x = d_y.hadamard(&state.mask);
        }
    }

    fn predict(&self, x: &Matrix<B, N, T>) -> Matrix<B, N, T> {
        *x
    }
}

no_parameters!(Dropout);

// ---------------------------------------------------------------------------
// Gradient checks.

/// The leaky ReLU inside a network, against finite differences.
fn check_leaky_relu() -> f64 {
    let net = Network::new((
        Affine::<3, 4, f64>::new(
            Matrix::from_fn(|r, c| 0.3 * r as f64 - 0.25 * c as f64 + 0.1),
            Matrix::new([[0.1, -0.2, 0.05, 0.0]]),
        ),
        LeakyRelu,
        Affine::<4, 2, f64>::new(
            Matrix::from_fn(|r, c| 0.2 - 0.1 * (r + c) as f64),
            Matrix::zeros(),
        ),
    ));
    let x = Matrix::new([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]]);
    let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
    gradient_check(&net, &Mse, &x, &t).max_relative_error
}

/// Dropout's backward against central differences of its forward under the
/// same mask (frozen by reusing the state from before the draw).
fn check_dropout() -> f64 {
    let layer = Dropout { rate: 0.5, seed: 3 };
    let x = Matrix::<2, 4, f64>::from_fn(|r, c| 0.5 * r as f64 - 0.3 * c as f64 + 0.2);
    let t = Matrix::from_fn(|r, c| (r + c) as f64 * 0.1);
    let before = DropoutState::default();
    let loss = |x: &Matrix<2, 4, f64>| {
        let (mut y, mut state) = (Matrix::zeros(), before);
        layer.forward(x, &mut y, &mut state);
        Mse.value(&y, &t)
    };
    let (mut y, mut state) = (Matrix::zeros(), before);
    layer.forward(&x, &mut y, &mut state);
    let mut d_y = Matrix::zeros();
    Mse.gradient(&y, &t, &mut d_y);
    let mut d_x = Matrix::zeros();
    layer.backward(&x, &d_y, &state, &mut (), Some(&mut d_x));
    let step = 1e-6;
    let mut worst = 0.0_f64;
    for i in 0..8 {
        let (mut plus, mut minus) = (x, x);
        plus.as_mut_slice()[i] += step;
        minus.as_mut_slice()[i] -= step;
        let numeric = (loss(&plus) - loss(&minus)) / (2.0 * step);
        let analytic = d_x.as_slice()[i];
        worst = worst.max((numeric - analytic).abs() / numeric.abs().max(analytic.abs()).max(1e-4));
    }
    worst
}

// ---------------------------------------------------------------------------
// Training.

type Layers = (Affine<64, 64>, LeakyRelu, Dropout, Affine<64, 10>);
type Net = Network<Layers>;
const BATCH: usize = 32;
const EPOCHS: usize = 30;
const TRAIN: usize = 1_437;

fn main() -> ExitCode {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: custom_layer\n\nChecks a leaky ReLU and a dropout layer against finite differences,\nthen trains 64-64-10 with both on the digits data set."
        );
        return ExitCode::SUCCESS;
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!("unknown argument `{other}`\nusage: custom_layer [--help]");
        return ExitCode::from(2);
    }

    let leaky = check_leaky_relu();
    let dropout = check_dropout();
    println!("gradient check, leaky ReLU network: max relative error {leaky:.1e}");
    println!("gradient check, dropout: max relative error {dropout:.1e}");
    if !(leaky < 1e-6 && dropout < 1e-6) {
        eprintln!("error: a gradient check failed");
        return ExitCode::FAILURE;
    }

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv");
    let samples = match read_labelled_csv::<64, f32>(path, 10) {
        Ok(samples) => samples,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let samples: Vec<Sample<64>> = samples
        .into_iter()
        .map(|s| Sample {
            features: s.features.map(|x| x / 16.0),
            label: s.label,
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(11);
    let mut all: Vec<usize> = (0..samples.len()).collect();
    all.shuffle(&mut rng);
    let (train, test) = all.split_at(TRAIN);
    let (train, test) = match (
        Subset::new(&samples[..], train),
        Subset::new(&samples[..], test),
    ) {
        (Some(train), Some(test)) => (train, test),
        _ => unreachable!("the indices come from 0..samples.len()"),
    };

    let mut net: Net = Network::new((
        Affine::he(&mut rng),
        LeakyRelu,
        Dropout { rate: 0.2, seed: 5 },
        Affine::xavier(&mut rng),
    ));
    // The workspace is kept across steps: it holds dropout's random state.
    let mut workspace = Workspace::<Net, Matrix<BATCH, 64>>::new();
    let mut adam: Adam<GradientOf<Layers>> = Adam::new(0.005, 0.9, 0.999);
    let (mut inputs, mut targets) = (Matrix::zeros(), Matrix::zeros());
    let mut order = vec![0; train.len()];
    for epoch in 1..=EPOCHS {
        let mut total = 0.0;
        let mut batches = 0;
        for batch in Batches::<BATCH>::shuffled(&mut order, &mut rng, Remainder::DropLast) {
            if let Err(error) = fill_batch(&train, &batch.indices, &mut inputs, &mut targets) {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
            match net.train_step_with(
                &mut workspace,
                &inputs,
                &targets,
                &SoftmaxCrossEntropy,
                &mut adam,
            ) {
                Ok(loss) => total += loss,
                Err(error) => {
                    eprintln!("epoch {epoch}: {error}");
                    return ExitCode::FAILURE;
                }
            }
            batches += 1;
        }
        if epoch % 5 == 0 {
            println!("epoch {epoch:>2}: mean loss {:.4}", total / batches as f32);
        }
    }
    // Inference: `predict`, where dropout is the identity.
    match evaluate(&test, |x: &Matrix<BATCH, 64>| net.predict(x)) {
        Ok(confusion) => {
            println!("test accuracy: {:.3}", confusion.accuracy());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
