//! Nothing: this package holds the criterion benchmarks in `workloads.rs`.
//! Run them from the repository root with `cargo bench -p constnet-benches`.
