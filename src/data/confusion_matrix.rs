//! [`ConfusionMatrix`]: how often each true class was predicted as each
//! class.

use core::fmt;

use super::LabelOutOfRange;
use crate::{Matrix, Scalar};

/// The counts of a classifier's predictions among `C` classes: row `t`,
/// column `p` is the number of samples of true class `t` predicted as `p`.
/// The diagonal holds the correct predictions.
///
/// Its [`Display`](fmt::Display) is a table, a header row of predicted
/// classes then one row per true class, each line ending in a newline:
///
/// ```
/// use constnet::data::ConfusionMatrix;
///
/// let mut confusion = ConfusionMatrix::<3>::new();
/// for (actual, predicted) in [(0, 0), (0, 0), (1, 1), (1, 2), (2, 2)] {
///     confusion.record(actual, predicted).unwrap();
/// }
/// assert_eq!(confusion.accuracy(), 0.8);
/// assert_eq!(confusion.recall(1), 0.5);
/// let table = concat!(
///     "        0   1   2\n",
///     "   0    2   0   0\n",
///     "   1    0   1   1\n",
///     "   2    0   0   1\n",
/// );
/// assert_eq!(confusion.to_string(), table);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConfusionMatrix<const C: usize> {
    /// `counts[actual][predicted]`.
    counts: [[usize; C]; C],
}

impl<const C: usize> ConfusionMatrix<C> {
    /// The matrix of no predictions.
    pub const fn new() -> Self {
        Self {
            counts: [[0; C]; C],
        }
    }

    /// Counts one prediction: a sample of class `actual` predicted as
    /// `predicted`.
    ///
    /// # Errors
    ///
    /// [`LabelOutOfRange`] if either is not below `C`; nothing is counted.
    pub fn record(&mut self, actual: usize, predicted: usize) -> Result<(), LabelOutOfRange> {
        for label in [actual, predicted] {
            if label >= C {
                return Err(LabelOutOfRange { label, classes: C });
            }
        }
        self.counts[actual][predicted] += 1;
        Ok(())
    }

    /// Counts the predictions of a batch: row `r` of `scores` is the
    /// classifier's scores for a sample of class `labels[r]`, and its
    /// largest score (the first of equals, see
    /// [`Matrix::argmax_rows`]) is the predicted class. Only the first
    /// `labels.len()` rows are counted, so the padding rows of a batch can
    /// be left out.
    ///
    /// # Errors
    ///
    /// [`LabelOutOfRange`] for the first label not below `C`; the rows before
    /// it are counted.
    ///
    /// ```
    /// use constnet::Matrix;
    /// use constnet::data::ConfusionMatrix;
    ///
    /// let scores = Matrix::new([[0.9, 0.1], [0.4, 0.6], [0.3, 0.7]]);
    /// let mut confusion = ConfusionMatrix::<2>::new();
    /// confusion.record_batch(&scores, &[0, 0]).unwrap(); // the third row is padding
    /// assert_eq!(confusion.counts(), &[[1, 1], [0, 0]]);
    /// ```
    pub fn record_batch<const B: usize, T: Scalar>(
        &mut self,
        scores: &Matrix<B, C, T>,
        labels: &[usize],
    ) -> Result<(), LabelOutOfRange> {
        for (&actual, predicted) in labels.iter().zip(scores.argmax_rows()) {
            self.record(actual, predicted)?;
        }
        Ok(())
    }

    /// The counts, `counts()[actual][predicted]`.
    pub const fn counts(&self) -> &[[usize; C]; C] {
        &self.counts
    }

    /// The number of samples of class `actual` predicted as `predicted`.
    ///
    /// # Panics
    ///
    /// If either is not below `C`.
    pub fn count(&self, actual: usize, predicted: usize) -> usize {
        self.counts[actual][predicted]
    }

    /// The number of predictions counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// The number of correct predictions: the diagonal's sum.
    pub fn correct(&self) -> usize {
        (0..C).map(|class| self.counts[class][class]).sum()
    }

    /// The fraction of predictions that are correct; NaN if there are none.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// The recall of `class`: the fraction of its samples predicted as it;
    /// NaN if no sample is of that class.
    ///
    /// # Panics
    ///
    /// If `class >= C`.
    pub fn recall(&self, class: usize) -> f64 {
        ratio(self.counts[class][class], self.counts[class].iter().sum())
    }

    /// The precision of `class`: the fraction of the samples predicted as it
    /// that are of it; NaN if no sample was predicted as it.
    ///
    /// # Panics
    ///
    /// If `class >= C`.
    pub fn precision(&self, class: usize) -> f64 {
        let predicted = self.counts.iter().map(|row| row[class]).sum();
        ratio(self.counts[class][class], predicted)
    }

