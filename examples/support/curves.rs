//! [`Curves`]: what a training run records per epoch, and the [`Panel`]s
//! that [`chart`](super::chart) draws in the terminal and [`svg`](super::svg)
//! in a file.

/// How values map to heights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Equal differences are equal heights: accuracies.
    Linear,
    /// Equal ratios are equal heights: losses, whose first epochs would
    /// flatten the rest on a linear scale. Every value must be positive.
    Log,
}

/// One curve: a value per epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Series<'a> {
    /// What it is, for the legend: `test accuracy`.
    pub name: &'a str,
    /// The character that draws it in the terminal.
    pub marker: char,
    /// The value of each epoch, the first epoch first.
    pub values: &'a [f64],
}

/// Curves drawn on the same axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel<'a> {
    /// The title: `training loss per epoch`.
    pub title: &'a str,
    /// How values map to heights.
    pub scale: Scale,
    /// The decimals of the values on the axis.
    pub decimals: usize,
    /// The curves, drawn in order (a later one over an earlier one).
    pub series: Vec<Series<'a>>,
}

impl Panel<'_> {
    /// The smallest and largest value of all the curves.
    pub fn range(&self) -> (f64, f64) {
        let values = self.series.iter().flat_map(|s| s.values.iter().copied());
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(min, max), v| {
            (min.min(v), max.max(v))
        })
    }

    /// The number of epochs: the length of the longest curve.
    pub fn epochs(&self) -> usize {
        self.series
            .iter()
            .map(|s| s.values.len())
            .max()
            .unwrap_or(0)
    }

    /// How far below the top of `range` (the largest value, 0) `value` lies,
    /// as a fraction of the range (the smallest value is 1), on this panel's
    /// scale; 0 if the range is a single value.
    pub fn depth(&self, value: f64, (min, max): (f64, f64)) -> f64 {
        let (value, min, max) = match self.scale {
            Scale::Linear => (value, min, max),
            Scale::Log => (value.ln(), min.ln(), max.ln()),
        };
        if max > min {
            (max - value) / (max - min)
        } else {
            0.0
        }
    }

    /// The value at `depth` below the top of `range`: the inverse of
    /// [`depth`](Panel::depth).
    pub fn value_at(&self, depth: f64, (min, max): (f64, f64)) -> f64 {
        match self.scale {
            Scale::Linear => max - depth * (max - min),
            Scale::Log => (max.ln() - depth * (max.ln() - min.ln())).exp(),
        }
    }
}

/// The record of a training run: per epoch, the mean training loss and the
/// accuracy on the training and the test set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curves {
    /// The mean loss of each epoch's training steps.
    pub loss: Vec<f64>,
    /// The accuracy on the training set after each epoch.
    pub train_accuracy: Vec<f64>,
    /// The accuracy on the test set after each epoch.
    pub test_accuracy: Vec<f64>,
}

impl Curves {
    /// Records one epoch.
    pub fn push(&mut self, loss: f64, train_accuracy: f64, test_accuracy: f64) {
        self.loss.push(loss);
        self.train_accuracy.push(train_accuracy);
        self.test_accuracy.push(test_accuracy);
    }

    /// The training loss, on a log scale.
    pub fn loss_panel(&self) -> Panel<'_> {
        Panel {
            title: "training loss per epoch (log scale)",
            scale: Scale::Log,
            decimals: 4,
            series: vec![Series {
                name: "training loss",
                marker: '*',
                values: &self.loss,
            }],
        }
    }

    /// The training and test accuracy.
    pub fn accuracy_panel(&self) -> Panel<'_> {
        Panel {
            title: "accuracy per epoch",
            scale: Scale::Linear,
            decimals: 3,
            series: vec![
                Series {
                    name: "train accuracy",
                    marker: 'o',
                    values: &self.train_accuracy,
                },
                Series {
                    name: "test accuracy",
                    marker: '+',
                    values: &self.test_accuracy,
                },
            ],
        }
    }
}
