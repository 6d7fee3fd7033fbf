#!/usr/bin/env python3
"""Writes CIFAR-10 binary files (data_batch_1..5.bin, test_batch.bin) made from an IDX dataset (Fashion-MNIST
layout, gzipped), for the speed rows of the CIFAR models on a machine without CIFAR-10: each 28x28 grey image is
padded by 2 black pixels on every side to 32x32 and copied into the red, green and blue planes; the label byte is
the IDX label. The first N training images are spread over the 5 batch files in order; the first M test images
(default: all) make test_batch.bin. The pixels are real images, not CIFAR-10's: use the files for speed, never
for an accuracy claim about CIFAR-10.

Usage: cifar_from_idx.py SRC_DIR OUT_DIR N [M]
Every input is read and checked before anything is written; a refused input is a one-line error (exit 2) and
leaves OUT_DIR as it was.
"""
import gzip
import os
import struct
import sys

SIDE, CIFAR_SIDE = 28, 32
PAD = (CIFAR_SIDE - SIDE) // 2
BATCHES = 5


def fail(message):
    print(f"cifar_from_idx.py: {message}", file=sys.stderr)
    sys.exit(2)


def read(path, magic, ndim):
    """The dimensions and body of the gzipped IDX file at path, checked to have the given magic and rank."""
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        fail(f"cannot read {path}: {e}")
    header = 4 + 4 * ndim
    if len(data) < header or struct.unpack(">I", data[:4])[0] != magic:
        fail(f"{path} is not an IDX file of rank {ndim}")
    dims = struct.unpack(">" + "I" * ndim, data[4:header])
    body = data[header:]
    items = 1
    for d in dims:
        items *= d
    if len(body) != items:
        fail(f"{path}: {len(body)} bytes of data, the header announces {items}")
    return dims, body


def records(src, prefix, n):
    """n CIFAR records (label byte + 3 x 32 x 32 pixel bytes) from the IDX pair {prefix}-images/labels in src."""
    dims, images = read(f"{src}/{prefix}-images-idx3-ubyte.gz", 0x803, 3)
    count, labels = read(f"{src}/{prefix}-labels-idx1-ubyte.gz", 0x801, 1)
    if dims[1:] != (SIDE, SIDE):
        fail(f"{src}/{prefix}-images-idx3-ubyte.gz holds {dims[1]}x{dims[2]} images, not {SIDE}x{SIDE}")
    if count[0] != dims[0]:
        fail(f"{src}/{prefix}: {dims[0]} images but {count[0]} labels")
    n = dims[0] if n is None else n
    if n > dims[0]:
        fail(f"{src}/{prefix} holds {dims[0]} examples, fewer than {n}")
    blank = bytes(PAD)
    out = []
    for i in range(n):
        image = images[i * SIDE * SIDE:(i + 1) * SIDE * SIDE]
        plane = bytes(CIFAR_SIDE * PAD)
        for row in range(SIDE):
            plane += blank + image[row * SIDE:(row + 1) * SIDE] + blank
        plane += bytes(CIFAR_SIDE * PAD)
        out.append(bytes([labels[i]]) + plane * 3)
    return out


def count(arg):
    try:
        value = int(arg)
    except ValueError:
        value = 0
    if value < BATCHES:
        fail(f"a count must be a whole number >= {BATCHES}, got '{arg}'")
    return value


def main():
    if len(sys.argv) not in (4, 5):
        fail("usage: cifar_from_idx.py SRC_DIR OUT_DIR N [M]")
    src, out = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    train = records(src, "train", count(sys.argv[3]))
    test = records(src, "t10k", count(sys.argv[4]) if len(sys.argv) == 5 else None)
    os.makedirs(out, exist_ok=True)
    per_batch = -(-len(train) // BATCHES)
    for b in range(BATCHES):
        with open(f"{out}/data_batch_{b + 1}.bin", "wb") as f:
            f.write(b"".join(train[b * per_batch:(b + 1) * per_batch]))
    with open(f"{out}/test_batch.bin", "wb") as f:
        f.write(b"".join(test))


if __name__ == "__main__":
    main()
