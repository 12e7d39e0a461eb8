//! Training steps and products of constnet beside the same work written by
//! hand with nalgebra's stack matrices and, for the large shapes, with
//! `matrixmultiply::sgemm`, all measured in the same run.
//!
//! `cargo bench` runs everything (a few minutes on two cores); a filter runs
//! one group: `cargo bench -- W4`. Add `RUSTFLAGS="-C target-cpu=native"` to
//! let both sides use every vector instruction of the machine.
//!
//! | group | what |
//! |---|---|
//! | W1 | 2-4-1 sigmoid, MSE, batch 4: a training step (XOR) |
//! | W2 | 4-6-6-6-1 ReLU, MSE, batch 1: forward and backward, no update |
//! | W3 | 64-32-10 ReLU, softmax cross-entropy, batch 32: a training step |
//! | W4 | 784-128-10 ReLU, softmax cross-entropy, batch 64: a training step |
//! | small parts | W1's and W2's products and sigmoids alone |
//! | W5 | 64-32-10 ReLU, softmax, batch 1: inference |
//! | update | W4's SGD update alone: checked (all or nothing), and a plain loop |
//! | M | products alone, in FLOP/s |
//! | batching | a 1000x5000 batch times 5000x10 weights, batched and row by row |
//!
//! W3 and W4 also run the step with an SGD update that checks nothing (the
//! difference is what the all-or-nothing check costs) and the fused SGD step
//! (`train_step_fused`). A step is forward, loss, backward and an SGD update. The nalgebra
//! versions store a batch with one sample per column (nalgebra is
//! column-major), the weights as `IN x OUT` so that the forward product is
//! `Wᵀ·X` (`tr_mul`, contiguous dot products) and the input gradient is
//! `W·dZ`, and they skip the input gradient of the first layer, which nobody
//! needs. constnet's layer API computes it (see `BENCHMARKS.md`).

use std::hint::black_box;
use std::time::Duration;

use constnet::{
    Activations, Affine, GradientOf, Matrix, Mse, Network, Optimizer, Parameters, Relu, Sgd,
    Sigmoid, Softmax, SoftmaxCrossEntropy, Workspace,
};
use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use nalgebra::{SMatrix, SVector};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const LEARNING_RATE: f32 = 0.01;

// ---------------------------------------------------------------------------
// Inputs

fn rng() -> StdRng {
    StdRng::seed_from_u64(7)
}

fn random<const R: usize, const C: usize>(rng: &mut StdRng) -> Matrix<R, C> {
    Matrix::from_fn(|_, _| rng.random_range(-1.0..1.0))
}

fn one_hot<const B: usize, const N: usize>(rng: &mut StdRng) -> Matrix<B, N> {
    let mut t = Matrix::zeros();
    for r in 0..B {
        t[(r, rng.random_range(0..N))] = 1.0;
    }
    t
}

/// The same values, one sample per column, for nalgebra.
fn columns<const B: usize, const N: usize>(m: &Matrix<B, N>) -> SMatrix<f32, N, B> {
    SMatrix::from_fn(|r, c| m[(c, r)])
}

fn dense<const I: usize, const O: usize>(layer: &Affine<I, O>) -> Dense<I, O> {
    Dense {
        w: SMatrix::from_fn(|r, c| layer.weights[(r, c)]),
        b: SVector::from_fn(|r, _| layer.bias[(0, r)]),
    }
}

// ---------------------------------------------------------------------------
// The nalgebra baseline

/// A fully connected layer for nalgebra, weights `IN x OUT`.
struct Dense<const I: usize, const O: usize> {
    w: SMatrix<f32, I, O>,
    b: SVector<f32, O>,
}

impl<const I: usize, const O: usize> Dense<I, O> {
    /// `Z = Wᵀ·X + b`, one sample per column.
    #[inline]
    fn forward<const B: usize>(&self, x: &SMatrix<f32, I, B>) -> SMatrix<f32, O, B> {
        let mut z = self.w.tr_mul(x);
        for mut column in z.column_iter_mut() {
            column += &self.b;
        }
        z
    }

