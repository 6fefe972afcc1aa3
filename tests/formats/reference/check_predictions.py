"""Reference checks for the predictions format, written from formats.md §3.2-§3.4 and §7 (not from
the benchmarks' code, and without pycocotools).

usage:
  check_predictions.py masks PREDICTIONS_JSONL EXPECTED_DIR
      Decodes every mask of our predictions.jsonl with its own COCO RLE decoder and compares it with
      the masks the C++ test wrote (keys "<source_id>__<mask index>").
  check_predictions.py answers CASES_JSONL
      Each line: {"response", "style": "seg-zero" | "vision-reasoner", "width", "height", "cpp": {...}}.
      Parses the response as Seg-Zero's / VisionReasoner's evaluation scripts do (Python's own re,
      json.loads, int() and round()) and compares with what the C++ AnswerParser found.
"""
import ast
import json
import re
import sys

import numpy as np

from common import compare, expected_masks

RESIZE = 840  # resize_size of both evaluation scripts (§3.1)


def rle_counts_from_string(text):
    """COCO compressed counts (§7): 5-bit groups, LSB first, chars 48..111; deltas from index 3 on."""
    counts = []
    pos = 0
    while pos < len(text):
        value = 0
        shift = 0
        more = True
        while more:
            if pos >= len(text):
                raise ValueError("truncated RLE string")
            c = ord(text[pos]) - 48
            if c < 0 or c > 63:
                raise ValueError(f"invalid RLE character {text[pos]!r}")
            value |= (c & 0x1F) << (5 * shift)
            more = bool(c & 0x20)
            pos += 1
            shift += 1
            if not more and (c & 0x10):
                value |= -1 << (5 * shift)
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
    return counts


def rle_decode(counts_text, height, width):
    counts = rle_counts_from_string(counts_text)
    if any(c < 0 for c in counts) or sum(counts) != height * width:
        raise ValueError(f"counts sum to {sum(counts)}, size is {height}x{width}")
    flat = np.zeros(height * width, dtype=np.uint8)
    pos, value = 0, 0
    for count in counts:
        flat[pos:pos + count] = value
        pos += count
        value ^= 1
    # Column-major: pixel (x, y) is at x * height + y.
    return flat.reshape((width, height)).T.astype(bool)


def check_masks(path, expected_dir):
    found = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            source_id = record["source_id"]
            if not isinstance(source_id, str) or not source_id:
                raise SystemExit(f"{path}:{number}: source_id must be a non-empty string")
            for index, mask in enumerate(record.get("masks", [])):
                height, width = mask["size"]
                found[f"{source_id}__{index}"] = rle_decode(mask["counts"], height, width)
            for box in record.get("boxes", []):
                corners = box if isinstance(box, list) else box["box"]
                if len(corners) != 4:
                    raise SystemExit(f"{path}:{number}: a box is not [x1, y1, x2, y2]")
    compare(found, expected_masks(expected_dir))


def seg_zero(text, width, height):
    """Seg-Zero evaluation.py: first {[^}]+}, keys containing bbox/points, round(int(v) * factor);
    any exception (incl. a variable never assigned) scores the sample as a failure."""
    x_factor, y_factor = width / RESIZE, height / RESIZE
    single_quoted = False
    try:
        json_match = re.search(r"{[^}]+}", text)
        if json_match:
            try:
                data = json.loads(json_match.group(0))
            except ValueError:
                # Our documented leniency: the prompt's own example is a Python literal.
                data = ast.literal_eval(json_match.group(0))
                single_quoted = True
            bbox_key = next((key for key in data.keys() if "bbox" in key.lower()), None)
            if bbox_key and len(data[bbox_key]) == 4:
                box = data[bbox_key]
                content_bbox = [round(int(box[0]) * x_factor), round(int(box[1]) * y_factor),
                                round(int(box[2]) * x_factor), round(int(box[3]) * y_factor)]
            points_keys = [key for key in data.keys() if "points" in key.lower()][:2]
            if len(points_keys) == 2:
                p1, p2 = data[points_keys[0]], data[points_keys[1]]
                points = [[round(int(p1[0]) * x_factor), round(int(p1[1]) * y_factor)],
                          [round(int(p2[0]) * x_factor), round(int(p2[1]) * y_factor)]]
        think_match = re.search(r"<think>([^<]+)</think>", text)
        if think_match:
            think_text = think_match.group(1)
        result = {"ok": True, "objects": [content_bbox + [points]], "think": think_text}  # noqa: F821
    except Exception:  # the script's bare `except Exception` penalty branch
        result = {"ok": False}
    result["single_quoted"] = single_quoted
    return result


def vision_reasoner(text, width, height):
    """VisionReasoner: <answer>\\s*(.*?)\\s*</answer> + json.loads, int(v * factor + 0.5)."""
    x_factor, y_factor = width / RESIZE, height / RESIZE
    try:
        json_match = re.search(r"<answer>\s*(.*?)\s*</answer>", text, re.DOTALL)
        if json_match:
            data = json.loads(json_match.group(1))
            pred_bboxes = [[int(item["bbox_2d"][0] * x_factor + 0.5), int(item["bbox_2d"][1] * y_factor + 0.5),
                            int(item["bbox_2d"][2] * x_factor + 0.5), int(item["bbox_2d"][3] * y_factor + 0.5)]
                           for item in data]
            pred_points = [[int(item["point_2d"][0] * x_factor + 0.5), int(item["point_2d"][1] * y_factor + 0.5)]
                           for item in data]
        think_match = re.search(r"<think>([^<]+)</think>", text)
        think_text = think_match.group(1) if think_match else ""
        objects = [box + [[point]] for box, point in zip(pred_bboxes, pred_points)]  # noqa: F821
        result = {"ok": True, "objects": objects, "think": think_text}
    except Exception:
        result = {"ok": False}
    result["single_quoted"] = False
    return result


def check_answers(path):
    checked = 0
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            case = json.loads(line)
            parse = seg_zero if case["style"] == "seg-zero" else vision_reasoner
            want = parse(case["response"], case["width"], case["height"])
            got = case["cpp"]
            where = f"{path}:{number} ({case.get('name', '')})"
            if got["ok"] != want["ok"]:
                raise SystemExit(f"{where}: C++ ok={got['ok']}, the script's logic gives ok={want['ok']}")
            if got["single_quoted"] != want["single_quoted"]:
                raise SystemExit(f"{where}: single_quoted differs (C++ {got['single_quoted']})")
            if want["ok"]:
                if got["objects"] != want["objects"]:
                    raise SystemExit(f"{where}: C++ objects {got['objects']}, expected {want['objects']}")
                if got["think"] != want["think"]:
                    raise SystemExit(f"{where}: C++ think {got['think']!r}, expected {want['think']!r}")
            checked += 1
    print(f"{checked} answers match")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "masks":
        check_masks(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "answers":
        check_answers(sys.argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
