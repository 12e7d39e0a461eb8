//! Baking a network into Rust source: a trained network rendered as a
//! `const` item that compiles into any program, `no_std` included, and lives
//! in flash on a microcontroller.
//!
//! ```
//! use constnet::bake::to_rust_source;
//! use constnet::{Affine, Matrix, Network, Relu};
//!
//! let net = Network::new((Affine::<2, 1>::new(Matrix::new([[0.5], [-1.25]]), Matrix::new([[0.1]])), Relu));
//! let mut source = String::new();
//! to_rust_source(&mut source, "NET", &net).unwrap();
//! assert_eq!(
//!     source,
//!     "pub const NET: constnet::Network<(constnet::Affine<2, 1, f32>, constnet::Relu)> = \
//!      constnet::Network::new((\n    \
//!      constnet::Affine::new(\n        \
//!      constnet::Matrix::new([\n            [0.5],\n            [-1.25],\n        ]),\n        \
//!      constnet::Matrix::new([\n            [0.1],\n        ]),\n    ),\n    \
//!      constnet::Relu,\n));\n"
//! );
//! ```
//!
//! Every element is written as the shortest decimal that reads back as the
//! same value, so the baked network computes exactly what the original did.

use core::fmt::{self, Write};

use crate::{Affine, Identity, Matrix, Network, Relu, Scalar, Sigmoid, Softmax, Tanh};

/// A value that can write itself as Rust source: its type, and a constant
/// expression that rebuilds it. Paths are absolute (`constnet::Affine`), so
/// the source compiles without `use` lines.
pub trait Bake {
    /// Writes the value's type.
    fn bake_type<W: Write>(out: &mut W) -> fmt::Result;

    /// Writes a constant expression equal to the value, continuing lines at
    /// `indent` levels of four spaces.
    fn bake_value<W: Write>(&self, out: &mut W, indent: usize) -> fmt::Result;
}

/// Writes `pub const NAME: Type = value;` for `value`, followed by a newline.
///
/// # Errors
///
/// Only those of `out`.
pub fn to_rust_source<W: Write, B: Bake>(out: &mut W, name: &str, value: &B) -> fmt::Result {
    write!(out, "pub const {name}: ")?;
    B::bake_type(out)?;
    out.write_str(" = ")?;
    value.bake_value(out, 0)?;
    out.write_str(";\n")
}

/// Writes one element as a literal that reads back as the same value.
///
/// Writing a value as a literal for its type: `{:?}` on `f32` and `f64`
/// prints the shortest round-trip decimal (`0.1`, `1e-7`, `-0.0`).
pub fn bake_scalar<W: Write, T: Scalar>(out: &mut W, value: T) -> fmt::Result {
    if value.is_nan() {
        write!(out, "{}::NAN", T::NAME)
    } else if value.is_infinite() {
        let sign = if value.is_sign_negative() { "NEG_" } else { "" };
        write!(out, "{}::{sign}INFINITY", T::NAME)
    } else {
        write!(out, "{value:?}")
    }
}

fn newline<W: Write>(out: &mut W, indent: usize) -> fmt::Result {
    out.write_char('\n')?;
    for _ in 0..indent {
        out.write_str("    ")?;
    }
    Ok(())
}

impl<const R: usize, const C: usize, T: Scalar> Bake for Matrix<R, C, T> {
    fn bake_type<W: Write>(out: &mut W) -> fmt::Result {
        write!(out, "constnet::Matrix<{R}, {C}, {}>", T::NAME)
    }

    fn bake_value<W: Write>(&self, out: &mut W, indent: usize) -> fmt::Result {
        out.write_str("constnet::Matrix::new([")?;
        for row in self.rows() {
            newline(out, indent + 1)?;
            out.write_char('[')?;
            for (c, &x) in row.iter().enumerate() {
                if c > 0 {
                    out.write_str(", ")?;
                }
                bake_scalar(out, x)?;
            }
            out.write_str("],")?;
        }
        newline(out, indent)?;
        out.write_str("])")
    }
}

impl<const IN: usize, const OUT: usize, T: Scalar> Bake for Affine<IN, OUT, T> {
    fn bake_type<W: Write>(out: &mut W) -> fmt::Result {
        write!(out, "constnet::Affine<{IN}, {OUT}, {}>", T::NAME)
    }

    fn bake_value<W: Write>(&self, out: &mut W, indent: usize) -> fmt::Result {
        out.write_str("constnet::Affine::new(")?;
        newline(out, indent + 1)?;
        self.weights.bake_value(out, indent + 1)?;
        out.write_char(',')?;
        newline(out, indent + 1)?;
        self.bias.bake_value(out, indent + 1)?;
        out.write_char(',')?;
        newline(out, indent)?;
        out.write_char(')')
    }
}

