#!/usr/bin/env python3
"""Writes the first N training examples of an IDX dataset (MNIST/Fashion-MNIST layout) and its whole test set to
OUT_DIR, gzipped, so that sparsevd and the PyTorch reference train on exactly the same examples.

Usage: idx_subset.py SRC_DIR OUT_DIR N
"""
import gzip
import os
import shutil
import struct
import sys


def read(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return data[:4], dims, data[4 + 4 * ndim:]


def write_first(src, dst, n):
    magic, dims, body = read(src)
    if n > dims[0]:
        sys.exit(f"idx_subset.py: {src} holds {dims[0]} examples, fewer than {n}")
    per_item = len(body) // dims[0]
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with gzip.open(dst, "wb") as f:
        f.write(magic + struct.pack(">" + "I" * len(dims), n, *dims[1:]) + body[:n * per_item])


def main():
    src, out, n = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), int(sys.argv[3])
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        write_first(f"{src}/{name}", f"{out}/{name}", n)
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copyfile(f"{src}/{name}", f"{out}/{name}")


if __name__ == "__main__":
    main()
