//! Trains TensorFlow Lite Micro's hello-world network (1-16-16-1 ReLU, linear
//! output) to compute sin(x) on the device, from samples it draws itself.
//! Passes when the mean squared error on a held-out grid is under 0.01 and
//! the stack stayed within its budget.
//!
//! The samples are exact: sin(x) without the noise TFLM's example adds, so
//! the test error measures the network rather than the noise.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use constnet::{Affine, Loss, Matrix, Mse, Sgd};
use constnet_embedded::{
    Fixed, InstructionCounter, SINE_GRID_POINTS, Sine, exit, sine_grid, sine_input, sine_on_grid,
    stack_used_bytes,
};
use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;
use num_traits::Float;
use panic_semihosting as _;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Samples per training step.
const BATCH: usize = 1;
/// Training steps: 16,000 samples.
const STEPS: usize = 16_000;
const LEARNING_RATE: f32 = 0.02;
const SEED: u64 = 1;
/// The test MSE on the held-out grid that passes.
const THRESHOLD: f32 = 0.01;
/// Peak stack allowed for initialisation and training (measured: 5,096
/// bytes on the Cortex-M3, 5,632 on the Cortex-M4F: the network itself,
/// 1,284 bytes, in `main`, and a training step's frame of 3 to 3.7 KB).
const STACK_BUDGET: usize = 6144;
/// Steps between recorded losses.
const REPORT_EVERY: usize = 1_600;
const REPORTS: usize = STEPS / REPORT_EVERY;

/// What training reports: the loss every `REPORT_EVERY` steps (averaged
/// over them) and the instructions all steps took, or the step whose loss
/// was not finite.
type Training = Result<([f32; REPORTS], u64), (usize, f32)>;

/// Draws the initial weights into `net`, and returns the generator for the
/// training samples. Out of line, so that its temporaries are off the stack
/// before training starts.
#[inline(never)]
fn initialise(net: &mut Sine) -> StdRng {
    let mut rng = StdRng::seed_from_u64(SEED);
    // Layer by layer, so that only one layer's temporaries are on the stack.
    net.layers.0 = Affine::he(&mut rng);
    net.layers.2 = Affine::he(&mut rng);
    net.layers.4 = Affine::xavier(&mut rng);
    rng
}

/// Trains `net` on samples drawn from `rng`. Out of line, so that its frame
/// exists only while it runs.
#[inline(never)]
fn train(net: &mut Sine, mut rng: StdRng, counter: &InstructionCounter) -> Training {
    let mut sgd = Sgd::new(LEARNING_RATE);
    let mut losses = [0.0_f32; REPORTS];
    let mut instructions = 0_u64;
    for step in 0..STEPS {
        let x: Matrix<BATCH, 1> =
            Matrix::from_fn(|_, _| rng.random::<f32>() * core::f32::consts::TAU);
        let target = x.map(Float::sin);
        let start = counter.now();
        let loss = net
            .train_step(&sine_input(&x), &target, &Mse, &mut sgd)
            .map_err(|e| (step, e.loss))?;
        instructions += counter.since(start);
        losses[step / REPORT_EVERY] += loss / REPORT_EVERY as f32;
    }
    Ok((losses, instructions))
}

#[entry]
fn main() -> ! {
    let peripherals = cortex_m::Peripherals::take().expect("first and only take");
    let counter = InstructionCounter::start(peripherals.SYST);
    let mut net = Sine::default();
    let rng = initialise(&mut net);
    let training = train(&mut net, rng, &counter);
    let stack = stack_used_bytes();
    exit(report(&net, training, stack, &counter))
}

/// Prints what training did and checks it; true when every check passed.
#[inline(never)]
fn report(net: &Sine, training: Training, stack: usize, counter: &InstructionCounter) -> bool {
    let (losses, instructions) = match training {
        Ok(report) => report,
        Err((step, loss)) => {
            hprintln!("step {}: the loss is {}, not finite", step, Fixed(loss, 6));
            return false;
        }
    };
    for (i, loss) in losses.iter().enumerate() {
        hprintln!(
            "steps {}-{}: mean loss {}",
            i * REPORT_EVERY,
            (i + 1) * REPORT_EVERY - 1,
            Fixed(*loss, 5)
        );
    }

    let (outputs, inference) = sine_on_grid(net, counter);
    // One output per sample: MSE's batch mean is the mean squared error.
    let mse = Mse.value(
        &Matrix::new([outputs]).transpose(),
        &sine_grid().map(Float::sin),
    );
    hprintln!(
        "test MSE on {} held-out points: {} (threshold {})",
        SINE_GRID_POINTS,
        Fixed(mse, 6),
        Fixed(THRESHOLD, 2)
    );

    hprintln!(
        "instructions: {} per training step of {} sample(s), {} per inference of one sample",
        instructions / STEPS as u64,
        BATCH,
        inference
    );
    hprintln!("peak stack: {} bytes (budget {})", stack, STACK_BUDGET);
    let passed = mse < THRESHOLD && stack <= STACK_BUDGET;
    hprintln!("sine_train: {}", if passed { "passed" } else { "FAILED" });
    passed
}