    /// `dW = X·dZᵀ`, `db = Σ dZ`.
    #[inline]
    fn gradient<const B: usize>(
        x: &SMatrix<f32, I, B>,
        dz: &SMatrix<f32, O, B>,
    ) -> (SMatrix<f32, I, O>, SVector<f32, O>) {
        (x * dz.transpose(), dz.column_sum())
    }

    /// `dX = W·dZ`.
    #[inline]
    fn input_gradient<const B: usize>(&self, dz: &SMatrix<f32, O, B>) -> SMatrix<f32, I, B> {
        self.w * dz
    }

    #[inline]
    fn sgd(&mut self, (dw, db): &(SMatrix<f32, I, O>, SVector<f32, O>)) {
        self.w.zip_apply(dw, |w, d| *w -= LEARNING_RATE * d);
        self.b.zip_apply(db, |b, d| *b -= LEARNING_RATE * d);
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Softmax cross-entropy of each column against one-hot columns: the loss
/// and `dZ = (softmax(Z) - T) / B`.
#[inline]
fn softmax_cross_entropy<const N: usize, const B: usize>(
    z: &SMatrix<f32, N, B>,
    t: &SMatrix<f32, N, B>,
) -> (f32, SMatrix<f32, N, B>) {
    let mut dz = SMatrix::<f32, N, B>::zeros();
    let mut loss = 0.0;
    for ((z, t), mut dz) in z
        .column_iter()
        .zip(t.column_iter())
        .zip(dz.column_iter_mut())
    {
        let max = z.max();
        let p = z.map(|v| (v - max).exp());
        let sum = p.sum();
        loss += t.dot(&z.map(|v| sum.ln() + max - v));
        dz.copy_from(&((p / sum - t) / B as f32));
    }
    (loss / B as f32, dz)
}

/// Softmax of each column.
#[inline]
fn softmax<const N: usize, const B: usize>(z: &SMatrix<f32, N, B>) -> SMatrix<f32, N, B> {
    let mut y = *z;
    for mut column in y.column_iter_mut() {
        let max = column.max();
        column.apply(|v| *v = (*v - max).exp());
        let sum = column.sum();
        column /= sum;
    }
    y
}

/// A two-layer ReLU classifier with softmax cross-entropy (W3, W4).
struct Classifier<const I: usize, const H: usize, const O: usize> {
    l1: Dense<I, H>,
    l2: Dense<H, O>,
}

impl<const I: usize, const H: usize, const O: usize> Classifier<I, H, O> {
    fn step<const B: usize>(&mut self, x: &SMatrix<f32, I, B>, t: &SMatrix<f32, O, B>) -> f32 {
        let h = self.l1.forward(x).map(|v| v.max(0.0));
        let z = self.l2.forward(&h);
        let (loss, dz) = softmax_cross_entropy(&z, t);
        let g2 = Dense::<H, O>::gradient(&h, &dz);
        let dh = self
            .l2
            .input_gradient(&dz)
            .zip_map(&h, |d, h| if h > 0.0 { d } else { 0.0 });
        let g1 = Dense::<I, H>::gradient(x, &dh);
        self.l1.sgd(&g1);
        self.l2.sgd(&g2);
        loss
    }

    fn predict<const B: usize>(&self, x: &SMatrix<f32, I, B>) -> SMatrix<f32, O, B> {
        softmax(&self.l2.forward(&self.l1.forward(x).map(|v| v.max(0.0))))
    }
}

// ---------------------------------------------------------------------------
// W1: XOR

type Xor = Network<(Affine<2, 4>, Sigmoid, Affine<4, 1>, Sigmoid)>;

struct NalgebraXor {
    l1: Dense<2, 4>,
    l2: Dense<4, 1>,
}

impl NalgebraXor {
    fn step(&mut self, x: &SMatrix<f32, 2, 4>, t: &SMatrix<f32, 1, 4>) -> f32 {
        let h = self.l1.forward(x).map(sigmoid);
        let y = self.l2.forward(&h).map(sigmoid);
        let diff = y - t;
        let loss = diff.norm_squared() / 4.0;
        let dz2 = (diff * 0.5).component_mul(&y.map(|y| y * (1.0 - y)));
        let g2 = Dense::<4, 1>::gradient(&h, &dz2);
        let dz1 = self
            .l2
            .input_gradient(&dz2)
            .component_mul(&h.map(|h| h * (1.0 - h)));
        let g1 = Dense::<2, 4>::gradient(x, &dz1);
        self.l1.sgd(&g1);
        self.l2.sgd(&g2);
        loss
    }
}

fn w1(c: &mut Criterion) {
    let mut rng = rng();
    let mut net: Xor = Network::new((
        Affine::xavier(&mut rng),
        Sigmoid,
        Affine::xavier(&mut rng),
        Sigmoid,
    ));
    let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let t = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let mut baseline = NalgebraXor {
        l1: dense(&net.layers.0),
        l2: dense(&net.layers.2),
    };
    let (nx, nt) = (columns(&x), columns(&t));
    let mut sgd = Sgd::new(LEARNING_RATE);

    let mut group = c.benchmark_group("W1 xor step");
    group.bench_function("constnet", |bench| {
        bench.iter(|| net.train_step(black_box(&x), black_box(&t), &Mse, &mut sgd))
    });
    group.bench_function("nalgebra", |bench| {
        bench.iter(|| baseline.step(black_box(&nx), black_box(&nt)))
    });
    group.finish();
}

// ---------------------------------------------------------------------------
// W2: the textbook's 4-6-6-6-1 gradient

type Textbook = Network<(
    Affine<4, 6>,
    Relu,
    Affine<6, 6>,
    Relu,
    Affine<6, 6>,
    Relu,
    Affine<6, 1>,
)>;

struct NalgebraTextbook {
    l1: Dense<4, 6>,
    l2: Dense<6, 6>,
    l3: Dense<6, 6>,
    l4: Dense<6, 1>,
}

type Grad<const I: usize, const O: usize> = (SMatrix<f32, I, O>, SVector<f32, O>);

impl NalgebraTextbook {
    #[allow(clippy::type_complexity)]
    fn gradient(
        &self,
        x: &SMatrix<f32, 4, 1>,
        t: &SMatrix<f32, 1, 1>,
    ) -> (f32, Grad<4, 6>, Grad<6, 6>, Grad<6, 6>, Grad<6, 1>) {
        let relu = |v: f32| v.max(0.0);
        let mask = |d: f32, h: f32| if h > 0.0 { d } else { 0.0 };
        let h1 = self.l1.forward(x).map(relu);
        let h2 = self.l2.forward(&h1).map(relu);
        let h3 = self.l3.forward(&h2).map(relu);
        let y = self.l4.forward(&h3);
        let diff = y - t;
        let dy = diff * 2.0;
        let g4 = Dense::<6, 1>::gradient(&h3, &dy);
        let d3 = self.l4.input_gradient(&dy).zip_map(&h3, mask);
        let g3 = Dense::<6, 6>::gradient(&h2, &d3);
        let d2 = self.l3.input_gradient(&d3).zip_map(&h2, mask);
        let g2 = Dense::<6, 6>::gradient(&h1, &d2);
        let d1 = self.l2.input_gradient(&d2).zip_map(&h1, mask);
        let g1 = Dense::<4, 6>::gradient(x, &d1);
        (diff.norm_squared(), g1, g2, g3, g4)
    }
}

fn w2(c: &mut Criterion) {
    let mut rng = rng();
    let net: Textbook = Network::new((
        Affine::he(&mut rng),
        Relu,
        Affine::he(&mut rng),
        Relu,
        Affine::he(&mut rng),
        Relu,
        Affine::he(&mut rng),
    ));
    let x: Matrix<1, 4> = random(&mut rng);
    let t = Matrix::new([[0.5]]);
    let baseline = NalgebraTextbook {
        l1: dense(&net.layers.0),
        l2: dense(&net.layers.2),
        l3: dense(&net.layers.4),
        l4: dense(&net.layers.6),
    };
    let (nx, nt) = (columns(&x), columns(&t));

    let mut group = c.benchmark_group("W2 textbook gradient");
    let mut workspace = Workspace::new();
    group.bench_function("constnet", |bench| {
        // The gradient is left in the workspace, where a user reads it;
        // nalgebra's is returned by value. Neither is copied again.
        bench.iter(|| {
            let loss = net.gradient(&mut workspace, black_box(&x), black_box(&t), &Mse);
            black_box(workspace.gradient());
            loss
        })
    });
    group.bench_function("nalgebra", |bench| {
        bench.iter(|| baseline.gradient(black_box(&nx), black_box(&nt)))
    });
    group.finish();
}

// ---------------------------------------------------------------------------
// W3, W4: classifier steps

type Mlp<const I: usize, const H: usize, const O: usize> =
    Network<(Affine<I, H>, Relu, Affine<H, O>)>;

fn classifier_step<const I: usize, const H: usize, const O: usize, const B: usize>(
    c: &mut Criterion,
    name: &str,
    with_sgemm: bool,
) {
    let mut rng = rng();
    let net: Box<Mlp<I, H, O>> = Box::new(Network::new((
        Affine::he(&mut rng),
        Relu,
        Affine::he(&mut rng),
    )));
    let x: Box<Matrix<B, I>> = Box::new(random(&mut rng));
    let t: Box<Matrix<B, O>> = Box::new(one_hot(&mut rng));
    let mut baseline = Box::new(Classifier {
        l1: dense(&net.layers.0),
        l2: dense(&net.layers.2),
    });
    let (nx, nt) = (Box::new(columns(&x)), Box::new(columns(&t)));
    let mut sgd = Sgd::new(LEARNING_RATE);
    let mut sgemm = with_sgemm.then(|| SgemmClassifier::new::<I, H, O, B>(&net));

    let mut group = c.benchmark_group(name);
    let flops = 2 * B * (I * H + H * O) * 3;
    group.throughput(Throughput::Elements(flops as u64));
    // Every constnet step starts from the same weights (a copy made outside
    // the timing): steps that keep training one network drift towards
    // weights and activations that time differently (subnormals), which
    // would make the variants below incomparable.
    group.bench_function("constnet", |bench| {
        from_same_weights(bench, &*net, |net| {
            net.train_step(
                black_box(&*x),
                black_box(&*t),
                &SoftmaxCrossEntropy,
                &mut sgd,
            )
        })
    });
    // The same step with an update that checks nothing: the difference is
    // what the all-or-nothing check costs a step.
    group.bench_function("constnet, update unchecked", |bench| {
        from_same_weights(bench, &*net, |net| {
            let mut unchecked = UncheckedSgd(LEARNING_RATE);
            net.train_step(
                black_box(&*x),
                black_box(&*t),
                &SoftmaxCrossEntropy,
                &mut unchecked,
            )
        })
    });
    let mut activations = Box::new(Activations::<Mlp<I, H, O>, Matrix<B, I>>::new());
    group.bench_function("constnet, fused sgd", |bench| {
        from_same_weights(bench, &*net, |net| {
            let (x, t) = (black_box(&*x), black_box(&*t));
            net.train_step_fused(&mut activations, x, t, &SoftmaxCrossEntropy, &sgd)
        })
    });
    group.bench_function("nalgebra", |bench| {
        bench.iter(|| baseline.step(black_box(&*nx), black_box(&*nt)))
    });
    if let Some(sgemm) = &mut sgemm {
        group.bench_function("matrixmultiply", |bench| {
            bench.iter(|| sgemm.step::<B>(black_box(x.as_slice()), black_box(t.as_slice())))
        });
    }
    group.finish();
}

/// Times `step` on a fresh copy of `net` each iteration, made outside the
/// timing.
fn from_same_weights<N: Clone, R>(
    bench: &mut criterion::Bencher,
    net: &N,
    mut step: impl FnMut(&mut N) -> R,
) {
    bench.iter_batched_ref(|| net.clone(), |net| step(net), BatchSize::LargeInput);
}

/// SGD without the check: `w -= lr·dW`, whatever comes out. Only for
/// measuring what the library's checked update costs.
struct UncheckedSgd(f32);

impl<P: Parameters<f32>> Optimizer<P, f32> for UncheckedSgd {
    fn step(
        &mut self,
        parameters: &mut P,
        gradient: &mut P::Gradient,
    ) -> Result<(), constnet::UpdateError> {
        let lr = self.0;
        parameters.update(gradient, [], &mut |w: &mut [f32], d: &mut [f32], []| {
            for (w, d) in w.iter_mut().zip(d.iter()) {
                *w -= lr * d;
            }
        });
        Ok(())
    }
}

/// The classifier step with every product through `matrixmultiply::sgemm`,
/// row-major like constnet, doing the same work as constnet's step (the
/// first layer's input gradient included), so the ratio compares kernels.
struct SgemmClassifier {
    sizes: [usize; 3],
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
    scratch: Vec<f32>,
}

impl SgemmClassifier {
    fn new<const I: usize, const H: usize, const O: usize, const B: usize>(
        net: &Mlp<I, H, O>,
    ) -> Self {
        let (l1, _, l2) = &net.layers;
        Self {
            sizes: [I, H, O],
            w1: l1.weights.as_slice().to_vec(),
            b1: l1.bias.as_slice().to_vec(),
            w2: l2.weights.as_slice().to_vec(),
            b2: l2.bias.as_slice().to_vec(),
            scratch: vec![0.0; B * (2 * H + O + I) + I * H + H * O],
        }
    }

    /// `c = a·b` (or `aᵀ·b`, `a·bᵀ` through the strides), all row-major.
    #[allow(clippy::too_many_arguments)]
    fn gemm(
        m: usize,
        k: usize,
        n: usize,
        a: &[f32],
        (rsa, csa): (usize, usize),
        b: &[f32],
        (rsb, csb): (usize, usize),
        c: &mut [f32],
    ) {
        assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
        // SAFETY: the strides address only the first m*k, k*n and m*n
        // elements of the slices, checked above.
        unsafe {
            matrixmultiply::sgemm(
                m,
                k,
                n,
                1.0,
                a.as_ptr(),
                rsa as isize,
                csa as isize,
                b.as_ptr(),
                rsb as isize,
                csb as isize,
                0.0,
                c.as_mut_ptr(),
                n as isize,
                1,
            );
        }
    }

    fn step<const B: usize>(&mut self, x: &[f32], t: &[f32]) -> f32 {
        let [i, h, o] = self.sizes;
        let (hidden, rest) = self.scratch.split_at_mut(B * h);
        let (z, rest) = rest.split_at_mut(B * o);
        let (dh, rest) = rest.split_at_mut(B * h);
        let (dw1, dw2) = rest.split_at_mut(i * h);
        // forward
        Self::gemm(B, i, h, x, (i, 1), &self.w1, (h, 1), hidden);
        for row in hidden.chunks_exact_mut(h) {
            for (v, b) in row.iter_mut().zip(&self.b1) {
                *v = (*v + b).max(0.0);
            }
        }
        Self::gemm(B, h, o, hidden, (h, 1), &self.w2, (o, 1), z);
        // loss and dZ
        let mut loss = 0.0;
        for (z, t) in z.chunks_exact_mut(o).zip(t.chunks_exact(o)) {
            for (v, b) in z.iter_mut().zip(&self.b2) {
                *v += b;
            }
            let max = z.iter().fold(f32::MIN, |m, &v| m.max(v));
            let sum: f32 = z.iter().map(|v| (v - max).exp()).sum();
            for (v, t) in z.iter_mut().zip(t) {
                loss += t * (sum.ln() + max - *v);
                *v = ((*v - max).exp() / sum - t) / B as f32;
            }
        }
        // backward: dW2 = Hᵀ·dZ, dH = dZ·W2ᵀ, dW1 = Xᵀ·dH; training needs
        // no dX, and constnet's step skips it too
        Self::gemm(h, B, o, hidden, (1, h), z, (o, 1), &mut dw2[..h * o]);
        Self::gemm(B, o, h, z, (o, 1), &self.w2, (1, o), dh);
        for (d, v) in dh.iter_mut().zip(hidden.iter()) {
            if *v <= 0.0 {
                *d = 0.0;
            }
        }
        Self::gemm(i, B, h, x, (1, i), dh, (h, 1), dw1);
        // SGD
        let (dw2, rest) = dw2.split_at(h * o);
        for (w, d) in self.w1.iter_mut().zip(dw1.iter()) {
            *w -= LEARNING_RATE * d;
        }
        for (w, d) in self.w2.iter_mut().zip(dw2) {
            *w -= LEARNING_RATE * d;
        }
        let _ = rest;
        for c in 0..h {
            let db: f32 = dh.iter().skip(c).step_by(h).sum();
            self.b1[c] -= LEARNING_RATE * db;
        }
        for c in 0..o {
            let db: f32 = z.iter().skip(c).step_by(o).sum();
            self.b2[c] -= LEARNING_RATE * db;
        }
        loss / B as f32
    }
}

fn w3(c: &mut Criterion) {
    classifier_step::<64, 32, 10, 32>(c, "W3 digits step", false);
}

fn w4(c: &mut Criterion) {
    classifier_step::<784, 128, 10, 64>(c, "W4 mnist step", true);
}

// ---------------------------------------------------------------------------
// W5: inference

fn w5(c: &mut Criterion) {
    let mut rng = rng();
    let net: Network<(Affine<64, 32>, Relu, Affine<32, 10>, Softmax)> =
        Network::new((Affine::he(&mut rng), Relu, Affine::he(&mut rng), Softmax));
    let baseline = Classifier {
        l1: dense(&net.layers.0),
        l2: dense(&net.layers.2),
    };
    let x: Matrix<1, 64> = random(&mut rng);
    let nx = columns(&x);

    let mut group = c.benchmark_group("W5 inference");
    group.bench_function("constnet", |bench| {
        bench.iter(|| net.predict(black_box(&x)))
    });
    group.bench_function("nalgebra", |bench| {
        bench.iter(|| baseline.predict(black_box(&nx)))
    });
    group.finish();
}

// ---------------------------------------------------------------------------
// M: products alone

fn sgemm_into(m: usize, k: usize, n: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    SgemmClassifier::gemm(m, k, n, a, (k, 1), b, (n, 1), c);
}

fn product<const R: usize, const K: usize, const C: usize>(c: &mut Criterion, with_nalgebra: bool) {
    let mut rng = rng();
    let a = Matrix::<R, K>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let b = Matrix::<K, C>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let mut out = Matrix::<R, C>::boxed_zeros();
    let mut group = c.benchmark_group("M product");
    group.throughput(Throughput::Elements((2 * R * K * C) as u64));
    if R * K * C > 1 << 20 {
        group.sampling_mode(SamplingMode::Flat);
    }
    let shape = format!("{R}x{K}x{C}");
    group.bench_function(BenchmarkId::new("constnet", &shape), |bench| {
        bench.iter(|| black_box(&*a).matmul_into(black_box(&*b), &mut out))
    });
    if with_nalgebra {
        let na: Box<SMatrix<f32, R, K>> = Box::new(SMatrix::from_fn(|r, c| a[(r, c)]));
        let nb: Box<SMatrix<f32, K, C>> = Box::new(SMatrix::from_fn(|r, c| b[(r, c)]));
        let mut nout: Box<SMatrix<f32, R, C>> = Box::new(SMatrix::zeros());
        group.bench_function(BenchmarkId::new("nalgebra", &shape), |bench| {
            bench.iter(|| black_box(&*na).mul_to(black_box(&*nb), &mut *nout))
        });
    }
    let mut sout = vec![0.0; R * C];
    group.bench_function(BenchmarkId::new("matrixmultiply", &shape), |bench| {
        bench.iter(|| {
            sgemm_into(
                R,
                K,
                C,
                black_box(a.as_slice()),
                black_box(b.as_slice()),
                &mut sout,
            )
        })
    });
    group.finish();
}

/// The two products of a backward pass at W4's first layer: the weight
/// gradient `Xᵀ·dY` (784x64 by 64x128) and the input gradient `dY·Wᵀ`
/// (64x128 by 128x784).
fn backward_products(c: &mut Criterion) {
    let mut rng = rng();
    let x = Matrix::<64, 784>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let dy = Matrix::<64, 128>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let w = Matrix::<784, 128>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let mut out = vec![0.0; 784 * 128];
    // Both sides write into storage allocated once, as a training step
    // does (`transposed_matmul` would clear and return 400 KB by value).
    let mut d_w = Matrix::<784, 128>::boxed_zeros();
    let mut d_x = Matrix::<64, 784>::boxed_zeros();
    let mut group = c.benchmark_group("M product");
    group.throughput(Throughput::Elements(2 * 64 * 784 * 128));
    group.bench_function("constnet/xT.dy 784x64x128", |bench| {
        bench.iter(|| black_box(&*x).transposed_matmul_into(black_box(&*dy), &mut d_w))
    });
    group.bench_function("matrixmultiply/xT.dy 784x64x128", |bench| {
        bench.iter(|| {
            let (x, dy) = (black_box(x.as_slice()), black_box(dy.as_slice()));
            SgemmClassifier::gemm(784, 64, 128, x, (1, 784), dy, (128, 1), &mut out)
        })
    });
    group.bench_function("constnet/dy.wT 64x128x784", |bench| {
        bench.iter(|| black_box(&*dy).matmul_transposed_into(black_box(&*w), &mut d_x))
    });
    group.bench_function("matrixmultiply/dy.wT 64x128x784", |bench| {
        bench.iter(|| {
            let (dy, w) = (black_box(dy.as_slice()), black_box(w.as_slice()));
            SgemmClassifier::gemm(64, 128, 784, dy, (128, 1), w, (1, 128), &mut out)
        })
    });
    group.finish();
}

/// The pieces of the small steps (W1, W2) alone, to locate their gap: the
/// three products of a 6-wide layer at batch 1 and 16 sigmoids, constnet
/// (`libm`'s `expf`) beside nalgebra (`f32::exp`).
fn small_parts(c: &mut Criterion) {
    let mut rng = rng();
    let dy: Matrix<1, 6> = random(&mut rng);
    let w: Matrix<6, 6> = random(&mut rng);
    let x: Matrix<1, 6> = random(&mut rng);
    let s: Matrix<4, 4> = random(&mut rng);
    let (ndy, nx) = (columns(&dy), columns(&x));
    let nw: SMatrix<f32, 6, 6> = SMatrix::from_fn(|r, c| w[(r, c)]);
    let ns: SMatrix<f32, 4, 4> = SMatrix::from_fn(|r, c| s[(r, c)]);

    let mut group = c.benchmark_group("small parts");
    group.bench_function("constnet/forward x.W", |bench| {
        bench.iter(|| black_box(&x).matmul(black_box(&w)))
    });
    group.bench_function("nalgebra/forward Wt.x", |bench| {
        bench.iter(|| black_box(&nw).tr_mul(black_box(&nx)))
    });
    group.bench_function("constnet/weight gradient xT.dy", |bench| {
        bench.iter(|| black_box(&x).transposed_matmul(black_box(&dy)))
    });
    group.bench_function("nalgebra/weight gradient x.dzT", |bench| {
        bench.iter(|| black_box(&nx) * black_box(&ndy).transpose())
    });
    group.bench_function("constnet/input gradient dy.WT", |bench| {
        bench.iter(|| black_box(&dy).matmul_transposed(black_box(&w)))
    });
    group.bench_function("nalgebra/input gradient W.dz", |bench| {
        bench.iter(|| black_box(&nw) * black_box(&ndy))
    });
    group.bench_function("constnet/16 sigmoids", |bench| {
        bench.iter(|| black_box(&s).map(|x| constnet::Activation::activate(&Sigmoid, x)))
    });
    group.bench_function("nalgebra/16 sigmoids", |bench| {
        bench.iter(|| black_box(&ns).map(sigmoid))
    });
    group.finish();
}

fn m(c: &mut Criterion) {
    product::<4, 6, 6>(c, true);
    product::<32, 64, 32>(c, true);
    product::<64, 784, 128>(c, true);
    // A 1000 x 5000 nalgebra matrix cannot be built without passing through the stack.
    product::<1000, 5000, 10>(c, false);
    backward_products(c);
}

// ---------------------------------------------------------------------------
// Batching: one product of a 1000-sample batch against 1000 one-sample products

fn batching(c: &mut Criterion) {
    let mut rng = rng();
    let x = Matrix::<1000, 5000>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let w = Matrix::<5000, 10>::boxed_from_fn(|_, _| rng.random_range(-1.0..1.0));
    let samples: Vec<Matrix<1, 5000>> = x.rows().iter().map(|row| Matrix::new([*row])).collect();
    let mut y = Matrix::<1000, 10>::boxed_zeros();
    let mut ys = vec![Matrix::<1, 10>::zeros(); 1000];

    let mut group = c.benchmark_group("batching 1000x5000x10");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(2 * 1000 * 5000 * 10));
    group.bench_function("batched", |bench| {
        bench.iter(|| black_box(&*x).matmul_into(black_box(&*w), &mut y))
    });
    group.bench_function("per-instance", |bench| {
        bench.iter(|| {
            for (x, y) in black_box(&samples).iter().zip(&mut ys) {
                x.matmul_into(black_box(&*w), y);
            }
        })
    });
    group.finish();
}

/// W4's SGD update alone, 101,770 parameters: the optimizer's checked step
/// (all or nothing, leaving the old weights in the gradient) against a plain
/// `w -= lr·dW` loop that checks nothing. The difference is what the check
/// costs a W4 step. Each iteration starts from a fresh copy of the gradient,
/// made outside the timing.
fn update(c: &mut Criterion) {
    type Layers = (Affine<784, 128>, Relu, Affine<128, 10>);
    let mut rng = rng();
    let mut net: Box<Network<Layers>> = Box::new(Network::new((
        Affine::he(&mut rng),
        Relu,
        Affine::he(&mut rng),
    )));
    let mut gradient: Box<GradientOf<Layers>> = Box::default();
    net.layers.update(
        &mut gradient,
        [],
        &mut |_: &mut [f32], d: &mut [f32], []| {
            d.iter_mut().for_each(|d| *d = rng.random_range(-1.0..1.0));
        },
    );
    let mut sgd = Sgd::new(1e-6);
    let mut group = c.benchmark_group("update 784-128-10");
    group.throughput(Throughput::Elements(101_770));
    group.bench_function("checked sgd", |bench| {
        bench.iter_batched_ref(
            || gradient.clone(),
            |g| sgd.step(&mut *net, g),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("unchecked loop", |bench| {
        bench.iter_batched_ref(
            || gradient.clone(),
            |g| {
                net.layers
                    .update(&mut **g, [], &mut |w: &mut [f32], d: &mut [f32], []| {
                        for (w, d) in w.iter_mut().zip(d.iter()) {
                            *w -= 1e-6 * d;
                        }
                    })
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// Short runs: the whole suite takes a few minutes on two cores.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = w1, w2, small_parts, w3, w4, update, w5, m, batching
}
criterion_main!(benches);
