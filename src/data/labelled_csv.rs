//! [`labelled_csv`]: samples of `N` features and a class label, one per line
//! of comma-separated text.

use core::fmt;
use core::marker::PhantomData;
use core::num::IntErrorKind;

use super::one_hot::write_classes;
use crate::Scalar;

/// One labelled sample: `N` features and the index of its class.
///
/// ```
/// use constnet::data::Sample;
/// let sample = Sample { features: [0.0_f32, 16.0], label: 7 };
/// assert_eq!(sample.label, 7);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample<const N: usize, T = f32> {
    /// The features, in the order of the line's columns.
    pub features: [T; N],
    /// The class, `0..classes`.
    pub label: usize,
}

/// The samples of CSV `text` in which each line holds `N` numbers (the
/// features) and then a class label in `0..classes`, separated by commas.
///
/// Fields may be surrounded by spaces; lines may end in `\n` or `\r\n`;
/// blank lines are skipped (and still counted, so error line numbers match
/// an editor's); a leading UTF-8 byte order mark is skipped. There is no
/// header line and no quoting. The iterator yields one `Result` per
/// non-blank line, so collecting into `Result<Vec<_>, _>` stops at the first
/// malformed line. If `classes` is 0, no line can be valid: the iterator
/// yields a single [`CsvErrorKind::NoClasses`] error, whatever the text.
///
/// ```
/// use constnet::data::{CsvErrorKind, labelled_csv};
///
/// let mut rows = labelled_csv::<3, f64>("1, 2.5, 3, 0\r\n\n4,5,6,12\n", 10);
/// assert_eq!(rows.next().unwrap().unwrap().features, [1.0, 2.5, 3.0]);
/// let error = rows.next().unwrap().unwrap_err();
/// assert_eq!((error.line, error.column), (3, 4));
/// assert_eq!(error.kind, CsvErrorKind::LabelOutOfRange { label: 12, classes: 10 });
/// assert!(rows.next().is_none());
/// ```
pub fn labelled_csv<const N: usize, T: Scalar>(
    text: &str,
    classes: usize,
) -> LabelledCsv<'_, N, T> {
    LabelledCsv {
        rest: Some(text.strip_prefix('\u{feff}').unwrap_or(text)),
        line: 0,
        classes,
        element: PhantomData,
    }
}

/// The iterator returned by [`labelled_csv`].
#[derive(Clone, Debug)]
pub struct LabelledCsv<'a, const N: usize, T = f32> {
    /// The text not yet read; `None` once the last line has been read.
    rest: Option<&'a str>,
    /// The number of the line read last, 1-based.
    line: usize,
    classes: usize,
    element: PhantomData<fn() -> T>,
}

impl<const N: usize, T: Scalar> Iterator for LabelledCsv<'_, N, T> {
    type Item = Result<Sample<N, T>, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.classes == 0 {
            self.rest.take()?;
            return Some(Err(CsvError {
                line: 0,
                column: 0,
                kind: CsvErrorKind::NoClasses,
                field: FieldText::new(""),
            }));
        }
        loop {
            let text = self.rest?;
            let (line, rest) = match text.split_once('\n') {
                Some((line, rest)) => (line, Some(rest)),
                None => (text, None),
            };
            self.rest = rest;
            self.line += 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.trim().is_empty() {
                return Some(parse_line(line, self.line, self.classes));
            }
        }
    }
}

/// Parses one non-blank line, numbered `line`.
fn parse_line<const N: usize, T: Scalar>(
    text: &str,
    line: usize,
    classes: usize,
) -> Result<Sample<N, T>, CsvError> {
    let error = |column: usize, kind: CsvErrorKind, field: &str| CsvError {
        line,
        column,
        kind,
        field: FieldText::new(field),
    };
    let mut fields = text.split(',').map(str::trim);
    let mut features = [T::zero(); N];
    for (index, feature) in features.iter_mut().enumerate() {
        let column = index + 1;
        let Some(field) = fields.next() else {
            return Err(error(
                column,
                CsvErrorKind::TooFewFields {
                    found: index,
                    expected: N + 1,
                },
                "",
            ));
        };
        *feature = parse_feature(field).map_err(|kind| error(column, kind, field))?;
    }
    let column = N + 1;
    let Some(field) = fields.next() else {
        return Err(error(
            column,
            CsvErrorKind::TooFewFields {
                found: N,
                expected: N + 1,
            },
            "",
        ));
    };
    let label = parse_label(field, classes).map_err(|kind| error(column, kind, field))?;
    if let Some(extra) = fields.next() {
        return Err(error(
            N + 2,
            CsvErrorKind::TooManyFields { expected: N + 1 },
            extra,
        ));
    }
    Ok(Sample { features, label })
}

