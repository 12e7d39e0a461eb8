// A 4-wide layer fed into a 3-wide one.
use constnet::{Affine, Network, Sigmoid};

fn main() {
    let _net = Network::new((Affine::<2, 4>::default(), Sigmoid, Affine::<3, 1>::default(), Sigmoid));
}
