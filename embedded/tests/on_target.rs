//! On-target tests: the library's own checks, run on the device under QEMU.
//! The textbook's graph nodes, matrix products against hand-computed values,
//! every layer's and loss's gradient against finite differences with the
//! library's `gradient_check` (f32, relative error < 1e-3), numerical safety
//! at large logits, weights through bytes and back, and the programs' own
//! sine against libm's.
//!
//! Prints `test NAME ... ok|FAILED`, then a summary, and exits 0 only when
//! every check passed.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::hint::black_box;

use constnet::graph::{Add, Mul};
use constnet::{
    Affine, BinaryCrossEntropy, GradientEntry, Identity, Layer, Loss, Matrix, Mse, Network, Relu,
    Sigmoid, Softmax, SoftmaxCrossEntropy, Tanh, Trainable, gradient_check, weights,
};
use constnet_embedded::{Line, Xor, all_close, exit, sin, stack_used_bytes};
use cortex_m_rt::entry;

/// Relative error a gradient check in f32 must stay under.
const GRADIENT_TOLERANCE: f32 = 1e-3;

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-4 * b.abs().max(1.0)
}

fn shopping_graph() -> bool {
    // 2 apples at 100 and 3 oranges at 10, taxed at 1.1: 253.
    let (mut apple, mut orange, mut tax) = (Mul::new(), Mul::new(), Mul::new());
    let add = Add::new();
    let (price, count, orange_price, orange_count, rate) =
        black_box((100.0_f32, 2.0, 10.0, 3.0, 1.1));
    let total = tax.forward(
        add.forward(
            apple.forward(price, count),
            orange.forward(orange_price, orange_count),
        ),
        rate,
    );
    let (d_sum, d_tax) = tax.backward(1.0);
    let (d_apples, d_oranges) = add.backward(d_sum);
    let (d_apple_price, d_apple_count) = apple.backward(d_apples);
    let (d_orange_price, d_orange_count) = orange.backward(d_oranges);
    close(total, 253.0)
        && close(d_apple_price, 2.2)
        && close(d_apple_count, 110.0)
        && close(d_orange_price, 3.3)
        && close(d_orange_count, 11.0)
        && close(d_tax, 230.0)
}

