//! XOR with a 2-4-1 sigmoid network, trained by SGD on mean squared error
//! from a fixed seed: the smallest problem a single layer cannot solve.
//!
//! Run it with `cargo run --release --example xor`.

use constnet::{Affine, Matrix, Mse, Network, Sgd, Sigmoid};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro128PlusPlus;

/// Two inputs, four hidden sigmoid units, one sigmoid output.
type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;

/// The seed of the initial weights. Xoshiro128++ gives the same stream on
/// every target, so the embedded port starts from these exact weights.
const SEED: u64 = 42;
const STEPS: usize = 5_000;
const LEARNING_RATE: f32 = 2.0;

fn main() {
    let mut rng = Xoshiro128PlusPlus::seed_from_u64(SEED);
    let mut net: Xor = Network::new((
        Affine::xavier(&mut rng),
        Sigmoid,
        Affine::xavier(&mut rng),
        Sigmoid,
    ));

    let inputs = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let targets = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let mut sgd = Sgd::new(LEARNING_RATE);

    for step in 0..=STEPS {
        let loss = match net.train_step(&inputs, &targets, &Mse, &mut sgd) {
            Ok(loss) => loss,
            Err(error) => {
                eprintln!("step {step}: {error}");
                std::process::exit(1);
            }
        };
        if step % 500 == 0 {
            println!("step {step:>5}: loss {loss:.6}");
        }
    }

    let outputs = net.predict(&inputs);
    for (input, output) in inputs.rows().iter().zip(outputs.rows()) {
        println!("xor({}, {}) = {:.3}", input[0], input[1], output[0]);
    }
}
