//! Trains the host `xor` example's network on the device: the same seed of
//! the same portable generator, so the same initial weights, the same SGD
//! steps, with no allocator. Passes when every answer is within 0.1 of its
//! target and the stack stayed within its budget; reports how far the
//! device's weights ended from the host's, and the training step's stack
//! frame against the data it keeps live.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::hint::black_box;
use core::mem::size_of;

#[cfg(not(feature = "other-step-form"))]
use constnet::Activations;
#[cfg(feature = "other-step-form")]
use constnet::Workspace;
use constnet::{Init, Matrix, Mse, Sgd, StepError};
use constnet_embedded::xor_reference::{HOST_TRAINED, LEARNING_RATE, SEED, STEPS};
use constnet_embedded::{
    InstructionCounter, Line, StackProbe, XOR_INPUTS, XOR_TARGETS, Xor, XorBatch, exit,
    max_difference, stack_used_bytes,
};
use cortex_m_rt::entry;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro128PlusPlus;

/// Peak stack allowed for initialisation and training (measured: see
/// embedded/README.md).
#[cfg(not(feature = "other-step-form"))]
const STACK_BUDGET: usize = 720;
/// The same with the `other-step-form` feature.
#[cfg(feature = "other-step-form")]
const STACK_BUDGET: usize = 860;
/// Steps between recorded losses.
const REPORT_EVERY: usize = 1000;
const REPORTS: usize = STEPS.div_ceil(REPORT_EVERY);

/// What a training step keeps besides the network and the batch: with the
/// fused SGD step, every stage's output and its gradient (`Activations`),
/// and no parameter gradient; with the `other-step-form` feature, the whole
/// workspace, parameter gradient included.
#[cfg(not(feature = "other-step-form"))]
const STEP_DATA: (&str, usize) = ("activations", Activations::<Xor, XorBatch>::BYTES);
#[cfg(feature = "other-step-form")]
const STEP_DATA: (&str, usize) = ("workspace", Workspace::<Xor, XorBatch>::BYTES);
/// What else a step keeps: the loss gradient, which
/// `Loss::value_and_gradient` returns by value before it is stored.
const LOSS_GRADIENT_BYTES: usize = size_of::<Matrix<4, 1>>();

/// Where a training step's data lives: in the step's own frame
/// (`Network::train_step_fused`); nothing in `main`.
#[cfg(not(feature = "other-step-form"))]
type StepStorage = ();
/// Where a training step's workspace lives with the `other-step-form`
/// feature: a local in `main`, lent to every step
/// (`Network::train_step_with`), which for this network needs less RAM than
/// a workspace in the step's frame (see embedded/README.md).
#[cfg(feature = "other-step-form")]
type StepStorage = Workspace<Xor, XorBatch>;

/// One fused SGD step, which moves each weight as soon as its gradient is
/// summed: the same bits as the host's `train_step`, without a parameter
/// gradient. Out of line, so that its frame can be measured.
#[cfg(not(feature = "other-step-form"))]
#[inline(never)]
fn step(
    net: &mut Xor,
    _: &mut StepStorage,
    inputs: &XorBatch,
    targets: &Matrix<4, 1>,
    sgd: &mut Sgd,
) -> Result<f32, StepError<f32>> {
    net.train_step_fused(&mut Activations::new(), inputs, targets, &Mse, sgd)
}

/// One all-or-nothing training step, in the workspace `main` keeps. Out of
/// line, so that its frame can be measured.
#[cfg(feature = "other-step-form")]
#[inline(never)]
fn step(
    net: &mut Xor,
    workspace: &mut StepStorage,
    inputs: &XorBatch,
    targets: &Matrix<4, 1>,
    sgd: &mut Sgd,
) -> Result<f32, StepError<f32>> {
    net.train_step_with(workspace, inputs, targets, &Mse, sgd)
}

/// The host example's initial weights, drawn in place.
fn initial_network() -> Xor {
    let mut rng = Xoshiro128PlusPlus::seed_from_u64(SEED);
    let mut net = Xor::default();
    net.layers.0.initialize(Init::Xavier, &mut rng);
    net.layers.2.initialize(Init::Xavier, &mut rng);
    net
}

/// What training did: the loss every `REPORT_EVERY` steps, the instructions
/// all steps took, the step whose loss was not finite if one was, and the
/// stack.
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

/// Trains `net` for `STEPS` steps on the truth table. Out of line, so that
/// its frame exists only while it runs.
#[inline(never)]
fn train(net: &mut Xor, storage: &mut StepStorage, counter: &InstructionCounter) -> Training {
    let (inputs, targets) = (black_box(XOR_INPUTS), black_box(XOR_TARGETS));
    let mut sgd = Sgd::new(LEARNING_RATE);
    let mut losses = [0.0_f32; REPORTS];
    let mut instructions = 0_u32;
    let mut failure = None;
    let mut probe = None;
    let mut step_frame = 0;
    for n in 0..STEPS {
        if n == 0 {
            // Around the first step only, so that nothing else in the loop counts.
            probe = Some(StackProbe::start());
        }
        let start = counter.now();
        let result = step(net, storage, &inputs, &targets, &mut sgd);
        instructions = instructions.saturating_add(counter.since(start));
        if let (0, Some(probe)) = (n, probe) {
            step_frame = probe.frame_bytes();
        }
        match result {
            Ok(loss) if n % REPORT_EVERY == 0 => losses[n / REPORT_EVERY] = loss,
            Ok(_) => {}
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
    let mut net = initial_network();
    #[allow(clippy::let_unit_value)] // `()` when the step keeps its own data
    let mut storage = StepStorage::default();
    let training = train(&mut net, &mut storage, &counter);
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
fn report(net: &Xor, training: &Training, counter: &InstructionCounter) -> bool {
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
            .text("step ")
            .uint((i * REPORT_EVERY) as u32)
            .text(": loss ")
            .fixed(*loss, 6)
            .print();
    }

    let inputs = black_box(XOR_INPUTS);
    let start = counter.now();
    let outputs = net.predict(&inputs);
    let inference = counter.since(start);

    let mut passed = true;
    for (input, (output, target)) in inputs
        .rows()
        .iter()
        .zip(outputs.as_slice().iter().zip(XOR_TARGETS.as_slice()))
    {
        Line::new()
            .text("xor(")
            .uint(input[0] as u32)
            .text(", ")
            .uint(input[1] as u32)
            .text(") = ")
            .fixed(*output, 3)
            .print();
        passed &= (output - target).abs() < 0.1;
    }

    let (first, _, second, _) = net.layers;
    let (host_first, _, host_second, _) = HOST_TRAINED.layers;
    let difference = max_difference(first.weights.as_slice(), host_first.weights.as_slice())
        .max(max_difference(
            first.bias.as_slice(),
            host_first.bias.as_slice(),
        ))
        .max(max_difference(
            second.weights.as_slice(),
            host_second.weights.as_slice(),
        ))
        .max(max_difference(
            second.bias.as_slice(),
            host_second.bias.as_slice(),
        ));
    Line::new()
        .text("largest difference from the host's weights: ")
        .uint((difference * 1e9) as u32)
        .text("e-9")
        .print();

    let per_step = training.instructions / STEPS as u32;
    Line::new()
        .text("instructions: ")
        .uint(per_step)
        .text(" per training step, ")
        .uint(inference)
        .text(" per inference of the batch (")
        .uint(counter.instructions_per_tick())
        .text(" per SysTick tick)")
        .print();
    passed &= report_stack(training);
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
    Line::new()
        .text("xor_train: ")
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
        .text(")")
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
