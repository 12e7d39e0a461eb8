//! [`SampleSource`]: a data set whose samples are read by index (its labels
//! alone: [`Labelled`]), and [`Subset`], a part of one picked by a list of
//! indices.

#[cfg(feature = "alloc")]
extern crate alloc;

use super::Sample;
use crate::Scalar;

/// A data set of labelled samples read by index: sample `i` has `N` features
/// of type `T` and a class label ([`Labelled`], which holds the number of
/// samples and the labels).
///
/// Batches are filled from it ([`fill_batch`](super::fill_batch)) and
/// networks evaluated over it ([`evaluate`](super::evaluate)) without copying
/// the data set. It is implemented for slices of [`Sample`]s (what
/// [`labelled_csv`](super::labelled_csv) reads), for
/// [`LabelledImages`](super::LabelledImages) (IDX files such as MNIST,
/// scaled to `[0, 1]` as they are read) and for [`Subset`]s of either.
///
/// ```
/// use constnet::data::{Labelled, Sample, SampleSource};
///
/// let samples = [
///     Sample { features: [1.0_f32, 2.0], label: 0 },
///     Sample { features: [3.0, 4.0], label: 1 },
/// ];
/// let source: &[Sample<2>] = &samples;
/// let mut features = [0.0; 2];
/// source.features_into(1, &mut features);
/// assert_eq!((features, source.label(1)), ([3.0, 4.0], 1));
/// assert_eq!(Labelled::len(source), 2);
/// ```
pub trait SampleSource<const N: usize, T: Scalar>: Labelled {
    /// Writes the features of sample `index` into `features`.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    fn features_into(&self, index: usize, features: &mut [T; N]);
}

/// A data set's number of samples and their class labels: the part of a
/// [`SampleSource`] that does not depend on the features' type.
///
/// ```
/// use constnet::data::{Labelled, Sample};
///
/// let samples = [Sample { features: [0.5_f32], label: 3 }];
/// assert_eq!(Labelled::label(&samples[..], 0), 3);
/// ```
pub trait Labelled {
    /// The number of samples; their indices are `0..len()`.
    fn len(&self) -> usize;

    /// Whether there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class label of sample `index`.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    fn label(&self, index: usize) -> usize;
}

impl<const N: usize, T: Scalar> Labelled for [Sample<N, T>] {
    fn len(&self) -> usize {
        <[Sample<N, T>]>::len(self)
    }

    fn label(&self, index: usize) -> usize {
        self[index].label
    }
}

impl<const N: usize, T: Scalar> SampleSource<N, T> for [Sample<N, T>] {
    fn features_into(&self, index: usize, features: &mut [T; N]) {
        *features = self[index].features;
    }
}

#[cfg(feature = "alloc")]
impl<const N: usize, T: Scalar> Labelled for alloc::vec::Vec<Sample<N, T>> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn label(&self, index: usize) -> usize {
        self[index].label
    }
}

#[cfg(feature = "alloc")]
impl<const N: usize, T: Scalar> SampleSource<N, T> for alloc::vec::Vec<Sample<N, T>> {
    fn features_into(&self, index: usize, features: &mut [T; N]) {
        *features = self[index].features;
    }
}

/// The samples of `source` at `indices`, in that order: sample `i` of the
/// subset is sample `indices[i]` of the source.
///
/// This is how a data set is split without copying it: shuffle a list of
/// all indices once, and take two subsets of it.
///
/// ```
/// use constnet::data::{Labelled, Sample, SampleSource, Subset};
///
/// let samples: Vec<Sample<1>> =
///     (0..5).map(|i| Sample { features: [i as f32], label: i % 2 }).collect();
/// let order = [4, 0, 3, 1, 2];
/// let (train, test) = order.split_at(3);
/// let train = Subset::new(&samples, train).unwrap();
/// let test = Subset::new(&samples, test).unwrap();
/// assert_eq!((train.len(), test.len()), (3, 2));
/// assert_eq!(train.label(0), 0); // sample 4
/// let mut features = [0.0];
/// test.features_into(1, &mut features);
/// assert_eq!(features, [2.0]);
/// assert!(Subset::new(&samples, &[5]).is_none());
/// ```
#[derive(Debug)]
pub struct Subset<'a, S: ?Sized> {
    source: &'a S,
    indices: &'a [usize],
}

// Not derived: the derive would ask for `S: Clone`.
impl<S: ?Sized> Clone for Subset<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ?Sized> Copy for Subset<'_, S> {}

impl<'a, S: ?Sized> Subset<'a, S> {
    /// The samples of `source` at `indices`, or `None` if an index is not
    /// below `source.len()`. Indices may repeat.
    pub fn new(source: &'a S, indices: &'a [usize]) -> Option<Self>
    where
        S: Labelled,
    {
        let len = source.len();
        indices
            .iter()
            .all(|&index| index < len)
            .then_some(Self { source, indices })
    }

    /// The data set the samples come from.
    pub const fn source(&self) -> &'a S {
        self.source
    }

    /// The indices into the source, in the subset's order.
    pub const fn indices(&self) -> &'a [usize] {
        self.indices
    }
}

impl<S: Labelled + ?Sized> Labelled for Subset<'_, S> {
    fn len(&self) -> usize {
        self.indices.len()
    }

    fn label(&self, index: usize) -> usize {
        self.source.label(self.indices[index])
    }
}

impl<const N: usize, T: Scalar, S: SampleSource<N, T> + ?Sized> SampleSource<N, T>
    for Subset<'_, S>
{
    fn features_into(&self, index: usize, features: &mut [T; N]) {
        self.source.features_into(self.indices[index], features);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> [Sample<2, f64>; 3] {
        [
            Sample {
                features: [0.5, 1.5],
                label: 2,
            },
            Sample {
                features: [-1.0, 0.0],
                label: 0,
            },
            Sample {
                features: [4.0, 8.0],
                label: 1,
            },
        ]
    }

    #[test]
    fn a_slice_of_samples_is_a_source() {
        let samples = samples();
        let source: &[Sample<2, f64>] = &samples;
        assert_eq!(Labelled::len(source), 3);
        assert!(!Labelled::is_empty(source));
        let mut features = [0.0; 2];
        source.features_into(2, &mut features);
        assert_eq!(features, [4.0, 8.0]);
        assert_eq!([0, 1, 2].map(|i| Labelled::label(source, i)), [2, 0, 1]);
        let empty: &[Sample<2, f64>] = &[];
        assert!(Labelled::is_empty(empty));
    }

    #[test]
    fn a_subset_reads_through_its_indices() {
        let samples = samples();
        let source: &[Sample<2, f64>] = &samples;
        let subset = Subset::new(source, &[2, 2, 0]).unwrap();
        assert_eq!(subset.len(), 3);
        assert_eq!([0, 1, 2].map(|i| subset.label(i)), [1, 1, 2]);
        let mut features = [0.0; 2];
        subset.features_into(2, &mut features);
        assert_eq!(features, [0.5, 1.5]);
        assert_eq!(subset.indices(), &[2, 2, 0]);
        // A subset of a subset.
        let inner = Subset::new(&subset, &[2]).unwrap();
        assert_eq!(inner.label(0), 2);
        assert!(Subset::new(source, &[0, 3]).is_none());
        assert!(Subset::new(source, &[]).unwrap().is_empty());
    }
}
