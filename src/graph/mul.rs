//! [`Mul`]: the multiplication node.

use crate::Scalar;

/// A multiplication node, `z = x · y`.
///
/// `forward` remembers both inputs, because each one's gradient is the
/// other: `dx = dz · y`, `dy = dz · x`.
///
/// ```
/// use constnet::graph::Mul;
///
/// let mut node = Mul::new();
/// assert_eq!(node.forward(3.0_f32, 4.0), 12.0);
/// assert_eq!(node.backward(1.0), (4.0, 3.0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mul<T = f32> {
    x: T,
    y: T,
}

impl<T: Scalar> Mul<T> {
    /// A node that has seen no input yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `x · y`, remembering `x` and `y` for `backward`.
    pub fn forward(&mut self, x: T, y: T) -> T {
        self.x = x;
        self.y = y;
        x * y
    }

    /// The gradients `(dx, dy)` from the output gradient `d_output`.
    pub fn backward(&self, d_output: T) -> (T, T) {
        // ∂(xy)/∂x = y, ∂(xy)/∂y = x
        (d_output * self.y, d_output * self.x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_gradient_is_the_other_input() {
        let mut node = Mul::new();
        assert_eq!(node.forward(-2.0_f64, 5.0), -10.0);
        assert_eq!(node.backward(3.0), (15.0, -6.0));
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y, h) = (1.7_f64, -0.3, 1e-6);
        let (dx, dy) = Mul::<f64>::new().tap(x, y).backward(1.0);
        assert!((dx - ((x + h) * y - (x - h) * y) / (2.0 * h)).abs() < 1e-9);
        assert!((dy - (x * (y + h) - x * (y - h)) / (2.0 * h)).abs() < 1e-9);
    }

    impl<T: Scalar> Mul<T> {
        fn tap(mut self, x: T, y: T) -> Self {
            self.forward(x, y);
            self
        }
    }
}
