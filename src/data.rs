//! Reading data sets: labelled samples from CSV text.
//!
//! [`labelled_csv`] parses text already in memory and works without `std` or
//! an allocator; [`read_labelled_csv`] (feature `std`) reads a file into a
//! `Vec`. Every malformed line is an error that names its line, its column
//! and what is wrong with it ([`CsvError`]), never a panic.
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

#[cfg(feature = "std")]
mod file;
#[cfg(feature = "std")]
mod idx_file;
mod labelled_csv;

mod batches;
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
pub use fill_batch::{fill_batch, fill_inputs};
pub use idx_error::IdxError;
pub use idx_images::IdxImages;
pub use idx_labels::IdxLabels;
pub use labelled_images::LabelledImages;
pub use one_hot::{LabelOutOfRange, one_hot, one_hot_rows};
pub use sample_source::{Labelled, SampleSource, Subset};