fn parse_feature<T: Scalar>(field: &str) -> Result<T, CsvErrorKind> {
    if field.is_empty() {
        return Err(CsvErrorKind::Empty);
    }
    let value: f64 = field.parse().map_err(|_| CsvErrorKind::NotANumber)?;
    let value = T::from_f64(value);
    // `inf`, `NaN` and numbers beyond the type's range would poison training.
    if !value.is_finite() {
        return Err(CsvErrorKind::NotFinite);
    }
    Ok(value)
}

fn parse_label(field: &str, classes: usize) -> Result<usize, CsvErrorKind> {
    if field.is_empty() {
        return Err(CsvErrorKind::Empty);
    }
    let label = match field.parse::<usize>() {
        Ok(label) => label,
        Err(error) if *error.kind() == IntErrorKind::PosOverflow => {
            return Err(CsvErrorKind::LabelTooLarge { classes });
        }
        Err(_) => return Err(CsvErrorKind::NotALabel),
    };
    if label >= classes {
        return Err(CsvErrorKind::LabelOutOfRange { label, classes });
    }
    Ok(label)
}

/// A malformed line of a labelled CSV file: where it is and what is wrong.
///
/// Its [`Display`](fmt::Display) reads like a compiler's message:
/// `line 2, column 5: `1e999` is not a finite number`. Control characters
/// of the field it quotes are escaped (`\r`, `\0`, `\u{1b}`), so the
/// message prints as one clean line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// The line, counting from 1 (blank lines included); 0 for
    /// [`CsvErrorKind::NoClasses`], which is about no line.
    pub line: usize,
    /// The field, counting from 1: the features are columns `1..=N` and the
    /// label is column `N + 1`; 0 for [`CsvErrorKind::NoClasses`].
    pub column: usize,
    /// What is wrong.
    pub kind: CsvErrorKind,
    field: FieldText,
}

impl CsvError {
    /// The offending field, trimmed, cut to its first 24 bytes (at a
    /// character boundary); empty when the field is missing.
    pub fn field(&self) -> &str {
        self.field.as_str()
    }
}

