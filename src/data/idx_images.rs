//! [`IdxImages`]: the images of an IDX file (MNIST's `*-images-idx3-ubyte`),
//! read in place.

use super::{IdxError, idx};
use crate::{Matrix, Scalar};

/// The images of an IDX images file, borrowed from its bytes: a header
/// (magic `0x00000803`, then the image count, the rows and the columns as
/// big-endian `u32`s) followed by `count * rows * cols` pixel bytes, each
/// image row by row.
///
/// Parsing checks the header and the length, nothing is copied, and every
/// accessor after that is infallible (except for indices past the end).
///
/// ```
/// use constnet::data::IdxImages;
///
/// // Two 2 x 3 images.
/// let bytes = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
///              0, 51, 102, 153, 204, 255,
///              9, 8, 7, 6, 5, 4];
/// let images = IdxImages::parse(&bytes).unwrap();
/// assert_eq!((images.count(), images.rows(), images.cols()), (2, 2, 3));
/// assert_eq!(images.image(1), &[9, 8, 7, 6, 5, 4]);
/// let row: constnet::Matrix<1, 6> = images.image_row(0).unwrap();
/// assert_eq!(row.as_slice(), &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdxImages<'a> {
    /// All pixels, `count * rows * cols` of them.
    pixels: &'a [u8],
    count: usize,
    rows: usize,
    cols: usize,
}

impl<'a> IdxImages<'a> {
    /// Reads an IDX images file of any image size.
    ///
    /// # Errors
    ///
    /// [`IdxError::TruncatedHeader`], [`IdxError::WrongMagic`],
    /// [`IdxError::UnsupportedType`] (anything but unsigned bytes),
    /// [`IdxError::WrongDimensionCount`] (anything but 3),
    /// [`IdxError::EmptyImages`] (0 rows or columns), and
    /// [`IdxError::Truncated`] or [`IdxError::TrailingData`] when the pixels
    /// are fewer or more than `count * rows * cols`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, IdxError> {
        let ([count, rows, cols], pixels) = idx::parse::<3>(bytes)?;
        if rows == 0 || cols == 0 {
            return Err(IdxError::EmptyImages { rows, cols });
        }
        // Each dimension is at most the number of pixels (the others are at
        // least 1), which is a slice length, so it fits a `usize`.
        let fit = |d: u32| usize::try_from(d).unwrap_or(usize::MAX);
        Ok(Self {
            pixels,
            count: fit(count),
            rows: fit(rows),
            cols: fit(cols),
        })
    }

    /// Reads an IDX images file whose images must be `rows x cols` (28 x 28
    /// for MNIST).
    ///
    /// # Errors
    ///
    /// Those of [`parse`](Self::parse), and [`IdxError::WrongDimensions`]
    /// for images of another size.
    ///
    /// ```
    /// use constnet::data::{IdxError, IdxImages};
    ///
    /// let bytes = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4];
    /// assert!(IdxImages::parse_with_dimensions(&bytes, 2, 2).is_ok());
    /// let error = IdxImages::parse_with_dimensions(&bytes, 28, 28).unwrap_err();
    /// assert_eq!(error, IdxError::WrongDimensions { expected: [28, 28], found: [2, 2] });
    /// assert_eq!(error.to_string(), "the images are 2 x 2, expected 28 x 28");
    /// ```
    pub fn parse_with_dimensions(bytes: &'a [u8], rows: u32, cols: u32) -> Result<Self, IdxError> {
        let images = Self::parse(bytes)?;
        // `images.rows` and `images.cols` came from `u32`s.
        let found = [images.rows as u32, images.cols as u32];
        if found != [rows, cols] {
            return Err(IdxError::WrongDimensions {
                expected: [rows, cols],
                found,
            });
        }
        Ok(images)
    }

    /// The number of images.
    pub const fn count(&self) -> usize {
        self.count
    }

    /// The rows of each image.
    pub const fn rows(&self) -> usize {
        self.rows
    }

    /// The columns of each image.
    pub const fn cols(&self) -> usize {
        self.cols
    }

    /// The pixels of each image, `rows * cols`.
    pub const fn pixels_per_image(&self) -> usize {
        self.rows * self.cols
    }

    /// The pixels of all images, image after image.
    pub const fn pixels(&self) -> &'a [u8] {
        self.pixels
    }

    /// The pixels of image `index`, row by row (`rows * cols` bytes, 0 the
    /// background, 255 full ink in MNIST).
    ///
    /// # Panics
    ///
    /// If `index >= count()`.
    pub fn image(&self, index: usize) -> &'a [u8] {
        match self.get(index) {
            Some(image) => image,
            None => panic!("image {index} of {}: the index is out of range", self.count),
        }
    }

    /// The pixels of image `index`, or `None` if `index >= count()`.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        let size = self.pixels_per_image();
        // `index < count` keeps `index * size` within the slice's length.
        (index < self.count).then(|| &self.pixels[index * size..(index + 1) * size])
    }

    /// The images in order, each as its `rows * cols` pixels.
    pub fn iter(&self) -> core::slice::ChunksExact<'a, u8> {
        self.pixels.chunks_exact(self.pixels_per_image())
    }

    /// Image `index` as a row of `N` features, each pixel divided by 255 (so
    /// in `[0, 1]`).
    ///
    /// # Errors
    ///
    /// [`IdxError::WrongImageSize`] if `N` is not `rows * cols`.
    ///
    /// # Panics
    ///
    /// If `index >= count()`.
    pub fn image_row<const N: usize, T: Scalar>(
        &self,
        index: usize,
    ) -> Result<Matrix<1, N, T>, IdxError> {
        let mut row = Matrix::zeros();
        self.image_into(index, &mut row.rows_mut()[0])?;
        Ok(row)
    }

    /// Writes image `index` into `features`, each pixel divided by 255.
    ///
    /// # Errors
    ///
    /// [`IdxError::WrongImageSize`] if `features` is not `rows * cols` long;
    /// `features` is then left as it was.
    ///
    /// # Panics
    ///
    /// If `index >= count()`.
    ///
    /// ```
    /// use constnet::data::{IdxError, IdxImages};
    ///
    /// let bytes = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 255, 51];
    /// let images = IdxImages::parse(&bytes).unwrap();
    /// let mut features = [0.0_f64; 2];
    /// images.image_into(0, &mut features).unwrap();
    /// assert_eq!(features, [1.0, 0.2]);
    /// let error = images.image_into(0, &mut [0.0_f64; 3]).unwrap_err();
    /// assert_eq!(error.to_string(), "the images are 1 x 2 = 2 pixels, expected 3");
    /// ```
    pub fn image_into<T: Scalar>(&self, index: usize, features: &mut [T]) -> Result<(), IdxError> {
        let image = self.image(index);
        if features.len() != image.len() {
            return Err(IdxError::WrongImageSize {
                expected: features.len(),
                rows: self.rows as u32,
                cols: self.cols as u32,
            });
        }
        scale_pixels(image, features);
        Ok(())
    }
}

