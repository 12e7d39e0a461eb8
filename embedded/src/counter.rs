//! [`InstructionCounter`]: instructions executed, counted with SysTick under
//! QEMU's `-icount`.

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;

/// Counts executed instructions with SysTick.
///
/// Under QEMU's `-icount shift=0` every instruction advances the virtual
/// clock by one nanosecond, so SysTick (on the core clock) ticks at a fixed
/// number of instructions: 80 on `lm3s6965evb`, 40 on `mps2-an386`.
/// [`InstructionCounter::start`] measures that number by timing
/// `cortex_m::asm::delay`, whose instruction count is known, so the same code
/// reports instructions on either QEMU machine. SysTick is a 24-bit down
/// counter: each measured interval must be shorter than one wrap (16.7 M
/// ticks, several hundred million instructions). Counts are `u32`, so that
/// no 64-bit division (half a kilobyte of flash on these cores) is linked.
pub struct InstructionCounter {
    syst: SYST,
    /// Instructions per SysTick tick, in 1/1024ths.
    instructions_per_tick_q10: u32,
}

/// The argument of the calibrating `cortex_m::asm::delay`. Its loop (cortex-m
/// 0.7.7) runs `cycles + 1` times and is two instructions, `subs` and `bne`,
/// so it executes `2 (cycles + 1)` instructions.
const CALIBRATION_CYCLES: u32 = 2_000_000;
const CALIBRATION_INSTRUCTIONS: u32 = 2 * (CALIBRATION_CYCLES + 1);
// The calibration divides in 32 bits: the scaled count must fit.
const _: () = assert!(CALIBRATION_INSTRUCTIONS < u32::MAX >> 10);

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
        counter.instructions_per_tick_q10 = (CALIBRATION_INSTRUCTIONS << 10) / ticks;
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
    pub fn since(&self, start: u32) -> u32 {
        // At most 2^24 ticks of at most a few hundred instructions: the
        // product needs 64 bits (one multiply), the result fits 32.
        ((u64::from(self.ticks_since(start)) * u64::from(self.instructions_per_tick_q10)) >> 10)
            as u32
    }

    /// The calibrated instructions per SysTick tick.
    pub fn instructions_per_tick(&self) -> u32 {
        self.instructions_per_tick_q10 >> 10
    }

    /// Gives SysTick back.
    pub fn free(self) -> SYST {
        self.syst
    }
}
