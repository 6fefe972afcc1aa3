"""Writes the held-out set in ReasonSeg (LISA) format and holds the LISA mask rasterisation rule.

For every sample: `heldout/<stem>.jpg` (quality 90) and `<stem>.json` with `"text": [question]`,
`"is_sentence"`, `"shapes"` (one or more "target" polygons per target, from the mask contours; a hole is
joined to its outer contour by a zero-width slit, because LISA's fill cannot paint background back) and
the extra keys `"box_input"` ([x1,y1,x2,y2] pixels or null) and `"family"`. Also `difficulty.json`
(PixelThink form) and `reasoning.json` (reference chain per stem). Every polygon set is checked: LISA's
rasterisation of it must reach IoU >= 0.95 with the true mask.

    /usr/bin/python3 models/shapes/heldout.py --n 240
"""
import argparse
import json
import os
import random
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402

HELDOUT_SEED = 20261123


def lisa_rasterise(shapes, height, width):
    """LISA utils/data_processing.py get_mask_from_json: values 0 / 1 (target) / 255 (ignore)."""
    kept = [s for s in shapes if s["label"].lower() != "flag"]
    areas = []
    for s in kept:
        tmp = np.zeros((height, width), np.uint8)
        pts = np.array([s["points"]], dtype=np.int32)
        cv2.polylines(tmp, pts, True, 1, 1)
        cv2.fillPoly(tmp, pts, 1)
        areas.append(int(tmp.sum()))
    mask = np.zeros((height, width), np.uint8)
    for i in np.argsort(areas)[::-1]:
        value = 255 if "ignore" in kept[i]["label"].lower() else 1
        pts = np.array([kept[i]["points"]], dtype=np.int32)
        cv2.polylines(mask, pts, True, value, 1)
        cv2.fillPoly(mask, pts, value)
    return mask


def _bridge(outer, hole):
    """Joins a hole contour into its outer contour through the closest pair of points."""
    o = np.array(outer, np.float32)
    h = np.array(hole, np.float32)
    d = ((o[:, None, :] - h[None, :, :]) ** 2).sum(-1)
    i, j = np.unravel_index(int(d.argmin()), d.shape)
    return outer[:i + 1] + hole[j:] + hole[:j + 1] + outer[i:]


def mask_to_polygons(mask):
    """Polygons ([[x, y], ...]) whose LISA rasterisation reproduces the boolean mask."""
    contours, hierarchy = cv2.findContours(mask.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    polys = []
    for i, c in enumerate(contours):
        if hierarchy[0][i][3] != -1:
            continue  # a hole; joined to its parent below
        poly = c[:, 0, :].tolist()
        child = hierarchy[0][i][2]
        while child != -1:
            poly = _bridge(poly, contours[child][:, 0, :].tolist())
            child = hierarchy[0][child][0]
        polys.append(poly)
    return polys


def iou(a, b):
    u = np.logical_or(a, b).sum()
    return 1.0 if u == 0 else float(np.logical_and(a, b).sum() / u)


def sample_record(s, stem):
    shapes = [{"label": "target", "points": [[float(x), float(y)] for x, y in poly], "shape_type": "polygon",
               "group_id": None, "flags": {}} for m in s.masks for poly in mask_to_polygons(m)]
    return {"text": [scenes.detokenize(s.question)], "is_sentence": bool(s.is_sentence), "shapes": shapes,
            "box_input": None if s.box_input is None else [round(v, 1) for v in s.box_input],
            "family": s.family, "imagePath": stem + ".jpg", "imageHeight": scenes.SIZE, "imageWidth": scenes.SIZE}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=240)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(HELDOUT_SEED)
    difficulty, reasoning, rejected, worst = [], {}, 0, 1.0
    k = 0
    while k < args.n:
        s = scenes.make_sample(rng)
        stem = f"shapes_{k:04d}"
        rec = sample_record(s, stem)
        truth = np.zeros((scenes.SIZE, scenes.SIZE), bool)
        for m in s.masks:
            truth |= m
        raster = lisa_rasterise(rec["shapes"], scenes.SIZE, scenes.SIZE) == 1
        q = iou(raster, truth)
        if q < 0.95:
            rejected += 1
            continue
        worst = min(worst, q)
        cv2.imwrite(os.path.join(args.out, stem + ".jpg"), cv2.cvtColor(s.image, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, 90])
        with open(os.path.join(args.out, stem + ".json"), "w") as f:
            json.dump(rec, f)
        difficulty.append({"image_id": stem, "difficulty_score_model": s.difficulty})
        reasoning[stem] = " ".join(s.chain)
        k += 1
    with open(os.path.join(args.out, "difficulty.json"), "w") as f:
        json.dump(difficulty, f, indent=0)
    with open(os.path.join(args.out, "reasoning.json"), "w") as f:
        json.dump(reasoning, f, indent=0)
    print(f"wrote {args.n} samples to {args.out}; rejected {rejected}; worst polygon IoU {worst:.4f}")


if __name__ == "__main__":
    main()
