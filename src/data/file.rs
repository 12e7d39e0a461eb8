//! [`read_labelled_csv`]: a labelled CSV file read into memory (feature `std`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::vec::Vec;

use super::{CsvError, Sample, labelled_csv};
use crate::Scalar;

/// Reads the labelled CSV file at `path` (the format of
/// [`labelled_csv`]): `N` features then a label in `0..classes` per line.
///
/// # Errors
///
/// [`ReadError::Io`] if the file cannot be read (or is not UTF-8), and
/// [`ReadError::Csv`] for the first malformed line, with its line, column and
/// reason.
///
/// ```
/// use constnet::data::{ReadError, read_labelled_csv};
///
/// let path = std::env::temp_dir().join("constnet-read-labelled-csv-doc.csv");
/// std::fs::write(&path, "1,2,0\n3,4,1\n5,6\n").unwrap();
/// let error = read_labelled_csv::<2, f32>(&path, 2).unwrap_err();
/// assert!(matches!(error, ReadError::Csv { .. }));
/// assert!(error.to_string().ends_with("line 3, column 3: the line has 2 fields, expected 3 (the features, then the label)"));
///
/// std::fs::write(&path, "1,2,0\n3,4,1\n").unwrap();
/// let samples = read_labelled_csv::<2, f32>(&path, 2).unwrap();
/// assert_eq!(samples[1].features, [3.0, 4.0]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_labelled_csv<const N: usize, T: Scalar>(
    path: impl AsRef<Path>,
    classes: usize,
) -> Result<Vec<Sample<N, T>>, ReadError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    labelled_csv(&text, classes)
        .collect::<Result<_, _>>()
        .map_err(|error| ReadError::Csv {
            path: path.to_path_buf(),
            error,
        })
}

/// Why [`read_labelled_csv`] failed.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A line of the file is malformed.
    Csv {
        /// The file.
        path: PathBuf,
        /// Where and what.
        error: CsvError,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            ReadError::Csv { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io { source, .. } => Some(source),
            ReadError::Csv { error, .. } => Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn a_missing_file_is_an_io_error_naming_the_path() {
        let error = read_labelled_csv::<2, f32>("no/such/file.csv", 2).unwrap_err();
        assert!(matches!(error, ReadError::Io { .. }));
        assert!(
            error
                .to_string()
                .starts_with("cannot read no/such/file.csv: "),
            "{error}"
        );
    }

    #[test]
    fn the_shipped_digits_parse_completely() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv");
        let samples = read_labelled_csv::<64, f32>(path, 10).unwrap();
        assert_eq!(samples.len(), 1797);
        assert!(
            samples
                .iter()
                .flat_map(|s| s.features)
                .all(|x| (0.0..=16.0).contains(&x))
        );
        let mut per_class = [0; 10];
        samples.iter().for_each(|s| per_class[s.label] += 1);
        assert_eq!(
            per_class,
            [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        // The first image is a zero: its top row is 0,0,5,13,9,1,0,0.
        assert_eq!(samples[0].label, 0);
        assert_eq!(
            samples[0].features[..8],
            [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]
        );
    }
}
