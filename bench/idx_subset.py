#!/usr/bin/env python3
"""Writes the first N training examples of an IDX dataset (MNIST/Fashion-MNIST layout, gzipped) and its whole
test set to OUT_DIR, gzipped, so that sparsevd and the PyTorch reference train on exactly the same examples.

Usage: idx_subset.py SRC_DIR OUT_DIR N
Every input is read and checked before anything is written; a refused input is a one-line error (exit 2) and
leaves OUT_DIR as it was.
"""
import gzip
import os
import shutil
import struct
import sys

TRAIN = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
TEST = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def fail(message):
    print(f"idx_subset.py: {message}", file=sys.stderr)
    sys.exit(2)


def read(path):
    """(magic bytes, dimensions, body) of the gzipped IDX file at path."""
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        fail(f"cannot read {path}: {e}")
    if len(data) < 4:
        fail(f"{path} is not an IDX file: {len(data)} bytes")
    ndim = data[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(data) < header:
        fail(f"{path} is not an IDX file: header of {ndim} dimensions in {len(data)} bytes")
    dims = struct.unpack(">" + "I" * ndim, data[4:header])
    return data[:4], dims, data[header:]


def first(path, n):
    """The bytes of an IDX file holding the first n items of the one at path."""
    magic, dims, body = read(path)
    if n > dims[0]:
        fail(f"{path} holds {dims[0]} examples, fewer than {n}")
    per_item = len(body) // dims[0]
    return magic + struct.pack(">" + "I" * len(dims), n, *dims[1:]) + body[:n * per_item]


def main():
    if len(sys.argv) != 4:
        fail("usage: idx_subset.py SRC_DIR OUT_DIR N")
    src, out = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    try:
        n = int(sys.argv[3])
    except ValueError:
        n = 0
    if n < 1:
        fail(f"N must be a whole number >= 1, got '{sys.argv[3]}'")
    subsets = {name: first(f"{src}/{name}", n) for name in TRAIN}
    for name in TEST:
        read(f"{src}/{name}")
    os.makedirs(out, exist_ok=True)
    for name, data in subsets.items():
        with gzip.open(f"{out}/{name}", "wb") as f:
            f.write(data)
    for name in TEST:
        shutil.copyfile(f"{src}/{name}", f"{out}/{name}")


if __name__ == "__main__":
    main()
