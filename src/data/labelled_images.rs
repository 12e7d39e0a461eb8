//! [`LabelledImages`]: an IDX images file and its labels file, checked to
//! agree, as a data set of `N`-pixel samples.

use super::idx_images::scale_pixels;
use super::{IdxError, IdxImages, IdxLabels, Labelled, SampleSource};
use crate::{Matrix, Scalar};

/// Images of `N` pixels and their labels, from an IDX images file and an IDX
/// labels file that agree: as many labels as images, each below the number
/// of classes.
///
/// As a [`SampleSource`], sample `i` is image `i` with each pixel divided by
/// 255 (features in `[0, 1]`) and label `i`.
///
/// ```
/// use constnet::data::{LabelledImages, SampleSource};
///
/// static IMAGES: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist/images.idx3-ubyte"));
/// static LABELS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist/labels.idx1-ubyte"));
///
/// let mnist = LabelledImages::<784>::parse(IMAGES, LABELS, 10).unwrap();
/// assert_eq!((mnist.len(), mnist.images().rows(), mnist.images().cols()), (10_000, 28, 28));
/// assert_eq!(mnist.label(0), 0);
/// let mut features = [0.0_f32; 784];
/// mnist.features_into(0, &mut features);
/// assert!(features.iter().all(|x| (0.0..=1.0).contains(x)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelledImages<'a, const N: usize> {
    images: IdxImages<'a>,
    labels: IdxLabels<'a>,
    classes: usize,
}

impl<'a, const N: usize> LabelledImages<'a, N> {
    /// Pairs `images` of `N` pixels with their `labels` in `0..classes`.
    ///
    /// # Errors
    ///
    /// [`IdxError::WrongImageSize`] if the images do not have `N` pixels,
    /// [`IdxError::CountMismatch`] if the counts differ,
    /// [`IdxError::NoClasses`] if `classes` is 0 and
    /// [`IdxError::LabelOutOfRange`] for the first label not below
    /// `classes`.
    pub fn new(
        images: IdxImages<'a>,
        labels: IdxLabels<'a>,
        classes: usize,
    ) -> Result<Self, IdxError> {
        if images.pixels_per_image() != N {
            return Err(IdxError::WrongImageSize {
                expected: N,
                // They came from `u32`s.
                rows: images.rows() as u32,
                cols: images.cols() as u32,
            });
        }
        if images.count() != labels.count() {
            return Err(IdxError::CountMismatch {
                images: images.count(),
                labels: labels.count(),
            });
        }
        labels.check_classes(classes)?;
        Ok(Self {
            images,
            labels,
            classes,
        })
    }

    /// Parses an IDX images file and an IDX labels file
    /// ([`IdxImages::parse`], [`IdxLabels::parse`]) and pairs them
    /// ([`new`](Self::new)).
    ///
    /// # Errors
    ///
    /// The first of the images file's errors, the labels file's errors and
    /// the pairing's.
    pub fn parse(images: &'a [u8], labels: &'a [u8], classes: usize) -> Result<Self, IdxError> {
        Self::new(
            IdxImages::parse(images)?,
            IdxLabels::parse(labels)?,
            classes,
        )
    }

    /// The number of samples.
    pub const fn len(&self) -> usize {
        self.labels.count()
    }

    /// Whether there are no samples.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of classes: every label is in `0..classes()`.
    pub const fn classes(&self) -> usize {
        self.classes
    }

    /// The images.
    pub const fn images(&self) -> &IdxImages<'a> {
        &self.images
    }

    /// The labels.
    pub const fn labels(&self) -> &IdxLabels<'a> {
        &self.labels
    }

    /// The pixels of image `index`.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn image(&self, index: usize) -> &'a [u8; N] {
        match self.images.image(index).try_into() {
            Ok(image) => image,
            Err(_) => unreachable!("`new` checked that an image has N pixels"),
        }
    }

    /// The label of sample `index`.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn label(&self, index: usize) -> usize {
        usize::from(self.labels.label(index))
    }

    /// Sample `index`'s features: each pixel divided by 255.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn features<T: Scalar>(&self, index: usize) -> [T; N] {
        let mut features = [T::zero(); N];
        scale_pixels(self.image(index), &mut features);
        features
    }

    /// Sample `index`'s features as a one-row matrix, a batch of one.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn row<T: Scalar>(&self, index: usize) -> Matrix<1, N, T> {
        Matrix::new([self.features(index)])
    }
}

impl<const N: usize> Labelled for LabelledImages<'_, N> {
    fn len(&self) -> usize {
        LabelledImages::len(self)
    }

    fn label(&self, index: usize) -> usize {
        LabelledImages::label(self, index)
    }
}