fn products_by_hand() -> bool {
    let a = black_box(Matrix::new([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]));
    let b = black_box(Matrix::new([[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]));
    let dy = black_box(Matrix::new([[1.0, -1.0], [0.5, 2.0]]));
    a.matmul(&b) == Matrix::new([[58.0, 64.0], [139.0, 154.0]])
        // Xᵀ·dY and dY·Wᵀ, without building the transposes.
        && a.transposed_matmul(&dy) == Matrix::new([[3.0, 7.0], [4.5, 8.0], [6.0, 9.0]])
        && dy.matmul_transposed(&b) == Matrix::new([[-1.0, -1.0, -1.0], [19.5, 24.5, 29.5]])
        && a.column_sums() == Matrix::new([[5.0, 7.0, 9.0]])
}

/// Inputs and targets for the gradient checks, away from ReLU's kink.
fn inputs() -> Matrix<2, 3> {
    black_box(Matrix::new([[0.5, -1.2, 0.8], [-0.3, 0.9, 1.5]]))
}

fn targets() -> Matrix<2, 3> {
    black_box(Matrix::new([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]))
}

fn check<L>(layer: &L, loss: &impl Loss<Matrix<2, 3>>) -> bool
where
    L: Trainable<Matrix<2, 3>, Output = Matrix<2, 3>> + Clone,
{
    let report = gradient_check(layer, loss, &inputs(), &targets());
    let passed = report.checked > 0 && report.passed(GRADIENT_TOLERANCE);
    if !passed {
        let mut line = Line::new();
        line.text("  relative error ")
            .fixed(report.max_relative_error, 6)
            .text(" at ");
        match report.worst {
            Some(GradientEntry::Parameter(i)) => line.text("parameter ").uint(i as u32),
            Some(GradientEntry::Input(i)) => line.text("input ").uint(i as u32),
            Some(GradientEntry::Loss) => line.text("the loss (not finite)"),
            None => line.text("nothing"),
        };
        line.text(": backprop ")
            .fixed(report.analytic, 6)
            .text(", finite differences ")
            .fixed(report.numeric, 6)
            .print();
    }
    passed
}

fn affine_gradient() -> bool {
    let layer: Affine<3, 3> = Affine::new(
        black_box(Matrix::new([
            [0.2, -0.5, 0.1],
            [0.4, 0.3, -0.2],
            [-0.6, 0.1, 0.5],
        ])),
        Matrix::new([[0.1, 0.0, -0.1]]),
    );
    check(&layer, &Mse)
}

fn activation_gradients() -> bool {
    check(&Relu, &Mse)
        && check(&Sigmoid, &Mse)
        && check(&Tanh, &Mse)
        && check(&Identity, &Mse)
        && check(&Softmax, &Mse)
}

fn loss_gradients() -> bool {
    let probabilities = Sigmoid.predict(&inputs());
    let bce = gradient_check(&Identity, &BinaryCrossEntropy, &probabilities, &targets());
    check(&Identity, &Mse)
        && check(&Identity, &SoftmaxCrossEntropy)
        && bce.max_relative_error < GRADIENT_TOLERANCE
}

fn network_gradient() -> bool {
    let net = Network::new((
        Affine::<3, 4>::new(
            black_box(Matrix::from_fn(|r, c| {
                0.3 - 0.2 * r as f32 + 0.15 * c as f32
            })),
            Matrix::new([[0.1, -0.1, 0.05, 0.0]]),
        ),
        Tanh,
        Affine::<4, 3>::new(
            Matrix::from_fn(|r, c| 0.25 * c as f32 - 0.1 * r as f32),
            Matrix::zeros(),
        ),
    ));
    check(&net, &SoftmaxCrossEntropy)
}

fn large_logits_stay_finite() -> bool {
    let logits = black_box(Matrix::new([[1e4_f32, -1e4, 0.0]]));
    let target = Matrix::new([[0.0, 1.0, 0.0]]);
    let mut gradient = Matrix::zeros();
    let value = SoftmaxCrossEntropy.value_and_gradient(&logits, &target, &mut gradient);
    let saturated = Sigmoid.predict(&logits);
    value == 2e4
        && gradient.is_finite()
        && BinaryCrossEntropy
            .value(&saturated, &Matrix::new([[0.0, 1.0, 1.0]]))
            .is_finite()
}

fn weights_round_trip() -> bool {
    let mut source: Xor = Xor::default();
    source.layers.0.weights = black_box(Matrix::from_fn(|r, c| r as f32 - 0.5 * c as f32));
    source.layers.2.bias = Matrix::new([[0.25]]);
    let mut bytes = [0_u8; 256];
    let Ok(length) = weights::encode(&source, &mut bytes) else {
        return false;
    };
    let mut loaded = Xor::default();
    let loaded_ok = weights::decode(&mut loaded, &bytes[..length]).is_ok();
    // One flipped bit is caught by the checksum and changes nothing.
    bytes[length / 2] ^= 0x10;
    let mut untouched = Xor::default();
    let corrupt_rejected = weights::decode(&mut untouched, &bytes[..length]).is_err();
    loaded_ok && loaded == source && corrupt_rejected && untouched == Xor::default()
}

fn softmax_rows_sum_to_one() -> bool {
    let y = Softmax.predict(&inputs());
    all_close(
        &[y.row(0).iter().sum(), y.row(1).iter().sum()],
        &[1.0, 1.0],
        1e-6,
    )
}

/// The programs' own one-turn sine against libm's `sinf`, over 4,096 steps
/// of `[0, 2π]` and both ends.
fn sine_matches_libm() -> bool {
    let steps = black_box(4096_u32);
    (0..=steps).all(|i| {
        let x = i as f32 * (core::f32::consts::TAU / steps as f32);
        (sin(x) - num_traits::Float::sin(x)).abs() <= 3e-7
    })
}

/// A named check that returns whether it passed.
type Check = (&'static str, fn() -> bool);

#[entry]
fn main() -> ! {
    let checks: [Check; 10] = [
        ("shopping_graph", shopping_graph),
        ("products_by_hand", products_by_hand),
        ("affine_gradient", affine_gradient),
        ("activation_gradients", activation_gradients),
        ("loss_gradients", loss_gradients),
        ("network_gradient", network_gradient),
        ("large_logits_stay_finite", large_logits_stay_finite),
        ("weights_round_trip", weights_round_trip),
        ("softmax_rows_sum_to_one", softmax_rows_sum_to_one),
        ("sine_matches_libm", sine_matches_libm),
    ];
    let mut failed = 0;
    for (name, check) in checks {
        let ok = check();
        Line::new()
            .text("test ")
            .text(name)
            .text(" ... ")
            .text(if ok { "ok" } else { "FAILED" })
            .print();
        failed += usize::from(!ok);
    }
    let stack = stack_used_bytes();
    Line::new()
        .text("peak stack ")
        .uint(stack as u32)
        .text(" bytes")
        .print();
    // Alone on its line: the summary CI reads.
    Line::new()
        .uint((checks.len() - failed) as u32)
        .text(" passed, ")
        .uint(failed as u32)
        .text(" failed")
        .print();
    exit(failed == 0)
}
