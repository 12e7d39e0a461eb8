use super::*;
use crate::{Affine, Matrix, Network, Relu, Tanh};
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use proptest::prelude::*;

extern crate alloc;

type Net = Network<(Affine<3, 4>, Relu, Affine<4, 2>)>;
type Other = Network<(Affine<4, 3>, Tanh, Affine<3, 2>)>;
type Wide = Network<(Affine<3, 4, f64>, Relu, Affine<4, 2, f64>)>;

/// A tiny xorshift generator: fills byte strings far faster than a proptest
/// strategy per byte, which keeps 100,000 cases quick in a debug build.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        // Never zero: the seed is forced odd.
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn weight(&mut self) -> f32 {
        (self.below(2001) as f32 - 1000.0) / 256.0
    }
}

fn net_from(rng: &mut XorShift) -> Net {
    let mut net = Net::default();
    net.visit_mut(&mut |slice: &mut [f32]| slice.iter_mut().for_each(|x| *x = rng.weight()));
    net
}

fn encoded<P: Parameters<T>, T: Scalar>(parameters: &P) -> Vec<u8> {
    let mut bytes = vec![0; encoded_len(parameters)];
    assert_eq!(encode(parameters, &mut bytes), Ok(bytes.len()));
    bytes
}

fn sample_net() -> Net {
    net_from(&mut XorShift(0x9E37_79B9_7F4A_7C15))
}

#[test]
fn the_documented_layout_byte_for_byte() {
    let layer: Affine<1, 2> = Affine::new(Matrix::new([[1.0, -2.0]]), Matrix::new([[0.5, 0.0]]));
    let want: [u8; 48] = [
        b'C', b'N', b'E', b'T', // magic
        1, 0, // version 1
        1, 0, // f32
        2, 0, 0, 0, // two matrices
        1, 0, 0, 0, 2, 0, 0, 0, // weights: 1x2
        1, 0, 0, 0, 2, 0, 0, 0, // bias: 1x2
        0x00, 0x00, 0x80, 0x3f, // 1.0
        0x00, 0x00, 0x00, 0xc0, // -2.0
        0x00, 0x00, 0x00, 0x3f, // 0.5
        0x00, 0x00, 0x00, 0x00, // 0.0
        0xef, 0x01, 0xb8, 0x04, // CRC-32 0x04b801ef (zlib.crc32 of the bytes above)
    ];
    assert_eq!(encoded(&layer), want);
}

#[test]
fn round_trips_are_exact_in_f32_and_f64() {
    let net = sample_net();
    let mut loaded = Net::default();
    decode(&mut loaded, &encoded(&net)).unwrap();
    assert_eq!(loaded, net);

    let mut wide = Wide::default();
    let mut i = 0.0;
    wide.visit_mut(&mut |slice: &mut [f64]| {
        for x in slice {
            i += 1.0;
            *x = 1.0 / i - core::f64::consts::PI * i; // values an f32 would round
        }
    });
    let bytes = encoded(&wide);
    assert_eq!(bytes.len(), 12 + 4 * 8 + 26 * 8 + 4);
    let mut loaded = Wide::default();
    decode(&mut loaded, &bytes).unwrap();
    assert_eq!(loaded, wide);
}

#[test]
fn a_small_buffer_is_refused_untouched() {
    let net = sample_net();
    let mut out = [7u8; 151];
    assert_eq!(
        encode(&net, &mut out),
        Err(WeightsError::BufferTooSmall {
            needed: 152,
            available: 151
        })
    );
    assert!(out.iter().all(|&b| b == 7));
    // A larger buffer is fine: only the start is written.
    let mut out = [7u8; 160];
    assert_eq!(encode(&net, &mut out), Ok(152));
    assert_eq!(&out[152..], &[7; 8]);
}