/// Writes `pixels[i] / 255` into `features[i]` for every pixel (the shorter
/// of the two lengths).
///
/// The quotient is computed in `T` from two exact operands, so it is the
/// correctly rounded `pixel / 255` of that type.
pub(super) fn scale_pixels<T: Scalar>(pixels: &[u8], features: &mut [T]) {
    let full = T::from_f64(255.0);
    for (feature, &pixel) in features.iter_mut().zip(pixels) {
        *feature = T::from_f64(f64::from(pixel)) / full;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    extern crate std;

    /// The header of `count` images of `rows x cols`.
    fn header(count: u32, rows: u32, cols: u32) -> [u8; 16] {
        let mut bytes = [0; 16];
        bytes[..4].copy_from_slice(&0x0000_0803_u32.to_be_bytes());
        bytes[4..8].copy_from_slice(&count.to_be_bytes());
        bytes[8..12].copy_from_slice(&rows.to_be_bytes());
        bytes[12..].copy_from_slice(&cols.to_be_bytes());
        bytes
    }

    fn file(count: u32, rows: u32, cols: u32, pixels: &[u8]) -> std::vec::Vec<u8> {
        let mut bytes = header(count, rows, cols).to_vec();
        bytes.extend_from_slice(pixels);
        bytes
    }

    #[test]
    fn reads_each_image_in_order() {
        let pixels: std::vec::Vec<u8> = (0..24).collect();
        let bytes = file(4, 3, 2, &pixels);
        let images = IdxImages::parse(&bytes).unwrap();
        assert_eq!((images.count(), images.rows(), images.cols()), (4, 3, 2));
        assert_eq!(images.pixels_per_image(), 6);
        assert_eq!(images.image(0), &[0, 1, 2, 3, 4, 5]);
        assert_eq!(images.image(3), &[18, 19, 20, 21, 22, 23]);
        assert_eq!(images.get(4), None);
        assert_eq!(images.iter().count(), 4);
        assert_eq!(images.iter().nth(2), Some(&[12, 13, 14, 15, 16, 17][..]));
        assert_eq!(images.pixels(), &pixels[..]);
    }

    #[test]
    fn an_empty_set_of_images_is_valid() {
        let bytes = header(0, 28, 28);
        let images = IdxImages::parse_with_dimensions(&bytes, 28, 28).unwrap();
        assert_eq!(images.count(), 0);
        assert_eq!(images.iter().count(), 0);
        assert_eq!(images.get(0), None);
    }

    #[test]
    #[should_panic(expected = "image 2 of 2: the index is out of range")]
    fn an_image_past_the_end_panics() {
        let bytes = file(2, 1, 1, &[1, 2]);
        IdxImages::parse(&bytes).unwrap().image(2);
    }

    #[test]
    fn each_malformation_is_its_own_error() {
        let cases: [(std::vec::Vec<u8>, IdxError, &str); 9] = [
            (
                std::vec![0, 0, 8],
                IdxError::TruncatedHeader {
                    expected: 4,
                    actual: 3,
                },
                "truncated header: it needs 4 bytes, the input has 3",
            ),
            (
                header(1, 1, 1)[..15].to_vec(),
                IdxError::TruncatedHeader {
                    expected: 16,
                    actual: 15,
                },
                "truncated header: it needs 16 bytes, the input has 15",
            ),
            (
                std::vec![0x1F, 0x8B, 8, 0, 0, 0],
                IdxError::WrongMagic { magic: 0x1F8B_0800 },
                "not an IDX file: its magic number 0x1F8B0800 does not start with two zero bytes",
            ),
            (
                std::vec![0, 1, 8, 3],
                IdxError::WrongMagic { magic: 0x0001_0803 },
                "not an IDX file: its magic number 0x00010803 does not start with two zero bytes",
            ),
            (
                std::vec![0, 0, 0x0D, 3],
                IdxError::UnsupportedType { code: 0x0D },
                "unsupported element type 0x0D (32-bit float): only 0x08 (unsigned byte) is supported",
            ),
            (
                std::vec![0, 0, 0x42, 3],
                IdxError::UnsupportedType { code: 0x42 },
                "unsupported element type 0x42 (not an IDX type): only 0x08 (unsigned byte) is supported",
            ),
            (
                std::vec![0, 0, 8, 1, 0, 0, 0, 0],
                IdxError::WrongDimensionCount {
                    expected: 3,
                    found: 1,
                },
                "the file has 1 dimension, expected 3 (is it a labels file?)",
            ),
            (
                file(1, 2, 2, &[1, 2, 3]),
                IdxError::Truncated {
                    expected: 20,
                    actual: 19,
                },
                "truncated: the header describes 20 bytes, the input has 19",
            ),
            (
                file(1, 2, 2, &[1, 2, 3, 4, 5, 6]),
                IdxError::TrailingData {
                    expected: 20,
                    actual: 22,
                },
                "trailing data: the header describes 20 bytes, the input has 22 (2 more)",
            ),
        ];
        for (bytes, error, message) in cases {
            assert_eq!(IdxImages::parse(&bytes), Err(error), "{bytes:?}");
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn the_other_element_types_are_named() {
        let names = [
            (0x09, "signed byte"),
            (0x0B, "16-bit integer"),
            (0x0C, "32-bit integer"),
            (0x0E, "64-bit float"),
        ];
        for (code, name) in names {
            let error = IdxImages::parse(&[0, 0, code, 3]).unwrap_err();
            assert_eq!(error, IdxError::UnsupportedType { code });
            assert!(error.to_string().contains(name), "{error}");
        }
    }

    #[test]
    fn other_dimension_counts_are_rejected() {
        for found in [0, 2, 4, 255] {
            let error = IdxImages::parse(&[0, 0, 8, found]).unwrap_err();
            assert_eq!(error, IdxError::WrongDimensionCount { expected: 3, found });
        }
        assert_eq!(
            IdxError::WrongDimensionCount {
                expected: 3,
                found: 2
            }
            .to_string(),
            "the file has 2 dimensions, expected 3"
        );
    }

    #[test]
    fn images_without_pixels_are_rejected() {
        let error = IdxImages::parse(&header(5, 0, 28)).unwrap_err();
        assert_eq!(error, IdxError::EmptyImages { rows: 0, cols: 28 });
        assert_eq!(
            error.to_string(),
            "the images are 0 x 28: an image needs at least one pixel"
        );
        assert_eq!(
            IdxImages::parse(&header(0, 28, 0)),
            Err(IdxError::EmptyImages { rows: 28, cols: 0 })
        );
    }

    #[test]
    fn the_asked_dimensions_are_checked() {
        let bytes = file(1, 2, 3, &[0; 6]);
        assert!(IdxImages::parse_with_dimensions(&bytes, 2, 3).is_ok());
        assert_eq!(
            IdxImages::parse_with_dimensions(&bytes, 3, 2),
            Err(IdxError::WrongDimensions {
                expected: [3, 2],
                found: [2, 3]
            })
        );
        // The file's own errors come first.
        assert_eq!(
            IdxImages::parse_with_dimensions(&bytes[..20], 3, 2),
            Err(IdxError::Truncated {
                expected: 22,
                actual: 20
            })
        );
    }

    #[test]
    fn pixels_scale_to_the_unit_interval() {
        let bytes = file(1, 1, 4, &[0, 1, 128, 255]);
        let images = IdxImages::parse(&bytes).unwrap();
        let row: Matrix<1, 4> = images.image_row(0).unwrap();
        assert_eq!(row.as_slice(), &[0.0, 1.0 / 255.0, 128.0 / 255.0, 1.0]);
        let row: Matrix<1, 4, f64> = images.image_row(0).unwrap();
        assert_eq!(row.as_slice(), &[0.0, 1.0 / 255.0, 128.0 / 255.0, 1.0]);
        assert_eq!(
            images.image_row::<784, f32>(0),
            Err(IdxError::WrongImageSize {
                expected: 784,
                rows: 1,
                cols: 4
            })
        );
        let mut untouched = [7.0_f32; 3];
        assert!(images.image_into(0, &mut untouched).is_err());
        assert_eq!(untouched, [7.0; 3]);
    }
}
