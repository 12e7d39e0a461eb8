//! A training step allocates nothing, for layers large enough to take the
//! tiled matrix kernels: a digits-sized network (64-32-10, batch 32) and an
//! MNIST-sized one (784-128-10, batch 64), each step being forward, softmax
//! cross-entropy, backward and an SGD update.
//!
//! A counting global allocator counts the allocations made by the thread
//! that runs the steps, while they run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use constnet::{Affine, Matrix, Network, Relu, Sgd, SoftmaxCrossEntropy};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The system allocator, counting the allocations of threads that ask it to.
struct Counting;

thread_local! {
    // Per thread, so that tests running in parallel do not see each other.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn record() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping touches only const-initialised thread locals, which do not
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record();
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations it made
/// on this thread.
fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    COUNTING.with(|c| c.set(true));
    let result = f();
    COUNTING.with(|c| c.set(false));
    (result, ALLOCATIONS.with(Cell::get) - before)
}

/// Trains a `I-H-O` ReLU classifier on one fixed batch of `B` samples for
/// `steps` steps, counting allocations, and returns the first and last loss
/// with the count.
fn train<const I: usize, const H: usize, const O: usize, const B: usize>(
    steps: usize,
    learning_rate: f32,
) -> (f32, f32, usize) {
    let mut rng = StdRng::seed_from_u64(3);
    let mut net = Box::new(Network::new((
        Affine::<I, H>::he(&mut rng),
        Relu,
        Affine::<H, O>::he(&mut rng),
    )));
    let x = Matrix::<B, I>::boxed_from_fn(|_, _| rng.random_range(0.0..1.0));
    let mut t = Matrix::<B, O>::boxed_zeros();
    for r in 0..B {
        t[(r, r % O)] = 1.0;
    }
    let mut sgd = Sgd::new(learning_rate);

    let (losses, allocations) = count_allocations(|| {
        let mut first = f32::NAN;
        let mut last = f32::NAN;
        for step in 0..steps {
            let loss = net
                .train_step(&*x, &*t, &SoftmaxCrossEntropy, &mut sgd)
                .expect("finite loss");
            if step == 0 {
                first = loss;
            }
            last = loss;
        }
        (first, last)
    });
    (losses.0, losses.1, allocations)
}

/// Runs `f` on a thread with a large stack: without optimisations the
/// MNIST-sized step keeps several copies of its 400 KB weight gradient on
/// the stack, more than the 2 MB a test thread has.
fn with_big_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn digits_sized_step_allocates_nothing() {
    let (first, last, allocations) = with_big_stack(|| train::<64, 32, 10, 32>(30, 0.1));
    assert_eq!(allocations, 0);
    // The steps really ran: the loss on the batch fell from about ln 10.
    assert!(first > 1.5 && first.is_finite(), "{first}");
    assert!(last < first * 0.8, "{first} -> {last}");
}

#[test]
fn mnist_sized_step_allocates_nothing() {
    let (first, last, allocations) = with_big_stack(|| train::<784, 128, 10, 64>(10, 0.05));
    assert_eq!(allocations, 0);
    assert!(first > 1.5 && first.is_finite(), "{first}");
    assert!(last < first * 0.8, "{first} -> {last}");
}

#[test]
fn the_counter_sees_allocations() {
    // The check above could not fail if the counter never counted.
    let (v, allocations) = count_allocations(|| std::hint::black_box(vec![1_u8; 16]));
    assert_eq!(v.len(), 16);
    assert!(allocations >= 1);
}
