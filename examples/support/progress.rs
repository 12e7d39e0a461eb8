//! [`progress_bar`]: how far a run has got, as a bar of characters.

/// `[######--------------]`: `done` of `total` as a bar `width` characters
/// wide between brackets, rounded down (full only when `done == total`).
pub fn progress_bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width)
        .checked_div(total)
        .unwrap_or(width)
        .min(width);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}
