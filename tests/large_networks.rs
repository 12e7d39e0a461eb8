//! Networks larger than the stack train the documented way: network,
//! optimizer and workspace boxed, each allocated zeroed on the heap without
//! passing through the stack, and the batch boxed too.
//!
//! - 784-128-10 at batch 64 with Adam on a spawned 2 MiB thread (what
//!   `cargo test` gives each test), in debug and release builds alike;
//! - 784-512-512-10 at batch 64 with Adam on an 8 MiB thread, the size of a
//!   program's main thread on Linux.
//!
//! Each trains a few steps on a fixed batch and checks the loss falls.

use constnet::{
    Adam, Affine, GradientOf, Init, Matrix, Network, Relu, SoftmaxCrossEntropy, Workspace,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Runs `f` on a thread with a stack of `bytes`, as a program's thread would.
fn on_stack_of(bytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("the training thread finished without panicking");
}

/// A batch of `B` random inputs in `[0, 1)` and one-hot targets over 10 classes.
fn batch<const B: usize, const N: usize>(
    rng: &mut StdRng,
) -> (Box<Matrix<B, N>>, Box<Matrix<B, 10>>) {
    let x = Matrix::boxed_from_fn(|_, _| rng.random::<f32>());
    let labels: Vec<usize> = (0..B).map(|_| rng.random_range(0..10)).collect();
    let t = Matrix::boxed_from_fn(|r, c| f32::from(u8::from(labels[r] == c)));
    (x, t)
}

#[test]
fn mnist_sized_step_with_adam_on_a_2_mib_thread() {
    type Layers = (Affine<784, 128>, Relu, Affine<128, 10>);
    type Net = Network<Layers>;
    type Batch = Matrix<64, 784>;
    // What the step needs: more than a 2 MiB stack holds unboxed in debug.
    assert_eq!(
        Workspace::<Net, Batch>::BYTES,
        (2 * (64 * 128 + 64 * 10) + 784 * 128 + 128 + 128 * 10 + 10) * 4
    );
    on_stack_of(2 << 20, || {
        let mut rng = StdRng::seed_from_u64(1);
        let mut net = Net::boxed();
        net.layers.0.initialize(Init::He, &mut rng);
        net.layers.2.initialize(Init::Xavier, &mut rng);
        let mut adam: Box<Adam<GradientOf<Layers>>> = Adam::boxed(0.001, 0.9, 0.999);
        let mut workspace = Workspace::<Net, Batch>::boxed();
        let (x, t) = batch::<64, 784>(&mut rng);
        let first = net
            .train_step_with(&mut workspace, &x, &t, &SoftmaxCrossEntropy, &mut *adam)
            .expect("a finite loss");
        let mut last = first;
        for _ in 0..20 {
            last = net
                .train_step_with(&mut workspace, &x, &t, &SoftmaxCrossEntropy, &mut *adam)
                .expect("a finite loss");
        }
        // ln 10 at the start; 20 Adam steps on one batch bring it well down.
        assert!((1.5..4.0).contains(&first), "first loss {first}");
        assert!(last < 0.5 * first, "loss {first} -> {last}");
    });
}

#[test]
fn two_hidden_layers_of_512_with_adam_on_an_8_mib_thread() {
    type Layers = (
        Affine<784, 512>,
        Relu,
        Affine<512, 512>,
        Relu,
        Affine<512, 10>,
    );
    type Net = Network<Layers>;
    type Batch = Matrix<64, 784>;
    on_stack_of(8 << 20, || {
        let mut rng = StdRng::seed_from_u64(2);
        let mut net = Net::boxed();
        net.layers.0.initialize(Init::He, &mut rng);
        net.layers.2.initialize(Init::He, &mut rng);
        net.layers.4.initialize(Init::Xavier, &mut rng);
        let mut adam: Box<Adam<GradientOf<Layers>>> = Adam::boxed(0.0005, 0.9, 0.999);
        let mut workspace = Workspace::<Net, Batch>::boxed();
        let (x, t) = batch::<64, 784>(&mut rng);
        let first = net
            .train_step_with(&mut workspace, &x, &t, &SoftmaxCrossEntropy, &mut *adam)
            .expect("a finite loss");
        let mut last = first;
        for _ in 0..5 {
            last = net
                .train_step_with(&mut workspace, &x, &t, &SoftmaxCrossEntropy, &mut *adam)
                .expect("a finite loss");
        }
        assert!(last < first, "loss {first} -> {last}");
    });
}
