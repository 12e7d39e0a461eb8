//! Test helpers: distances from a reference in units in the last place.

/// How far `got` is from `want` (an `f64` standing for the exact value), in
/// units of the last place of `f32` at `want`: `2^(e - 23)` for `want` in
/// `[2^e, 2^(e+1))`, `2^-149` below `2^-126`, `2^104` from `2^127` up.
/// `+inf` counts as any value from `2^128` up (the result of rounding past
/// `f32::MAX`), so it is 0 ulp from a `want` that large. Two NaNs are 0 apart,
/// a NaN and a number infinitely far.
pub(crate) fn f32_error(got: f32, want: f64) -> f64 {
    const TWO_128: f64 = 340_282_366_920_938_463_463_374_607_431_768_211_456.0;
    if want.is_nan() || got.is_nan() {
        return if want.is_nan() && got.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let got = if got == f32::INFINITY {
        want.max(TWO_128)
    } else if got == f32::NEG_INFINITY {
        want.min(-TWO_128)
    } else {
        f64::from(got)
    };
    if got == want {
        return 0.0;
    }
    let exponent = ((want.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let ulp = f64::from_bits(((exponent.clamp(-126, 127) - 23 + 1023) as u64) << 52);
    (got - want).abs() / ulp
}

/// How many `f64` values lie between `a` and `b`, counting one end: 0 for
/// equal values (and for two NaNs), 1 for neighbours.
pub(crate) fn f64_steps(a: f64, b: f64) -> u64 {
    if a.is_nan() && b.is_nan() {
        return 0;
    }
    // Bits made monotonic in the value: negatives reflected below zero.
    let order = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    (i128::from(order(a)) - i128::from(order(b))).unsigned_abs() as u64
}