#[test]
fn non_finite_weights_are_refused_both_ways() {
    let mut net = sample_net();
    net.layers.2.bias[(0, 1)] = f32::NAN;
    let mut out = [0u8; 152];
    let error = encode(&net, &mut out).unwrap_err();
    assert_eq!(
        error,
        WeightsError::NonFinite {
            tensor: 3,
            index: 1
        }
    );
    assert_eq!(
        error.to_string(),
        "element 1 of parameter matrix 3 is NaN or infinite"
    );

    // Bytes holding an infinity under a valid checksum.
    let mut bytes = encoded(&sample_net());
    let at = HEADER + 4 * SHAPE + 4 * 5; // element 5 of matrix 0
    bytes[at..at + 4].copy_from_slice(&f32::INFINITY.to_le_bytes());
    let end = bytes.len() - 4;
    let checksum = crc32(&bytes[..end]);
    bytes[end..].copy_from_slice(&checksum.to_le_bytes());
    let mut target = Net::default();
    assert_eq!(
        decode(&mut target, &bytes),
        Err(WeightsError::NonFinite {
            tensor: 0,
            index: 5
        })
    );
    assert_eq!(target, Net::default());
}

#[test]
fn each_kind_of_bad_bytes_has_its_error() {
    let good = encoded(&sample_net());
    let check = |bytes: &[u8], want: WeightsError, message: &str| {
        let mut target = Net::default();
        let error = decode(&mut target, bytes).unwrap_err();
        assert_eq!(error, want);
        assert_eq!(error.to_string(), message);
        assert_eq!(target, Net::default(), "changed by a failed load");
    };

    check(
        &good[..10],
        WeightsError::Truncated {
            needed: 16,
            available: 10,
        },
        "the weights are truncated: 10 bytes, the header calls for 16",
    );
    check(
        &good[..151],
        WeightsError::Truncated {
            needed: 152,
            available: 151,
        },
        "the weights are truncated: 151 bytes, the header calls for 152",
    );
    check(
        &good[..30],
        WeightsError::Truncated {
            needed: 48,
            available: 30,
        },
        "the weights are truncated: 30 bytes, the header calls for 48",
    );
    let mut long = good.clone();
    long.push(0);
    check(
        &long,
        WeightsError::TrailingBytes {
            expected: 152,
            found: 153,
        },
        "153 bytes, but the header describes 152: unexpected bytes after the checksum",
    );

    let mut bytes = good.clone();
    bytes[..4].copy_from_slice(b"\x89PNG");
    check(
        &bytes,
        WeightsError::WrongMagic { found: *b"\x89PNG" },
        "not saved weights: they start with [89, 50, 4e, 47], not the magic `CNET`",
    );
    let mut bytes = good.clone();
    bytes[4] = 2;
    check(
        &bytes,
        WeightsError::UnsupportedVersion {
            found: 2,
            supported: 1,
        },
        "weights format version 2 is not supported (this library reads version 1)",
    );
    let mut bytes = good.clone();
    bytes[6] = 9;
    check(
        &bytes,
        WeightsError::UnknownElementType { code: 9 },
        "unknown element type code 9 (1 is f32, 2 is f64)",
    );
    check(
        &encoded(&Wide::default()),
        WeightsError::ElementTypeMismatch {
            expected: "f32",
            found: "f64",
        },
        "the weights are f64, the network's parameters are f32",
    );

    let mut bytes = good.clone();
    bytes[60] ^= 0x10;
    let computed = crc32(&bytes[..148]);
    let stored = u32::from_le_bytes(array_at(&bytes, 148));
    check(
        &bytes,
        WeightsError::ChecksumMismatch { stored, computed },
        &alloc::format!(
            "the weights are damaged: their CRC-32 is {computed:#010x}, the stored one {stored:#010x}"
        ),
    );

    check(
        &encoded(&Other::default()),
        WeightsError::ShapeMismatch {
            tensor: 0,
            expected: (3, 4),
            found: (4, 3),
        },
        "the weights are of another network: parameter matrix 0 is 4x3 in them, 3x4 in this one",
    );
    let single: Affine<3, 4> = Affine::default();
    check(
        &encoded(&single),
        WeightsError::TensorCountMismatch {
            expected: 4,
            found: 2,
        },
        "the weights are of another network: 2 parameter matrices, this one has 4",
    );

    // A header whose one shape, (2^32-1)², times 4 bytes overflows a u64.
    let mut bytes = good[..HEADER].to_vec();
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    bytes.extend_from_slice(&[0xff; 8]);
    bytes.extend_from_slice(&[0; 4]);
    check(
        &bytes,
        WeightsError::TooLarge,
        "the header declares more data than fits in memory: the bytes are damaged",
    );
    // A shape of 65536x65536 is 16 GiB of f32s: far more than given.
    bytes[12..20].copy_from_slice(&[0, 0, 1, 0, 0, 0, 1, 0]);
    let error = decode(&mut Net::default(), &bytes).unwrap_err();
    if usize::BITS >= 64 {
        assert_eq!(
            error,
            WeightsError::Truncated {
                needed: 12 + 8 + (4 << 32) + 4,
                available: 24
            }
        );
    } else {
        assert_eq!(error, WeightsError::TooLarge);
    }
    // A count of 2^32-1 matrices is refused before any shape is read.
    let mut bytes = good.clone();
    bytes[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    let error = decode(&mut Net::default(), &bytes).unwrap_err();
    assert!(
        matches!(error, WeightsError::Truncated { available: 152, .. }),
        "{error:?}"
    );
}

#[test]
fn a_network_loads_its_own_weights_after_training() {
    use crate::{Mse, Sgd};
    let mut net = sample_net();
    let x = Matrix::new([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]);
    let t = Matrix::new([[1.0, 0.0], [0.0, 1.0]]);
    for _ in 0..10 {
        net.train_step(&x, &t, &Mse, &mut Sgd::new(0.1)).unwrap();
    }
    let mut loaded = Net::default();
    decode(&mut loaded, &encoded(&net)).unwrap();
    assert_eq!(loaded.predict(&x), net.predict(&x));
}

/// How a test case builds its bytes.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// Random bytes of random length.
    Random,
    /// A valid header, then random bytes.
    ValidHeader,
    /// A valid encoding, then one to four random mutations.
    Mutated,
    /// A valid encoding of another architecture or element type, perhaps
    /// mutated.
    Foreign,
}

