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
            [4.9559636, -6.247684, -2.0430071, -3.7670026],
            [5.761296, 3.6339686, 4.182144, 5.801102],
        ]),
        constnet::Matrix::new([
            [-1.4450974, -1.031822, 0.6886339, 1.5512968],
        ]),
    ),
    constnet::Sigmoid,
    constnet::Affine::new(
        constnet::Matrix::new([
            [6.366516],
            [9.28382],
            [-3.7476127],
            [-6.61949],
        ]),
        constnet::Matrix::new([
            [-0.52420574],
        ]),
    ),
    constnet::Sigmoid,
));
