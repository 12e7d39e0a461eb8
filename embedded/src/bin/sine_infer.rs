//! Runs the sine network the host trained and baked into flash
//! (`sine_weights.rs`) on the held-out grid. Passes when every output
//! equals the host's to 1e-5 and the stack stayed within its budget.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use constnet_embedded::sine_weights::{HOST_OUTPUTS, SINE};
use constnet_embedded::{
    Fixed, InstructionCounter, SINE_GRID_POINTS, Sine, all_close, exit, max_difference,
    sine_on_grid, stack_used_bytes,
};
use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;
use panic_semihosting as _;

/// Peak stack allowed for inference (measured: 1,248 bytes on the
/// Cortex-M3, the 64 outputs included).
const STACK_BUDGET: usize = 1408;

/// The network, in flash: a `static` of the baked `const`.
static NET: Sine = SINE;

#[entry]
fn main() -> ! {
    let peripherals = cortex_m::Peripherals::take().expect("first and only take");
    let counter = InstructionCounter::start(peripherals.SYST);
    let (outputs, instructions) = sine_on_grid(core::hint::black_box(&NET), &counter);
    let stack = stack_used_bytes();

    for (i, (y, want)) in outputs.iter().zip(HOST_OUTPUTS).enumerate().step_by(8) {
        hprintln!(
            "point {}: device {}, host {}",
            i,
            Fixed(*y, 6),
            Fixed(want, 6)
        );
    }
    let difference = max_difference(&outputs, &HOST_OUTPUTS);
    hprintln!(
        "largest difference from the host over {} points: {}e-9",
        SINE_GRID_POINTS,
        (difference * 1e9) as u32
    );
    hprintln!("instructions: {} per inference of one sample", instructions);
    hprintln!("peak stack: {} bytes (budget {})", stack, STACK_BUDGET);
    let passed = all_close(&outputs, &HOST_OUTPUTS, 1e-5) && stack <= STACK_BUDGET;
    hprintln!("sine_infer: {}", if passed { "passed" } else { "FAILED" });
    exit(passed)
}
