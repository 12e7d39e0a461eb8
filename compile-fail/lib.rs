//! Nothing: this package holds constnet's compile-fail tests in
//! `tests/compile_fail/`, run by `cargo test` from the repository root.
