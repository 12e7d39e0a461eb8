//! Trains the host `xor` example's network on the device: the same seed, so
//! the same initial weights, the same SGD steps, with no allocator. Passes
//! when every answer is within 0.1 of its target and the stack stayed within
//! its budget; reports how far the device's weights ended from the host's.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::hint::black_box;

use constnet::{Affine, Mse, Network, Sgd, Sigmoid};
use constnet_embedded::xor_reference::{HOST_TRAINED, LEARNING_RATE, SEED, STEPS};
use constnet_embedded::{
    Fixed, InstructionCounter, XOR_INPUTS, XOR_TARGETS, Xor, exit, max_difference, stack_used_bytes,
};
use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;
use panic_semihosting as _;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Peak stack allowed for initialisation and training (measured: 1,044 bytes
/// on the Cortex-M3; the peak is initialisation, where the random
/// generator's state and block buffer take about 740 bytes).
const STACK_BUDGET: usize = 1152;
/// Steps between recorded losses.
const REPORT_EVERY: usize = 1000;
const REPORTS: usize = STEPS.div_ceil(REPORT_EVERY);

/// The host example's initial weights. Out of line, so that the generator's
/// state and buffer are off the stack before training starts.
#[inline(never)]
fn initial_network() -> Xor {
    let mut rng = StdRng::seed_from_u64(SEED);
    Network::new((
        Affine::xavier(&mut rng),
        Sigmoid,
        Affine::xavier(&mut rng),
        Sigmoid,
    ))
}

/// What training reports: the loss every `REPORT_EVERY` steps and the
/// instructions all steps took, or the step whose loss was not finite.
type Training = Result<([f32; REPORTS], u64), (usize, f32)>;

/// Trains `net` for `STEPS` steps on the truth table. Out of line, so that
/// its frame exists only while it runs.
#[inline(never)]
fn train(net: &mut Xor, counter: &InstructionCounter) -> Training {
    let (inputs, targets) = (black_box(XOR_INPUTS), black_box(XOR_TARGETS));
    let mut sgd = Sgd::new(LEARNING_RATE);
    let mut losses = [0.0_f32; REPORTS];
    let mut instructions = 0_u64;
    for step in 0..STEPS {
        let start = counter.now();
        let loss = net
            .train_step(&inputs, &targets, &Mse, &mut sgd)
            .map_err(|e| (step, e.loss))?;
        instructions += counter.since(start);
        if step % REPORT_EVERY == 0 {
            losses[step / REPORT_EVERY] = loss;
        }
    }
    Ok((losses, instructions))
}

#[entry]
fn main() -> ! {
    let peripherals = cortex_m::Peripherals::take().expect("first and only take");
    let counter = InstructionCounter::start(peripherals.SYST);

    let mut net = initial_network();
    let training = train(&mut net, &counter);
    // Peak since reset: initialisation and training, before any printing.
    let stack = stack_used_bytes();
    exit(report(&net, training, stack, &counter))
}

/// Prints what training did and checks it; true when every check passed.
#[inline(never)]
fn report(net: &Xor, training: Training, stack: usize, counter: &InstructionCounter) -> bool {
    let (losses, instructions) = match training {
        Ok(report) => report,
        Err((step, loss)) => {
            hprintln!("step {}: the loss is {}, not finite", step, Fixed(loss, 6));
            return false;
        }
    };
    for (i, loss) in losses.iter().enumerate() {
        hprintln!("step {}: loss {}", i * REPORT_EVERY, Fixed(*loss, 6));
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
        hprintln!(
            "xor({}, {}) = {}",
            input[0] as u8,
            input[1] as u8,
            Fixed(*output, 3)
        );
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
    hprintln!(
        "largest difference from the host's weights: {}e-9",
        (difference * 1e9) as u32
    );

    hprintln!(
        "instructions: {} per training step, {} per inference of the batch ({} per SysTick tick)",
        instructions / STEPS as u64,
        inference,
        counter.instructions_per_tick()
    );
    hprintln!("peak stack: {} bytes (budget {})", stack, STACK_BUDGET);
    passed &= stack <= STACK_BUDGET;
    hprintln!("xor_train: {}", if passed { "passed" } else { "FAILED" });
    passed
}
