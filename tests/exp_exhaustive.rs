//! The crate's own `exp` and `ln` ([`Scalar::portable_exp`],
//! [`Scalar::portable_ln`]) against the platform's `f64` functions.
//!
//! - `f32`: every one of the 2^32 inputs for `exp`, every positive finite
//!   input for `ln` (subnormals included), each within 2 ulp of
//!   `(x as f64).exp()` / `.ln()`, whose own error (below 1 ulp of `f64`,
//!   2^-29 ulp of `f32`) is negligible at this scale; and every other input of
//!   `ln` (zeros, negatives, infinities, NaNs) with its edge value.
//! - `f64`: a reference of higher precision is not at hand, so the results
//!   are compared with the platform's `f64` functions on millions of random
//!   and edge inputs, and must be within one step (one representable `f64`)
//!   of them. With the platform's error below 0.52 ulp (glibc documents
//!   0.51 for `exp`), that bounds ours by about 1.5 ulp, inside the 2 ulp
//!   promised.
//!
//! The sweeps take tens of seconds optimised and far too long without, so a
//! debug build skips them; CI runs
//! `cargo test --release --test exp_exhaustive -- --include-ignored`.

use std::ops::Range;
use std::thread;

use constnet::Scalar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How far `got` is from `want` (an `f64` standing for the exact value), in
/// units of the last place of `f32` at `want`: `2^(e - 23)` for `want` in
/// `[2^e, 2^(e+1))`, `2^-149` below `2^-126`, `2^104` from `2^127` up.
/// `+inf` counts as any value from `2^128` up (the result of rounding past
/// `f32::MAX`), so it is 0 ulp from a `want` that large. Two NaNs are 0 apart,
/// a NaN and a number infinitely far.
fn f32_error(got: f32, want: f64) -> f64 {
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
fn f64_steps(a: f64, b: f64) -> u64 {
    if a.is_nan() && b.is_nan() {
        return 0;
    }
    let order = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    (i128::from(order(a)) - i128::from(order(b))).unsigned_abs() as u64
}

/// What a sweep found: the largest error and where, how many results were
/// not the correctly rounded one, and how many NaN inputs did not come back
/// with their own bits.
#[derive(Clone, Copy, Debug, Default)]
struct Sweep {
    worst_error: f64,
    worst_input: u32,
    not_correctly_rounded: u64,
    nan_bits_changed: u64,
    inputs: u64,
}

impl Sweep {
    fn merge(self, other: Sweep) -> Sweep {
        let worse = if other.worst_error > self.worst_error {
            other
        } else {
            self
        };
        Sweep {
            worst_error: worse.worst_error,
            worst_input: worse.worst_input,
            not_correctly_rounded: self.not_correctly_rounded + other.not_correctly_rounded,
            nan_bits_changed: self.nan_bits_changed + other.nan_bits_changed,
            inputs: self.inputs + other.inputs,
        }
    }
}

/// Runs `f` on every `f32` whose bits are in `bits`, on every core, against
/// `reference` on the same input widened to `f64`.
fn sweep(bits: Range<u64>, f: fn(f32) -> f32, reference: fn(f64) -> f64) -> Sweep {
    const BLOCK: usize = 4096;
    let threads = thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let span = bits.end - bits.start;
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let start = bits.start + span * i / threads;
                let end = bits.start + span * (i + 1) / threads;
                scope.spawn(move || {
                    let mut found = Sweep::default();
                    let mut got = [0.0_f32; BLOCK];
                    let mut block = start;
                    while block < end {
                        let len = ((end - block) as usize).min(BLOCK);
                        let input = |j: usize| f32::from_bits((block + j as u64) as u32);
                        // Ours in one pass, so that it runs as it would over a row.
                        for (j, g) in got[..len].iter_mut().enumerate() {
                            *g = f(input(j));
                        }
                        for (j, &g) in got[..len].iter().enumerate() {
                            let x = input(j);
                            if x.is_nan() {
                                found.nan_bits_changed += u64::from(g.to_bits() != x.to_bits());
                                continue;
                            }
                            let want = reference(f64::from(x));
                            if g.to_bits() == (want as f32).to_bits() {
                                continue;
                            }
                            found.not_correctly_rounded += 1;
                            let error = f32_error(g, want);
                            if error > found.worst_error {
                                found.worst_error = error;
                                found.worst_input = x.to_bits();
                            }
                        }
                        block += len as u64;
                    }
                    found.inputs = end - start;
                    found
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a sweep thread panicked"))
            .fold(Sweep::default(), Sweep::merge)
    })
}

/// Fails unless every input was within 2 ulp and every NaN kept its bits.
fn assert_within_2_ulp(name: &str, found: Sweep) {
    println!(
        "{name}: {} inputs, largest error {:.4} ulp at {:e} ({:#010x}), {} not correctly rounded",
        found.inputs,
        found.worst_error,
        f32::from_bits(found.worst_input),
        found.worst_input,
        found.not_correctly_rounded
    );
    assert!(
        found.worst_error <= 2.0,
        "{name}: {} ulp at {:e} ({:#010x})",
        found.worst_error,
        f32::from_bits(found.worst_input),
        found.worst_input
    );
    assert_eq!(found.nan_bits_changed, 0, "{name}: NaNs whose bits changed");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "2^32 inputs: run with --release")]
