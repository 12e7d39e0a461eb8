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
//! `--seed N` for another split, initialisation and batch order, and
//! `--plot FILE.svg` for the loss and accuracy curves as an image.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use constnet::data::{
    Batches, ConfusionMatrix, Remainder, Sample, Subset, evaluate, fill_batch, read_labelled_csv,
};
use constnet::{Affine, GradientOf, Matrix, Network, Relu, SoftmaxCrossEntropy, weights};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

mod support;

use support::chart::chart;
use support::cli::{self, Args};
use support::curves::Curves;
use support::optimizer::{OptimizerChoice, Settings};
use support::progress::progress_bar;
use support::svg::svg;

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
/// The batch of the evaluation; it does not change the figures.
const EVALUATION_BATCH: usize = 60;
const EPOCHS: usize = 30;
/// The seed of the split, the initial weights and the batch order (change it
/// with `--seed`).
const SEED: u64 = 7;

/// The learning rates chosen for this problem (docs/optimizers.md compares
/// them with the textbook's).
const TUNED: Settings = Settings {
    sgd: 0.1,
    momentum: (0.02, 0.9),
    adagrad: 0.05,
    rmsprop: (0.001, 0.99),
    adam: (0.002, 0.9, 0.999),
};

const USAGE: &str = "\
usage: digits [--optimizer NAME] [--textbook-defaults] [--seed N] [--plot FILE.svg]

Trains a 64-64-10 ReLU network on 1,437 of the UCI 8x8 digits for 30 epochs
and tests it on the other 360. The last line is `test accuracy: 0.xxx`.

  --optimizer NAME      sgd, momentum, adagrad, rmsprop or adam (default adam)
  --textbook-defaults   the textbook's hyperparameters instead of the tuned ones
  --seed N              the seed of the split, weights and batch order (default 7)
  --plot FILE.svg       also write the loss and accuracy curves as SVG
  --help                print this and exit
";

/// What the command line asks for.
#[derive(Debug)]
struct Options {
    optimizer: String,
    textbook: bool,
    seed: u64,
    plot: Option<String>,
}

