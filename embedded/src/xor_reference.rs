//! The host's `xor` example: its settings, and the network it ends with.
//! Written by the library's `tests/embedded_references.rs`; do not edit.

/// The seed of `Xoshiro128PlusPlus` that draws the initial weights.
pub const SEED: u64 = 42;
/// SGD's learning rate.
pub const LEARNING_RATE: f32 = 2.0;
/// Training steps, each on the whole truth table.
pub const STEPS: usize = 5001;

/// The trained network, as the host computed it.
pub const HOST_TRAINED: constnet::Network<(constnet::Affine<2, 4, f32>, constnet::Sigmoid, constnet::Affine<4, 1, f32>, constnet::Sigmoid)> = constnet::Network::new((
    constnet::Affine::new(
        constnet::Matrix::new([
            [4.9559655, -6.2476845, -2.0430071, -3.7670012],
            [5.7612967, 3.6339693, 4.1821437, 5.801101],
        ]),
        constnet::Matrix::new([
            [-1.4450982, -1.0318224, 0.6886337, 1.5512954],
        ]),
    ),
    constnet::Sigmoid,
    constnet::Affine::new(
        constnet::Matrix::new([
            [6.3665156],
            [9.28382],
            [-3.7476146],
            [-6.6194882],
        ]),
        constnet::Matrix::new([
            [-0.5242057],
        ]),
    ),
    constnet::Sigmoid,
));