/// What is wrong with a line of a labelled CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CsvErrorKind {
    /// The line ends before the label: it has `found` fields instead of
    /// `expected`.
    TooFewFields {
        /// The number of fields on the line.
        found: usize,
        /// The number a line must have: the features and the label.
        expected: usize,
    },
    /// The line has more than `expected` fields.
    TooManyFields {
        /// The number a line must have: the features and the label.
        expected: usize,
    },
    /// A field is empty (two commas in a row, or a trailing comma).
    Empty,
    /// A feature is not a number.
    NotANumber,
    /// A feature is NaN, infinite, or too large for the element type.
    NotFinite,
    /// The label is not a non-negative whole number.
    NotALabel,
    /// The label is a whole number too large for a `usize`, so beyond any
    /// number of classes.
    LabelTooLarge {
        /// The number of classes: labels are `0..classes`.
        classes: usize,
    },
    /// The label is not below the number of classes.
    LabelOutOfRange {
        /// The label read.
        label: usize,
        /// The number of classes: labels are `0..classes`.
        classes: usize,
    },
    /// The number of classes asked for is 0, so no label can be valid.
    NoClasses,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == CsvErrorKind::NoClasses {
            return f.write_str("the number of classes is 0, so no label is valid");
        }
        write!(f, "line {}, column {}: ", self.line, self.column)?;
        let field = Escaped(self.field.as_str());
        let more = if self.field.truncated { "..." } else { "" };
        match self.kind {
            CsvErrorKind::TooFewFields { found, expected } => write!(
                f,
                "the line has {found} field{}, expected {expected} (the features, then the label)",
                if found == 1 { "" } else { "s" }
            ),
            CsvErrorKind::TooManyFields { expected } => write!(
                f,
                "unexpected field `{field}{more}`: a line has {expected} fields (the features, then the label)"
            ),
            CsvErrorKind::Empty => f.write_str("the field is empty"),
            CsvErrorKind::NotANumber => write!(f, "`{field}{more}` is not a number"),
            CsvErrorKind::NotFinite => write!(f, "`{field}{more}` is not a finite number"),
            CsvErrorKind::NotALabel => write!(
                f,
                "the label `{field}{more}` is not a non-negative whole number"
            ),
            CsvErrorKind::LabelTooLarge { classes } => {
                write!(f, "the label `{field}{more}` is too large: ")?;
                write_classes(f, classes)
            }
            CsvErrorKind::LabelOutOfRange { label, classes } => {
                write!(f, "the label {label} is out of range: ")?;
                write_classes(f, classes)
            }
            CsvErrorKind::NoClasses => Ok(()),
        }
    }
}

/// Text shown with its control characters escaped: a field quoted in a
/// message must not move the cursor, end the line or ring the terminal.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '\0' => f.write_str("\\0")?,
                '\t' => f.write_str("\\t")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

impl core::error::Error for CsvError {}

/// The start of a field, copied so that [`CsvError`] does not borrow the
/// text (and can outlive it without an allocator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FieldText {
    bytes: [u8; FieldText::CAPACITY],
    len: u8,
    truncated: bool,
}

impl FieldText {
    const CAPACITY: usize = 24;

