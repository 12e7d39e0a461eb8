//! A network baked into Rust source compiles and computes what the original
//! did: a trained network is rendered with `bake::to_rust_source`, checked in
//! as `tests/baked/xor_relu.rs`, and that file is compiled into this test.
//!
//! When training changes on purpose, regenerate the file with
//! `CONSTNET_BLESS=1 cargo test --test bake`.

use constnet::bake::to_rust_source;
use constnet::{Affine, Identity, Matrix, Mse, Network, Relu, Sgd};
use rand::SeedableRng;
use rand::rngs::StdRng;

mod baked {
    include!("baked/xor_relu.rs");
}

type Net = Network<(Affine<2, 8>, Relu, Affine<8, 1>, Identity)>;

const INPUTS: Matrix<4, 2> = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);

/// XOR learnt by a ReLU network: only additions, multiplications and
/// comparisons, so training gives the same bits on every machine.
fn trained() -> Net {
    let mut rng = StdRng::seed_from_u64(1);
    let mut net = Network::new((
        Affine::he(&mut rng),
        Relu,
        Affine::xavier(&mut rng),
        Identity,
    ));
    let targets = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let mut sgd = Sgd::new(0.1);
    for _ in 0..1000 {
        net.train_step(&INPUTS, &targets, &Mse, &mut sgd)
            .expect("finite loss");
    }
    net
}

fn source(net: &Net) -> String {
    let mut source =
        String::from("// A 2-8-1 ReLU network trained on XOR, written by `tests/bake.rs`.\n\n");
    to_rust_source(&mut source, "XOR", net).expect("writing to a String");
    source
}

#[test]
fn the_checked_in_source_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/baked/xor_relu.rs");
    let fresh = source(&trained());
    if std::env::var_os("CONSTNET_BLESS").is_some() {
        std::fs::write(path, &fresh).expect("writing the baked network");
    }
    let checked_in = std::fs::read_to_string(path).expect("reading the baked network");
    assert!(
        checked_in == fresh,
        "{path} is stale: run CONSTNET_BLESS=1 cargo test --test bake"
    );
}

#[test]
fn the_baked_network_predicts_what_the_trained_one_does() {
    let net = trained();
    assert_eq!(baked::XOR, net);
    let from_source = baked::XOR.predict(&INPUTS);
    assert_eq!(from_source, net.predict(&INPUTS));
    // And it is a network that learnt XOR, not a trivial one.
    for (y, t) in from_source.as_slice().iter().zip([0.0, 1.0, 1.0, 0.0]) {
        assert!((y - t).abs() < 0.1, "{from_source}");
    }
}

/// The baked item is a `const`: it can initialise other constants and
/// statics, the way firmware keeps a network in flash.
static IN_FLASH: Net = baked::XOR;

#[test]
fn a_baked_network_can_be_a_static() {
    assert_eq!(IN_FLASH.predict(&INPUTS), baked::XOR.predict(&INPUTS));
}
