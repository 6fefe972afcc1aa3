#!/usr/bin/python3
"""Baseline for bench_eval: the straightforward per-sample loop the benchmarks' scripts use.

Reads the masks bench_eval wrote (uncompressed COCO RLE counts, column-major), decodes each sample to
numpy arrays and compares them the way LISA's validate() (label image with 255 = ignore, histogram
counts, float32 meters) and Seg-Zero's evaluation.py (boolean masks, float64 mean) do. Prints one JSON
object: the metrics and the seconds spent in the decode-and-compare loop (file reading excluded).
"""
import json
import struct
import sys
import time

import numpy as np


def read_samples(path):
    data = open(path, "rb").read()
    if data[:4] != b"RSEV":
        raise SystemExit(f"{path}: not a bench_eval mask file")
    (count,) = struct.unpack_from("<I", data, 4)
    offset = 8
    samples = []
    for _ in range(count):
        h, w = struct.unpack_from("<II", data, offset)
        offset += 8
        arrays = []
        for _ in range(3):  # target, ignore, prediction
            (n,) = struct.unpack_from("<I", data, offset)
            offset += 4
            arrays.append(np.frombuffer(data, dtype=np.uint32, count=n, offset=offset))
            offset += 4 * n
        samples.append((h, w, *arrays))
    return samples


def decode(counts, h, w):
    values = np.zeros(len(counts), dtype=np.uint8)
    values[1::2] = 1
    return np.repeat(values, counts.astype(np.int64)).reshape(w, h).T


def lisa(samples):
    # train_ds.py validate() + utils.intersectionAndUnionGPU + AverageMeter, float32 throughout.
    sum_i = np.float32(0)
    sum_u = np.float32(0)
    sum_score = np.float32(0)
    n = 0
    for h, w, target, ignore, prediction in samples:
        label = decode(target, h, w)
        label[decode(ignore, h, w) == 1] = 255
        output = decode(prediction, h, w).copy()
        output[label == 255] = 255
        intersection = np.count_nonzero((output == 1) & (label == 1))
        area_output = np.count_nonzero(output == 1)
        area_target = np.count_nonzero(label == 1)
        union = area_output + area_target - intersection
        score = np.float32(intersection) / (np.float32(union) + np.float32(1e-5))
        if union == 0:
            score = score + np.float32(1.0)
        sum_i = np.float32(sum_i + np.float32(intersection))
        sum_u = np.float32(sum_u + np.float32(union))
        sum_score = np.float32(sum_score + np.float32(score * np.float32(1)))
        n += 1
    giou = np.float32(sum_score / np.float32(float(np.float32(n)) + 1e-5))
    ciou = np.float32(sum_i / (sum_u + np.float32(1e-10)))
    return {"gIoU": float(giou), "cIoU": float(ciou), "samples": n}


def seg_zero(samples):
    # evaluation.py: boolean masks (ignore pixels are foreground), empty on empty skipped.
    ious, sum_i, sum_u = [], 0, 0
    for h, w, target, ignore, prediction in samples:
        gt = (decode(target, h, w) | decode(ignore, h, w)).astype(bool)
        pred = decode(prediction, h, w).astype(bool)
        intersection = int(np.logical_and(pred, gt).sum())
        union = int(np.logical_or(pred, gt).sum())
        if union == 0:
            continue
        ious.append(intersection / union)
        sum_i += intersection
        sum_u += union
    return {"gIoU": float(np.mean(ious)), "cIoU": sum_i / sum_u, "samples": len(ious)}


def main():
    samples = read_samples(sys.argv[1])
    result = {}
    for name, protocol in (("lisa", lisa), ("seg-zero", seg_zero)):
        start = time.perf_counter()
        metrics = protocol(samples)
        metrics["seconds"] = time.perf_counter() - start
        result[name] = metrics
    print(json.dumps(result))


if __name__ == "__main__":
    main()
