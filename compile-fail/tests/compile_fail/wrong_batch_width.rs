// A batch of 3-wide samples fed to a network that takes 2.
use constnet::{Affine, Matrix, Network, Sigmoid};

fn main() {
    let net = Network::new((Affine::<2, 4>::default(), Sigmoid, Affine::<4, 1>::default(), Sigmoid));
    let batch = Matrix::<4, 3>::zeros();
    let _ = net.predict(&batch);
}
