//! The host's `xor` example: its settings, and the network it ends with.
//! Written by the library's `tests/embedded_references.rs`; do not edit.

/// The seed of `StdRng` that draws the initial weights.
pub const SEED: u64 = 42;
/// SGD's learning rate.
pub const LEARNING_RATE: f32 = 2.0;
/// Training steps, each on the whole truth table.
pub const STEPS: usize = 5001;

/// The trained network, as the host computed it.
pub const HOST_TRAINED: constnet::Network<(constnet::Affine<2, 4, f32>, constnet::Sigmoid, constnet::Affine<4, 1, f32>, constnet::Sigmoid)> = constnet::Network::new((
    constnet::Affine::new(
        constnet::Matrix::new([
            [-2.0037684, 5.051031, 5.5746403, -3.0974417],
            [-2.6865087, 2.9557111, 6.4906936, 4.9343553],
        ]),
        constnet::Matrix::new([
            [-0.22194579, -5.818034, -2.4126046, 1.9612937],
        ]),
    ),
    constnet::Sigmoid,
    constnet::Affine::new(
        constnet::Matrix::new([
            [-1.9041438],
            [-9.765433],
            [9.440383],
            [-4.814445],
        ]),
        constnet::Matrix::new([
            [0.0405558],
        ]),
    ),
    constnet::Sigmoid,
));
