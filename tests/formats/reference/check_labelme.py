"""Reads a LabelMe export the way LabelMe's own loader does (label_file.py: imagePath relative to
the JSON's folder; utils/shape.py: one instance per (label, group_id), a null group_id its own) and
draws every shape with the rule ReasonSeg Studio states for LabelMe (labelmeshapemask.h), with cv2
because PIL is not available here:
  vertices truncated toward zero (np.int32);
  polygon   cv2.polylines(closed, thickness 1) + cv2.fillPoly
  rectangle cv2.rectangle(FILLED) between the two corners
  circle    cv2.circle(FILLED), radius int(d + 0.5)
  mask      the base64 PNG pasted at mask[y1:y2+1, x1:x2+1], as shapes_to_label does
Compares each instance's mask with the masks the C++ test expects.

usage: check_labelme.py EXPORT_DIR EXPECTED_DIR
Expected keys are "<json path below EXPORT_DIR without .json, '/' as '__'>__<instance index>".
"""
import base64
import json
import math
import os
import sys

import cv2
import numpy as np

from common import compare, expected_masks

REGIONS = ("polygon", "rectangle", "circle", "mask")


def shape_mask(shape, height, width):
    kind = shape.get("shape_type") or "polygon"
    points = shape["points"]
    canvas = np.zeros((height, width), dtype=np.uint8)
    vertices = np.array(points, dtype=np.int32)
    if kind == "polygon":
        if len(points) < 3:
            raise SystemExit(f"a polygon with {len(points)} points (LabelMe asserts more than 2)")
        cv2.polylines(canvas, [vertices], True, 1, 1)
        cv2.fillPoly(canvas, [vertices], 1)
    elif kind == "rectangle":
        (x1, y1), (x2, y2) = vertices.tolist()
        cv2.rectangle(canvas, (x1, y1), (x2, y2), 1, -1)
    elif kind == "circle":
        (cx, cy), (px, py) = points
        dx, dy = cx - px, cy - py
        radius = int(math.sqrt(dx * dx + dy * dy) + 0.5)
        centre = tuple(vertices[0].tolist())
        cv2.circle(canvas, centre, radius, 1, -1)
    elif kind == "mask":
        (x1, y1), (x2, y2) = np.asarray(points).astype(int)
        raw = np.frombuffer(base64.b64decode(shape["mask"]), dtype=np.uint8)
        bitmap = cv2.imdecode(raw, cv2.IMREAD_UNCHANGED)
        if bitmap is None or bitmap.ndim != 2:
            raise SystemExit("a mask shape whose PNG is not single-channel")
        canvas[y1:y2 + 1, x1:x2 + 1] = bitmap != 0
    else:
        return None
    return canvas != 0


def main():
    export_dir, expected_dir = sys.argv[1], sys.argv[2]
    found = {}
    for folder, _, names in sorted(os.walk(export_dir)):
        for name in sorted(names):
            if not name.endswith(".json"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            if "shapes" not in doc:
                continue  # manifest.json
            if doc.get("imageData") is not None:
                raise SystemExit(f"{path}: imageData should be null")
            image_path = os.path.normpath(os.path.join(folder, doc["imagePath"]))
            if not image_path.startswith(os.path.normpath(export_dir) + os.sep):
                raise SystemExit(f"{path}: imagePath leaves the export")
            image = cv2.imread(image_path)
            if image is None:
                raise SystemExit(f"{path}: cannot read {image_path}")
            height, width = image.shape[:2]
            if (height, width) != (doc["imageHeight"], doc["imageWidth"]):
                raise SystemExit(f"{path}: image is {width}x{height}, JSON says {doc['imageWidth']}x{doc['imageHeight']}")
            instances = []
            masks = {}
            for index, shape in enumerate(doc["shapes"]):
                mask = shape_mask(shape, height, width)
                if mask is None:
                    continue
                group = shape.get("group_id")
                key = (shape["label"], group) if group is not None else ("", "shape", index)
                if key not in masks:
                    instances.append(key)
                    masks[key] = mask
                else:
                    masks[key] |= mask
            stem = os.path.relpath(path, export_dir)[: -len(".json")].replace(os.sep, "__")
            for number, key in enumerate(instances):
                found[f"{stem}__{number}"] = masks[key]
    compare(found, expected_masks(expected_dir))


if __name__ == "__main__":
    main()
