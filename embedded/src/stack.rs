//! How much stack the programs use: the peak since reset, read from the
//! stack cortex-m-rt painted, and the frame of one piece of work.
//!
//! The only `unsafe` code of the crate besides the vector table and the
//! fault handler: reading and repainting the stack below the stack pointer.

/// The value cortex-m-rt's `paint-stack` feature writes over the whole stack at reset.
pub use cortex_m_rt::STACK_PAINT_VALUE;

/// The bounds of the stack, from cortex-m-rt's `link.x`: `_stack_end`
/// (lowest address) and `_stack_start` (the initial stack pointer).
#[allow(unsafe_code)]
fn bounds() -> (usize, usize) {
    unsafe extern "C" {
        // Only their addresses matter.
        static _stack_end: u32;
        static _stack_start: u32;
    }
    (
        &raw const _stack_end as usize,
        &raw const _stack_start as usize,
    )
}

/// Peak stack use in bytes since reset (or since the last
/// [`StackProbe::start`] repainted the stack below its caller).
///
/// cortex-m-rt (feature `paint-stack`) fills the stack, from `_stack_end`
/// (lowest address) up to `_stack_start` (the initial stack pointer), with
/// [`STACK_PAINT_VALUE`] before `main` runs. The stack grows down, so the
/// first word above `_stack_end` that no longer holds the paint marks the
/// deepest point the stack has reached. The figure comes out short only if
/// the deepest words written happen to hold the paint value themselves.
#[allow(unsafe_code)]
pub fn stack_used_bytes() -> usize {
    let (bottom, top) = bounds();
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

/// The stack in use right now, in bytes: from the initial stack pointer down
/// to the current one.
#[inline(always)]
pub fn stack_depth_bytes() -> usize {
    let (_, top) = bounds();
    top - cortex_m::register::msp::read() as usize
}

/// The bytes just below the stack pointer that
/// [`repaint_below_stack_pointer`] leaves alone: its own frame, which the
/// compiler may push after it has read the stack pointer.
const REPAINT_MARGIN: usize = 64;

/// Paints the stack below this function's own frame again, so that
/// [`stack_used_bytes`] then reports the peak of what runs afterwards.
#[inline(never)]
#[allow(unsafe_code)]
fn repaint_below_stack_pointer() {
    let (bottom, _) = bounds();
    let stack_pointer = cortex_m::register::msp::read() as usize;
    let mut addr = bottom;
    while addr + REPAINT_MARGIN < stack_pointer {
        // SAFETY: `addr` is word-aligned and lies between the stack's lowest
        // address and `REPAINT_MARGIN` bytes below the stack pointer (room
        // for this function's own saved registers): stack RAM that no live
        // frame uses
        // (the stack grows down, and the ARM procedure call standard keeps
        // nothing below the stack pointer; an interrupt's frame there is
        // gone once it has returned). Nothing refers to it, so a volatile
        // write cannot change a value the program reads.
        unsafe { core::ptr::write_volatile(addr as *mut u32, STACK_PAINT_VALUE) };
        addr += 4;
    }
}

/// Measures the stack that a piece of work takes below its caller: the
/// frames of the functions it calls, at their deepest.
///
/// [`StackProbe::start`] records the peak so far and the caller's stack
/// depth, then repaints the stack below; after the work,
/// [`StackProbe::frame_bytes`] is the deepest point reached below that depth
/// and [`StackProbe::peak_bytes`] the peak since reset, the work before the
/// probe included. The 64 bytes right below the caller's frame, where the
/// repainting function keeps its own, are not repainted, so a piece of work
/// that needs less than that may read as up to 64 bytes.
#[derive(Clone, Copy, Debug)]
pub struct StackProbe {
    depth: usize,
    earlier_peak: usize,
}

impl StackProbe {
    /// Starts measuring below the caller's current stack depth.
    #[inline(always)]
    pub fn start() -> Self {
        let earlier_peak = stack_used_bytes();
        let depth = stack_depth_bytes();
        repaint_below_stack_pointer();
        Self {
            depth,
            earlier_peak,
        }
    }

    /// The caller's stack depth when the probe started, in bytes.
    pub fn depth_bytes(&self) -> usize {
        self.depth
    }

    /// The deepest the stack has gone below the start's depth, in bytes.
    pub fn frame_bytes(&self) -> usize {
        stack_used_bytes().saturating_sub(self.depth)
    }

    /// Peak stack use since reset, in bytes, what ran before the probe
    /// started included.
    pub fn peak_bytes(&self) -> usize {
        stack_used_bytes().max(self.earlier_peak)
    }
}
