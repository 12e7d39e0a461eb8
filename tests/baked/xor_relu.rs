// A 2-8-1 ReLU network trained on XOR, written by `tests/bake.rs`.

pub const XOR: constnet::Network<(constnet::Affine<2, 8, f32>, constnet::Relu, constnet::Affine<8, 1, f32>, constnet::Identity)> = constnet::Network::new((
    constnet::Affine::new(
        constnet::Matrix::new([
            [1.6041234, 0.66655827, -0.24950267, -1.1238029, -1.2437758, 1.6312199, -0.38587376, 1.1247437],
            [-0.01971187, -0.39981195, -1.0325041, -1.5164146, 1.4168612, -0.035714064, -1.0590186, -1.2397913],
        ]),
        constnet::Matrix::new([
            [0.02897613, -1.331438e-7, 0.0, 0.0, -0.09358686, 0.12445583, 0.0, 0.021940889],
        ]),
    ),
    constnet::Relu,
    constnet::Affine::new(
        constnet::Matrix::new([
            [0.31897542],
            [0.1658185],
            [0.46780995],
            [-0.5597411],
            [0.76493126],
            [-0.3705837],
            [0.5480406],
            [0.8733538],
        ]),
        constnet::Matrix::new([
            [0.017716851],
        ]),
    ),
    constnet::Identity,
));
