//! What the Cortex-M programs share: the networks and their data, printing
//! without float formatting, the instruction counter and the peak-stack
//! measurement.
//!
//! Everything is safe code except [`stack_used_bytes`], which reads the stack
//! region cortex-m-rt painted at reset.

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

use core::fmt;

use constnet::{Affine, Identity, Matrix, Network, Relu, Sigmoid};
use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_semihosting::debug;

/// The host `xor` example's network: 2 inputs, 4 hidden sigmoid units, 1 output.
pub type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;

/// TensorFlow Lite Micro's hello-world network: sin(x) by a 1-16-16-1 ReLU
/// network with a linear output.
pub type Sine = Network<(
    Affine<1, 16>,
    Relu,
    Affine<16, 16>,
    Relu,
    Affine<16, 1>,
    Identity,
)>;

/// The XOR truth table, one sample per row.
pub const XOR_INPUTS: Matrix<4, 2> = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
/// XOR's answers.
pub const XOR_TARGETS: Matrix<4, 1> = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);

/// Points in the held-out grid the sine network is tested on.
pub const SINE_GRID_POINTS: usize = 64;

/// The held-out grid: `SINE_GRID_POINTS` points at the middles of equal steps
/// across `[0, 2π)`, none of them a training sample.
pub fn sine_grid() -> Matrix<SINE_GRID_POINTS, 1> {
    Matrix::from_fn(|r, _| (r as f32 + 0.5) * core::f32::consts::TAU / SINE_GRID_POINTS as f32)
}

/// What the sine network sees of an angle `x` in `[0, 2π)`: `x/π - 1`, in
/// `[-1, 1)`. Centred inputs let a small ReLU network learn in a few thousand
/// steps; raw angles take many times longer.
pub fn sine_input<const B: usize>(x: &Matrix<B, 1>) -> Matrix<B, 1> {
    x.map(|x| x / core::f32::consts::PI - 1.0)
}

/// The network's outputs on [`sine_grid`], one sample at a time (as a
/// sensor would deliver them), and the instructions that took per sample.
pub fn sine_on_grid(net: &Sine, counter: &InstructionCounter) -> ([f32; SINE_GRID_POINTS], u64) {
    let grid = sine_grid();
    let mut outputs = [0.0; SINE_GRID_POINTS];
    let start = counter.now();
    for (output, x) in outputs.iter_mut().zip(grid.as_slice()) {
        let y = net.predict(&sine_input(&Matrix::new([[*x]])));
        *output = y[(0, 0)];
    }
    (outputs, counter.since(start) / SINE_GRID_POINTS as u64)
}

/// Whether `got` and `want` have the same length and every pair differs by at
/// most `tolerance` (a NaN never does).
pub fn all_close(got: &[f32], want: &[f32], tolerance: f32) -> bool {
    got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(g, w)| (g - w).abs() <= tolerance)
}

/// The largest absolute difference between two equally long slices.
pub fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

/// A float shown with a fixed number of decimals. With the `float-fmt`
/// feature it uses core's float formatting; without it, integer arithmetic
/// only, which keeps about 24 KB of formatting code out of flash.
pub struct Fixed(pub f32, pub u32);

impl fmt::Display for Fixed {
    #[cfg(feature = "float-fmt")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.*}", self.1 as usize, self.0)
    }

    #[cfg(not(feature = "float-fmt"))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(value, decimals) = *self;
        if !value.is_finite() {
            return f.write_str(if value.is_nan() {
                "NaN"
            } else if value > 0.0 {
                "inf"
            } else {
                "-inf"
            });
        }
        let scale = 10_u32.pow(decimals);
        // Rounded to the nearest unit in the last place, as `{:.N}` would
        // (f32 holds the 7 digits this prints; no double-precision code).
        let units = (value.abs() * scale as f32 + 0.5) as u32;
        let sign = if value.is_sign_negative() && units != 0 {
            "-"
        } else {
            ""
        };
        if decimals == 0 {
            write!(f, "{sign}{units}")
        } else {
            write!(
                f,
                "{sign}{}.{:0width$}",
                units / scale,
                units % scale,
                width = decimals as usize
            )
        }
    }
}

