//! [`Add`]: the addition node.

use core::marker::PhantomData;

use crate::Scalar;

/// An addition node, `z = x + y`. It passes the output gradient to both
/// inputs unchanged, so it needs to remember nothing.
///
/// ```
/// use constnet::graph::Add;
///
/// let node = Add::new();
/// assert_eq!(node.forward(3.0_f32, 4.0), 7.0);
/// assert_eq!(node.backward(2.5), (2.5, 2.5));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Add<T = f32> {
    element: PhantomData<T>,
}

impl<T: Scalar> Add<T> {
    /// A new node.
    pub fn new() -> Self {
        Self::default()
    }

    /// `x + y`.
    pub fn forward(&self, x: T, y: T) -> T {
        x + y
    }

    /// The gradients `(dx, dy)` from the output gradient `d_output`.
    pub fn backward(&self, d_output: T) -> (T, T) {
        // ∂(x + y)/∂x = ∂(x + y)/∂y = 1
        (d_output, d_output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Mul;

    #[test]
    fn gradient_passes_through() {
        let node = Add::new();
        assert_eq!(node.forward(-2.0_f64, 5.0), 3.0);
        assert_eq!(node.backward(-0.5), (-0.5, -0.5));
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y, h) = (1.7_f64, -0.3, 1e-6);
        let node = Add::new();
        let (dx, dy) = node.backward(1.0);
        assert!((dx - (node.forward(x + h, y) - node.forward(x - h, y)) / (2.0 * h)).abs() < 1e-9);
        assert!((dy - (node.forward(x, y + h) - node.forward(x, y - h)) / (2.0 * h)).abs() < 1e-9);
    }

    /// The textbook's shopping graph: 2 apples at 100 and 3 oranges at 10,
    /// summed, then taxed at 10 %.
    #[test]
    fn apples_and_oranges() {
        let (mut apple, mut orange, mut tax) = (Mul::new(), Mul::new(), Mul::new());
        let add = Add::new();
        let apples = apple.forward(100.0_f64, 2.0);
        let oranges = orange.forward(10.0, 3.0);
        let price = tax.forward(add.forward(apples, oranges), 1.1);
        assert!((price - 253.0).abs() < 1e-12);

        let (d_total, d_tax) = tax.backward(1.0);
        let (d_apples, d_oranges) = add.backward(d_total);
        let (d_apple_price, d_apple_count) = apple.backward(d_apples);
        let (d_orange_price, d_orange_count) = orange.backward(d_oranges);
        for (got, want) in [
            (d_apple_price, 2.2),
            (d_apple_count, 110.0),
            (d_orange_price, 3.3),
            (d_orange_count, 11.0),
            (d_tax, 230.0),
        ] {
            assert!((got - want).abs() < 1e-12, "{got} != {want}");
        }
    }
}
