// A product whose inner dimensions differ: 2 x 3 times 2 x 3.
use constnet::Matrix;

fn main() {
    let a = Matrix::<2, 3>::zeros();
    let b = Matrix::<2, 3>::zeros();
    let _ = a.matmul(&b);
}