fn exp_f32_within_2_ulp_for_every_input() {
    let found = sweep(0..1 << 32, f32::portable_exp, f64::exp);
    assert_eq!(found.inputs, 1 << 32);
    assert_within_2_ulp("exp f32", found);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "2^31 inputs: run with --release")]
fn ln_f32_within_2_ulp_for_every_positive_finite_input() {
    // From the smallest subnormal to f32::MAX.
    let positive_finite = 1..u64::from(f32::INFINITY.to_bits());
    let found = sweep(positive_finite, f32::portable_ln, f64::ln);
    assert_eq!(found.inputs, 0x7f7f_ffff);
    assert_within_2_ulp("ln f32", found);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "2^31 inputs: run with --release")]
fn ln_f32_of_every_other_input_is_its_edge_value() {
    // +inf, the positive NaNs, then -0 and every negative bit pattern.
    for bits in u64::from(f32::INFINITY.to_bits())..1 << 32 {
        let x = f32::from_bits(bits as u32);
        let y = x.portable_ln();
        let right = if x.is_nan() {
            y.to_bits() == x.to_bits()
        } else if x == 0.0 {
            y == f32::NEG_INFINITY
        } else if x == f32::INFINITY {
            y == f32::INFINITY
        } else {
            y.is_nan()
        };
        assert!(right, "ln({x:e}) = {y:e} ({bits:#010x})");
    }
}

#[test]
fn exp_edges() {
    for x in [0.0_f32, -0.0] {
        assert_eq!(x.portable_exp(), 1.0);
        assert_eq!(f64::from(x).portable_exp(), 1.0);
    }
    assert_eq!(f32::INFINITY.portable_exp(), f32::INFINITY);
    assert_eq!(f32::NEG_INFINITY.portable_exp(), 0.0);
    assert_eq!(f64::INFINITY.portable_exp(), f64::INFINITY);
    assert_eq!(f64::NEG_INFINITY.portable_exp(), 0.0);
    // Overflow: +inf exactly where e^x rounds past f32::MAX, from 88.72284
    // (ln(f32::MAX + ½ ulp) = 88.7228391); the float below gives a finite
    // result, as the reference does.
    let last_finite = 88.722_83_f32;
    assert_eq!(
        f64::from(last_finite).exp() as f32,
        last_finite.portable_exp()
    );
    assert!(last_finite.portable_exp().is_finite());
    for x in [88.722_84_f32, 89.0, 1e3, f32::MAX] {
        assert_eq!(x.portable_exp(), f32::INFINITY, "{x}");
        assert!((f64::from(x).exp() as f32).is_infinite());
    }
    // Underflow: subnormal results down to the smallest, 2^-149, then 0 from
    // -103.972084 (below ln 2^-150 = -103.9720771).
    assert_eq!((-103.972_08_f32).portable_exp(), f32::from_bits(1));
    for x in [-103.972_084_f32, -104.0, -1e3, f32::MIN] {
        assert_eq!(x.portable_exp(), 0.0, "{x}");
    }
    for x in [-87.5_f32, -90.0, -95.5, -100.0, -103.0] {
        let want = f64::from(x).exp();
        assert!(want < f64::from(f32::MIN_POSITIVE));
        assert!(f32_error(x.portable_exp(), want) <= 1.0, "{x}");
    }
    // f64: +inf from 709.7827128933841, 0 from -745.1332191019412.
    assert_eq!(
        709.782_712_893_384_f64.portable_exp(),
        709.782_712_893_384_f64.exp()
    );
    assert_eq!(709.782_712_893_384_1_f64.portable_exp(), f64::INFINITY);
    assert_eq!(
        (-745.133_219_101_941_1_f64).portable_exp(),
        f64::from_bits(1)
    );
    assert_eq!((-745.133_219_101_941_2_f64).portable_exp(), 0.0);
    // NaN in, the same NaN out.
    for bits in [0x7fc0_0000_u32, 0xffc0_0000, 0x7f80_0001, 0xff9a_bcde] {
        assert_eq!(f32::from_bits(bits).portable_exp().to_bits(), bits);
    }
    for bits in [0x7ff8_0000_0000_0000_u64, 0xfff0_0000_0000_0001] {
        assert_eq!(f64::from_bits(bits).portable_exp().to_bits(), bits);
    }
}

