//! Puts the target's memory map on the linker search path as `memory.x`, and
//! an empty `device.x`, so cortex-m-rt's `link.x` finds them.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let target = env::var("TARGET").expect("cargo sets TARGET");
    let map = match target.as_str() {
        "thumbv7em-none-eabihf" => "memory/mps2-an386.x",
        _ => "memory/lm3s6965evb.x",
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(map, out.join("memory.x")).expect("copy the memory map to OUT_DIR");
    // cortex-m-rt's `device` feature includes a `device.x` naming the
    // interrupt handlers; src/vectors.rs has none.
    fs::write(out.join("device.x"), "").expect("write device.x to OUT_DIR");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory");
    println!("cargo:rerun-if-changed=build.rs");
}
