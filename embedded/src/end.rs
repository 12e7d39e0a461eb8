//! How a program ends: [`exit`] with its verdict, and a panic or a fault,
//! which end QEMU with exit code 1 too, so that a failed check never hangs
//! CI.

use core::panic::PanicInfo;

use cortex_m_semihosting::debug;

use crate::Line;

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

/// Prints where the program panicked and exits with code 1.
///
/// The message is not printed: formatting it would link `core::fmt` (about
/// 5 KB of flash), and the file and line say where to look.
#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    let mut line = Line::new();
    line.text("panicked");
    if let Some(location) = info.location() {
        line.text(" at ")
            .text(location.file())
            .text(":")
            .uint(location.line());
    }
    line.print();
    exit(false)
}

/// A hard fault (an undefined instruction, a bad address) ends the program
/// with exit code 1 instead of cortex-m-rt's default, an endless loop.
#[allow(unsafe_code)]
#[cortex_m_rt::exception(trampoline = false)]
// SAFETY: cortex-m-rt requires the handler to be an `unsafe fn`; it only
// prints and exits, touching nothing the faulting code was using.
unsafe fn HardFault() -> ! {
    Line::new().text("hard fault").print();
    exit(false)
}
