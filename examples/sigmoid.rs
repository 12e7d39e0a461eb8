//! The classic two-layer sigmoid network: three inputs (the third always 1,
//! a bias by hand), four hidden units, one output, learning the XOR of the
//! first two inputs with plain SGD at learning rate 1 for 10,000 steps.
//!
//! Run it with `cargo run --release --example sigmoid`.

use std::process::ExitCode;

use constnet::{Affine, Matrix, Mse, Network, Sgd, Sigmoid};
use rand::SeedableRng;
use rand::rngs::StdRng;

#[path = "support/cli.rs"]
mod cli;

type Net = Network<(Affine<3, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;

const STEPS: usize = 10_000;

const USAGE: &str = "\
usage: sigmoid

Trains a 3-4-1 sigmoid network (the third input always 1) on XOR with SGD at
learning rate 1 for 10,000 steps, and prints its outputs before and after.
";

fn main() -> ExitCode {
    if let Err(code) = cli::no_options(USAGE) {
        return code;
    }
    let mut rng = StdRng::seed_from_u64(1);
    let mut net: Net = Network::new((
        Affine::xavier(&mut rng),
        Sigmoid,
        Affine::xavier(&mut rng),
        Sigmoid,
    ));

    let inputs = Matrix::new([
        [0.0, 0.0, 1.0],
        [0.0, 1.0, 1.0],
        [1.0, 0.0, 1.0],
        [1.0, 1.0, 1.0],
    ]);
    let targets = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let mut sgd = Sgd::new(1.0);

    let before = net.predict(&inputs);
    let mut loss = 0.0;
    for _ in 0..STEPS {
        loss = match net.train_step(&inputs, &targets, &Mse, &mut sgd) {
            Ok(loss) => loss,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
    }
    let after = net.predict(&inputs);

    println!("loss after {STEPS} steps: {loss:.6}");
    println!("input        target  before  after");
    for r in 0..4 {
        let x = inputs.row(r);
        println!(
            "[{}, {}, {}]    {}      {:.3}   {:.3}",
            x[0],
            x[1],
            x[2],
            targets[(r, 0)],
            before[(r, 0)],
            after[(r, 0)]
        );
    }
    ExitCode::SUCCESS
}
