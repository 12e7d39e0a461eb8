//! [`read_labelled_images`]: an IDX images file and its labels file read
//! into memory (feature `std`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::vec::Vec;

use super::{IdxError, IdxImages, IdxLabels, LabelledImages};

/// Reads an IDX images file of `N`-pixel images and the IDX labels file of
/// their classes, `0..classes`, and checks that they agree, as
/// [`LabelledImages::parse`] does for bytes in memory.
///
/// This reads MNIST's own files (decompressed), the 60,000 training and
/// 10,000 test images, as well as the 10,000 in `data/mnist`; the data set
/// is then used through [`as_labelled_images`](OwnedLabelledImages::as_labelled_images),
/// by the same code as one embedded with `include_bytes!`.
///
/// # Errors
///
/// [`IdxReadError::Io`] if a file cannot be read, [`IdxReadError::Idx`] if
/// a file is malformed by itself (including images of another size than `N`
/// and labels not below `classes`), and [`IdxReadError::Mismatch`] if the
/// files hold different numbers of samples.
///
/// ```
/// use constnet::data::read_labelled_images;
///
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist");
/// let mnist = read_labelled_images::<784>(
///     format!("{dir}/images.idx3-ubyte"),
///     format!("{dir}/labels.idx1-ubyte"),
///     10,
/// )
/// .unwrap();
/// let mnist = mnist.as_labelled_images();
/// assert_eq!(mnist.len(), 10_000);
///
/// let error = read_labelled_images::<64>(
///     format!("{dir}/images.idx3-ubyte"),
///     format!("{dir}/labels.idx1-ubyte"),
///     10,
/// )
/// .unwrap_err();
/// assert!(error.to_string().ends_with("images.idx3-ubyte: the images are 28 x 28 = 784 pixels, expected 64"));
/// ```
pub fn read_labelled_images<const N: usize>(
    images: impl AsRef<Path>,
    labels: impl AsRef<Path>,
    classes: usize,
) -> Result<OwnedLabelledImages<N>, IdxReadError> {
    let (images_path, labels_path) = (images.as_ref(), labels.as_ref());
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| IdxReadError::Io {
            path: path.to_path_buf(),
            source,
        })
    };
    let malformed = |path: &Path, error| IdxReadError::Idx {
        path: path.to_path_buf(),
        error,
    };
    let images = read(images_path)?;
    let parsed_images = IdxImages::parse(&images).map_err(|error| malformed(images_path, error))?;
    if parsed_images.pixels_per_image() != N {
        let error = IdxError::WrongImageSize {
            expected: N,
            // They came from `u32`s.
            rows: parsed_images.rows() as u32,
            cols: parsed_images.cols() as u32,
        };
        return Err(malformed(images_path, error));
    }
    let labels = read(labels_path)?;
    let parsed_labels = IdxLabels::parse(&labels).map_err(|error| malformed(labels_path, error))?;
    parsed_labels
        .check_classes(classes)
        .map_err(|error| malformed(labels_path, error))?;
    // What is left to check is that the counts agree.
    LabelledImages::<N>::new(parsed_images, parsed_labels, classes).map_err(|error| {
        IdxReadError::Mismatch {
            images: images_path.to_path_buf(),
            labels: labels_path.to_path_buf(),
            error,
        }
    })?;
    Ok(OwnedLabelledImages {
        images,
        labels,
        classes,
    })
}

/// The contents of an IDX images file and its labels file, checked to agree
/// by [`read_labelled_images`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedLabelledImages<const N: usize> {
    /// The images file, header included.
    images: Vec<u8>,
    /// The labels file, header included.
    labels: Vec<u8>,
    classes: usize,
}

impl<const N: usize> OwnedLabelledImages<N> {
    /// The data set, borrowed: images, labels and a
    /// [`SampleSource`](super::SampleSource). It costs two header reads.
    pub fn as_labelled_images(&self) -> LabelledImages<'_, N> {
        match LabelledImages::parse(&self.images, &self.labels, self.classes) {
            Ok(images) => images,
            Err(error) => unreachable!("`read_labelled_images` checked the files: {error}"),
        }
    }
}

