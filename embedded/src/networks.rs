//! The networks the programs train and run, and their data.

use constnet::{Affine, Identity, Matrix, Network, Relu, Sigmoid};

use crate::InstructionCounter;

/// The host `xor` example's network: 2 inputs, 4 hidden sigmoid units, 1 output.
pub type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;

/// A batch of XOR's training data: the whole truth table.
pub type XorBatch = Matrix<4, 2>;

/// TensorFlow Lite Micro's hello-world network: sin(x) by a 1-16-16-1 ReLU
/// network with a linear output.
pub type Sine = Network<(
    Affine<1, 16>,
    Relu,
    Affine<16, 16>,
    Relu,
    Affine<16, 1>,
    Identity,
)>;

/// The XOR truth table, one sample per row.
pub const XOR_INPUTS: XorBatch = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
/// XOR's answers.
pub const XOR_TARGETS: Matrix<4, 1> = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);

/// Points in the held-out grid the sine network is tested on.
pub const SINE_GRID_POINTS: usize = 64;

/// The held-out grid: `SINE_GRID_POINTS` points at the middles of equal steps
/// across `[0, 2π)`, none of them a training sample.
pub fn sine_grid() -> Matrix<SINE_GRID_POINTS, 1> {
    Matrix::from_fn(|r, _| sine_grid_point(r))
}

/// The `i`-th point of [`sine_grid`], computed alone.
pub fn sine_grid_point(i: usize) -> f32 {
    (i as f32 + 0.5) * core::f32::consts::TAU / SINE_GRID_POINTS as f32
}

/// What the sine network sees of an angle `x` in `[0, 2π)`: `x/π - 1`, in
/// `[-1, 1)`. Centred inputs let a small ReLU network learn in a few thousand
/// steps; raw angles take many times longer.
pub fn sine_input<const B: usize>(x: &Matrix<B, 1>) -> Matrix<B, 1> {
    x.map(|x| x / core::f32::consts::PI - 1.0)
}

/// Writes the network's outputs on [`sine_grid`] into `outputs`, one sample
/// at a time (as a sensor would deliver them), and returns the instructions
/// that took per sample.
///
/// Each point is computed when it is needed and each output written in
/// place, so that neither the grid nor a copy of the outputs takes stack.
pub fn sine_on_grid(
    net: &Sine,
    counter: &InstructionCounter,
    outputs: &mut [f32; SINE_GRID_POINTS],
) -> u32 {
    let start = counter.now();
    for (i, output) in outputs.iter_mut().enumerate() {
        let y = net.predict(&sine_input(&Matrix::new([[sine_grid_point(i)]])));
        *output = y[(0, 0)];
    }
    counter.since(start) / SINE_GRID_POINTS as u32
}

/// Whether `got` and `want` have the same length and every pair differs by at
/// most `tolerance` (a NaN never does).
pub fn all_close(got: &[f32], want: &[f32], tolerance: f32) -> bool {
    got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(g, w)| (g - w).abs() <= tolerance)
}

/// The largest absolute difference between two equally long slices.
pub fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}
