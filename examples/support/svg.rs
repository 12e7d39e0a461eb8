//! [`svg`]: curves as an SVG image, one panel beside the other.

use std::fmt::Write;

use super::curves::Panel;

/// The size of one panel, its margins included.
const PANEL_WIDTH: f64 = 420.0;
const PANEL_HEIGHT: f64 = 320.0;
/// The plotting area inside a panel: left, top, right and bottom margins.
const MARGIN: (f64, f64, f64, f64) = (64.0, 40.0, 16.0, 72.0);
/// The height of the image's title above the panels.
const HEADER: f64 = 32.0;
/// The colours of a panel's curves, in order.
const COLOURS: [&str; 4] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
/// Horizontal grid lines, and labelled values, per panel.
const Y_TICKS: usize = 5;

/// An SVG document of `panels` side by side under `title`: each panel a
/// frame with its title, labelled value and epoch axes, a grid, a legend,
/// and one `<polyline>` per curve (its name in a `<title>` child, so viewers
/// show it on hover), one point per epoch.
pub fn svg(title: &str, panels: &[Panel<'_>]) -> String {
    let width = PANEL_WIDTH * panels.len().max(1) as f64;
    let height = HEADER + PANEL_HEIGHT;
    let mut svg = String::new();
    // `write!` to a `String` cannot fail.
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    let _ = writeln!(
        svg,
        r#"<rect width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="20" text-anchor="middle" font-size="14">{}</text>"#,
        width / 2.0,
        escape(title)
    );
    for (index, panel) in panels.iter().enumerate() {
        write_panel(&mut svg, panel, PANEL_WIDTH * index as f64, HEADER);
    }
    svg += "</svg>\n";
    svg
}

/// Writes `panel` as a group whose top left corner is at `(left, top)`.
fn write_panel(svg: &mut String, panel: &Panel<'_>, left: f64, top: f64) {
    let (margin_left, margin_top, margin_right, margin_bottom) = MARGIN;
    let (x0, y0) = (left + margin_left, top + margin_top);
    let (w, h) = (
        PANEL_WIDTH - margin_left - margin_right,
        PANEL_HEIGHT - margin_top - margin_bottom,
    );
    let epochs = panel.epochs();
    let range = panel.range();
    let x = |epoch: usize| {
        if epochs > 1 {
            x0 + w * epoch as f64 / (epochs - 1) as f64
        } else {
            x0 + w / 2.0
        }
    };
    let y = |value: f64| y0 + h * panel.depth(value, range);

    let _ = writeln!(svg, "<g>");
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        x0 + w / 2.0,
        y0 - 12.0,
        escape(panel.title)
    );
    // The grid and the value axis.
    let decimals = panel.decimals;
    for tick in 0..Y_TICKS {
        let depth = tick as f64 / (Y_TICKS - 1) as f64;
        let ty = y0 + h * depth;
        let value = if epochs > 0 {
            panel.value_at(depth, range)
        } else {
            0.0
        };
        let _ = writeln!(
            svg,
            "<line x1=\"{x0}\" y1=\"{ty:.2}\" x2=\"{}\" y2=\"{ty:.2}\" stroke=\"#ddd\"/>",
            x0 + w
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{:.2}" text-anchor="end">{value:.decimals$}</text>"#,
            x0 - 6.0,
            ty + 4.0
        );
    }
    // The epoch axis: the first and last epoch, and three between.
    let mut ticks: Vec<usize> = (0..5).map(|i| i * epochs.saturating_sub(1) / 4).collect();
    ticks.dedup();
    for epoch in ticks.into_iter().take(epochs) {
        let _ = writeln!(
            svg,
            r#"<text x="{:.2}" y="{}" text-anchor="middle">{}</text>"#,
            x(epoch),
            y0 + h + 16.0,
            epoch + 1
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">epoch</text>"#,
        x0 + w / 2.0,
        y0 + h + 32.0
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#444\"/>"
    );
    // The curves, and their legend under the axis.
    for (index, series) in panel.series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let points: Vec<String> = series
            .values
            .iter()
            .enumerate()
            .map(|(epoch, &value)| format!("{:.2},{:.2}", x(epoch), y(value)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{}"><title>{}</title></polyline>"#,
            points.join(" "),
            escape(series.name)
        );
        let ly = y0 + h + 48.0;
        let lx = x0 + 130.0 * index as f64;
        let _ = writeln!(
            svg,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{colour}" stroke-width="3"/>"#,
            lx + 20.0
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}">{}</text>"#,
            lx + 26.0,
            ly + 4.0,
            escape(series.name)
        );
    }
    let _ = writeln!(svg, "</g>");
}

/// `text` with XML's special characters escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
