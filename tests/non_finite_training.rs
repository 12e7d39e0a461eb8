//! No training step returns `Ok` and leaves a NaN or an infinity behind, and
//! a step that returns an error changes nothing: the reproductions of the
//! ways non-finite numbers used to get into networks, then a property test
//! that injects them everywhere.

use constnet::{
    AdaGrad, Adam, Affine, BinaryCrossEntropy, GradientOf, Loss, Matrix, Momentum, Mse, Network,
    Optimizer, Parameters, Relu, RmsProp, Sgd, Sigmoid, SoftmaxCrossEntropy, StepError, Tanh,
};
use proptest::prelude::*;

/// Every parameter's bits, in `visit` order.
fn bits<P: Parameters<f32>>(p: &P) -> Vec<u32> {
    let mut out = Vec::new();
    p.visit(&mut |s: &[f32]| out.extend(s.iter().map(|x| x.to_bits())));
    out
}

fn all_finite<P: Parameters<f32>>(p: &P) -> bool {
    let mut finite = true;
    p.visit(&mut |s: &[f32]| finite &= s.iter().all(|x| x.is_finite()));
    finite
}

type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;

fn xor() -> Xor {
    Network::new((
        Affine::new(
            Matrix::new([[4.0, 6.0, -3.0, 1.0], [4.0, 6.0, -3.0, -1.0]]),
            Matrix::new([[-2.0, -3.0, 4.0, 0.0]]),
        ),
        Sigmoid,
        Affine::new(
            Matrix::new([[-6.0], [6.0], [-1.0], [0.5]]),
            Matrix::new([[-1.0]]),
        ),
        Sigmoid,
    ))
}

#[test]
fn an_infinite_input_in_the_readme_network_is_rejected_and_changes_nothing() {
    // The sigmoids saturate, so the loss is finite; dW = Xᵀ·dY = inf · 0 = NaN.
    let mut net = xor();
    let before = bits(&net);
    let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, f32::INFINITY], [1.0, 1.0]]);
    let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let error = net
        .train_step(&x, &t, &Mse, &mut Sgd::new(2.0))
        .unwrap_err();
    assert_eq!(error, StepError::NonFiniteGradient { matrix: 0 }, "{error}");
    assert_eq!(bits(&net), before);
    assert!(
        error
            .to_string()
            .starts_with("the gradient of parameter matrix 0")
    );
}

#[test]
fn a_huge_finite_input_with_adam_is_rejected_and_changes_nothing() {
    type Layers = (Affine<1, 1>, Relu, Affine<1, 1>, Sigmoid);
    let mut net = Network::new((
        Affine::new(Matrix::new([[2.0]]), Matrix::zeros()),
        Relu,
        Affine::new(Matrix::new([[1.0]]), Matrix::zeros()),
        Sigmoid,
    ));
    let before = bits(&net);
    let mut adam: Adam<GradientOf<Layers>> = Adam::default();
    let adam_before = format!("{adam:?}");
    let result = net.train_step(
        &Matrix::new([[3e38]]),
        &Matrix::new([[0.0]]),
        &Mse,
        &mut adam,
    );
    assert!(result.is_err(), "{result:?}");
    assert_eq!(bits(&net), before);
    assert_eq!(
        format!("{adam:?}"),
        adam_before,
        "Adam's moments and step count are untouched"
    );
}

