"""Shared helpers of the reference checkers: reading the expected masks the C++ tests write."""
import json
import os

import numpy as np


def read_pgm(path):
    """A binary PGM (P5, 8-bit) as a uint8 array of shape (h, w)."""
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    if parts[0] != b"P5":
        raise ValueError(f"{path}: not a binary PGM")
    width, height = int(parts[1]), int(parts[2])
    pixels = np.frombuffer(parts[4][: width * height], dtype=np.uint8)
    return pixels.reshape(height, width)


def expected_masks(folder):
    """{key: bool mask} from a folder written by writeMasksForChecker()."""
    with open(os.path.join(folder, "masks.json")) as f:
        keys = json.load(f)
    return {key: read_pgm(os.path.join(folder, key + ".pgm")) != 0 for key in keys}


def compare(found, expected):
    """Exits non-zero naming the first difference; prints how many matched."""
    missing = sorted(set(expected) - set(found))
    if missing:
        raise SystemExit(f"not in the export: {missing[:5]}")
    for key in sorted(expected):
        a, b = found[key], expected[key]
        if a.shape != b.shape:
            raise SystemExit(f"{key}: mask is {a.shape}, expected {b.shape}")
        diff = int(np.count_nonzero(a != b))
        if diff:
            raise SystemExit(f"{key}: {diff} pixels differ")
    print(f"{len(expected)} samples match")