/// Counts executed instructions with SysTick.
///
/// Under QEMU's `-icount shift=0` every instruction advances the virtual
/// clock by one nanosecond, so SysTick (on the core clock) ticks at a fixed
/// number of instructions: 80 on `lm3s6965evb`, 40 on `mps2-an386`.
/// [`InstructionCounter::start`] measures that number by timing
/// `cortex_m::asm::delay`, whose instruction count is known, so the same code
/// reports instructions on either QEMU machine. SysTick is a 24-bit down
/// counter: each measured interval must be shorter than one wrap (16.7 M
/// ticks, several hundred million instructions).
pub struct InstructionCounter {
    syst: SYST,
    /// Instructions per SysTick tick, in 1/1024ths.
    instructions_per_tick_q10: u64,
}

/// The argument of the calibrating `cortex_m::asm::delay`. Its loop (cortex-m
/// 0.7.7) runs `cycles + 1` times and is two instructions, `subs` and `bne`,
/// so it executes `2 (cycles + 1)` instructions.
const CALIBRATION_CYCLES: u32 = 2_000_000;
const CALIBRATION_INSTRUCTIONS: u64 = 2 * (CALIBRATION_CYCLES as u64 + 1);

impl InstructionCounter {
    /// Starts SysTick on the core clock and calibrates it.
    pub fn start(mut syst: SYST) -> Self {
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(0x00FF_FFFF);
        syst.clear_current();
        syst.enable_counter();
        let mut counter = Self {
            syst,
            instructions_per_tick_q10: 1024,
        };
        let start = counter.now();
        cortex_m::asm::delay(CALIBRATION_CYCLES);
        let ticks = counter.ticks_since(start).max(1);
        counter.instructions_per_tick_q10 = (CALIBRATION_INSTRUCTIONS << 10) / u64::from(ticks);
        counter
    }

    /// The current SysTick value, to pass to [`InstructionCounter::since`].
    pub fn now(&self) -> u32 {
        SYST::get_current()
    }

    fn ticks_since(&self, start: u32) -> u32 {
        // A down counter: elapsed = start - now, modulo 2^24.
        start.wrapping_sub(self.now()) & 0x00FF_FFFF
    }

    /// Instructions executed since `start` (a value of [`InstructionCounter::now`]).
    pub fn since(&self, start: u32) -> u64 {
        (u64::from(self.ticks_since(start)) * self.instructions_per_tick_q10) >> 10
    }

    /// The calibrated instructions per SysTick tick.
    pub fn instructions_per_tick(&self) -> u64 {
        self.instructions_per_tick_q10 >> 10
    }

    /// Gives SysTick back.
    pub fn free(self) -> SYST {
        self.syst
    }
}

/// The value cortex-m-rt's `paint-stack` feature writes over the whole stack at reset.
pub use cortex_m_rt::STACK_PAINT_VALUE;

/// Peak stack use in bytes since reset.
///
/// cortex-m-rt (feature `paint-stack`) fills the stack, from `_stack_end`
/// (lowest address) up to `_stack_start` (the initial stack pointer), with
/// [`STACK_PAINT_VALUE`] before `main` runs. The stack grows down, so the
/// first word above `_stack_end` that no longer holds the paint marks the
/// deepest point the stack has reached. The figure comes out short only if
/// the deepest words written happen to hold the paint value themselves.
#[allow(unsafe_code)]
pub fn stack_used_bytes() -> usize {
    unsafe extern "C" {
        // Both come from cortex-m-rt's link.x; only their addresses matter.
        static _stack_end: u32;
        static _stack_start: u32;
    }
    let bottom = &raw const _stack_end as usize;
    let top = &raw const _stack_start as usize;
    let mut addr = bottom;
    while addr < top {
        // SAFETY: `addr` is word-aligned (link.x asserts both bounds are) and
        // lies in `_stack_end.._stack_start`, RAM that is mapped and was
        // initialised by the paint at reset; a volatile read of a u32 there has
        // no side effects and creates no reference to memory the running stack
        // may be using.
        let word = unsafe { core::ptr::read_volatile(addr as *const u32) };
        if word != STACK_PAINT_VALUE {
            break;
        }
        addr += 4;
    }
    top - addr
}

/// Ends the program: QEMU exits with 0 when `passed`, 1 otherwise.
pub fn exit(passed: bool) -> ! {
    debug::exit(if passed {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Reached only when no debugger or emulator handles the exit request.
    loop {
        cortex_m::asm::wfi();
    }
}
