// A 2-8-1 ReLU network trained on XOR, written by `tests/bake.rs`.

pub const XOR: constnet::Network<(constnet::Affine<2, 8, f32>, constnet::Relu, constnet::Affine<8, 1, f32>, constnet::Identity)> = constnet::Network::new((
    constnet::Affine::new(
        constnet::Matrix::new([
            [1.0212368, 1.6769389, 0.9427199, 0.62556833, -1.0985165, -0.24950275, -1.1271906, -1.1238029],
            [0.8777223, -1.1142012, 0.11000711, 1.5447199, 1.0985165, -0.38587388, 1.6595576, 0.5284675],
        ]),
        constnet::Matrix::new([
            [-0.24178728, 1.1021153e-9, -0.13318625, -0.019062571, 6.769709e-10, 0.0, -0.06354778, -0.1938267],
        ]),
    ),
    constnet::Relu,
    constnet::Affine::new(
        constnet::Matrix::new([
            [-0.28968066],
            [0.8334064],
            [-0.21773706],
            [0.0073941723],
            [0.5493807],
            [-0.36504534],
            [0.416734],
            [-0.28591496],
        ]),
        constnet::Matrix::new([
            [3.551469e-7],
        ]),
    ),
    constnet::Identity,
));