    /// Adds the counts of `other`, as if its predictions had been recorded
    /// here too.
    pub fn merge(&mut self, other: &Self) {
        let pairs = self
            .counts
            .iter_mut()
            .flatten()
            .zip(other.counts.iter().flatten());
        pairs.for_each(|(count, &more)| *count += more);
    }
}

impl<const C: usize> Default for ConfusionMatrix<C> {
    fn default() -> Self {
        Self::new()
    }
}

/// `part / whole`, NaN when `whole` is 0.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        f64::NAN
    } else {
        part as f64 / whole as f64
    }
}

/// The number of decimal digits of `n`.
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

impl<const C: usize> fmt::Display for ConfusionMatrix<C> {
    /// The header row of predicted classes, then one row per true class,
    /// labelled by it. Columns are one wider than the widest count or class
    /// and at least 4 wide; the row labels are 4 wide (wider beyond 9,999
    /// classes) and followed by a space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widest = self.counts.iter().flatten().copied().max().unwrap_or(0);
        let last_class = C.saturating_sub(1);
        let width = digits(widest).max(digits(last_class)).max(3) + 1;
        let label_width = digits(last_class).max(4);
        write!(f, "{:label_width$} ", "")?;
        for predicted in 0..C {
            write!(f, "{predicted:>width$}")?;
        }
        writeln!(f)?;
        for (actual, row) in self.counts.iter().enumerate() {
            write!(f, "{actual:>label_width$} ")?;
            for count in row {
                write!(f, "{count:>width$}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    extern crate std;

    #[test]
    fn counts_and_rates() {
        let mut confusion = ConfusionMatrix::<2>::default();
        assert!(confusion.accuracy().is_nan());
        for (actual, predicted) in [(0, 0), (0, 1), (0, 1), (1, 1), (1, 1), (1, 1), (1, 0)] {
            confusion.record(actual, predicted).unwrap();
        }
        assert_eq!(confusion.counts(), &[[1, 2], [1, 3]]);
        assert_eq!((confusion.total(), confusion.correct()), (7, 4));
        assert_eq!(confusion.accuracy(), 4.0 / 7.0);
        assert_eq!(confusion.recall(0), 1.0 / 3.0);
        assert_eq!(confusion.recall(1), 0.75);
        assert_eq!(confusion.precision(0), 0.5);
        assert_eq!(confusion.precision(1), 0.6);
        assert_eq!(confusion.count(1, 0), 1);
        let mut twice = confusion;
        twice.merge(&confusion);
        assert_eq!(twice.counts(), &[[2, 4], [2, 6]]);
    }

    #[test]
    fn classes_never_seen_have_no_rate() {
        let mut confusion = ConfusionMatrix::<3>::new();
        confusion.record(0, 1).unwrap();
        assert!(confusion.recall(2).is_nan());
        assert!(confusion.precision(2).is_nan());
        assert_eq!(confusion.precision(1), 0.0);
    }

    #[test]
    fn labels_beyond_the_classes_are_not_counted() {
        let mut confusion = ConfusionMatrix::<3>::new();
        assert_eq!(
            confusion.record(3, 0),
            Err(LabelOutOfRange {
                label: 3,
                classes: 3
            })
        );
        assert_eq!(
            confusion.record(0, 7),
            Err(LabelOutOfRange {
                label: 7,
                classes: 3
            })
        );
        assert_eq!(confusion.total(), 0);
        let scores = Matrix::new([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]);
        assert!(confusion.record_batch(&scores, &[1, 5]).is_err());
        assert_eq!(confusion.counts(), &[[0, 0, 0], [0, 1, 0], [0, 0, 0]]);
    }

    #[test]
    fn the_table_matches_the_digits_example_layout() {
        let mut confusion = ConfusionMatrix::<10>::new();
        for digit in 0..10 {
            for _ in 0..36 {
                confusion.record(digit, digit).unwrap();
            }
        }
        confusion.record(8, 1).unwrap();
        let text = confusion.to_string();
        let lines: std::vec::Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[0], "        0   1   2   3   4   5   6   7   8   9");
        assert_eq!(lines[1], "   0   36   0   0   0   0   0   0   0   0   0");
        assert_eq!(lines[9], "   8    0   1   0   0   0   0   0   0  36   0");
        assert!(text.ends_with("  36\n"));
    }

    #[test]
    fn columns_widen_for_large_counts() {
        let mut confusion = ConfusionMatrix::<2>::new();
        for _ in 0..12_345 {
            confusion.record(1, 0).unwrap();
        }
        assert_eq!(
            confusion.to_string(),
            "          0     1\n   0      0     0\n   1  12345     0\n"
        );
        assert_eq!(ConfusionMatrix::<0>::new().to_string(), "     \n");
    }
}
