"""Reads a COCO export the way pycocotools' COCO / loadRes do (formats.md §7) and compares every RLE
mask (ground truth and results) with the ones the C++ test expects.

usage: check_coco.py EXPORT_DIR EXPECTED_DIR
EXPORT_DIR holds instances_<split>.json and/or results_<split>.json. Expected keys are
"gt__<split>__<annotation id>" and "res__<split>__<index in the results list>". Compressed counts are
decoded here with the algorithm of §7; polygons are checked for shape only and counted (nothing is
rasterised). Written from the facts in formats.md, not from pycocotools' code.
"""
import glob
import json
import os
import sys

import numpy as np

from common import compare, expected_masks


def fail(message):
    raise SystemExit(message)


def counts_from_string(text):
    """§7: 5 bits per character from '0' (48), bit 0x20 = more follows, bit 0x10 of the last = sign;
    from the fourth value on, each is stored as the difference to the value two places back."""
    counts = []
    pos = 0
    while pos < len(text):
        value = 0
        shift = 0
        while True:
            c = ord(text[pos]) - 48
            if c < 0 or c > 63:
                fail(f"character {text[pos]!r} is not in '0'..'o'")
            pos += 1
            value |= (c & 0x1F) << shift
            shift += 5
            if not c & 0x20:
                if c & 0x10:
                    value -= 1 << shift
                break
            if pos >= len(text):
                fail("counts string ends inside a value")
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
    return counts


def decode_rle(rle, height, width, where):
    """Column-major runs, first run of zeros (§7)."""
    if list(rle.get("size", [])) != [height, width]:
        fail(f"{where}: size {rle.get('size')} is not the image's [{height}, {width}]")
    counts = rle["counts"]
    if isinstance(counts, str):
        counts = counts_from_string(counts)
    counts = np.asarray(counts, dtype=np.int64)
    if (counts < 0).any() or counts.sum() != height * width:
        fail(f"{where}: counts sum to {counts.sum()}, not {height * width}")
    values = np.zeros(len(counts), dtype=np.uint8)
    values[1::2] = 1
    return np.repeat(values, counts).reshape((height, width), order="F") != 0


def unique(items, what, where):
    ids = [item["id"] for item in items]
    if len(ids) != len(set(ids)):
        fail(f"{where}: duplicate {what} ids")
    return {item["id"]: item for item in items}


def main():
    export_dir, expected_dir = sys.argv[1], sys.argv[2]
    found = {}
    polygons = 0
    ground_truth = {}
    for path in sorted(glob.glob(os.path.join(export_dir, "instances_*.json"))):
        split = os.path.basename(path)[len("instances_"):-len(".json")]
        with open(path) as f:
            doc = json.load(f)
        images = unique(doc["images"], "image", path)
        categories = unique(doc["categories"], "category", path)
        unique(doc["annotations"], "annotation", path)
        ground_truth[split] = (images, categories)
        for ann in doc["annotations"]:
            where = f"{path} annotation {ann['id']}"
            if ann["image_id"] not in images:
                fail(f"{where}: image_id {ann['image_id']} is not an image")
            if ann["category_id"] not in categories:
                fail(f"{where}: category_id {ann['category_id']} is not a category")
            if ann["iscrowd"] not in (0, 1):
                fail(f"{where}: iscrowd {ann['iscrowd']}")
            x, y, w, h = ann["bbox"]
            image = images[ann["image_id"]]
            segmentation = ann["segmentation"]
            if isinstance(segmentation, dict):
                found[f"gt__{split}__{ann['id']}"] = decode_rle(segmentation, image["height"], image["width"], where)
            else:
                # annToRLE: a list of polygons, each more than 4 numbers (exactly 4 would be read as a box).
                if not segmentation or any(len(p) <= 4 or len(p) % 2 for p in segmentation):
                    fail(f"{where}: malformed polygon list")
                polygons += 1
    results = 0
    for path in sorted(glob.glob(os.path.join(export_dir, "results_*.json"))):
        split = os.path.basename(path)[len("results_"):-len(".json")]
        if split not in ground_truth:
            fail(f"{path}: no instances_{split}.json to load the results against")
        images, categories = ground_truth[split]
        with open(path) as f:
            items = json.load(f)
        if not isinstance(items, list):
            fail(f"{path}: must be a list")
        for index, item in enumerate(items):
            where = f"{path} item {index}"
            # loadRes: every image_id must be a ground-truth image; segmentation results are compressed RLE.
            if item["image_id"] not in images:
                fail(f"{where}: image_id {item['image_id']} is not in the ground truth")
            if item["category_id"] not in categories:
                fail(f"{where}: category_id {item['category_id']} is not a ground-truth category")
            float(item["score"])
            segmentation = item["segmentation"]
            if not isinstance(segmentation, dict) or not isinstance(segmentation.get("counts"), str):
                fail(f"{where}: segmentation must be compressed RLE")
            image = images[item["image_id"]]
            found[f"res__{split}__{index}"] = decode_rle(segmentation, image["height"], image["width"], where)
            results += 1
    compare(found, expected_masks(expected_dir))
    print(f"{results} results, {polygons} polygon annotations not rasterised")


if __name__ == "__main__":
    main()
