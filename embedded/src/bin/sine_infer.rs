//! Runs the sine network the host trained and baked into flash
//! (`sine_weights.rs`) on the held-out grid. Passes when every output
//! equals the host's to 1e-5 and the stack stayed within its budget.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use constnet_embedded::sine_weights::{HOST_OUTPUTS, SINE};
use constnet_embedded::{
    InstructionCounter, Line, SINE_GRID_POINTS, Sine, all_close, exit, max_difference,
    sine_on_grid, stack_used_bytes,
};
use cortex_m_rt::entry;

/// Peak stack allowed for inference (measured: see embedded/README.md).
const STACK_BUDGET: usize = 748;

/// The network, in flash: a `static` of the baked `const`.
static NET: Sine = SINE;

#[entry]
fn main() -> ! {
    let Some(peripherals) = cortex_m::Peripherals::take() else {
        exit(false)
    };
    let counter = InstructionCounter::start(peripherals.SYST);
    let mut outputs = [0.0; SINE_GRID_POINTS];
    let instructions = sine_on_grid(core::hint::black_box(&NET), &counter, &mut outputs);
    let stack = stack_used_bytes();
    let passed = report(&outputs, instructions, stack);
    Line::new()
        .text("figures: peak_stack_run=")
        .uint(stack_used_bytes() as u32)
        .print();
    exit(passed)
}

/// Prints what inference did and checks it; true when every check passed.
/// Out of line, so that its frame is not part of `main`'s.
#[inline(never)]
fn report(outputs: &[f32; SINE_GRID_POINTS], instructions: u32, stack: usize) -> bool {
    for (i, (y, want)) in outputs.iter().zip(&HOST_OUTPUTS).enumerate().step_by(8) {
        Line::new()
            .text("point ")
            .uint(i as u32)
            .text(": device ")
            .fixed(*y, 6)
            .text(", host ")
            .fixed(*want, 6)
            .print();
    }
    let difference = max_difference(outputs, &HOST_OUTPUTS);
    Line::new()
        .text("largest difference from the host over ")
        .uint(SINE_GRID_POINTS as u32)
        .text(" points: ")
        .uint((difference * 1e9) as u32)
        .text("e-9")
        .print();
    Line::new()
        .text("instructions: ")
        .uint(instructions)
        .text(" per inference of one sample")
        .print();
    Line::new()
        .text("peak stack: ")
        .uint(stack as u32)
        .text(" bytes (budget ")
        .uint(STACK_BUDGET as u32)
        .text(")")
        .print();
    Line::new()
        .text("figures: instructions_per_step=")
        .uint(instructions)
        .text(" peak_stack=")
        .uint(stack as u32)
        .print();
    let passed = all_close(outputs, &HOST_OUTPUTS, 1e-5) && stack <= STACK_BUDGET;
    Line::new()
        .text("sine_infer: ")
        .text(if passed { "passed" } else { "FAILED" })
        .print();
    passed
}
