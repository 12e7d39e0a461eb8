//! The interrupt part of the vector table: one reserved entry.
//!
//! Without its `device` feature, cortex-m-rt fills 240 interrupt vectors
//! (960 bytes of flash) with its default handler. These programs enable no
//! interrupt, so with `device` on they provide the table themselves, with
//! the one entry cortex-m-rt's `link.x` requires, and `build.rs` writes the
//! empty `device.x` that `link.x` includes. On a board with interrupts, the
//! part's peripheral access crate provides both instead.

/// The interrupt vectors after the 16 of the core: one, reserved (zero),
/// never taken because no interrupt is enabled.
#[allow(unsafe_code)]
// SAFETY: the symbol and section are the ones cortex-m-rt's `link.x` places
// right after the core's exception vectors; nothing else defines them when
// cortex-m-rt's `device` feature is on, and a zero word is a valid
// (reserved) vector.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".vector_table.interrupts")]
pub static __INTERRUPTS: [usize; 1] = [0];
