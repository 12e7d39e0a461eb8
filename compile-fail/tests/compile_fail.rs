//! Shape errors are compile errors, and their messages are part of the
//! interface: each case's expected compiler output is checked in beside it
//! (`tests/compile_fail/*.stderr`). Regenerate with `TRYBUILD=overwrite`.

#[test]
fn shape_errors_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
