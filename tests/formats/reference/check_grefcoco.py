"""Reads a gRefCOCO dataset the way grefer and ReLA do (formats.md §6.2) and compares the mask of every
sentence with the ones the C++ test expects.

usage: check_grefcoco.py DATA_ROOT EXPECTED_DIR [SPLIT]
Expected keys are "<ref_id>_<sent_id>"; EXPECTED_DIR/no_target.json lists the keys of no-target
sentences. Written from the facts in formats.md (grefs(unc).p first, else grefs(unc).json; ann_id
lists with [-1] = no target; crowd annotations left out; targets merged), not from grefer's code.
"""
import json
import os
import pickle
import sys

import numpy as np

from common import compare, expected_masks
from refer_common import read_image_size, refer_mask


def main():
    root, expected_dir = sys.argv[1:3]
    split = sys.argv[3] if len(sys.argv) > 3 else ""
    folder = os.path.join(root, "grefcoco")
    pickled = os.path.join(folder, "grefs(unc).p")
    if os.path.exists(pickled):
        with open(pickled, "rb") as f:
            refs = pickle.load(f, fix_imports=True)
    else:
        with open(os.path.join(folder, "grefs(unc).json"), "rb") as f:
            refs = json.load(f)
    with open(os.path.join(folder, "instances.json")) as f:
        instances = json.load(f)
    anns = {ann["id"]: ann for ann in instances["annotations"]}
    anns[-1] = None
    images = {image["id"]: image for image in instances["images"]}
    categories = {category["id"] for category in instances["categories"]}
    available = []
    for ref in refs:
        if ref["split"] not in available:
            available.append(ref["split"])
    if split and split not in available:
        raise SystemExit(f"grefer would raise: invalid split name {split}")

    found, no_target = {}, set()
    sent_ids = set()
    for ref in refs:
        ann_ids = ref["ann_id"] if isinstance(ref["ann_id"], list) else [ref["ann_id"]]
        category_ids = ref["category_id"] if isinstance(ref["category_id"], list) else [ref["category_id"]]
        targets = [anns[ann_id] for ann_id in ann_ids]  # KeyError on a dangling id
        if ann_ids != [-1]:
            if len(category_ids) != len(ann_ids) or any(c not in categories for c in category_ids):
                raise SystemExit(f"ref {ref['ref_id']}: category_id {category_ids} does not match ann_id {ann_ids}")
        for sentence in ref["sentences"]:
            if sentence["sent_id"] in sent_ids:
                raise SystemExit(f"sent_id {sentence['sent_id']} repeats")
            sent_ids.add(sentence["sent_id"])
            sentence["raw"], sentence["tokens"]  # ReLA reads raw, grefer indexes tokens
        if split and ref["split"] != split:
            continue
        image = images[ref["image_id"]]
        height, width = image["height"], image["width"]
        if read_image_size(os.path.join(root, "images/train2014", image["file_name"])) != (height, width):
            raise SystemExit(f"{image['file_name']}: the file is not {width}x{height}")
        if ann_ids == [-1]:
            mask = np.zeros((height, width), dtype=bool)
            keys_empty = True
        else:
            mask = np.zeros((height, width), dtype=bool)
            for ann in targets:
                if ann["image_id"] != ref["image_id"]:
                    raise SystemExit(f"ann {ann['id']} is not on the ref's image")
                if ann["iscrowd"]:
                    continue
                mask |= refer_mask(ann["segmentation"], height, width) != 0
            keys_empty = False
        for sentence in ref["sentences"]:
            key = f"{ref['ref_id']}_{sentence['sent_id']}"
            found[key] = mask
            if keys_empty:
                no_target.add(key)

    expected = expected_masks(expected_dir)
    extra = sorted(set(found) - set(expected))
    if extra:
        raise SystemExit(f"selected but not expected: {extra[:5]}")
    with open(os.path.join(expected_dir, "no_target.json")) as f:
        expected_no_target = set(json.load(f))
    if no_target != expected_no_target:
        raise SystemExit(f"no-target sentences differ: {sorted(no_target ^ expected_no_target)[:5]}")
    compare(found, expected)
    print(f"{len(no_target)} no-target")


if __name__ == "__main__":
    main()