fn parse_options(args: &mut Args) -> Result<Options, String> {
    let mut options = Options {
        optimizer: "adam".to_owned(),
        textbook: false,
        seed: SEED,
        plot: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--optimizer" => options.optimizer = args.value(&arg)?,
            "--textbook-defaults" => options.textbook = true,
            "--seed" => options.seed = args.value(&arg)?,
            "--plot" => options.plot = Some(args.value(&arg)?),
            other => match other.strip_prefix("--optimizer=") {
                Some(name) => options.optimizer = name.to_owned(),
                None => return Err(cli::unknown(other)),
            },
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match cli::parse(USAGE, std::env::args().skip(1), parse_options) {
        Ok(options) => options,
        Err(code) => return code,
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let settings = if options.textbook {
        Settings::textbook()
    } else {
        TUNED
    };
    let mut optimizer: OptimizerChoice<GradientOf<Layers>> =
        OptimizerChoice::new(&options.optimizer, &settings, None)?;

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv");
    let samples =
        read_labelled_csv::<FEATURES, f32>(path, CLASSES).map_err(|error| error.to_string())?;
    if samples.len() != TRAIN + TEST {
        return Err(format!(
            "{path} holds {} samples, expected {}",
            samples.len(),
            TRAIN + TEST
        ));
    }
    let samples: Vec<Sample<FEATURES>> = samples
        .into_iter()
        .map(|s| Sample {
            features: s.features.map(|x| x / 16.0),
            label: s.label,
        })
        .collect();

    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut split: Vec<usize> = (0..samples.len()).collect();
    split.shuffle(&mut rng);
    let (train, test) = split.split_at(TRAIN);
    let subset = |indices| Subset::new(&samples[..], indices).expect("indices below the length");
    let (train, test) = (subset(train), subset(test));

    println!(
        "digits: {TRAIN} training and {TEST} test images, 64-{HIDDEN}-10 ReLU, \
         batches of {BATCH} (and one of {REST}), {EPOCHS} epochs, {}",
        optimizer.describe()
    );
    let accuracy = |net: &Digits, data: &Subset<'_, [Sample<FEATURES>]>| {
        evaluate(data, |x: &Matrix<EVALUATION_BATCH, FEATURES>| {
            net.predict(x)
        })
        .map_err(|error| error.to_string())
    };

    let mut net: Digits = Network::new((Affine::he(&mut rng), Relu, Affine::he(&mut rng)));
    let mut curves = Curves::default();
    let mut order: Vec<usize> = (0..TRAIN).collect();
    let start = Instant::now();
    let mut training = Duration::ZERO;
    for epoch in 1..=EPOCHS {
        let epoch_start = Instant::now();
        // Each epoch shuffles the last one's order.
        order.shuffle(&mut rng);
        let (full, rest) = order.split_at(TRAIN - REST);
        let mut total = 0.0;
        for batch in Batches::<BATCH>::in_order(full, Remainder::DropLast) {
            total += train_batch(&mut net, &mut optimizer, &train, &batch.indices)? * BATCH as f32;
        }
        if REST > 0 {
            let rest = rest.try_into().expect("the last REST of the order");
            total += train_batch::<REST>(&mut net, &mut optimizer, &train, rest)? * REST as f32;
        }
        training += epoch_start.elapsed();
        let loss = total / TRAIN as f32;
        let train_accuracy = accuracy(&net, &train)?.accuracy();
        let test_accuracy = accuracy(&net, &test)?.accuracy();
        curves.push(f64::from(loss), train_accuracy, test_accuracy);
        println!(
            "epoch {epoch:>2}/{EPOCHS} {} loss {loss:.4}  train accuracy {train_accuracy:.3}  \
             test accuracy {test_accuracy:.3}",
            progress_bar(epoch, EPOCHS, 20),
        );
    }
    println!(
        "trained in {:.3} s ({:.3} s with the accuracy of every epoch)",
        training.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );

    // Save the weights to bytes and load them into a fresh network: the
    // copy must be the original, bit for bit.
    let mut bytes = vec![0; weights::encoded_len(&net)];
    let mut reloaded = Digits::default();
    weights::encode(&net, &mut bytes)
        .and_then(|_| weights::decode(&mut reloaded, &bytes))
        .map_err(|error| error.to_string())?;
    if reloaded != net {
        return Err("the reloaded network differs from the trained one".to_owned());
    }
    println!(
        "weights saved to {} bytes and reloaded: the same network, bit for bit",
        bytes.len()
    );

    println!();
    print!("{}", chart(&curves.loss_panel(), 12));
    println!();
    print!("{}", chart(&curves.accuracy_panel(), 12));
    if let Some(path) = &options.plot {
        let title = format!("digits, 64-{HIDDEN}-10 ReLU, {}", optimizer.describe());
        let image = svg(&title, &[curves.loss_panel(), curves.accuracy_panel()]);
        std::fs::write(path, image).map_err(|error| format!("{path}: {error}"))?;
        println!();
        println!("curves written to {path}");
    }

    let confusion: ConfusionMatrix<CLASSES> = accuracy(&net, &test)?;
    println!();
    println!("test confusion matrix (rows: true digit, columns: predicted)");
    print!("{confusion}");
    println!();
    println!("test accuracy: {:.3}", confusion.accuracy());
    Ok(())
}

/// One optimizer step on the `B` training samples at `indices`; returns the
/// batch's mean loss.
fn train_batch<const B: usize>(
    net: &mut Digits,
    optimizer: &mut OptimizerChoice<GradientOf<Layers>>,
    train: &Subset<'_, [Sample<FEATURES>]>,
    indices: &[usize; B],
) -> Result<f32, String> {
    let mut inputs = Matrix::<B, FEATURES>::zeros();
    let mut targets = Matrix::<B, CLASSES>::zeros();
    fill_batch(train, indices, &mut inputs, &mut targets).map_err(|error| error.to_string())?;
    net.train_step(&inputs, &targets, &SoftmaxCrossEntropy, optimizer)
        .map_err(|error| error.to_string())
}