/// Why [`read_labelled_images`] failed.
#[derive(Debug)]
pub enum IdxReadError {
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file is malformed, or its images are not `N` pixels, or its labels
    /// are not below the number of classes.
    Idx {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        error: IdxError,
    },
    /// The files are each well-formed but hold different numbers of
    /// samples.
    Mismatch {
        /// The images file.
        images: PathBuf,
        /// The labels file.
        labels: PathBuf,
        /// The counts.
        error: IdxError,
    },
}

impl fmt::Display for IdxReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdxReadError::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            IdxReadError::Idx { path, error } => write!(f, "{}: {error}", path.display()),
            IdxReadError::Mismatch {
                images,
                labels,
                error,
            } => write!(
                f,
                "{} and {} do not match: {error}",
                images.display(),
                labels.display()
            ),
        }
    }
}

impl std::error::Error for IdxReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IdxReadError::Io { source, .. } => Some(source),
            IdxReadError::Idx { error, .. } | IdxReadError::Mismatch { error, .. } => Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::{String, ToString};

    /// Writes `bytes` to a fresh file in the temporary directory.
    fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(std::format!(
            "constnet-idx-file-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    const IMAGES: [u8; 20] = [
        0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 51, 102,
    ];
    const LABELS: [u8; 10] = [0, 0, 8, 1, 0, 0, 0, 2, 1, 0];

    #[test]
    fn reads_a_pair_of_files() {
        let images = temp_file("pair-images", &IMAGES);
        let labels = temp_file("pair-labels", &LABELS);
        let owned = read_labelled_images::<2>(&images, &labels, 2).unwrap();
        let set = owned.as_labelled_images();
        assert_eq!(set.len(), 2);
        assert_eq!(set.features::<f32>(1), [0.2, 0.4]);
        assert_eq!((set.label(0), set.label(1)), (1, 0));
        std::fs::remove_file(images).unwrap();
        std::fs::remove_file(labels).unwrap();
    }

    #[test]
    fn each_failure_names_its_file() {
        let images = temp_file("names-images", &IMAGES);
        let labels = temp_file("names-labels", &LABELS);
        let short = temp_file("names-short", &LABELS[..9]);
        let display = |path: &PathBuf| path.display().to_string();

        let error = read_labelled_images::<2>("no/such/images", &labels, 2).unwrap_err();
        assert!(matches!(error, IdxReadError::Io { .. }));
        assert!(
            error
                .to_string()
                .starts_with("cannot read no/such/images: "),
            "{error}"
        );

        let error = read_labelled_images::<2>(&labels, &labels, 2).unwrap_err();
        assert_eq!(
            error.to_string(),
            String::new()
                + &display(&labels)
                + ": the file has 1 dimension, expected 3 (is it a labels file?)"
        );

        let error = read_labelled_images::<3>(&images, &labels, 2).unwrap_err();
        assert_eq!(
            error.to_string(),
            display(&images) + ": the images are 1 x 2 = 2 pixels, expected 3"
        );

        let error = read_labelled_images::<2>(&images, &labels, 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            display(&labels) + ": label 1 (sample 0) is out of range: there is 1 class, 0"
        );

        let error = read_labelled_images::<2>(&images, &short, 2).unwrap_err();
        assert!(matches!(
            error,
            IdxReadError::Idx {
                error: IdxError::Truncated { .. },
                ..
            }
        ));

        let one_label = temp_file("names-one-label", &[0, 0, 8, 1, 0, 0, 0, 1, 0]);
        let error = read_labelled_images::<2>(&images, &one_label, 2).unwrap_err();
        assert_eq!(
            error.to_string(),
            display(&images)
                + " and "
                + &display(&one_label)
                + " do not match: 2 images but 1 label"
        );
        assert!(std::error::Error::source(&error).is_some());
        for path in [images, labels, short, one_label] {
            std::fs::remove_file(path).unwrap();
        }
    }
}
