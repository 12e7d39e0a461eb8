//! Counts the instructions of an f32 `Affine<64, 64>` forward pass at batch
//! 1, per multiply-accumulate: the inner loop of every dense layer. Passes
//! when the layer computes the hand-derived outputs; `run-all.sh` holds the
//! instruction count to its budget.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::hint::black_box;

use constnet::{Affine, Layer, Matrix};
use constnet_embedded::{InstructionCounter, Line, exit, stack_used_bytes};
use cortex_m_rt::entry;

const WIDTH: usize = 64;
/// Multiply-accumulates in one forward pass of one sample.
const MACS: u32 = (WIDTH * WIDTH) as u32;

/// Weights `w[i][j] = (i - j) / 64` and bias `j / 64`: with the input
/// `x[i] = 1`, output `j` is `Σ_i (i - j) / 64 + j / 64 = (2016 - 63 j) / 64`,
/// every term and partial sum a multiple of 1/64 below 2^18, so exact in f32.
fn layer() -> Affine<WIDTH, WIDTH> {
    Affine::new(
        Matrix::from_fn(|i, j| (i as f32 - j as f32) / 64.0),
        Matrix::from_fn(|_, j| j as f32 / 64.0),
    )
}

#[entry]
fn main() -> ! {
    let Some(peripherals) = cortex_m::Peripherals::take() else {
        exit(false)
    };
    let counter = InstructionCounter::start(peripherals.SYST);
    let layer = layer();
    // By reference: one 16.6 KB copy of the layer on the stack, not two.
    let layer = black_box(&layer);
    let x: Matrix<1, WIDTH> = black_box(Matrix::filled(1.0));

    let start = counter.now();
    let y = layer.predict(&x);
    let forward = counter.since(start);
    let mut product = Matrix::<1, WIDTH>::zeros();
    let start = counter.now();
    x.matmul_into(&layer.weights, &mut product);
    let product_only = counter.since(start);
    let stack = stack_used_bytes();

    let exact = y
        .row(0)
        .iter()
        .enumerate()
        .all(|(j, &y)| y == (2016.0 - 63.0 * j as f32) / 64.0);
    let mut line = Line::new();
    line.text("Affine<64, 64> forward, batch 1: ")
        .uint(forward)
        .text(" instructions, ")
        .fixed(forward as f32 / MACS as f32, 2)
        .text(" per multiply-accumulate; the product alone ")
        .uint(product_only)
        .text(", ")
        .fixed(product_only as f32 / MACS as f32, 2)
        .text(" per multiply-accumulate")
        .print();
    line.text("outputs exact: ")
        .text(if exact { "yes" } else { "NO" })
        .print();
    // In hundredths, for run-all.sh's budget check.
    line.text("figures: instructions_per_step=")
        .uint(forward)
        .text(" instructions_per_mac_x100=")
        .uint(forward * 100 / MACS)
        .text(" peak_stack=")
        .uint(stack as u32)
        .print();
    line.text("affine_forward: ")
        .text(if exact { "passed" } else { "FAILED" })
        .print();
    exit(exact)
}
