//! Trains TensorFlow Lite Micro's hello-world network (1-16-16-1 ReLU, linear
//! output) to compute sin(x) on the device, from samples it draws itself.
//! Passes when the mean squared error on a held-out grid is under 0.01 and
//! the stack stayed within its budget; reports the training step's stack
//! frame against the data it keeps live.
//!
//! The samples are exact: sin(x) without the noise TFLM's example adds, so
//! the test error measures the network rather than the noise. The sine is
//! the crate's own for one turn (`constnet_embedded::sin`), within 3e-7 of
//! libm's `sinf` and 5.5 KB smaller.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::mem::size_of;

#[cfg(not(feature = "other-step-form"))]
use constnet::Activations;
#[cfg(feature = "other-step-form")]
use constnet::Workspace;
use constnet::{Init, Matrix, Mse, Sgd, StepError};
use constnet_embedded::{
    InstructionCounter, Line, SINE_GRID_POINTS, Sine, StackProbe, exit, sin, sine_grid_point,
    sine_input, sine_on_grid, stack_used_bytes,
};
use cortex_m_rt::entry;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro128PlusPlus;

/// Samples per training step.
const BATCH: usize = 1;
/// Training steps: 16,000 samples.
const STEPS: usize = 16_000;
const LEARNING_RATE: f32 = 0.02;
const SEED: u64 = 1;
/// The test MSE on the held-out grid that passes.
const THRESHOLD: f32 = 0.01;
/// Peak stack allowed for initialisation and training (measured: see
/// embedded/README.md).
#[cfg(not(feature = "other-step-form"))]
const STACK_BUDGET: usize = 2200;
/// The same with the `other-step-form` feature.
#[cfg(feature = "other-step-form")]
const STACK_BUDGET: usize = 3480;
/// Steps between recorded losses.
const REPORT_EVERY: usize = 1_600;
const REPORTS: usize = STEPS / REPORT_EVERY;

type Batch = Matrix<BATCH, 1>;

/// What a training step keeps besides the network and the batch: with the
/// fused SGD step, every stage's output and its gradient (`Activations`),
/// and no parameter gradient; with the `other-step-form` feature, the whole
/// workspace, parameter gradient included.
#[cfg(not(feature = "other-step-form"))]
const STEP_DATA: (&str, usize) = ("activations", Activations::<Sine, Batch>::BYTES);
#[cfg(feature = "other-step-form")]
const STEP_DATA: (&str, usize) = ("workspace", Workspace::<Sine, Batch>::BYTES);
/// What else a step keeps: the loss gradient, which
/// `Loss::value_and_gradient` returns by value before it is stored.
const LOSS_GRADIENT_BYTES: usize = size_of::<Batch>();

/// Where a training step's data lives: in the step's own frame, with
/// either form; nothing in `main`.
type StepStorage = ();

/// One fused SGD step, which moves each weight as soon as its gradient is
/// summed: the same bits as `train_step`, without a parameter gradient
/// (1,284 B for this network). Out of line, so that its frame can be
/// measured.
#[cfg(not(feature = "other-step-form"))]
#[inline(never)]
fn step(
    net: &mut Sine,
    _: &mut StepStorage,
    input: &Batch,
    target: &Batch,
    sgd: &mut Sgd,
) -> Result<f32, StepError<f32>> {
    net.train_step_fused(&mut Activations::new(), input, target, &Mse, sgd)
}

/// One all-or-nothing training step, its workspace in its own frame, which
/// for this network needs less RAM than a workspace in `main` (see
/// embedded/README.md). Out of line, so that its frame can be measured.
#[cfg(feature = "other-step-form")]
#[inline(never)]
fn step(
    net: &mut Sine,
    _: &mut StepStorage,
    input: &Batch,
    target: &Batch,
    sgd: &mut Sgd,
) -> Result<f32, StepError<f32>> {
    net.train_step(input, target, &Mse, sgd)
}

/// Draws the initial weights into `net`, in place, and returns the
/// generator for the training samples.
fn initialise(net: &mut Sine) -> Xoshiro128PlusPlus {
    let mut rng = Xoshiro128PlusPlus::seed_from_u64(SEED);
    net.layers.0.initialize(Init::He, &mut rng);
    net.layers.2.initialize(Init::He, &mut rng);
    net.layers.4.initialize(Init::Xavier, &mut rng);
    rng
}

/// What training did: the mean loss over every `REPORT_EVERY` steps, the
/// instructions all steps took, the step whose loss was not finite if one
/// was, and the stack.
struct Training {
    losses: [f32; REPORTS],
    /// Saturates at `u32::MAX`, far above what these programs run
    /// (1.9 billion instructions at most).
    instructions: u32,
    failure: Option<(usize, f32)>,
    /// The deepest the first step went below the training loop's frame:
    /// its frame and those of what it calls. Every step runs the same code.
    step_frame: usize,
    /// Peak stack since reset: initialisation and training.
    peak_stack: usize,
}

