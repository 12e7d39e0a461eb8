//! Reading data sets and feeding them to a classifier.
//!
//! - Labelled samples from CSV text: [`labelled_csv`] parses text already in
//!   memory; [`read_labelled_csv`] (feature `std`) reads a file into a `Vec`.
//!   Every malformed line is an error that names its line, its column and
//!   what is wrong with it ([`CsvError`]), never a panic.
//! - Images in MNIST's IDX format: [`IdxImages`] and [`IdxLabels`] read the
//!   files' bytes in place (with `include_bytes!`, without `std` or an
//!   allocator), [`LabelledImages`] pairs them into a data set, and
//!   [`read_labelled_images`] (feature `std`) reads them from paths. Every
//!   malformed file is an [`IdxError`].
//! - Training and evaluation: a data set is a [`SampleSource`] (a slice of
//!   [`Sample`]s, [`LabelledImages`], a [`Subset`] of either); [`Batches`]
//!   splits an epoch into shuffled batches of `B` indices, [`fill_batch`]
//!   turns one into a `Matrix<B, N>` of inputs and a `Matrix<B, C>` of
//!   [`one_hot`] targets, and [`evaluate`] runs a classifier over a data set
//!   into a [`ConfusionMatrix`]. None of it allocates.
//!
//! ```
//! use constnet::data::{CsvErrorKind, labelled_csv};
//!
//! let text = "0,16,3\n8,4,1\n";
//! let samples: Vec<_> = labelled_csv::<2, f32>(text, 10).collect::<Result<_, _>>().unwrap();
//! assert_eq!(samples[1].features, [8.0, 4.0]);
//! assert_eq!(samples[1].label, 1);
//!
//! let error = labelled_csv::<2, f32>("0,16,3\n8,x,1\n", 10).nth(1).unwrap().unwrap_err();
//! assert_eq!((error.line, error.column), (2, 2));
//! assert_eq!(error.kind, CsvErrorKind::NotANumber);
//! assert_eq!(error.to_string(), "line 2, column 2: `x` is not a number");
//! ```
//!
//! MNIST from the repository's files, one shuffled epoch of batches of 32:
//!
//! ```
//! use constnet::Matrix;
//! use constnet::data::{Batches, LabelledImages, Remainder, fill_batch};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! static IMAGES: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist/images.idx3-ubyte"));
//! static LABELS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist/labels.idx1-ubyte"));
//!
//! let mnist = LabelledImages::<784>::parse(IMAGES, LABELS, 10).unwrap();
//! let mut rng = StdRng::seed_from_u64(1);
//! let mut order = vec![0; mnist.len()];
//! let mut inputs = Matrix::<32, 784>::zeros();
//! let mut targets = Matrix::<32, 10>::zeros();
//! let batches = Batches::<32>::shuffled(&mut order, &mut rng, Remainder::DropLast);
//! assert_eq!(batches.len(), 312); // 10,000 = 312 * 32 + 16
//! for batch in batches {
//!     fill_batch(&mnist, &batch.indices, &mut inputs, &mut targets).unwrap();
//!     assert_eq!(targets.sum(), 32.0);
//! }
//! ```

#[cfg(feature = "std")]
mod file;
#[cfg(feature = "std")]
mod idx_file;
mod labelled_csv;

mod batches;
mod confusion_matrix;
mod evaluate;
mod fill_batch;
mod idx;
mod idx_error;
mod idx_images;
mod idx_labels;
#[cfg(test)]
mod idx_properties;
mod labelled_images;
mod one_hot;
mod sample_source;

#[cfg(feature = "std")]
pub use file::{ReadError, read_labelled_csv};
#[cfg(feature = "std")]
pub use idx_file::{IdxReadError, OwnedLabelledImages, read_labelled_images};
pub use labelled_csv::{CsvError, CsvErrorKind, LabelledCsv, Sample, labelled_csv};

pub use batches::{Batches, IndexBatch, Remainder};
pub use confusion_matrix::ConfusionMatrix;
pub use evaluate::{accuracy, evaluate};
pub use fill_batch::{fill_batch, fill_inputs};
pub use idx_error::IdxError;
pub use idx_images::IdxImages;
pub use idx_labels::IdxLabels;
pub use labelled_images::LabelledImages;
pub use one_hot::{LabelOutOfRange, one_hot, one_hot_rows};
pub use sample_source::{Labelled, SampleSource, Subset};
