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
            [-2.0037718, 5.051029, 5.574639, -3.097439],
            [-2.6865127, 2.955713, 6.490692, 4.934354],
        ]),
        constnet::Matrix::new([
            [-0.2219421, -5.8180346, -2.4126036, 1.9612921],
        ]),
    ),
    constnet::Sigmoid,
    constnet::Affine::new(
        constnet::Matrix::new([
            [-1.9041497],
            [-9.765434],
            [9.440381],
            [-4.81444],
        ]),
        constnet::Matrix::new([
            [0.040553737],
        ]),
    ),
    constnet::Sigmoid,
));