fn mutate(bytes: &mut Vec<u8>, rng: &mut XorShift) {
    for _ in 0..=rng.below(4) {
        let len = bytes.len().max(1);
        match rng.below(6) {
            0 => {
                let at = rng.below(len);
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => {
                let at = rng.below(len);
                if let Some(b) = bytes.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            2 => bytes.truncate(rng.below(len + 1)),
            3 => bytes.insert(rng.below(bytes.len() + 1), rng.next() as u8),
            4 if !bytes.is_empty() => {
                bytes.remove(rng.below(bytes.len()));
            }
            _ => {
                // A four-byte word overwritten: a shape, a count, a float.
                let at = rng.below(len);
                let word = (rng.next() as u32).to_le_bytes();
                for (b, w) in bytes.iter_mut().skip(at).zip(word) {
                    *b = w;
                }
            }
        }
    }
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        1 => Just(Source::Random),
        1 => Just(Source::ValidHeader),
        2 => Just(Source::Mutated),
        1 => Just(Source::Foreign),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 100_000,
        // The cases are built from the seed; shrinking a seed means nothing.
        max_shrink_iters: 0,
        ..ProptestConfig::default()
    })]

    /// Random, truncated, extended, bit-flipped and foreign byte strings:
    /// decoding returns a result (never panics), an error leaves the target
    /// as it was, and success happens only for intact weights.
    #[test]
    fn decoding_any_bytes_is_safe(source in source(), seed in any::<u64>()) {
        let mut rng = XorShift(seed | 1);
        let original = net_from(&mut rng);
        let valid = encoded(&original);
        let bytes = match source {
            Source::Random => (0..rng.below(200)).map(|_| rng.next() as u8).collect(),
            Source::ValidHeader => {
                let mut bytes = valid[..HEADER + rng.below(valid.len() - HEADER)].to_vec();
                bytes.extend((0..rng.below(160)).map(|_| rng.next() as u8));
                bytes
            }
            Source::Mutated => {
                let mut bytes = valid.clone();
                mutate(&mut bytes, &mut rng);
                bytes
            }
            Source::Foreign => {
                let mut bytes = match rng.below(3) {
                    0 => encoded(&Other::default()),
                    1 => encoded(&Wide::default()),
                    _ => encoded(&Affine::<4, 2>::default()),
                };
                if rng.below(2) == 0 {
                    mutate(&mut bytes, &mut rng);
                }
                bytes
            }
        };

        let before = net_from(&mut rng);
        let mut target = before;
        match decode(&mut target, &bytes) {
            Ok(()) => {
                // Only an unchanged valid encoding can pass the checksum and
                // the shape checks (a mutation that undid itself included).
                prop_assert_eq!(&bytes, &valid, "{:?} accepted", source);
                prop_assert_eq!(target, original);
            }
            Err(error) => {
                prop_assert_eq!(target, before);
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }
}