    fn new(text: &str) -> Self {
        let mut len = text.len().min(Self::CAPACITY);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0; Self::CAPACITY];
        bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
        Self {
            bytes,
            len: len as u8,
            truncated: len < text.len(),
        }
    }

    fn as_str(&self) -> &str {
        // The bytes are a prefix of a `str` cut at a character boundary.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use proptest::prelude::*;

    extern crate alloc;

    fn first_error<const N: usize>(text: &str) -> CsvError {
        labelled_csv::<N, f32>(text, 10)
            .find_map(Result::err)
            .expect("an error")
    }

    #[test]
    fn parses_well_formed_lines() {
        let text = "0,1,2,3\n 4 ,\t5.5, -6e-1 ,9\r\n";
        let rows: Vec<_> = labelled_csv::<3, f64>(text, 10)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                Sample {
                    features: [0.0, 1.0, 2.0],
                    label: 3
                },
                Sample {
                    features: [4.0, 5.5, -0.6],
                    label: 9
                },
            ]
        );
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let text = "\n\n1,2\n   \n\r\n3,x\n";
        let rows: Vec<_> = labelled_csv::<1, f32>(text, 10).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            Ok(Sample {
                features: [1.0],
                label: 2
            })
        );
        let error = rows[1].unwrap_err();
        assert_eq!((error.line, error.column), (6, 2));
        assert_eq!(error.kind, CsvErrorKind::NotALabel);
        assert_eq!(labelled_csv::<4, f32>("", 10).count(), 0);
        assert_eq!(labelled_csv::<4, f32>("\n\n", 10).count(), 0);
    }

    #[test]
    fn each_malformation_names_its_line_column_and_reason() {
        let cases: [(&str, usize, usize, CsvErrorKind, &str); 9] = [
            (
                "1,2,3\n1,2",
                2,
                3,
                CsvErrorKind::TooFewFields {
                    found: 2,
                    expected: 3,
                },
                "line 2, column 3: the line has 2 fields, expected 3 (the features, then the label)",
            ),
            (
                "1",
                1,
                2,
                CsvErrorKind::TooFewFields {
                    found: 1,
                    expected: 3,
                },
                "line 1, column 2: the line has 1 field, expected 3 (the features, then the label)",
            ),
            (
                "1,2,3,4",
                1,
                4,
                CsvErrorKind::TooManyFields { expected: 3 },
                "line 1, column 4: unexpected field `4`: a line has 3 fields (the features, then the label)",
            ),
            (
                "1,2,3,",
                1,
                4,
                CsvErrorKind::TooManyFields { expected: 3 },
                "line 1, column 4: unexpected field ``: a line has 3 fields (the features, then the label)",
            ),
            (
                "1,,3",
                1,
                2,
                CsvErrorKind::Empty,
                "line 1, column 2: the field is empty",
            ),
            (
                "1,2,",
                1,
                3,
                CsvErrorKind::Empty,
                "line 1, column 3: the field is empty",
            ),
            (
                "1;2,3",
                1,
                1,
                CsvErrorKind::NotANumber,
                "line 1, column 1: `1;2` is not a number",
            ),
            (
                "1,NaN,3",
                1,
                2,
                CsvErrorKind::NotFinite,
                "line 1, column 2: `NaN` is not a finite number",
            ),
            (
                "1,2,-1",
                1,
                3,
                CsvErrorKind::NotALabel,
                "line 1, column 3: the label `-1` is not a non-negative whole number",
            ),
        ];
        for (text, line, column, kind, message) in cases {
            let error = first_error::<2>(text);
            assert_eq!(
                (error.line, error.column, error.kind),
                (line, column, kind),
                "{text:?}"
            );
            assert_eq!(error.to_string(), message, "{text:?}");
        }
        let error = first_error::<2>("1,2,10");
        assert_eq!(
            error.to_string(),
            "line 1, column 3: the label 10 is out of range: there are 10 classes, 0 to 9"
        );
        assert_eq!(first_error::<2>("1,2,2.0").kind, CsvErrorKind::NotALabel);
        assert_eq!(first_error::<2>("inf,2,2").kind, CsvErrorKind::NotFinite);
    }

    #[test]
    fn numbers_beyond_the_element_type_are_not_finite() {
        // 1e39 is a fine f64 but overflows f32.
        assert_eq!(first_error::<1>("1e39,0").kind, CsvErrorKind::NotFinite);
        let ok = labelled_csv::<1, f64>("1e39,0", 1).next().unwrap().unwrap();
        assert_eq!(ok.features, [1e39]);
    }

    #[test]
    fn long_fields_are_cut_at_a_character_boundary() {
        // 23 ASCII bytes, then a 2-byte character straddling the 24-byte cut.
        let field = String::from("aaaaaaaaaaaaaaaaaaaaaaaé tail");
        let error = first_error::<1>(&(field.clone() + ",0"));
        assert_eq!(error.field(), "aaaaaaaaaaaaaaaaaaaaaaa");
        assert_eq!(
            error.to_string(),
            "line 1, column 1: `aaaaaaaaaaaaaaaaaaaaaaa...` is not a number"
        );
        let exact = first_error::<1>("ééééééééééééx,0");
        assert_eq!(exact.field(), "éééééééééééé");
    }

    #[test]
    fn iteration_continues_after_an_error() {
        let results: Vec<_> = labelled_csv::<1, f32>("x,0\n1,1\n2,99\n3,3", 10).collect();
        assert!(results[0].is_err());
        assert_eq!(
            results[1],
            Ok(Sample {
                features: [1.0],
                label: 1
            })
        );
        assert_eq!(results[2].unwrap_err().line, 3);
        assert_eq!(
            results[3],
            Ok(Sample {
                features: [3.0],
                label: 3
            })
        );
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        let rows: Vec<_> = labelled_csv::<2, f32>("\u{feff}1,2,0\n3,4,1\n", 2)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows[0].features, [1.0, 2.0]);
        assert_eq!(rows.len(), 2);
        // Only at the very start: elsewhere it is an ordinary character.
        let error = first_error::<2>("1,2,0\n\u{feff}3,4,1");
        assert_eq!((error.line, error.column), (2, 1));
        assert_eq!(
            error.to_string(),
            "line 2, column 1: `\u{feff}3` is not a number"
        );
        let error = first_error::<2>("\u{feff}1,x,0");
        assert_eq!((error.line, error.column), (1, 2));
    }

    #[test]
    fn control_characters_are_escaped_in_messages() {
        let cases = [
            ("1\r5,0", "line 1, column 1: `1\\r5` is not a number"),
            ("a\0b,0", "line 1, column 1: `a\\0b` is not a number"),
            (
                "\x1b[31m,0",
                "line 1, column 1: `\\u{1b}[31m` is not a number",
            ),
            (
                "x\u{85}\u{7f},0",
                "line 1, column 1: `x\\u{85}\\u{7f}` is not a number",
            ),
            (
                "1,2\t3",
                "line 1, column 2: the label `2\\t3` is not a non-negative whole number",
            ),
            (
                "1,2,\x07",
                "line 1, column 3: unexpected field `\\u{7}`: a line has 2 fields (the features, then the label)",
            ),
        ];
        for (text, message) in cases {
            let error = first_error::<1>(text);
            assert_eq!(error.to_string(), message, "{text:?}");
        }
        // The field itself is kept as it was.
        assert_eq!(first_error::<1>("1\r5,0").field(), "1\r5");
    }

    #[test]
    fn zero_classes_is_one_error_whatever_the_text() {
        for text in ["1,2,0\n3,4,1\n", "", "x"] {
            let results: Vec<_> = labelled_csv::<2, f32>(text, 0).collect();
            assert_eq!(results.len(), 1, "{text:?}");
            let error = results[0].unwrap_err();
            assert_eq!((error.line, error.column), (0, 0));
            assert_eq!(error.kind, CsvErrorKind::NoClasses);
            assert_eq!(
                error.to_string(),
                "the number of classes is 0, so no label is valid"
            );
        }
    }

    #[test]
    fn labels_beyond_usize_are_too_large() {
        let error = first_error::<1>("1,184467440737095516160");
        assert_eq!(error.kind, CsvErrorKind::LabelTooLarge { classes: 10 });
        assert_eq!(
            error.to_string(),
            "line 1, column 2: the label `184467440737095516160` is too large: there are 10 classes, 0 to 9"
        );
        let max = usize::MAX.to_string();
        assert_eq!(
            first_error::<1>(&(String::from("1,") + &max)).kind,
            CsvErrorKind::LabelOutOfRange {
                label: usize::MAX,
                classes: 10
            }
        );
        let error = labelled_csv::<1, f32>("0,99999999999999999999999999", 1)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1, column 2: the label `999999999999999999999999...` is too large: there is 1 class, 0"
        );
        assert_eq!(
            first_error::<1>("1,-99999999999999999999").kind,
            CsvErrorKind::NotALabel
        );
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "[0-9a-z,. \\-+\\r\\n\u{e9}]{0,80}") {
            for result in labelled_csv::<3, f32>(&text, 4) {
                match result {
                    Ok(sample) => {
                        prop_assert!(sample.label < 4);
                        prop_assert!(sample.features.iter().all(|x| x.is_finite()));
                    }
                    Err(error) => {
                        prop_assert!(error.line >= 1 && (1..=5).contains(&error.column));
                        prop_assert!(!error.to_string().is_empty());
                    }
                }
            }
        }

        #[test]
        fn written_samples_read_back(
            rows in proptest::collection::vec((proptest::array::uniform4(0u8..=16), 0usize..10), 0..20),
        ) {
            let mut text = String::new();
            for (features, label) in &rows {
                for x in features {
                    text += &x.to_string();
                    text += ",";
                }
                text += &label.to_string();
                text += "\n";
            }
            let read: Vec<_> = labelled_csv::<4, f32>(&text, 10).collect::<Result<_, _>>().unwrap();
            prop_assert_eq!(read.len(), rows.len());
            for (sample, (features, label)) in read.iter().zip(&rows) {
                prop_assert_eq!(sample.features, features.map(f32::from));
                prop_assert_eq!(sample.label, *label);
            }
        }
    }
}
