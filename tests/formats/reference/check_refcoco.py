"""Reads a refer-layout dataset the way the refer API and LISA do (formats.md §6.1) and compares the
mask of every sentence with the ones the C++ test expects.

usage: check_refcoco.py DATA_ROOT DATASET SPLITBY EXPECTED_DIR [SPLIT]
Expected keys are "<ref_id>_<sent_id>"; the selected sentences must be exactly those keys.
Written from the facts in formats.md (pickle.load of refs(<splitBy>).p, json.load of instances.json,
getRefIds' split rules, getMask), not from refer's code.
"""
import json
import os
import pickle
import sys

from common import compare, expected_masks
from refer_common import read_image_size, refer_mask


def select(split, ref_split):
    """refer's getRefIds split filter."""
    if split == "":
        return True
    if split in ("testA", "testB", "testC"):
        return split[-1] in ref_split
    if split in ("testAB", "testBC", "testAC", "train", "val"):
        return ref_split == split
    if split == "test":
        return "test" in ref_split
    raise SystemExit(f"refer would exit: no such split [{split}]")


def main():
    root, dataset, split_by, expected_dir = sys.argv[1:5]
    split = sys.argv[5] if len(sys.argv) > 5 else ""
    folder = os.path.join(root, dataset)
    with open(os.path.join(folder, f"refs({split_by}).p"), "rb") as f:
        refs = pickle.load(f)  # the default encoding, as LISA's python3 refer.py calls it
    with open(os.path.join(folder, "instances.json")) as f:
        instances = json.load(f)
    anns = {ann["id"]: ann for ann in instances["annotations"]}
    images = {image["id"]: image for image in instances["images"]}
    categories = {category["id"]: category["name"] for category in instances["categories"]}
    image_dir = os.path.join(root, "images/mscoco/images/train2014")

    ref_ids, sent_ids = set(), set()
    found = {}
    for ref in refs:
        # The index refer builds: these lookups raise on a broken export.
        ann = anns[ref["ann_id"]]
        if ref["ref_id"] in ref_ids:
            raise SystemExit(f"ref_id {ref['ref_id']} repeats")
        ref_ids.add(ref["ref_id"])
        if ref["category_id"] not in categories or ann["category_id"] != ref["category_id"]:
            raise SystemExit(f"ref {ref['ref_id']}: category_id {ref['category_id']} does not match its annotation's")
        for sentence in ref["sentences"]:
            if sentence["sent_id"] in sent_ids:
                raise SystemExit(f"sent_id {sentence['sent_id']} repeats")
            sent_ids.add(sentence["sent_id"])
            for key in ("sent", "raw"):
                if not isinstance(sentence[key], str):
                    raise SystemExit(f"sentence {sentence['sent_id']}: {key} is not a str")
            if not all(isinstance(token, str) for token in sentence["tokens"]):
                raise SystemExit(f"sentence {sentence['sent_id']}: tokens are not strs")
        if sorted(ref["sent_ids"]) != sorted(s["sent_id"] for s in ref["sentences"]):
            raise SystemExit(f"ref {ref['ref_id']}: sent_ids do not list its sentences")
        if not select(split, ref["split"]):
            continue
        image = images[ref["image_id"]]
        height, width = image["height"], image["width"]
        if read_image_size(os.path.join(image_dir, image["file_name"])) != (height, width):
            raise SystemExit(f"{image['file_name']}: the file is not {width}x{height}")
        mask = refer_mask(ann["segmentation"], height, width) != 0
        for sentence in ref["sentences"]:
            found[f"{ref['ref_id']}_{sentence['sent_id']}"] = mask

    expected = expected_masks(expected_dir)
    extra = sorted(set(found) - set(expected))
    if extra:
        raise SystemExit(f"selected but not expected: {extra[:5]}")
    compare(found, expected)


if __name__ == "__main__":
    main()
