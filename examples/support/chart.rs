//! [`chart`]: curves drawn with characters, for the terminal.

use super::curves::Panel;

/// The widest chart, in columns: longer runs show evenly spaced epochs.
pub const MAX_COLUMNS: usize = 60;

/// The width of the value labels on the left.
const LABEL: usize = 7;

/// `panel` as a chart `height` rows tall under its title: one column per
/// epoch (at most [`MAX_COLUMNS`], sampling evenly spaced epochs beyond),
/// the largest value on the top row and the smallest on the bottom one,
/// labelled with them, and the first and last epoch under the axis; a panel
/// of several curves has their markers in the title. Every line ends in a
/// newline.
///
/// ```text
/// training loss per epoch (log scale)
///  1.8131 |*
///         |  *
///         |     ***
///  0.0294 |        ****
///         +-----------
///          1        11
/// ```
pub fn chart(panel: &Panel<'_>, height: usize) -> String {
    let epochs = panel.epochs();
    let mut chart = String::from(panel.title);
    if panel.series.len() > 1 {
        let legend: Vec<String> = panel
            .series
            .iter()
            .map(|s| format!("{}: {}", s.marker, s.name))
            .collect();
        chart += &format!(" ({})", legend.join(", "));
    }
    chart += "\n";
    if epochs == 0 || height < 2 {
        return chart;
    }
    let columns = epochs.min(MAX_COLUMNS);
    // The epoch (0-based) each column shows: all of them, or evenly spaced
    // ones from the first to the last.
    let epoch_at = |column: usize| {
        if columns == epochs {
            column
        } else {
            (column * (epochs - 1) + (columns - 1) / 2) / (columns - 1)
        }
    };
    let range @ (min, max) = panel.range();
    let row_of = |value: f64| (panel.depth(value, range) * (height - 1) as f64).round() as usize;
    let mut grid = vec![vec![' '; columns]; height];
    for series in &panel.series {
        let points = (0..columns).filter_map(|column| {
            let value = series.values.get(epoch_at(column))?;
            Some((column, row_of(*value)))
        });
        for (column, row) in points {
            grid[row][column] = series.marker;
        }
    }
    let decimals = panel.decimals;
    for (row, cells) in grid.iter().enumerate() {
        let label = match row {
            0 => format!("{max:>LABEL$.decimals$}"),
            r if r == height - 1 => format!("{min:>LABEL$.decimals$}"),
            _ => " ".repeat(LABEL),
        };
        let line: String = cells.iter().collect();
        chart += &format!("{label} |{}\n", line.trim_end());
    }
    chart += &format!("{} +{}\n", " ".repeat(LABEL), "-".repeat(columns));
    chart += &if columns == 1 {
        format!("{}  1\n", " ".repeat(LABEL))
    } else {
        format!(
            "{}  1{epochs:>width$}\n",
            " ".repeat(LABEL),
            width = columns - 1
        )
    };
    chart
}