#[test]
fn ln_edges() {
    for zero in [0.0_f32, -0.0] {
        assert_eq!(zero.portable_ln(), f32::NEG_INFINITY);
        assert_eq!(f64::from(zero).portable_ln(), f64::NEG_INFINITY);
    }
    assert_eq!(1.0_f32.portable_ln().to_bits(), 0.0_f32.to_bits());
    assert_eq!(1.0_f64.portable_ln().to_bits(), 0.0_f64.to_bits());
    assert_eq!(f32::INFINITY.portable_ln(), f32::INFINITY);
    assert_eq!(f64::INFINITY.portable_ln(), f64::INFINITY);
    for x in [-1.0_f32, -f32::from_bits(1), -f32::MAX, f32::NEG_INFINITY] {
        assert!(x.portable_ln().is_nan(), "{x}");
        assert!(f64::from(x).portable_ln().is_nan(), "{x}");
    }
    // Subnormal inputs, against the reference.
    for bits in [1_u32, 2, 3, 0x1234, 0x40_0000, 0x7f_ffff] {
        let x = f32::from_bits(bits);
        assert!(
            f32_error(x.portable_ln(), f64::from(x).ln()) <= 1.0,
            "{x:e}"
        );
    }
    for bits in [1_u64, 2, 0x1234_5678, 0x000f_ffff_ffff_ffff] {
        let x = f64::from_bits(bits);
        assert!(f64_steps(x.portable_ln(), x.ln()) <= 1, "{x:e}");
    }
    for bits in [0x7fc0_0000_u32, 0xffc0_0000, 0x7f80_0001] {
        assert_eq!(f32::from_bits(bits).portable_ln().to_bits(), bits);
    }
    let nan = f64::from_bits(0xfff8_0000_0000_0001);
    assert_eq!(nan.portable_ln().to_bits(), nan.to_bits());
}

/// How many random `f64` inputs of each kind: many in release, enough to
/// cover the ranges in a debug build.
const RANDOM_INPUTS: usize = if cfg!(debug_assertions) {
    100_000
} else {
    4_000_000
};

/// Fails unless `f` is within one step of `reference` at `x`, counting the
/// inputs where they differ.
fn check_f64(name: &str, f: fn(f64) -> f64, reference: fn(f64) -> f64, x: f64, differ: &mut u64) {
    let (got, want) = (f(x), reference(x));
    let steps = f64_steps(got, want);
    assert!(
        steps <= 1,
        "{name}({x:e}) = {got:e}, not {want:e}: {steps} steps"
    );
    *differ += u64::from(steps != 0);
}

#[test]
fn exp_f64_within_one_step_of_the_platform() {
    let mut rng = StdRng::seed_from_u64(0x0065_7870_3634);
    let mut differ = 0;
    let mut check = |x: f64| check_f64("exp", f64::portable_exp, f64::exp, x, &mut differ);
    for _ in 0..RANDOM_INPUTS {
        // The whole finite-and-nonzero range, the neighbourhood of 0, and any bits.
        check(rng.random_range(-746.0..710.0));
        check(rng.random_range(-1.0..1.0) * 2f64.powi(-rng.random_range(0..60)));
        check(f64::from_bits(rng.random()));
        // Halfway between multiples of ln 2, where the reduction picks k.
        let k = f64::from(rng.random_range(-1076..1025));
        check((k + 0.5) * core::f64::consts::LN_2 + rng.random_range(-1e-12..1e-12));
    }
    // The overflow and underflow thresholds, step by step.
    for start in [
        709.782_712_893_384_f64,
        -745.133_219_101_941_2,
        -708.396_418_532_264_1,
    ] {
        let mut x = start;
        for _ in 0..1000 {
            check(x);
            x = f64::from_bits(x.to_bits() - 1);
        }
    }
    println!("exp f64: {differ} inputs one step from the platform's");
}

#[test]
fn ln_f64_within_one_step_of_the_platform() {
    let mut rng = StdRng::seed_from_u64(0x6c6e_3634);
    let mut differ = 0;
    let mut check = |x: f64| check_f64("ln", f64::portable_ln, f64::ln, x, &mut differ);
    for _ in 0..RANDOM_INPUTS {
        // Any positive bits (every binade equally, subnormals included), and
        // the neighbourhood of 1, where ln is small.
        check(f64::from_bits(rng.random::<u64>() >> 1));
        check(rng.random_range(0.5..2.0));
        check(1.0 + rng.random_range(-1.0..1.0) * 2f64.powi(-rng.random_range(0..52)));
    }
    // Around √2 and √½, where the split of the mantissa switches.
    for start in [core::f64::consts::SQRT_2, core::f64::consts::FRAC_1_SQRT_2] {
        let mut x = f64::from_bits(start.to_bits() - 500);
        for _ in 0..1000 {
            check(x);
            x = f64::from_bits(x.to_bits() + 1);
        }
    }
    println!("ln f64: {differ} inputs one step from the platform's");
}
