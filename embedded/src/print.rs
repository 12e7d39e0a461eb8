//! [`Line`]: one line of output over semihosting, built without `core::fmt`.

use core::cell::Cell;
use core::num::NonZeroU32;

use cortex_m_semihosting::hio::{self, HostStream};
use critical_section::Mutex;

/// The longest line [`Line`] holds; what goes past it is dropped.
pub const LINE_BYTES: usize = 160;

/// One line of text, built piece by piece and printed to the host's
/// standard output by [`Line::print`].
///
/// Integers are written with integer arithmetic and floats as fixed-point
/// integers, so no `core::fmt` code is linked (about 5 KB of flash for
/// integers and strings, 21 KB more for floats). With the `float-fmt`
/// feature, [`Line::fixed`] uses core's float formatting instead.
///
/// ```ignore
/// Line::new().text("loss ").fixed(0.25, 3).text(" after ").uint(10).print();
/// // loss 0.250 after 10
/// ```
pub struct Line {
    bytes: [u8; LINE_BYTES],
    len: usize,
}

impl Default for Line {
    fn default() -> Self {
        Self::new()
    }
}

impl Line {
    /// An empty line.
    pub const fn new() -> Self {
        Self {
            bytes: [0; LINE_BYTES],
            len: 0,
        }
    }

    /// Appends `text`.
    #[inline(never)]
    pub fn text(&mut self, text: &str) -> &mut Self {
        for &byte in text.as_bytes() {
            self.push(byte);
        }
        self
    }

    /// Appends `value` in decimal.
    #[inline(never)]
    pub fn uint(&mut self, value: u32) -> &mut Self {
        // u32::MAX has 10 digits: filled from the right, then copied in
        // order (iterators only, so no bounds check can panic).
        let mut digits = [0_u8; 10];
        let mut used = 0;
        let mut rest = value;
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            used += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for &digit in digits.iter().skip(digits.len() - used) {
            self.push(digit);
        }
        self
    }

    /// Appends `value` in decimal, with a minus sign when negative.
    pub fn int(&mut self, value: i32) -> &mut Self {
        if value < 0 {
            self.push(b'-');
        }
        self.uint(value.unsigned_abs())
    }

    /// Appends `value` with `decimals` digits after the point, rounded to
    /// nearest; `NaN`, `inf` and `-inf` for values that are not finite.
    /// Magnitudes above `u32::MAX / 10^decimals` saturate.
    #[cfg(not(feature = "float-fmt"))]
    #[inline(never)]
    pub fn fixed(&mut self, value: f32, decimals: u32) -> &mut Self {
        if !value.is_finite() {
            return self.text(if value.is_nan() {
                "NaN"
            } else if value > 0.0 {
                "inf"
            } else {
                "-inf"
            });
        }
        // Never zero, so the divisions below cannot panic.
        let scale = NonZeroU32::new(10_u32.pow(decimals)).unwrap_or(NonZeroU32::MIN);
        // f32 holds the 7 digits this prints; no double-precision code.
        let units = (value.abs() * scale.get() as f32 + 0.5) as u32;
        if value.is_sign_negative() && units != 0 {
            self.push(b'-');
        }
        self.uint(units / scale);
        if decimals > 0 {
            self.push(b'.');
            let fraction = units % scale;
            // Leading zeros of the fraction: one per power of ten it lacks.
            let mut power = scale.get() / 10;
            while power > 1 && fraction < power {
                self.push(b'0');
                power /= 10;
            }
            self.uint(fraction);
        }
        self
    }

    /// Appends `value` with `decimals` digits after the point, by core's
    /// float formatting.
    #[cfg(feature = "float-fmt")]
    pub fn fixed(&mut self, value: f32, decimals: u32) -> &mut Self {
        use core::fmt::Write;
        // Writing to a line never fails: overflow is dropped.
        let _ = write!(self, "{:.*}", decimals as usize, value);
        self
    }

    /// The text so far.
    pub fn as_bytes(&self) -> &[u8] {
        // `len` never passes the buffer's end; `get` says so without a panic.
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// Prints the line and a newline to the host's standard output, and
    /// empties it. Output is lost, silently, when no host is listening.
    #[inline(never)]
    pub fn print(&mut self) {
        self.push(b'\n');
        write_to_host(self.as_bytes());
        self.len = 0;
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }
}

#[cfg(feature = "float-fmt")]
impl core::fmt::Write for Line {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        self.text(text);
        Ok(())
    }
}

/// The host's standard output, opened by the first line printed.
static STDOUT: Mutex<Cell<Option<HostStream>>> = Mutex::new(Cell::new(None));

fn write_to_host(bytes: &[u8]) {
    critical_section::with(|cs| {
        let stdout = STDOUT.borrow(cs);
        let stream = stdout.get().or_else(|| hio::hstdout().ok());
        stdout.set(stream);
        if let Some(mut stream) = stream {
            // Nothing to do about a host that stopped listening.
            let _ = stream.write_all(bytes);
        }
    });
}
