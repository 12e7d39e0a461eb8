//! Computational-graph nodes on scalars, as the textbook introduces
//! backpropagation: each node's `forward` keeps what its `backward` needs.
//!
//! The shopping example: two apples at 100 each, with 10 % tax.
//!
//! ```
//! use constnet::graph::Mul;
//!
//! let (mut apples, mut tax) = (Mul::new(), Mul::new());
//! let price = tax.forward(apples.forward(100.0_f64, 2.0), 1.1);
//! assert!((price - 220.0).abs() < 1e-12);
//!
//! let (d_apples_price, d_tax) = tax.backward(1.0);
//! let (d_apple, d_count) = apples.backward(d_apples_price);
//! assert!((d_apple - 2.2).abs() < 1e-12);
//! assert!((d_count - 110.0).abs() < 1e-12);
//! assert_eq!(d_tax, 200.0);
//! ```

mod add;
mod mul;

pub use add::Add;
pub use mul::Mul;
