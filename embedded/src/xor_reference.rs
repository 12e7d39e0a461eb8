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
            [4.955964, -6.2476845, -2.0430088, -3.7670014],
            [5.761293, 3.6339703, 4.182145, 5.8011007],
        ]),
        constnet::Matrix::new([
            [-1.4450966, -1.0318233, 0.6886347, 1.5512961],
        ]),
    ),
    constnet::Sigmoid,
    constnet::Affine::new(
        constnet::Matrix::new([
            [6.3665147],
            [9.283821],
            [-3.7476158],
            [-6.619488],
        ]),
        constnet::Matrix::new([
            [-0.5242043],
        ]),
    ),
    constnet::Sigmoid,
));