impl<const N: usize, T: Scalar> SampleSource<N, T> for LabelledImages<'_, N> {
    fn features_into(&self, index: usize, features: &mut [T; N]) {
        scale_pixels(self.image(index), features);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Subset, fill_batch};
    use std::string::ToString;
    use std::vec::Vec;

    extern crate std;

    const MNIST_IMAGES: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/mnist/images.idx3-ubyte"
    ));
    const MNIST_LABELS: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/mnist/labels.idx1-ubyte"
    ));

    fn images(count: u32, rows: u32, cols: u32) -> Vec<u8> {
        let mut bytes = [0x0803, count, rows, cols]
            .iter()
            .flat_map(|d: &u32| d.to_be_bytes())
            .collect::<Vec<_>>();
        bytes.extend((0..count * rows * cols).map(|i| (i * 10) as u8));
        bytes
    }

    fn labels(labels: &[u8]) -> Vec<u8> {
        let mut bytes = [0x0801, labels.len() as u32]
            .iter()
            .flat_map(|d: &u32| d.to_be_bytes())
            .collect::<Vec<_>>();
        bytes.extend_from_slice(labels);
        bytes
    }

    #[test]
    fn pairs_images_with_labels() {
        let (image_bytes, label_bytes) = (images(3, 1, 2), labels(&[2, 0, 1]));
        let set = LabelledImages::<2>::parse(&image_bytes, &label_bytes, 3).unwrap();
        assert_eq!((set.len(), set.classes(), set.is_empty()), (3, 3, false));
        assert_eq!(set.image(2), &[40, 50]);
        assert_eq!(set.label(0), 2);
        assert_eq!(set.features::<f64>(1), [20.0 / 255.0, 30.0 / 255.0]);
        assert_eq!(set.row::<f32>(0), Matrix::new([[0.0, 10.0 / 255.0]]));
        let mut features = [9.0_f32; 2];
        SampleSource::features_into(&set, 2, &mut features);
        assert_eq!(features, [40.0 / 255.0, 50.0 / 255.0]);
        assert_eq!(Labelled::label(&set, 1), 0);
        assert_eq!(set.labels().as_slice(), &[2, 0, 1]);
    }

    #[test]
    fn a_subset_fills_a_batch() {
        let (image_bytes, label_bytes) = (images(3, 1, 2), labels(&[2, 0, 1]));
        let set = LabelledImages::<2>::parse(&image_bytes, &label_bytes, 3).unwrap();
        let subset = Subset::new(&set, &[2, 0]).unwrap();
        let mut inputs = Matrix::<2, 2>::zeros();
        let mut targets = Matrix::<2, 3>::zeros();
        fill_batch(&subset, &[1, 0], &mut inputs, &mut targets).unwrap();
        assert_eq!(
            inputs,
            Matrix::new([[0.0, 10.0 / 255.0], [40.0 / 255.0, 50.0 / 255.0]])
        );
        assert_eq!(targets, Matrix::new([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]));
        assert!(Subset::new(&set, &[3]).is_none());
    }

    #[test]
    fn the_files_must_agree() {
        let image_bytes = images(3, 2, 2);
        let error = LabelledImages::<4>::parse(&image_bytes, &labels(&[0, 1]), 10).unwrap_err();
        assert_eq!(
            error,
            IdxError::CountMismatch {
                images: 3,
                labels: 2
            }
        );
        assert_eq!(error.to_string(), "3 images but 2 labels");
        assert_eq!(
            IdxError::CountMismatch {
                images: 1,
                labels: 1
            }
            .to_string(),
            "1 image but 1 label"
        );

        let error =
            LabelledImages::<784>::parse(&image_bytes, &labels(&[0, 1, 2]), 10).unwrap_err();
        assert_eq!(
            error,
            IdxError::WrongImageSize {
                expected: 784,
                rows: 2,
                cols: 2
            }
        );
        assert_eq!(
            error.to_string(),
            "the images are 2 x 2 = 4 pixels, expected 784"
        );

        let error = LabelledImages::<4>::parse(&image_bytes, &labels(&[0, 1, 2]), 2).unwrap_err();
        assert_eq!(
            error,
            IdxError::LabelOutOfRange {
                index: 2,
                label: 2,
                classes: 2
            }
        );
        assert_eq!(
            LabelledImages::<4>::parse(&image_bytes, &labels(&[0, 1, 2]), 0),
            Err(IdxError::NoClasses)
        );
        // Each file's own errors come before the pairing's.
        assert_eq!(
            LabelledImages::<4>::parse(&image_bytes, &image_bytes, 10),
            Err(IdxError::WrongDimensionCount {
                expected: 1,
                found: 3
            })
        );
    }

    #[test]
    fn the_shipped_mnist_digits_parse_completely() {
        let mnist = LabelledImages::<784>::parse(MNIST_IMAGES, MNIST_LABELS, 10).unwrap();
        assert_eq!(mnist.len(), 10_000);
        assert_eq!((mnist.images().rows(), mnist.images().cols()), (28, 28));
        let mut per_class = [0; 10];
        (0..mnist.len()).for_each(|i| per_class[mnist.label(i)] += 1);
        assert_eq!(
            per_class,
            [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
        );
        // The first and last images: a 0 and a 1 (see data/mnist/README.md
        // for the order), each with ink in the middle and blank borders.
        assert_eq!((mnist.label(0), mnist.label(9_999)), (0, 1));
        let first = mnist.image(0);
        assert_eq!(first[..28 * 5], [0; 140]);
        assert_eq!(
            first[5 * 28 + 9..5 * 28 + 20],
            [100, 254, 255, 254, 127, 80, 80, 80, 80, 80, 38]
        );
        let ink: u32 = mnist.images().pixels().iter().map(|&p| u32::from(p)).sum();
        assert_eq!(ink, 262_146_600);
    }
}
