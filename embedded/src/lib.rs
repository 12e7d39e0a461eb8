//! What the Cortex-M programs share: the networks and their data, printing
//! without `core::fmt`, the instruction counter, the stack measurements, and
//! how a program ends (exit, panic, fault).
//!
//! Everything is safe code except reading and repainting the stack
//! (`stack.rs`), the fault handler (`end.rs`) and the vector table's
//! interrupt part (`vectors.rs`).

#![no_std]
#![deny(unsafe_code)]

// Written by the library's `tests/embedded_references.rs`, which checks they
// are current; spelled out in full, as the generator writes them.
#[rustfmt::skip]
#[allow(clippy::type_complexity)]
pub mod sine_weights;
#[rustfmt::skip]
#[allow(clippy::type_complexity)]
pub mod xor_reference;

mod counter;
mod end;
mod networks;
mod print;
mod sine;
mod stack;
mod vectors;

pub use counter::InstructionCounter;
pub use end::exit;
pub use networks::{
    SINE_GRID_POINTS, Sine, XOR_INPUTS, XOR_TARGETS, Xor, XorBatch, all_close, max_difference,
    sine_grid, sine_grid_point, sine_input, sine_on_grid,
};
pub use print::{LINE_BYTES, Line};
pub use sine::sin;
pub use stack::{STACK_PAINT_VALUE, StackProbe, stack_depth_bytes, stack_used_bytes};
