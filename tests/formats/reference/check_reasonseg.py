"""Reads a ReasonSeg export the way LISA's loader does (formats.md §1.1-§1.3) and compares the
target masks (value 1) with the ones the C++ test expects.

usage: check_reasonseg.py EXPORT_DIR EXPECTED_DIR
Expected keys are "<split>__<stem>". Written from the facts in formats.md, not from LISA's code.
"""
import glob
import json
import os
import sys

import cv2
import numpy as np

from common import compare, expected_masks


def read_json(path):
    # UTF-8 first, cp1252 when that fails (§1.2).
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return json.loads(raw.decode("cp1252"))


def lisa_mask(doc, height, width):
    """value 1 target, 255 ignore, flag skipped; areas measured alone, painted largest first."""
    kept = []
    for shape in doc["shapes"]:
        label = shape["label"]
        if label.lower() == "flag":
            continue
        value = 255 if "ignore" in label.lower() else 1
        points = np.array(shape["points"], dtype=np.int32)
        alone = np.zeros((height, width), dtype=np.uint8)
        cv2.polylines(alone, [points], True, 1, 1)
        cv2.fillPoly(alone, [points], 1)
        kept.append((int(alone.sum()), points, value))
    order = np.argsort(np.array([area for area, _, _ in kept], dtype=np.int64))[::-1]
    mask = np.zeros((height, width), dtype=np.uint8)
    for index in order:
        _, points, value = kept[index]
        cv2.polylines(mask, [points], True, value, 1)
        cv2.fillPoly(mask, [points], value)
    return mask


def main():
    export_dir, expected_dir = sys.argv[1], sys.argv[2]
    found = {}
    for split in sorted(os.listdir(export_dir)):
        folder = os.path.join(export_dir, split)
        if not os.path.isdir(folder) or split == "explanatory":
            continue
        for image_path in sorted(glob.glob(os.path.join(folder, "*.jpg"))):
            doc = read_json(image_path.replace(".jpg", ".json"))
            if not isinstance(doc["text"], list) or not doc["text"]:
                raise SystemExit(f"{image_path}: text must be a non-empty list")
            if not isinstance(doc["is_sentence"], bool):
                raise SystemExit(f"{image_path}: is_sentence must be a bool")
            image = cv2.imread(image_path)
            if image is None:
                raise SystemExit(f"{image_path}: OpenCV cannot read the image")
            height, width = image.shape[:2]
            stem = os.path.basename(image_path)[: -len(".jpg")]
            found[f"{split}__{stem}"] = lisa_mask(doc, height, width) == 1
    compare(found, expected_masks(expected_dir))


if __name__ == "__main__":
    main()
