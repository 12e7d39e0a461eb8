//! The gradients of a fixed 4-6-6-6-1 ReLU network (linear output) under
//! mean squared error, in `f64`: every weight and bias gradient of one
//! backward pass, for comparison with any other implementation.
//!
//! Stdout holds one JSON object per line and nothing else: the output `Y`,
//! the `loss`, then `dW1`, `dB1`, ..., `dW4`, `dB4`, each with its shape and
//! its data in row-major order.
//!
//! Run it with `cargo run --release --example seed_gradients`.

use std::process::ExitCode;

use constnet::{Affine, Identity, Matrix, Mse, Network, Relu, Workspace};

#[path = "support/cli.rs"]
mod cli;

const USAGE: &str = "\
usage: seed_gradients

Prints one backward pass of a fixed 4-6-6-6-1 ReLU network under mean
squared error, in f64, as JSON lines on stdout: the output Y, the loss,
then dW1, dB1, ..., dW4, dB4, each with its shape and its data in row-major
order. Nothing else goes to stdout, so it can be piped to a comparison.
";

type Net = Network<(
    Affine<4, 6, f64>,
    Relu,
    Affine<6, 6, f64>,
    Relu,
    Affine<6, 6, f64>,
    Relu,
    Affine<6, 1, f64>,
    Identity,
)>;

const NET: Net = Network::new((
    Affine::new(
        Matrix::new([
            [-0.339, -0.047, 0.746, -0.319, -0.222, -0.217],
            [1.103, 1.093, 0.502, 0.193, 0.369, 0.745],
            [-0.468, 0.588, -0.627, -0.319, 0.454, -0.714],
            [-0.070, -0.431, -0.128, -1.399, -0.886, -0.350],
        ]),
        Matrix::new([[-0.760, 0.174, -0.655, -0.175, 0.507, -0.300]]),
    ),
    Relu,
    Affine::new(
        Matrix::new([
            [0.379, -0.071, 0.001, 0.281, -0.359, 0.116],
            [-0.329, -0.705, -0.160, 0.234, 0.138, -0.005],
            [0.977, 0.169, 0.400, 0.914, -0.528, -0.424],
            [0.712, -0.326, 0.012, 0.437, 0.364, 0.716],
            [0.611, 0.437, -0.315, 0.325, 0.128, -0.541],
            [0.579, 0.330, 0.019, -0.095, -0.489, 0.081],
        ]),
        Matrix::new([[0.205, 0.413, 0.114, -0.560, -0.136, 0.800]]),
    ),
    Relu,
    Affine::new(
        Matrix::new([
            [0.191, -0.339, 0.474, -0.448, -0.867, 0.424],
            [-0.165, -0.051, -0.342, -0.656, 0.512, -0.281],
            [0.678, 0.330, -0.128, -0.443, -0.299, -0.495],
            [0.852, 0.067, 0.470, -0.517, 0.074, 0.481],
            [-0.137, 0.421, -0.443, -0.557, 0.155, -0.155],
            [0.262, -0.807, 0.291, 1.061, -0.010, 0.014],
        ]),
        Matrix::new([[-0.827, -0.113, -0.225, 0.049, 0.305, 0.657]]),
    ),
    Relu,
    Affine::new(
        Matrix::new([[0.073], [-0.760], [0.174], [-0.655], [-0.175], [0.507]]),
        Matrix::new([[-0.270]]),
    ),
    Identity,
));

/// Prints `matrix` as one JSON object on one line. `{:?}` prints the
/// shortest decimal that reads back as the same `f64`.
fn print_json<const R: usize, const C: usize>(name: &str, matrix: &Matrix<R, C, f64>) {
    let data: Vec<String> = matrix.as_slice().iter().map(|x| format!("{x:?}")).collect();
    println!(
        r#"{{"name": "{name}", "rows": {R}, "cols": {C}, "data": [{}]}}"#,
        data.join(", ")
    );
}

fn main() -> ExitCode {
    if let Err(code) = cli::no_options(USAGE) {
        return code;
    }
    eprintln!(
        "seed_gradients: stdout holds 10 JSON lines, the output Y, the loss, then dW1, dB1, ..., dW4, dB4 of one backward pass"
    );
    let x = Matrix::new([[-1.086, 0.997, 0.283, -1.506]]);
    let t = Matrix::new([[-0.579]]);

    let y = NET.predict(&x);
    let mut workspace = Workspace::new();
    let loss = match NET.gradient(&mut workspace, &x, &t, &Mse) {
        Ok(loss) => loss,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (d1, (), d2, (), d3, (), d4, ()) = *workspace.gradient();

    print_json("Y", &y);
    print_json("loss", &Matrix::new([[loss]]));
    print_json("dW1", &d1.d_weights);
    print_json("dB1", &d1.d_bias);
    print_json("dW2", &d2.d_weights);
    print_json("dB2", &d2.d_bias);
    print_json("dW3", &d3.d_weights);
    print_json("dB3", &d3.d_bias);
    print_json("dW4", &d4.d_weights);
    print_json("dB4", &d4.d_bias);
    ExitCode::SUCCESS
}
