//! A training step allocates nothing: 1,000 XOR steps (forward, loss,
//! backward, SGD update) under a global allocator that counts every byte.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use constnet::{Affine, Matrix, Mse, Network, Sgd, Sigmoid};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The system allocator, counting the calls and bytes of the thread that
/// armed it (the test harness allocates on other threads meanwhile).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static ARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn record(size: usize) {
    if ARMED.with(|armed| armed.get()) {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        BYTES.fetch_add(size, Ordering::SeqCst);
    }
}

// SAFETY: every call is forwarded unchanged to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` with this thread's allocations counted; returns (calls, bytes).
fn count_allocations(f: impl FnOnce()) -> (usize, usize) {
    // One counting window at a time: the counters are shared.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _window = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    ALLOCATIONS.store(0, Ordering::SeqCst);
    BYTES.store(0, Ordering::SeqCst);
    ARMED.with(|armed| armed.set(true));
    f();
    ARMED.with(|armed| armed.set(false));
    (
        ALLOCATIONS.load(Ordering::SeqCst),
        BYTES.load(Ordering::SeqCst),
    )
}

#[test]
fn the_counter_sees_allocations() {
    // Guards the test below against a counter that never counts.
    let (calls, bytes) = count_allocations(|| {
        std::hint::black_box(vec![0u8; 100]);
    });
    assert_eq!((calls, bytes), (1, 100));
}

#[test]
fn a_thousand_xor_training_steps_allocate_nothing() {
    let mut rng = StdRng::seed_from_u64(42);
    let mut net = Network::new((
        Affine::<2, 4>::xavier(&mut rng),
        Sigmoid,
        Affine::<4, 1>::xavier(&mut rng),
        Sigmoid,
    ));
    let inputs = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let targets = Matrix::new([[0.0], [1.0], [1.0], [0.0]]);
    let mut sgd = Sgd::new(2.0);

    let mut losses = [0.0_f32; 1000];
    let (calls, bytes) = count_allocations(|| {
        for loss in &mut losses {
            *loss = net
                .train_step(
                    std::hint::black_box(&inputs),
                    std::hint::black_box(&targets),
                    &Mse,
                    &mut sgd,
                )
                .expect("finite loss");
        }
    });

    assert_eq!((calls, bytes), (0, 0), "training allocated");
    // The steps did run, and trained.
    assert!(
        losses[999] < losses[0] / 2.0,
        "{} -> {}",
        losses[0],
        losses[999]
    );
}
