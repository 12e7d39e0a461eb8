//! [`Batches`]: one epoch of a data set as batches of `B` sample indices.

use core::iter::FusedIterator;

use rand::Rng;
use rand::seq::SliceRandom;

/// What an epoch does with the `n % B` samples left after the full batches
/// of `B`.
///
/// ```
/// use constnet::data::{Batches, Remainder};
///
/// // 5 samples in batches of 2: two full batches, and one left over.
/// let kept: Vec<_> = Batches::<2>::sequential(5, Remainder::Wrap).collect();
/// assert_eq!(kept.len(), 3);
/// assert_eq!((kept[2].indices, kept[2].fresh), ([4, 0], 1));
/// assert_eq!(Batches::<2>::sequential(5, Remainder::DropLast).count(), 2);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Remainder {
    /// Skip them: the epoch is the `n / B` full batches. With a shuffled
    /// order the skipped samples differ from epoch to epoch, so every sample
    /// is still trained on; this is the usual choice for training.
    #[default]
    DropLast,
    /// End with one more batch that holds them and is filled up with the
    /// samples at the start of the epoch's order (cycling through the order
    /// again if `n < B`). Every sample is in the epoch; the last batch's
    /// [`fresh`](IndexBatch::fresh) tells how many of its rows are new. This
    /// is the choice for evaluation, which counts only those rows.
    Wrap,
}

/// A batch of `B` sample indices.
///
/// Rows `0..fresh` are samples not yet visited in the epoch; rows
/// `fresh..B` repeat samples from the start of the epoch's order (only in
/// the last batch, under [`Remainder::Wrap`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IndexBatch<const B: usize> {
    /// The index of the sample of each row.
    pub indices: [usize; B],
    /// The number of leading rows that are new in the epoch; `B` except
    /// maybe in a wrapped last batch.
    pub fresh: usize,
}

impl<const B: usize> IndexBatch<B> {
    /// The indices of the rows that are new in the epoch,
    /// `&indices[..fresh]`.
    pub fn fresh_indices(&self) -> &[usize] {
        &self.indices[..self.fresh]
    }
}

/// One epoch over `n` samples in batches of `B` indices, in a shuffled or a
/// sequential order, with the leftover samples handled as [`Remainder`]
/// says.
///
/// It yields [`IndexBatch`]es; [`fill_batch`](super::fill_batch) turns one
/// into a `Matrix<B, N>` of inputs and a `Matrix<B, C>` of one-hot targets.
/// A shuffled epoch's order lives in a slice the caller provides (`n`
/// `usize`s, on the stack, in a `static` or in a `Vec`), so nothing is
/// allocated, per batch or at all.
///
/// `B` must not be 0 (a compile-time error).
///
/// ```
/// use constnet::data::{Batches, Remainder};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut rng = StdRng::seed_from_u64(7);
/// let mut order = [0; 10];
/// let mut seen = [0; 10];
/// let batches = Batches::<4>::shuffled(&mut order, &mut rng, Remainder::DropLast);
/// assert_eq!(batches.len(), 2); // 10 = 2 * 4 + 2 dropped
/// for batch in batches {
///     batch.indices.iter().for_each(|&i| seen[i] += 1);
/// }
/// assert_eq!(seen.iter().sum::<usize>(), 8);
/// assert!(seen.iter().all(|&n| n <= 1));
/// ```
#[derive(Clone, Debug)]
pub struct Batches<'a, const B: usize> {
    order: Order<'a>,
    /// The position in the order of the next batch's first row.
    next: usize,
    /// The number of batches not yet yielded.
    remaining: usize,
}

/// The order an epoch visits the samples in.
#[derive(Clone, Copy, Debug)]
enum Order<'a> {
    /// `0..n`.
    Sequential(usize),
    /// The given indices.
    Given(&'a [usize]),
}

impl Order<'_> {
    fn len(&self) -> usize {
        match *self {
            Order::Sequential(n) => n,
            Order::Given(order) => order.len(),
        }
    }

    /// The sample at `position`, wrapping around past the end. The order is
    /// not empty.
    fn at(&self, position: usize) -> usize {
        let position = position % self.len();
        match *self {
            Order::Sequential(_) => position,
            Order::Given(order) => order[position],
        }
    }
}

impl<'a, const B: usize> Batches<'a, B> {
    /// One epoch over `order.len()` samples in a random order: `order` is
    /// overwritten with `0..order.len()`, shuffled with `rng` (rand's
    /// Fisher-Yates [`SliceRandom::shuffle`]), and read in batches.
    ///
    /// Calling it again with the same slice and generator gives the next
    /// epoch's order.
    pub fn shuffled<R: Rng + ?Sized>(
        order: &'a mut [usize],
        rng: &mut R,
        remainder: Remainder,
    ) -> Self {
        order
            .iter_mut()
            .enumerate()
            .for_each(|(index, slot)| *slot = index);
        order.shuffle(rng);
        Self::in_order(order, remainder)
    }

    /// One epoch over the samples in the given order: the batches hold
    /// `order[0..B]`, `order[B..2B]`, ... (an index may appear more than
    /// once, and need not be below `order.len()`).
    pub fn in_order(order: &'a [usize], remainder: Remainder) -> Self {
        Self::new(Order::Given(order), remainder)
    }

    /// One epoch over `n` samples in index order: `0..B`, `B..2B`, ...
    pub fn sequential(n: usize, remainder: Remainder) -> Self {
        Self::new(Order::Sequential(n), remainder)
    }

