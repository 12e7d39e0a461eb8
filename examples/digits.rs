//! Handwritten digits: a 64-64-10 ReLU network trained on 8x8 images with
//! softmax cross-entropy, shuffled mini-batches and a choice of optimizer.
//!
//! The data is the UCI optical digits set as scikit-learn ships it
//! (`data/digits.csv`, see `data/README.md`): 1,797 images, split from a fixed
//! seed into 1,437 for training and 360 for testing, pixels scaled from
//! `0..=16` to `[0, 1]`. Every run prints the same figures. After training,
//! the weights are saved to bytes and loaded back into a fresh network.
//!
//! Run it with `cargo run --release --example digits`, or pick the optimizer
//! with `-- --optimizer sgd|momentum|adagrad|rmsprop|adam` (default `adam`).
//! Each optimizer has a learning rate chosen for this problem; add
//! `--textbook-defaults` to use the textbook's instead (`Default::default()`),
//! and `--seed N` for another split, initialisation and batch order.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use constnet::data::{Sample, read_labelled_csv};
use constnet::{
    AdaGrad, Adam, Affine, Matrix, Momentum, Network, Optimizer, Relu, RmsProp, Sgd,
    SoftmaxCrossEntropy, weights,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

const FEATURES: usize = 64;
const CLASSES: usize = 10;
const HIDDEN: usize = 64;

/// The layers: 64 pixels in, 64 hidden ReLU units, 10 scores out (the
/// softmax lives in the loss).
type Layers = (Affine<FEATURES, HIDDEN>, Relu, Affine<HIDDEN, CLASSES>);
type Digits = Network<Layers>;

const TRAIN: usize = 1_437;
const TEST: usize = 360;
/// The mini-batch size: a type, `Matrix<BATCH, 64>`, so it is fixed at
/// compile time.
const BATCH: usize = 32;
/// 1,437 = 44 · 32 + 29: the samples left over after the full batches. They
/// are not dropped: each epoch ends with one batch of this size, a
/// `Matrix<29, 64>`, trained by the same code monomorphized for 29 rows.
/// (Its loss is the mean over its own 29 samples, so its step has the same
/// scale as the others'.) If `TRAIN` were a multiple of `BATCH`, `REST` would
/// be 0 and that batch skipped.
const REST: usize = TRAIN % BATCH;
const EPOCHS: usize = 30;
/// The seed of the split, the initial weights and the batch order (change it
/// with `--seed`).
const SEED: u64 = 7;

fn main() -> ExitCode {
    let (optimizer, seed) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            eprintln!(
                "usage: digits [--optimizer sgd|momentum|adagrad|rmsprop|adam] [--textbook-defaults] [--seed N]"
            );
            return ExitCode::from(2);
        }
    };

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv");
    let samples = match read_labelled_csv::<FEATURES, f32>(path, CLASSES) {
        Ok(samples) => samples,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if samples.len() != TRAIN + TEST {
        eprintln!(
            "error: {path} holds {} samples, expected {}",
            samples.len(),
            TRAIN + TEST
        );
        return ExitCode::FAILURE;
    }

    let mut rng = StdRng::seed_from_u64(seed);
    let mut samples: Vec<Sample<FEATURES>> = samples
        .into_iter()
        .map(|s| Sample {
            features: s.features.map(|x| x / 16.0),
            label: s.label,
        })
        .collect();
    samples.shuffle(&mut rng);
    let (train, test) = samples.split_at(TRAIN);

    println!(
        "digits: {TRAIN} training and {TEST} test images, 64-{HIDDEN}-10 ReLU, \
         batches of {BATCH} (and one of {REST}), {EPOCHS} epochs, {}",
        optimizer.describe()
    );
    let result = match optimizer {
        Choice::Sgd(o) => train_network(o, train, test, &mut rng),
        Choice::Momentum(o) => train_network(*o, train, test, &mut rng),
        Choice::AdaGrad(o) => train_network(*o, train, test, &mut rng),
        Choice::RmsProp(o) => train_network(*o, train, test, &mut rng),
        Choice::Adam(o) => train_network(*o, train, test, &mut rng),
    };
    let (net, losses) = match result {
        Ok(trained) => trained,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };

    // Save the weights to bytes and load them into a fresh network: the
    // copy must predict exactly as the original.
    let mut bytes = vec![0; weights::encoded_len(&net)];
    let mut reloaded = Digits::default();
    let saved = weights::encode(&net, &mut bytes)
        .and_then(|_| weights::decode(&mut reloaded, &bytes))
        .map_err(|error| error.to_string())
        .and_then(|()| {
            let same = samples
                .iter()
                .all(|s| predict(&reloaded, s) == predict(&net, s));
            same.then_some(())
                .ok_or_else(|| "the reloaded network predicts differently".to_owned())
        });
    match saved {
        Ok(()) => println!(
            "weights saved to {} bytes and reloaded: the same predictions on all {} images",
            bytes.len(),
            samples.len()
        ),
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }

    println!();
    print!("{}", loss_chart(&losses, 12));
    println!();
    let confusion = confusion_matrix(&net, test);
    print!("{}", render_confusion(&confusion));
    println!();
    println!("test accuracy: {:.3}", accuracy(&net, test));
    ExitCode::SUCCESS
}

