// An update with the gradient of a network of another shape.
use constnet::{Affine, Matrix, Network, Optimizer, Sgd, Sigmoid};

fn main() {
    let mut small = Network::new((Affine::<2, 4>::default(), Sigmoid, Affine::<4, 1>::default(), Sigmoid));
    let large = Network::new((Affine::<2, 8>::default(), Sigmoid, Affine::<8, 1>::default(), Sigmoid));
    let x = Matrix::<4, 2>::zeros();
    let (y, trace) = large.forward(&x);
    let gradient = large.backward(&trace, &y);
    Sgd::new(0.1).step(&mut small, &gradient);
}