#[test]
fn a_nan_into_binary_cross_entropy_is_rejected_and_changes_nothing() {
    let mut net = xor();
    let before = bits(&net);
    let x = Matrix::new([[f32::NAN, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let result = net.train_step(&x, &t, &BinaryCrossEntropy, &mut Sgd::new(0.5));
    assert!(result.is_err(), "{result:?}");
    assert_eq!(bits(&net), before);
}

#[test]
fn a_learning_rate_that_overflows_the_weights_is_rejected_and_changes_nothing() {
    let mut net = Network::new((
        Affine::<1, 1>::new(Matrix::new([[1.0]]), Matrix::zeros()),
        Relu,
    ));
    let before = bits(&net);
    let x = Matrix::new([[1e20]]);
    let t = Matrix::new([[0.0]]);
    let error = net
        .train_step(&x, &t, &Mse, &mut Sgd::new(1e30))
        .unwrap_err();
    assert!(
        matches!(
            error,
            StepError::NonFiniteUpdate { .. }
                | StepError::NonFiniteGradient { .. }
                | StepError::NonFiniteLoss { .. }
        ),
        "{error}"
    );
    assert_eq!(bits(&net), before);
}

#[test]
fn bad_hyperparameters_are_rejected_with_their_name() {
    type G = GradientOf<(Affine<2, 1>,)>;
    let messages = [
        Sgd::<f32>::try_new(f32::NAN).unwrap_err().to_string(),
        Sgd::<f32>::try_new(f32::INFINITY).unwrap_err().to_string(),
        Sgd::<f32>::try_new(0.0).unwrap_err().to_string(),
        Momentum::<G>::try_new(0.1, 1.0).unwrap_err().to_string(),
        AdaGrad::<G>::try_new(-0.1).unwrap_err().to_string(),
        RmsProp::<G>::try_new(0.1, -0.5).unwrap_err().to_string(),
        Adam::<G>::try_new(0.001, 1.0, 0.999)
            .unwrap_err()
            .to_string(),
        Adam::<G>::try_new(0.001, 0.9, f32::NAN)
            .unwrap_err()
            .to_string(),
    ];
    assert_eq!(
        messages,
        [
            "learning rate = NaN is not valid: it must be finite and greater than 0",
            "learning rate = inf is not valid: it must be finite and greater than 0",
            "learning rate = 0 is not valid: it must be finite and greater than 0",
            "momentum = 1 is not valid: it must be at least 0 and less than 1",
            "learning rate = -0.1 is not valid: it must be finite and greater than 0",
            "decay rate = -0.5 is not valid: it must be at least 0 and less than 1",
            "β₁ = 1 is not valid: it must be at least 0 and less than 1",
            "β₂ = NaN is not valid: it must be at least 0 and less than 1",
        ]
    );
}

#[test]
#[should_panic(expected = "learning rate = NaN is not valid")]
fn new_panics_on_a_bad_hyperparameter() {
    let _ = Sgd::new(f32::NAN);
}

// ---------------------------------------------------------------------------
// The property test.

/// A value that is usually ordinary and often not: ±inf, NaN, ±3e38.
fn value() -> impl Strategy<Value = f32> {
    prop_oneof![
        6 => -3.0_f32..3.0,
        1 => Just(f32::INFINITY),
        1 => Just(f32::NEG_INFINITY),
        1 => Just(f32::NAN),
        1 => Just(3e38_f32),
        1 => Just(-3e38_f32),
        1 => Just(1e20_f32),
    ]
}

/// Mostly finite values with an occasional special one.
fn mostly_finite(n: usize) -> impl Strategy<Value = Vec<f32>> {
    proptest::collection::vec(prop_oneof![20 => -2.0_f32..2.0, 1 => value()], n)
}

fn learning_rate() -> impl Strategy<Value = f32> {
    prop_oneof![4 => 1e-3_f32..1.0, 1 => 1.0_f32..1e3, 1 => Just(1e30_f32)]
}

/// Runs three steps and checks each: `Ok` leaves every parameter and every
/// state value finite; `Err` leaves both bit-identical.
fn check_steps<L, Lo, O>(
    mut net: Network<L>,
    x: &Matrix<2, 3>,
    t: &Matrix<2, 2>,
    loss: &Lo,
    optimizer: &mut O,
) -> Result<(), TestCaseError>
where
    L: constnet::Layer<Matrix<2, 3>, Output = Matrix<2, 2>>
        + Parameters<f32>
        + Copy
        + std::fmt::Debug,
    Network<L>: constnet::Trainable<Matrix<2, 3>, Output = Matrix<2, 2>, Gradient = GradientOf<L>>,
    Lo: Loss<Matrix<2, 2>>,
    O: Optimizer<L, f32> + std::fmt::Debug,
{
    for _ in 0..3 {
        let (before, state_before) = (bits(&net), format!("{optimizer:?}"));
        match net.train_step(x, t, loss, optimizer) {
            Ok(value) => {
                prop_assert!(value.is_finite());
                prop_assert!(all_finite(&net), "{net:?}");
                let state = format!("{optimizer:?}");
                prop_assert!(!state.contains("NaN") && !state.contains("inf"), "{state}");
            }
            Err(_) => {
                prop_assert_eq!(bits(&net), before);
                prop_assert_eq!(format!("{optimizer:?}"), state_before);
            }
        }
    }
    Ok(())
}

fn relu_net(w: &[f32]) -> Network<(Affine<3, 4>, Relu, Affine<4, 2>)> {
    Network {
        layers: (
            Affine::new(
                Matrix::from_slice(&w[..12]).unwrap(),
                Matrix::from_slice(&w[12..16]).unwrap(),
            ),
            Relu,
            Affine::new(
                Matrix::from_slice(&w[16..24]).unwrap(),
                Matrix::from_slice(&w[24..26]).unwrap(),
            ),
        ),
    }
}

fn sigmoid_net(w: &[f32]) -> Network<(Affine<3, 4>, Tanh, Affine<4, 2>, Sigmoid)> {
    Network {
        layers: (
            Affine::new(
                Matrix::from_slice(&w[..12]).unwrap(),
                Matrix::from_slice(&w[12..16]).unwrap(),
            ),
            Tanh,
            Affine::new(
                Matrix::from_slice(&w[16..24]).unwrap(),
                Matrix::from_slice(&w[24..26]).unwrap(),
            ),
            Sigmoid,
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn no_ok_step_leaves_a_non_finite_parameter_or_state(
        weights in mostly_finite(26),
        inputs in proptest::collection::vec(value(), 6),
        targets in proptest::collection::vec(prop_oneof![8 => 0.0_f32..=1.0, 1 => value()], 4),
        lr in learning_rate(),
        optimizer in 0usize..5,
        loss in 0usize..4,
    ) {
        let x = Matrix::<2, 3>::from_slice(&inputs).unwrap();
        let t = Matrix::<2, 2>::from_slice(&targets).unwrap();
        macro_rules! run {
            ($net:expr, $loss:expr, $layers:ty) => {{
                type G = GradientOf<$layers>;
                match optimizer {
                    0 => check_steps($net, &x, &t, $loss, &mut Sgd::new(lr))?,
                    1 => check_steps($net, &x, &t, $loss, &mut Momentum::<G>::new(lr, 0.9))?,
                    2 => check_steps($net, &x, &t, $loss, &mut AdaGrad::<G>::new(lr))?,
                    3 => check_steps($net, &x, &t, $loss, &mut RmsProp::<G>::new(lr, 0.99))?,
                    _ => check_steps($net, &x, &t, $loss, &mut Adam::<G>::new(lr, 0.9, 0.999))?,
                }
            }};
        }
        type ReluLayers = (Affine<3, 4>, Relu, Affine<4, 2>);
        type SigmoidLayers = (Affine<3, 4>, Tanh, Affine<4, 2>, Sigmoid);
        match loss {
            0 => run!(relu_net(&weights), &Mse, ReluLayers),
            1 => run!(relu_net(&weights), &SoftmaxCrossEntropy, ReluLayers),
            2 => run!(sigmoid_net(&weights), &BinaryCrossEntropy, SigmoidLayers),
            _ => run!(sigmoid_net(&weights), &Mse, SigmoidLayers),
        }
    }
}