/// The optimizers the example can train with. Those with state hold it in
/// values shaped like the network (Adam's two moments are 2 · 4,810 floats),
/// so they are boxed here only to keep the choice itself small; training
/// moves them back onto the stack.
enum Choice {
    Sgd(Sgd),
    Momentum(Box<Momentum<constnet::GradientOf<Layers>>>),
    AdaGrad(Box<AdaGrad<constnet::GradientOf<Layers>>>),
    RmsProp(Box<RmsProp<constnet::GradientOf<Layers>>>),
    Adam(Box<Adam<constnet::GradientOf<Layers>>>),
}

impl Choice {
    fn describe(&self) -> String {
        match self {
            Choice::Sgd(o) => format!("SGD (lr {})", o.learning_rate),
            Choice::Momentum(o) => format!("Momentum (lr {}, α {})", o.learning_rate, o.momentum),
            Choice::AdaGrad(o) => format!("AdaGrad (lr {})", o.learning_rate),
            Choice::RmsProp(o) => format!("RMSProp (lr {}, ρ {})", o.learning_rate, o.decay_rate),
            Choice::Adam(o) => format!(
                "Adam (lr {}, β₁ {}, β₂ {})",
                o.learning_rate, o.beta1, o.beta2
            ),
        }
    }
}

/// The command line: the optimizer and the seed.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(Choice, u64), String> {
    let mut name = String::from("adam");
    let mut textbook = false;
    let mut seed = SEED;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--optimizer" => name = args.next().ok_or("--optimizer needs a name")?,
            "--seed" => {
                let value = args.next().ok_or("--seed needs a number")?;
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: `{value}` is not a whole number"))?;
            }
            "--textbook-defaults" => textbook = true,
            other => match other.strip_prefix("--optimizer=") {
                Some(value) => name = value.to_owned(),
                None => return Err(format!("unknown argument `{other}`")),
            },
        }
    }
    let choice = if textbook {
        match name.as_str() {
            "sgd" => Choice::Sgd(Sgd::default()),
            "momentum" => Choice::Momentum(Box::default()),
            "adagrad" => Choice::AdaGrad(Box::default()),
            "rmsprop" => Choice::RmsProp(Box::default()),
            "adam" => Choice::Adam(Box::default()),
            other => return Err(format!("unknown optimizer `{other}`")),
        }
    } else {
        match name.as_str() {
            "sgd" => Choice::Sgd(Sgd::new(0.1)),
            "momentum" => Choice::Momentum(Box::new(Momentum::new(0.02, 0.9))),
            "adagrad" => Choice::AdaGrad(Box::new(AdaGrad::new(0.05))),
            "rmsprop" => Choice::RmsProp(Box::new(RmsProp::new(0.001, 0.99))),
            "adam" => Choice::Adam(Box::new(Adam::new(0.002, 0.9, 0.999))),
            other => return Err(format!("unknown optimizer `{other}`")),
        }
    };
    Ok((choice, seed))
}

