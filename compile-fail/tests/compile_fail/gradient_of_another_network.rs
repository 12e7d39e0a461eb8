// An update with the gradient of a network of another shape.
use constnet::{Affine, Matrix, Mse, Network, Optimizer, Sgd, Sigmoid, Workspace};

fn main() {
    let mut small = Network::new((Affine::<2, 4>::default(), Sigmoid, Affine::<4, 1>::default(), Sigmoid));
    let large = Network::new((Affine::<2, 8>::default(), Sigmoid, Affine::<8, 1>::default(), Sigmoid));
    let (x, t) = (Matrix::<4, 2>::zeros(), Matrix::<4, 1>::zeros());
    let mut workspace = Workspace::new();
    large.gradient(&mut workspace, &x, &t, &Mse).unwrap();
    Sgd::new(0.1).step(&mut small, workspace.gradient_mut());
}
