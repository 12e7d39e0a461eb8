// A loss given a target that does not have the prediction's shape.
use constnet::{Loss, Matrix, Mse};

fn main() {
    let prediction = Matrix::<4, 1>::zeros();
    let target = Matrix::<4, 2>::zeros();
    let _ = Mse.value(&prediction, &target);
}
