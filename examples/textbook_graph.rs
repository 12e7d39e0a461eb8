//! Backpropagation by hand on the textbook's shopping graph, with the
//! multiplication and addition nodes: apples at 100, oranges at 10, 10 % tax.
//! Every node's `forward` keeps what its `backward` needs.
//!
//! Run it with `cargo run --release --example textbook_graph`.

use std::process::ExitCode;

use constnet::graph::{Add, Mul};

#[path = "support/cli.rs"]
mod cli;

const USAGE: &str = "\
usage: textbook_graph

Prints the textbook's shopping example, forward and backward through its
multiplication and addition nodes: the price of two apples (and of two
apples and three oranges) with 10 % tax, and its derivative with respect to
every input.
";

fn main() -> ExitCode {
    if let Err(code) = cli::no_options(USAGE) {
        return code;
    }
    // Two apples at 100 each, taxed at 1.1.
    let (apple_price, apple_count, tax) = (100.0_f64, 2.0, 1.1);
    let (mut apples, mut taxed) = (Mul::new(), Mul::new());
    let price = taxed.forward(apples.forward(apple_price, apple_count), tax);

    let (d_apples, d_tax) = taxed.backward(1.0);
    let (d_apple_price, d_apple_count) = apples.backward(d_apples);
    println!("2 apples: price {price}");
    println!("  d price / d apple price = {d_apple_price}");
    println!("  d price / d apple count = {d_apple_count}");
    println!("  d price / d tax         = {d_tax}");

    // The same two apples and three oranges at 10 each, summed, then taxed.
    let (orange_price, orange_count) = (10.0_f64, 3.0);
    let (mut apples, mut oranges, mut taxed) = (Mul::new(), Mul::new(), Mul::new());
    let sum = Add::new();
    let price = taxed.forward(
        sum.forward(
            apples.forward(apple_price, apple_count),
            oranges.forward(orange_price, orange_count),
        ),
        tax,
    );

    let (d_sum, d_tax) = taxed.backward(1.0);
    let (d_apples, d_oranges) = sum.backward(d_sum);
    let (d_apple_price, d_apple_count) = apples.backward(d_apples);
    let (d_orange_price, d_orange_count) = oranges.backward(d_oranges);
    println!("2 apples and 3 oranges: price {price}");
    println!("  d price / d apple price  = {d_apple_price}");
    println!("  d price / d apple count  = {d_apple_count}");
    println!("  d price / d orange price = {d_orange_price}");
    println!("  d price / d orange count = {d_orange_count}");
    println!("  d price / d tax          = {d_tax}");
    ExitCode::SUCCESS
}
