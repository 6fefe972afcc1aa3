"""Reads a MUSE export the way PixelLM's loaders do (formats.md §4.1, §4.2) and compares every RLE
target mask with the ones the C++ test expects.

usage: check_muse.py EXPORT_DIR BASE_IMAGE_DIR EXPECTED_DIR
EXPORT_DIR holds muse_<split>.json; BASE_IMAGE_DIR is the loader's base_image_dir (holding
refer_seg/images/mscoco/images). Expected keys are "<split>__<record>__<question>__<target>".
Polygon segmentations are checked for shape only (rasterising them the pycocotools way is not
repeated here); they are counted in the output. Written from the facts in formats.md, not from
PixelLM's or pycocotools' code.
"""
import glob
import json
import os
import sys

import cv2
import numpy as np

from common import compare, expected_masks

COCO_IMAGES = os.path.join("refer_seg", "images", "mscoco", "images")


def fail(message):
    raise SystemExit(message)


def image_path(base, info):
    """file_name -> train2014/<file_name>; coco_url -> train2017 or val2017 / <last path part>."""
    root = os.path.join(base, COCO_IMAGES)
    if "file_name" in info:
        return os.path.join(root, "train2014", info["file_name"])
    folder = "train2017" if "train2017" in info["coco_url"] else "val2017"
    return os.path.join(root, folder, info["coco_url"].split("/")[-1])


def decode_uncompressed(rle, height, width, where):
    """Runs over the column-major pixels, starting with a run of zeros (§7)."""
    size = rle["size"]
    if list(size) != [height, width]:
        fail(f"{where}: RLE size {size} is not [height, width] = [{height}, {width}]")
    counts = rle["counts"]
    if isinstance(counts, str):
        fail(f"{where}: compressed counts; frPyObjects reads only integer counts")
    counts = np.asarray(counts, dtype=np.int64)
    if counts.sum() != height * width:
        fail(f"{where}: counts sum to {counts.sum()}, not {height * width}")
    values = np.zeros(len(counts), dtype=np.uint8)
    values[1::2] = 1
    flat = np.repeat(values, counts)
    return flat.reshape((height, width), order="F")


def decode(segmentation, height, width, where):
    """The summed mask frPyObjects + decode give, or None for polygons/boxes (not rasterised here)."""
    if isinstance(segmentation, dict):
        return decode_uncompressed(segmentation, height, width, where)
    if not isinstance(segmentation, list) or not segmentation:
        fail(f"{where}: segmentation must be a non-empty list or an RLE object")
    first = segmentation[0]
    if isinstance(first, dict):
        parts = [decode_uncompressed(part, height, width, f"{where} part {i}") for i, part in enumerate(segmentation)]
        return np.sum(parts, axis=0)
    if isinstance(first, list):
        for i, part in enumerate(segmentation):
            if len(first) > 4 and (len(part) % 2 or len(part) < 6):
                fail(f"{where}: polygon {i} has {len(part)} numbers")
            if len(first) == 4 and len(part) != 4:
                fail(f"{where}: part {i} is not a box although the first part is")
            if not all(isinstance(v, (int, float)) for v in part):
                fail(f"{where}: polygon {i} holds a non-number")
        if len(first) < 4:
            fail(f"{where}: first part has {len(first)} numbers")
        return None
    fail(f"{where}: unreadable segmentation")


def main():
    export_dir, base_dir, expected_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    found = {}
    questions_seen = 0
    polygons = 0
    for path in sorted(glob.glob(os.path.join(export_dir, "muse_*.json"))):
        split = os.path.basename(path)[len("muse_"):-len(".json")]
        with open(path) as f:
            records = json.load(f)
        if not isinstance(records, list):
            fail(f"{path}: must be a list")
        for r, info in enumerate(records):
            where = f"{split} record {r}"
            height, width = info["height"], info["width"]
            image = cv2.imread(image_path(base_dir, info))
            if image is None:
                fail(f"{where}: no image at {image_path(base_dir, info)}")
            if image.shape[:2] != (height, width):
                fail(f"{where}: image is {image.shape[:2]}, record says {(height, width)}")
            anns = info["ann_list"]
            if len(anns) == 0:
                fail(f"{where}: empty ann_list; the loaders skip the record")
            for ann in anns:
                # Training reads category_id; validation builds its prompt from names and boxes.
                int(ann["category_id"])
                name = ann["rephrased_name"] if "rephrased_name" in ann else ann["category_name"]
                x, y, w, h = ann["bbox"]
                assert isinstance(name, str)
            questions, answers = info["questions"], info["answers"]
            texts = info["text_answers"] if "text_answers" in info else [None] * len(answers)
            if not len(questions) == len(answers) == len(texts):
                fail(f"{where}: questions, answers and text_answers differ in length")
            for k, (question, answer_list, text) in enumerate(zip(questions, answers, texts)):
                questions_seen += 1
                if not isinstance(question, str):
                    fail(f"{where} question {k}: not a string")
                if text is not None:
                    if text.count("{seg}") != len(answer_list):
                        fail(f"{where} question {k}: {text.count('{seg}')} '{{seg}}' for {len(answer_list)} targets")
                    text.format(seg="[SEG]")
                for i, ann in enumerate(answer_list):
                    ann["rephrased_name"], ann["bbox"]
                    mask = decode(ann["segmentation"], height, width, f"{where} answers[{k}][{i}]")
                    if mask is None:
                        polygons += 1
                    else:
                        found[f"{split}__{r}__{k}__{i}"] = mask.astype(np.uint8) != 0
    compare(found, expected_masks(expected_dir))
    print(f"{questions_seen} questions, {polygons} polygon masks not rasterised")


if __name__ == "__main__":
    main()
