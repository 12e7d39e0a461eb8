//! What the training examples (`digits`, `mnist`) share: the command line,
//! the choice of optimizer, and the printing of a run: a progress bar, charts
//! of the loss and accuracy per epoch in the terminal, and the same curves as
//! an SVG file.
//!
//! An example pulls it in with `mod support;`; one that needs only the
//! command line, with `#[path = "support/cli.rs"] mod cli;`.

pub mod chart;
pub mod cli;
pub mod curves;
pub mod optimizer;
pub mod progress;
pub mod svg;