    fn new(order: Order<'a>, remainder: Remainder) -> Self {
        const { assert!(B > 0, "a batch holds at least one sample") };
        let n = order.len();
        let remaining = match remainder {
            Remainder::DropLast => n / B,
            Remainder::Wrap => n.div_ceil(B),
        };
        Self {
            order,
            next: 0,
            remaining,
        }
    }
}

impl<const B: usize> Iterator for Batches<'_, B> {
    type Item = IndexBatch<B>;

    fn next(&mut self) -> Option<IndexBatch<B>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let start = self.next;
        self.next += B;
        // `remaining` was positive, so the order is not empty and `start` is
        // one of its positions.
        let fresh = (self.order.len() - start).min(B);
        let indices = core::array::from_fn(|row| self.order.at(start + row));
        Some(IndexBatch { indices, fresh })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<const B: usize> ExactSizeIterator for Batches<'_, B> {}

impl<const B: usize> FusedIterator for Batches<'_, B> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::vec::Vec;

    extern crate std;

    fn collect<const B: usize>(batches: Batches<'_, B>) -> Vec<([usize; B], usize)> {
        batches.map(|b| (b.indices, b.fresh)).collect()
    }

    #[test]
    fn sequential_batches_in_both_policies() {
        assert_eq!(
            collect(Batches::<3>::sequential(7, Remainder::DropLast)),
            [([0, 1, 2], 3), ([3, 4, 5], 3)]
        );
        assert_eq!(
            collect(Batches::<3>::sequential(7, Remainder::Wrap)),
            [([0, 1, 2], 3), ([3, 4, 5], 3), ([6, 0, 1], 1)]
        );
        // An exact multiple: both policies agree.
        assert_eq!(
            collect(Batches::<2>::sequential(4, Remainder::Wrap)),
            collect(Batches::<2>::sequential(4, Remainder::DropLast))
        );
    }

    #[test]
    fn fewer_samples_than_a_batch() {
        assert_eq!(Batches::<4>::sequential(3, Remainder::DropLast).len(), 0);
        assert_eq!(
            collect(Batches::<5>::sequential(2, Remainder::Wrap)),
            [([0, 1, 0, 1, 0], 2)]
        );
        assert_eq!(
            collect(Batches::<3>::in_order(&[9], Remainder::Wrap)),
            [([9, 9, 9], 1)]
        );
        assert_eq!(Batches::<3>::sequential(0, Remainder::Wrap).len(), 0);
        assert_eq!(Batches::<3>::in_order(&[], Remainder::Wrap).next(), None);
    }

    #[test]
    fn a_given_order_is_read_as_is() {
        let order = [5, 3, 5, 0, 8];
        assert_eq!(
            collect(Batches::<2>::in_order(&order, Remainder::Wrap)),
            [([5, 3], 2), ([5, 0], 2), ([8, 5], 1)]
        );
        let batch = Batches::<2>::in_order(&order, Remainder::Wrap)
            .last()
            .unwrap();
        assert_eq!(batch.fresh_indices(), &[8]);
    }

    #[test]
    fn the_iterator_knows_its_length_and_stays_done() {
        let mut batches = Batches::<4>::sequential(10, Remainder::Wrap);
        assert_eq!(batches.len(), 3);
        batches.next();
        assert_eq!(batches.size_hint(), (2, Some(2)));
        assert_eq!(batches.by_ref().count(), 2);
        assert_eq!(batches.next(), None);
        assert_eq!(batches.next(), None);
    }

    #[test]
    fn a_seed_fixes_the_order_and_epochs_differ() {
        let epochs = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut order = [0; 6];
            let first = collect(Batches::<3>::shuffled(
                &mut order,
                &mut rng,
                Remainder::DropLast,
            ));
            let second = collect(Batches::<3>::shuffled(
                &mut order,
                &mut rng,
                Remainder::DropLast,
            ));
            (first, second)
        };
        let (first, second) = epochs(1);
        assert_eq!((first.clone(), second.clone()), epochs(1));
        assert_ne!(first, second);
        assert_ne!(first, epochs(2).0);
    }

    proptest! {
        #[test]
        fn every_epoch_visits_each_sample_as_its_policy_says(
            n in 0usize..40,
            seed: u64,
            wrap: bool,
        ) {
            const B: usize = 4;
            let remainder = if wrap { Remainder::Wrap } else { Remainder::DropLast };
            let mut rng = StdRng::seed_from_u64(seed);
            let mut order = std::vec![usize::MAX; n];
            let batches = Batches::<B>::shuffled(&mut order, &mut rng, remainder);
            let expected_batches = if wrap { n.div_ceil(B) } else { n / B };
            prop_assert_eq!(batches.len(), expected_batches);
            let mut fresh_visits = std::vec![0; n];
            let mut rows = 0;
            for batch in batches {
                prop_assert!(batch.fresh >= 1 && batch.fresh <= B);
                for &index in batch.fresh_indices() {
                    fresh_visits[index] += 1;
                }
                for &index in &batch.indices {
                    prop_assert!(index < n);
                }
                rows += batch.fresh;
            }
            if wrap {
                prop_assert!(fresh_visits.iter().all(|&v| v == 1));
                prop_assert_eq!(rows, n);
            } else {
                prop_assert!(fresh_visits.iter().all(|&v| v <= 1));
                prop_assert_eq!(rows, n - n % B);
            }
            let mut sorted = order.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        }
    }
}
