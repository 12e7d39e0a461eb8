//! The files the Cortex-M programs in `embedded/` check themselves against,
//! computed here on the host and checked in:
//!
//! - `embedded/src/xor_reference.rs`: the `xor` example's settings and the
//!   network it ends with, which `xor_train` compares the device's result to;
//! - `embedded/src/sine_weights.rs`: a sine network trained here and baked
//!   into flash by `sine_infer`, with its outputs on the held-out grid.
//!
//! Each test fails when its file is stale. Regenerate both with
//! `CONSTNET_BLESS=1 cargo test --test embedded_references`.

use std::fmt::Write;

use constnet::bake::{bake_scalar, to_rust_source};
use constnet::{Affine, Identity, Matrix, Mse, Network, Relu, Sgd, Sigmoid};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro128PlusPlus;

/// Compares `fresh` with the checked-in file at `path` (relative to the
/// crate), writing it first under `CONSTNET_BLESS`.
fn check_current(path: &str, fresh: &str) {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("CONSTNET_BLESS").is_some() {
        std::fs::write(&path, fresh).expect("writing the reference");
    }
    let checked_in = std::fs::read_to_string(&path).expect("reading the reference");
    assert!(
        checked_in == fresh,
        "{path} is stale: run CONSTNET_BLESS=1 cargo test --test embedded_references"
    );
}

// The `xor` example's settings; the test below checks the example still uses them.
const XOR_SEED: u64 = 42;
const XOR_LEARNING_RATE: f32 = 2.0;
/// `examples/xor.rs` runs steps 0 to 5,000 inclusive.
const XOR_STEPS: usize = 5_001;

#[test]
fn xor_reference_is_current() {
    let example = include_str!("../examples/xor.rs");
    for line in [
        format!("const SEED: u64 = {XOR_SEED};"),
        format!("const LEARNING_RATE: f32 = {XOR_LEARNING_RATE:?};"),
        "const STEPS: usize = 5_000;".to_string(),
        "for step in 0..=STEPS {".to_string(),
        "let mut rng = Xoshiro128PlusPlus::seed_from_u64(SEED);".to_string(),
    ] {
        assert!(
            example.contains(&line),
            "examples/xor.rs no longer has `{line}`"
        );
    }

    let mut rng = Xoshiro128PlusPlus::seed_from_u64(XOR_SEED);
    let mut net = Network::new((
        Affine::<2, 4>::xavier(&mut rng),
        Sigmoid,
        Affine::<4, 1>::xavier(&mut rng),
        Sigmoid,
    ));
    let inputs = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let targets = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let mut sgd = Sgd::new(XOR_LEARNING_RATE);
    for _ in 0..XOR_STEPS {
        net.train_step(&inputs, &targets, &Mse, &mut sgd)
            .expect("finite loss");
    }

    let mut source = String::from(
        "//! The host's `xor` example: its settings, and the network it ends with.\n\
         //! Written by the library's `tests/embedded_references.rs`; do not edit.\n\n",
    );
    writeln!(
        source,
        "/// The seed of `Xoshiro128PlusPlus` that draws the initial weights."
    )
    .unwrap();
    writeln!(source, "pub const SEED: u64 = {XOR_SEED};").unwrap();
    writeln!(source, "/// SGD's learning rate.").unwrap();
    writeln!(
        source,
        "pub const LEARNING_RATE: f32 = {XOR_LEARNING_RATE:?};"
    )
    .unwrap();
    writeln!(source, "/// Training steps, each on the whole truth table.").unwrap();
    writeln!(source, "pub const STEPS: usize = {XOR_STEPS};").unwrap();
    writeln!(
        source,
        "\n/// The trained network, as the host computed it."
    )
    .unwrap();
    to_rust_source(&mut source, "HOST_TRAINED", &net).unwrap();
    check_current("embedded/src/xor_reference.rs", &source);
}

/// Held-out grid points, as `embedded/src/lib.rs` defines them.
const GRID: usize = 64;

#[test]
fn sine_weights_are_current() {
    type Sine = Network<(
        Affine<1, 16>,
        Relu,
        Affine<16, 16>,
        Relu,
        Affine<16, 1>,
        Identity,
    )>;
    // What the network sees of an angle x in [0, 2π): x/π - 1.
    fn input<const N: usize>(x: &Matrix<N, 1>) -> Matrix<N, 1> {
        x.map(|x| x / std::f32::consts::PI - 1.0)
    }

    // ReLU, affine layers and SGD only: the same bits on every machine.
    let mut rng = Xoshiro128PlusPlus::seed_from_u64(7);
    let mut net: Sine = Network::new((
        Affine::he(&mut rng),
        Relu,
        Affine::he(&mut rng),
        Relu,
        Affine::xavier(&mut rng),
        Identity,
    ));
    let mut sgd = Sgd::new(0.1);
    for _ in 0..6_000 {
        let x: Matrix<8, 1> = Matrix::from_fn(|_, _| rng.random::<f32>() * std::f32::consts::TAU);
        net.train_step(&input(&x), &x.map(f32::sin), &Mse, &mut sgd)
            .expect("finite loss");
    }

    let grid: Matrix<GRID, 1> =
        Matrix::from_fn(|r, _| (r as f32 + 0.5) * std::f32::consts::TAU / GRID as f32);
    // One point at a time, as `sine_infer` does on the device: the products
    // stay small, so their bits do not depend on the kernels this
    // processor runs (a 64-point batch would take the tiled path, fused on
    // x86-64 with FMA).
    let outputs: Matrix<GRID, 1> =
        Matrix::from_fn(|r, _| net.predict(&input(&Matrix::new([[grid[(r, 0)]]])))[(0, 0)]);
    let mse = outputs
        .zip_map(&grid.map(f32::sin), |y, t| (y - t) * (y - t))
        .sum()
        / GRID as f32;
    assert!(
        mse < 1e-3,
        "the host-trained sine network is poor: test MSE {mse}"
    );

    let mut source = String::from(
        "//! A sine network trained on the host, baked into flash, and its outputs\n\
         //! on the held-out grid. Written by the library's\n\
         //! `tests/embedded_references.rs`; do not edit.\n\n",
    );
    writeln!(
        source,
        "/// 1-16-16-1 ReLU, trained by SGD (6,000 batches of 8); test MSE {mse:.2e}."
    )
    .unwrap();
    to_rust_source(&mut source, "SINE", &net).unwrap();
    writeln!(source, "\n/// The host's outputs on `crate::sine_grid()`.").unwrap();
    write!(source, "pub const HOST_OUTPUTS: [f32; {GRID}] = [").unwrap();
    for (i, &y) in outputs.as_slice().iter().enumerate() {
        source.push_str(if i % 6 == 0 { "\n    " } else { " " });
        bake_scalar(&mut source, y).unwrap();
        source.push(',');
    }
    source.push_str("\n];\n");
    check_current("embedded/src/sine_weights.rs", &source);
}
