#!/usr/bin/env bash
# Builds, lints and runs everything in this crate under QEMU on both targets:
# the on-target tests and every program, each of which exits non-zero when its
# check fails. Then prints each program's figures (flash, static RAM, painted
# peak stack, instructions per step) and fails when one is over its budget.
#
#   ./run-all.sh            checks, the figures table and the budgets
#   ./run-all.sh --figures  also the figures with the other step form, with
#                           float formatting, and at opt-level 3 (not checked)
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
programs=(xor_train sine_train sine_infer affine_forward)
targets=(thumbv7m-none-eabi thumbv7em-none-eabihf)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Budgets, per program and target: flash (text + data), RAM (static + peak
# stack of initialisation and training, or of inference), instructions per
# step, and the library's code (constnet:: symbols and the inlined training
# step). Set at what the programs reach (embedded/README.md has the figures),
# with a little room, so that a regression fails CI. `-` is no budget.
declare -A budget=(
    [xor_train/thumbv7m-none-eabi]="9400 740 54500 1800"
    [sine_train/thumbv7m-none-eabi]="8600 2300 112000 1500"
    [sine_infer/thumbv7m-none-eabi]="6000 720 33500 -"
    [affine_forward/thumbv7m-none-eabi]="4800 - 580000 -"
    [xor_train/thumbv7em-none-eabihf]="7700 660 3300 1700"
    [sine_train/thumbv7em-none-eabihf]="6900 2300 11800 1450"
    [sine_infer/thumbv7em-none-eabihf]="4450 760 3500 -"
    [affine_forward/thumbv7em-none-eabihf]="3600 - 10600 -"
)

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
        "${cargo[@]}" run --release --locked --target "$target" --bin "$program" |
            tee "$logs/$program-$target"
    done
done

# The value of `key=` on the program's `figures:` lines.
figure() { sed -n "s/^figures:.* $2=\([0-9]*\).*/\1/p; s/^figures: $2=\([0-9]*\).*/\1/p" "$1" | head -n 1; }

# The bytes of the library's code in a program: its `constnet::` symbols
# (not `constnet_embedded::`) and the program's training step, which is the
# library's `train_step` inlined.
library_bytes() {
    local bytes=0 _size name
    while read -r _ size _ name; do
        if [[ $name == constnet::* || $name == *" constnet::"* || $name == "<constnet::"* ||
            $name == "$2::step" ]]; then
            bytes=$((bytes + 16#$size))
        fi
    done < <(arm-none-eabi-nm --size-sort -C -S "$1")
    echo "$bytes"
}

over=0
check() { # what value budget
    if [[ $3 != - ]] && (($2 > $3)); then
        printf '  over budget: %s is %d, budget %d\n' "$1" "$2" "$3" >&2
        over=1
    fi
}

step "figures (flash = text + data, RAM = static + peak stack; budgets in brackets)"
printf '%-14s %-22s %16s %7s %7s %14s %16s %14s\n' program target "flash" static stack "RAM" "instr/step" "library"
for target in "${targets[@]}"; do
    for program in "${programs[@]}"; do
        elf=target/$target/release/$program
        read -r text data bss < <(arm-none-eabi-size "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
        flash=$((text + data)) static=$((data + bss))
        stack=$(figure "$logs/$program-$target" peak_stack)
        instructions=$(figure "$logs/$program-$target" instructions_per_step)
        ram=$((static + stack)) library=$(library_bytes "$elf" "$program")
        read -r b_flash b_ram b_instructions b_library <<< "${budget[$program/$target]}"
        printf '%-14s %-22s %7d [%6s] %7d %7d %5d [%6s] %6d [%7s] %5d [%6s]\n' "$program" "$target" \
            "$flash" "$b_flash" "$static" "$stack" "$ram" "$b_ram" "$instructions" "$b_instructions" \
            "$library" "$b_library"
        check "$program/$target flash" "$flash" "$b_flash"
        check "$program/$target RAM" "$ram" "$b_ram"
        check "$program/$target instructions per step" "$instructions" "$b_instructions"
        check "$program/$target library code" "$library" "$b_library"
    done
done
# Per multiply-accumulate, from affine_forward (in hundredths).
for target in "${targets[@]}"; do
    printf 'affine_forward on %s: %s hundredths of an instruction per multiply-accumulate\n' \
        "$target" "$(figure "$logs/affine_forward-$target" instructions_per_mac_x100)"
done
if ((over)); then
    echo "run-all.sh: a figure is over its budget" >&2
    exit 1
fi

if [[ ${1:-} == --figures ]]; then
    variant() { # title, then cargo arguments
        local title=$1
        shift
        step "$title"
        for target in "${targets[@]}"; do
            for program in xor_train sine_train sine_infer; do
                "${cargo[@]}" build --release --locked --target "$target" --bin "$program" \
                    --target-dir target/variant "$@" 2> /dev/null
                read -r text data bss < <(arm-none-eabi-size "target/variant/$target/release/$program" |
                    awk 'NR == 2 { print $1, $2, $3 }')
                printf '%-12s %-22s flash %6d, static %3d; ' "$program" "$target" $((text + data)) $((data + bss))
                # Figures only: a variant over the program's own stack budget
                # (the other step form can be) does not fail the run.
                { "${cargo[@]}" run --release --locked --target "$target" --bin "$program" \
                    --target-dir target/variant "$@" 2> /dev/null || true; } |
                    grep -E '^figures:|: (passed|FAILED)$' | tr '\n' ' '
                echo
            done
        done
    }
    variant "the other step form (workspace in main <-> in the step)" --features other-step-form
    variant "float formatting" --features float-fmt
    CARGO_PROFILE_RELEASE_OPT_LEVEL=3 variant "opt-level 3"
fi

printf '\nrun-all.sh: all checks passed\n'