/// Trains a fresh network with `optimizer`, printing one line per epoch;
/// returns the network and the mean training loss of each epoch.
fn train_network<O: Optimizer<Layers, f32>>(
    mut optimizer: O,
    train: &[Sample<FEATURES>],
    test: &[Sample<FEATURES>],
    rng: &mut StdRng,
) -> Result<(Digits, Vec<f32>), String> {
    let mut net: Digits = Network::new((Affine::he(rng), Relu, Affine::he(rng)));
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut losses = Vec::with_capacity(EPOCHS);
    let start = Instant::now();
    let mut training = Duration::ZERO;
    for epoch in 1..=EPOCHS {
        let epoch_start = Instant::now();
        order.shuffle(rng);
        let (full, rest) = order.split_at(order.len() - REST);
        let mut total = 0.0;
        for indices in full.chunks_exact(BATCH) {
            total +=
                train_batch::<BATCH, O>(&mut net, &mut optimizer, train, indices)? * BATCH as f32;
        }
        if REST > 0 {
            total += train_batch::<REST, O>(&mut net, &mut optimizer, train, rest)? * REST as f32;
        }
        training += epoch_start.elapsed();
        let loss = total / TRAIN as f32;
        losses.push(loss);
        println!(
            "epoch {epoch:>2}/{EPOCHS} {} loss {loss:.4}  train accuracy {:.3}  test accuracy {:.3}",
            progress_bar(epoch, EPOCHS, 20),
            accuracy(&net, train),
            accuracy(&net, test),
        );
    }
    println!(
        "trained in {:.3} s ({:.3} s with the accuracy of every epoch)",
        training.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    Ok((net, losses))
}

/// One optimizer step on the `B` samples at `indices`; returns the batch's
/// mean loss.
fn train_batch<const B: usize, O: Optimizer<Layers, f32>>(
    net: &mut Digits,
    optimizer: &mut O,
    samples: &[Sample<FEATURES>],
    indices: &[usize],
) -> Result<f32, String> {
    let inputs: Matrix<B, FEATURES> = Matrix::from_fn(|r, c| samples[indices[r]].features[c]);
    let targets: Matrix<B, CLASSES> = Matrix::from_fn(|r, c| {
        if samples[indices[r]].label == c {
            1.0
        } else {
            0.0
        }
    });
    net.train_step(&inputs, &targets, &SoftmaxCrossEntropy, optimizer)
        .map_err(|error| error.to_string())
}

fn predict(net: &Digits, sample: &Sample<FEATURES>) -> usize {
    net.predict(&Matrix::new([sample.features])).argmax_rows()[0]
}

fn accuracy(net: &Digits, samples: &[Sample<FEATURES>]) -> f64 {
    let correct = samples
        .iter()
        .filter(|s| predict(net, s) == s.label)
        .count();
    correct as f64 / samples.len() as f64
}

/// `[######--------------]`: `done` of `total` as a bar `width` wide.
fn progress_bar(done: usize, total: usize, width: usize) -> String {
    let filled = done * width / total;
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

/// The losses as a chart `height` rows tall, one column per epoch, on a
/// logarithmic scale (the first epochs would flatten the rest on a linear
/// one).
fn loss_chart(losses: &[f32], height: usize) -> String {
    let max = losses.iter().copied().fold(f32::MIN, f32::max);
    let min = losses.iter().copied().fold(f32::MAX, f32::min);
    let span = (max.ln() - min.ln()).max(f32::EPSILON);
    let level = |loss: f32| ((max.ln() - loss.ln()) / span * (height - 1) as f32).round() as usize;
    let mut chart = String::from("training loss per epoch (log scale)\n");
    for row in 0..height {
        let label = match row {
            0 => format!("{max:>7.4}"),
            r if r == height - 1 => format!("{min:>7.4}"),
            _ => " ".repeat(7),
        };
        let line: String = losses
            .iter()
            .map(|&loss| if level(loss) == row { '*' } else { ' ' })
            .collect();
        chart += &format!("{label} |{}\n", line.trim_end());
    }
    chart += &format!("{} +{}\n", " ".repeat(7), "-".repeat(losses.len()));
    chart += &format!(
        "{}  1{:>width$}\n",
        " ".repeat(7),
        losses.len(),
        width = losses.len() - 1
    );
    chart
}

/// `counts[true][predicted]` over `samples`.
fn confusion_matrix(net: &Digits, samples: &[Sample<FEATURES>]) -> [[usize; CLASSES]; CLASSES] {
    let mut counts = [[0; CLASSES]; CLASSES];
    for sample in samples {
        counts[sample.label][predict(net, sample)] += 1;
    }
    counts
}

fn render_confusion(counts: &[[usize; CLASSES]; CLASSES]) -> String {
    let mut text =
        String::from("test confusion matrix (rows: true digit, columns: predicted)\n     ");
    for c in 0..CLASSES {
        text += &format!("{c:>4}");
    }
    text += "\n";
    for (digit, row) in counts.iter().enumerate() {
        text += &format!("{digit:>4} ");
        for &n in row {
            text += &format!("{n:>4}");
        }
        text += "\n";
    }
    text
}