/// Trains `net` on samples drawn from `rng`. Out of line, so that its frame
/// exists only while it runs.
#[inline(never)]
fn train(
    net: &mut Sine,
    storage: &mut StepStorage,
    mut rng: Xoshiro128PlusPlus,
    counter: &InstructionCounter,
) -> Training {
    let mut sgd = Sgd::new(LEARNING_RATE);
    let mut losses = [0.0_f32; REPORTS];
    let mut instructions = 0_u32;
    let mut failure = None;
    let mut probe = None;
    let mut step_frame = 0;
    for n in 0..STEPS {
        let x: Batch = Matrix::from_fn(|_, _| rng.random::<f32>() * core::f32::consts::TAU);
        let target = x.map(sin);
        let input = sine_input(&x);
        if n == 0 {
            // Around the first step only, so that the sample's `sin` does
            // not count.
            probe = Some(StackProbe::start());
        }
        let start = counter.now();
        let result = step(net, storage, &input, &target, &mut sgd);
        instructions = instructions.saturating_add(counter.since(start));
        if let (0, Some(probe)) = (n, probe) {
            step_frame = probe.frame_bytes();
        }
        match result {
            Ok(loss) => losses[n / REPORT_EVERY] += loss / REPORT_EVERY as f32,
            Err(error) => {
                // The loss when it was the loss that failed; NaN for a gradient or an update.
                let loss = match error {
                    StepError::NonFiniteLoss { loss } => loss,
                    _ => f32::NAN,
                };
                failure = Some((n, loss));
                break;
            }
        }
    }
    Training {
        losses,
        instructions,
        failure,
        step_frame,
        peak_stack: probe.map_or_else(stack_used_bytes, |probe| probe.peak_bytes()),
    }
}

#[entry]
fn main() -> ! {
    let Some(peripherals) = cortex_m::Peripherals::take() else {
        exit(false)
    };
    let counter = InstructionCounter::start(peripherals.SYST);
    let mut net = Sine::default();
    #[allow(clippy::let_unit_value)] // the step keeps its own data
    let mut storage = StepStorage::default();
    let rng = initialise(&mut net);
    let training = train(&mut net, &mut storage, rng, &counter);
    let passed = report(&net, &training, &counter);
    print_whole_run_peak(training.peak_stack.max(stack_used_bytes()));
    exit(passed)
}

/// Prints the peak stack of the whole run, printing included (the budget
/// is on the peak of initialisation and training).
fn print_whole_run_peak(bytes: usize) {
    Line::new()
        .text("figures: peak_stack_run=")
        .uint(bytes as u32)
        .print();
}

/// Prints what training did and checks it; true when every check passed.
#[inline(never)]
fn report(net: &Sine, training: &Training, counter: &InstructionCounter) -> bool {
    if let Some((n, loss)) = training.failure {
        Line::new()
            .text("step ")
            .uint(n as u32)
            .text(": the loss is ")
            .fixed(loss, 6)
            .text(", not finite")
            .print();
        return false;
    }
    for (i, loss) in training.losses.iter().enumerate() {
        Line::new()
            .text("steps ")
            .uint((i * REPORT_EVERY) as u32)
            .text("-")
            .uint(((i + 1) * REPORT_EVERY - 1) as u32)
            .text(": mean loss ")
            .fixed(*loss, 5)
            .print();
    }

    let mut outputs = [0.0; SINE_GRID_POINTS];
    let inference = sine_on_grid(net, counter, &mut outputs);
    let squared_errors = outputs
        .iter()
        .enumerate()
        .map(|(i, y)| (y - sin(sine_grid_point(i))) * (y - sin(sine_grid_point(i))));
    let mse = squared_errors.sum::<f32>() / SINE_GRID_POINTS as f32;
    Line::new()
        .text("test MSE on ")
        .uint(SINE_GRID_POINTS as u32)
        .text(" held-out points: ")
        .fixed(mse, 6)
        .text(" (threshold ")
        .fixed(THRESHOLD, 2)
        .text(")")
        .print();

    let per_step = training.instructions / STEPS as u32;
    Line::new()
        .text("instructions: ")
        .uint(per_step)
        .text(" per training step of ")
        .uint(BATCH as u32)
        .text(" sample(s), ")
        .uint(inference)
        .text(" per inference of one sample")
        .print();
    let stack_passed = report_stack(training);
    Line::new()
        .text("figures: instructions_per_step=")
        .uint(per_step)
        .text(" peak_stack=")
        .uint(training.peak_stack as u32)
        .text(" step_frame=")
        .uint(training.step_frame as u32)
        .text(" workspace_in_main=")
        .uint(size_of::<StepStorage>() as u32)
        .text(" live=")
        .uint((STEP_DATA.1 + LOSS_GRADIENT_BYTES) as u32)
        .print();
    let passed = mse < THRESHOLD && stack_passed;
    Line::new()
        .text("sine_train: ")
        .text(if passed { "passed" } else { "FAILED" })
        .print();
    passed
}

/// Prints the training step's memory against its live data and the peak
/// stack against its budget; true when the peak is within it.
fn report_stack(training: &Training) -> bool {
    let (what, bytes) = STEP_DATA;
    let live = bytes + LOSS_GRADIENT_BYTES;
    let in_main = size_of::<StepStorage>();
    let step_memory = in_main + training.step_frame;
    Line::new()
        .text("live data of a step: ")
        .uint(live as u32)
        .text(" bytes (")
        .text(what)
        .text(" ")
        .uint(bytes as u32)
        .text(", loss gradient ")
        .uint(LOSS_GRADIENT_BYTES as u32)
        .text("); the network: ")
        .uint(size_of::<Sine>() as u32)
        .text(" bytes")
        .print();
    Line::new()
        .text("step frame: ")
        .uint(training.step_frame as u32)
        .text(" bytes, workspace in main: ")
        .uint(in_main as u32)
        .text(" bytes; together ")
        .fixed(step_memory as f32 / live as f32, 2)
        .text(" x the live data")
        .print();
    Line::new()
        .text("peak stack: ")
        .uint(training.peak_stack as u32)
        .text(" bytes (budget ")
        .uint(STACK_BUDGET as u32)
        .text(")")
        .print();
    training.peak_stack <= STACK_BUDGET
}