/// Layers without parameters bake to their own name.
macro_rules! bake_unit {
    ($($layer:ident),+) => {$(
        impl Bake for $layer {
            fn bake_type<W: Write>(out: &mut W) -> fmt::Result {
                out.write_str(concat!("constnet::", stringify!($layer)))
            }

            fn bake_value<W: Write>(&self, out: &mut W, _: usize) -> fmt::Result {
                Self::bake_type(out)
            }
        }
    )+};
}

bake_unit!(Relu, Sigmoid, Tanh, Identity, Softmax);

impl<L: Bake> Bake for Network<L> {
    fn bake_type<W: Write>(out: &mut W) -> fmt::Result {
        out.write_str("constnet::Network<")?;
        L::bake_type(out)?;
        out.write_char('>')
    }

    fn bake_value<W: Write>(&self, out: &mut W, indent: usize) -> fmt::Result {
        out.write_str("constnet::Network::new(")?;
        self.layers.bake_value(out, indent)?;
        out.write_char(')')
    }
}

/// Tuples bake member by member, one per line.
macro_rules! bake_tuple {
    ($(($($layer:ident $i:tt),+))+) => {$(
        impl<$($layer: Bake),+> Bake for ($($layer,)+) {
            fn bake_type<W: Write>(out: &mut W) -> fmt::Result {
                out.write_char('(')?;
                let mut first = true;
                $(
                    if !core::mem::take(&mut first) {
                        out.write_str(", ")?;
                    }
                    $layer::bake_type(out)?;
                )+
                // A one-element tuple needs its comma.
                out.write_str(if [$($i),+].len() == 1 { ",)" } else { ")" })
            }

            fn bake_value<W: Write>(&self, out: &mut W, indent: usize) -> fmt::Result {
                out.write_char('(')?;
                $(
                    newline(out, indent + 1)?;
                    self.$i.bake_value(out, indent + 1)?;
                    out.write_char(',')?;
                )+
                newline(out, indent)?;
                out.write_char(')')
            }
        }
    )+};
}

bake_tuple! {
    (L0 0)
    (L0 0, L1 1)
    (L0 0, L1 1, L2 2)
    (L0 0, L1 1, L2 2, L3 3)
    (L0 0, L1 1, L2 2, L3 3, L4 4)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5, L6 6)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5, L6 6, L7 7)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5, L6 6, L7 7, L8 8)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5, L6 6, L7 7, L8 8, L9 9)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5, L6 6, L7 7, L8 8, L9 9, L10 10)
    (L0 0, L1 1, L2 2, L3 3, L4 4, L5 5, L6 6, L7 7, L8 8, L9 9, L10 10, L11 11)
}

#[cfg(test)]
mod tests {
    extern crate alloc;

    use alloc::string::String;

    use super::*;

    fn baked<B: Bake>(value: &B) -> String {
        let mut s = String::new();
        value.bake_value(&mut s, 0).unwrap();
        s
    }

    #[test]
    fn scalars_round_trip() {
        for x in [
            0.1_f32,
            -1e-7,
            3.4028235e38,
            1.0,
            -0.0,
            1.0 / 3.0,
            f32::MIN_POSITIVE / 4.0,
        ] {
            let mut s = String::new();
            bake_scalar(&mut s, x).unwrap();
            let back: f32 = s.parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{s}");
        }
        let mut s = String::new();
        bake_scalar(&mut s, 0.1_f64 + 0.2).unwrap();
        assert_eq!(s, "0.30000000000000004");
    }

    #[test]
    fn special_values_are_named() {
        let m = Matrix::new([[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]]);
        assert_eq!(
            baked(&m),
            "constnet::Matrix::new([\n    [f64::NAN, f64::INFINITY, f64::NEG_INFINITY],\n])"
        );
    }

    #[test]
    fn types_spell_the_network() {
        type Net = Network<(
            Affine<3, 2, f64>,
            Tanh,
            Affine<2, 1, f64>,
            Sigmoid,
            Softmax,
            Identity,
        )>;
        let mut s = String::new();
        Net::bake_type(&mut s).unwrap();
        assert_eq!(
            s,
            "constnet::Network<(constnet::Affine<3, 2, f64>, constnet::Tanh, \
             constnet::Affine<2, 1, f64>, constnet::Sigmoid, constnet::Softmax, constnet::Identity)>"
        );
        let mut s = String::new();
        <(Relu,)>::bake_type(&mut s).unwrap();
        assert_eq!(s, "(constnet::Relu,)");
    }
}
