//! Property tests of the IDX readers on random, mutated, truncated and
//! extended files: no input panics, and every input accepted is exactly what
//! an independent reading of the format accepts, with the same contents.

use proptest::prelude::*;
use std::vec::Vec;

use super::{IdxError, IdxImages, IdxLabels, LabelledImages};

extern crate std;

/// A well-formed IDX file of unsigned bytes with the given dimensions, its
/// elements counting up from `seed`.
fn idx_file(dimensions: &[u32], seed: u8) -> Vec<u8> {
    let mut bytes = std::vec![0, 0, 8, dimensions.len() as u8];
    for d in dimensions {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    let elements: u32 = dimensions.iter().product();
    bytes.extend((0..elements).map(|i| seed.wrapping_add(i as u8)));
    bytes
}

/// A tiny generator (SplitMix64) for the bytes of an input, so that a test
/// case is a handful of numbers: proptest's per-byte value trees would make
/// 100,000 cases take many seconds in a debug build.
struct Bytes(u64);

impl Bytes {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    /// A number in `0..n`, `n > 0`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// How an input is made.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// A well-formed file.
    Valid,
    /// Random bytes, often starting like an IDX header so that the later
    /// checks are reached.
    Random,
    /// A well-formed file with up to four bytes overwritten, header bytes
    /// about half the time.
    Mutated,
    /// A well-formed file cut short.
    Truncated,
    /// A well-formed file with bytes added at the end.
    Extended,
}

/// An input: how it is made, the dimensions of the file it starts from
/// (images when `images`, some with 0 rows or columns; labels otherwise),
/// and the seed of its bytes.
fn any_input() -> impl Strategy<Value = Vec<u8>> {
    let kind = prop::sample::select(std::vec![
        Kind::Valid,
        Kind::Random,
        Kind::Mutated,
        Kind::Truncated,
        Kind::Extended,
    ]);
    (kind, any::<bool>(), 0u32..5, 0u32..4, 0u32..4, any::<u64>()).prop_map(
        |(kind, images, count, rows, cols, seed)| {
            let mut random = Bytes(seed);
            let valid = if images {
                idx_file(&[count, rows, cols], random.byte())
            } else {
                idx_file(&[count * 3], random.byte())
            };
            make(kind, valid, &mut random)
        },
    )
}

fn make(kind: Kind, mut bytes: Vec<u8>, random: &mut Bytes) -> Vec<u8> {
    match kind {
        Kind::Valid => {}
        Kind::Random => {
            let start: &[u8] = match random.below(4) {
                0 => &[0, 0, 8, 3],
                1 => &[0, 0, 8, 1],
                2 => &[0, 0, 8, 3, 0, 0, 0],
                _ => &[],
            };
            bytes = start.to_vec();
            let len = random.below(48);
            bytes.extend((0..len).map(|_| random.byte()));
        }
        Kind::Mutated => {
            for _ in 0..=random.below(4) {
                let span = if random.next() & 1 == 0 {
                    bytes.len().min(16)
                } else {
                    bytes.len()
                };
                let at = random.below(span);
                bytes[at] = random.byte();
            }
        }
        Kind::Truncated => bytes.truncate(random.below(bytes.len())),
        Kind::Extended => {
            let extra = 1 + random.below(8);
            bytes.extend((0..extra).map(|_| random.byte()));
        }
    }
    bytes
}

/// The format read independently: `Some((dimensions, elements))` if `bytes`
/// is a well-formed IDX file of unsigned bytes with `count` dimensions.
fn reference(bytes: &[u8], count: usize) -> Option<(Vec<u64>, &[u8])> {
    if bytes.len() < 4 + 4 * count || bytes[..3] != [0, 0, 8] || usize::from(bytes[3]) != count {
        return None;
    }
    let dimensions: Vec<u64> = bytes[4..4 + 4 * count]
        .chunks(4)
        .map(|b| {
            b.iter()
                .fold(0u64, |acc, &byte| acc * 256 + u64::from(byte))
        })
        .collect();
    let elements = &bytes[4 + 4 * count..];
    let product = dimensions
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d));
    (product == Some(elements.len() as u64)).then_some((dimensions, elements))
}

