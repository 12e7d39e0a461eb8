#!/usr/bin/env bash
# Builds, lints and runs everything in this crate under QEMU on both targets:
# the on-target tests and every program, each of which exits non-zero when its
# check fails. Then prints each program's flash and RAM figures.
#
#   ./run-all.sh            checks, then the sizes of the release ELFs
#   ./run-all.sh --figures  also the sizes with float formatting, and the
#                           library's own code bytes in each program
#
# Needs ../../shared/embedded/setup.sh to have run (Debian's toolchain as
# `+debian-web`, arm binutils, qemu-system-arm).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# [unstable] build-std in .cargo/config.toml needs this with a stable compiler.
export RUSTC_BOOTSTRAP=1
# An environment RUSTFLAGS would replace the config's (and -Tlink.x with them).
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
cargo=(cargo +debian-web)
programs=(xor_train sine_train sine_infer)
targets=(thumbv7m-none-eabi thumbv7em-none-eabihf)

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo +stable fmt --check

for target in "${targets[@]}"; do
    step "lint ($target)"
    "${cargo[@]}" clippy --release --locked --target "$target" --all-targets -- -D warnings
    step "on-target tests ($target)"
    "${cargo[@]}" test --release --locked --target "$target"
    for program in "${programs[@]}"; do
        step "$program ($target)"
        "${cargo[@]}" run --release --locked --target "$target" --bin "$program"
    done
done

sizes() {
    local target=$1
    printf '%-12s %-24s %8s %6s %6s\n' program target text data bss
    for program in "${programs[@]}"; do
        arm-none-eabi-size "target/$target/release/$program" | awk -v p="$program" -v t="$target" \
            'NR == 2 { printf "%-12s %-24s %8d %6d %6d\n", p, t, $1, $2, $3 }'
    done
}

step "sizes, integer printing"
for target in "${targets[@]}"; do
    sizes "$target"
done

if [[ ${1:-} == --figures ]]; then
    step "the library's own code in each program (thumbv7m-none-eabi)"
    for program in "${programs[@]}"; do
        bytes=0
        while read -r _ size _ name; do
            [[ $name == *constnet::* ]] && bytes=$((bytes + 16#$size))
        done < <(arm-none-eabi-nm --size-sort -C -S "target/thumbv7m-none-eabi/release/$program")
        printf '%-12s %6d bytes in constnet:: symbols\n' "$program" "$bytes"
    done
    step "sizes with float formatting"
    for target in "${targets[@]}"; do
        "${cargo[@]}" build --release --locked --target "$target" --features float-fmt --bins
        sizes "$target"
    done
    # Leave the default (integer printing) build in place.
    "${cargo[@]}" build --release --locked --bins --target "${targets[0]}"
fi

printf '\nrun-all.sh: all checks passed\n'