/// Checks what the images reader did with `bytes` against the reference.
fn check_images(bytes: &[u8]) -> Result<(), TestCaseError> {
    let expected = reference(bytes, 3).filter(|(d, _)| d[1] > 0 && d[2] > 0);
    match (IdxImages::parse(bytes), expected) {
        (Ok(images), Some((dimensions, pixels))) => {
            let shape = [images.count(), images.rows(), images.cols()].map(|d| d as u64);
            prop_assert_eq!(&shape[..], &dimensions[..]);
            prop_assert_eq!(images.pixels(), pixels);
            prop_assert_eq!(images.iter().count(), images.count());
            for (index, image) in images.iter().enumerate() {
                let size = images.pixels_per_image();
                prop_assert_eq!(image, &pixels[index * size..(index + 1) * size]);
                prop_assert_eq!(images.image(index), image);
            }
            prop_assert_eq!(images.get(images.count()), None);
            if images.count() > 0 {
                let mut features = std::vec![0.0_f32; images.pixels_per_image()];
                prop_assert!(images.image_into(0, &mut features).is_ok());
                prop_assert!(features.iter().all(|x| (0.0..=1.0).contains(x)));
                prop_assert!(images.image_into(0, &mut features[1..]).is_err());
            }
        }
        (Err(error), None) => check_error(error, bytes.len())?,
        (result, expected) => {
            return Err(TestCaseError::fail(std::format!(
                "{bytes:?}: images reader gave {result:?}, reference {expected:?}"
            )));
        }
    }
    Ok(())
}

/// Checks what the labels reader did with `bytes` against the reference.
fn check_labels(bytes: &[u8]) -> Result<(), TestCaseError> {
    match (IdxLabels::parse(bytes), reference(bytes, 1)) {
        (Ok(labels), Some((dimensions, elements))) => {
            prop_assert_eq!(labels.count() as u64, dimensions[0]);
            prop_assert_eq!(labels.as_slice(), elements);
            let max = elements.iter().copied().max();
            let classes = max.map_or(1, |m| usize::from(m) + 1);
            prop_assert_eq!(labels.check_classes(classes), Ok(()));
            if let Some(max) = max {
                let error = labels.check_classes(usize::from(max)).unwrap_err();
                let is_label_out_of_range = matches!(error, IdxError::LabelOutOfRange { label, .. } if label == max)
                    || (max == 0 && error == IdxError::NoClasses);
                prop_assert!(is_label_out_of_range, "{:?}", error);
            }
        }
        (Err(error), None) => check_error(error, bytes.len())?,
        (result, expected) => {
            return Err(TestCaseError::fail(std::format!(
                "{bytes:?}: labels reader gave {result:?}, reference {expected:?}"
            )));
        }
    }
    Ok(())
}

/// A rejection's lengths agree with the input's, and it has a message.
fn check_error(error: IdxError, actual_len: usize) -> Result<(), TestCaseError> {
    match error {
        IdxError::TruncatedHeader { expected, actual } => {
            prop_assert_eq!(actual, actual_len);
            prop_assert!(expected > actual);
        }
        IdxError::Truncated { expected, actual } => {
            prop_assert_eq!(actual, actual_len);
            prop_assert!(expected > actual as u128);
        }
        IdxError::TrailingData { expected, actual } => {
            prop_assert_eq!(actual, actual_len);
            prop_assert!(expected < actual);
        }
        IdxError::WrongMagic { magic } => prop_assert!(magic >> 16 != 0),
        IdxError::UnsupportedType { code } => prop_assert_ne!(code, 8),
        IdxError::WrongDimensionCount { expected, found } => prop_assert_ne!(expected, found),
        IdxError::EmptyImages { rows, cols } => prop_assert!(rows == 0 || cols == 0),
        other => prop_assert!(false, "unexpected {:?}", other),
    }
    prop_assert!(!std::string::ToString::to_string(&error).is_empty());
    Ok(())
}

proptest! {
    // 100,000 inputs through both readers, in about a second in a debug
    // build.
    #![proptest_config(ProptestConfig::with_cases(100_000))]

    #[test]
    fn any_bytes_are_read_exactly_or_rejected_with_a_reason(bytes in any_input()) {
        check_images(&bytes)?;
        check_labels(&bytes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn accepted_pairs_agree(images in any_input(), labels in any_input(), classes in 0usize..12) {
        let images_alone = IdxImages::parse(&images);
        let labels_alone = IdxLabels::parse(&labels);
        match LabelledImages::<4>::parse(&images, &labels, classes) {
            Ok(set) => {
                prop_assert_eq!(images_alone.map(|i| i.pixels_per_image()), Ok(4));
                prop_assert_eq!(set.len(), set.images().count());
                prop_assert_eq!(set.len(), set.labels().count());
                for index in 0..set.len() {
                    prop_assert!(set.label(index) < classes);
                    prop_assert_eq!(set.image(index).as_slice(), set.images().image(index));
                }
            }
            Err(error) => {
                let (images_ok, labels_ok) = (images_alone.is_ok(), labels_alone.is_ok());
                let explained = match error {
                    IdxError::WrongImageSize { .. } | IdxError::CountMismatch { .. } => images_ok && labels_ok,
                    IdxError::NoClasses => classes == 0,
                    IdxError::LabelOutOfRange { label, classes: c, .. } => c == classes && usize::from(label) >= classes,
                    _ => !images_ok || !labels_ok,
                };
                prop_assert!(explained, "{:?}", error);
            }
        }
    }
}
