"""pycocotools' mask reading, re-written from the facts in formats.md §7 (there is no pycocotools here),
as the refer-family loaders use it: frPyObjects (polygons rasterised at 5x, boxes), compressed RLE
strings, column-major decoding, and refer's getMask (parts decoded and summed).
"""
import math

import numpy as np


def polygon_counts(xy, h, w):
    """Run lengths of one polygon [x1, y1, x2, y2, ...], as rleFrPoly computes them."""
    scale = 5.0
    k = len(xy) // 2
    xs = [int(scale * xy[2 * j] + 0.5) for j in range(k)]
    ys = [int(scale * xy[2 * j + 1] + 0.5) for j in range(k)]
    xs.append(xs[0])
    ys.append(ys[0])
    # Every upsampled point along the outline.
    us, vs = [], []
    for j in range(k):
        x0, x1, y0, y1 = xs[j], xs[j + 1], ys[j], ys[j + 1]
        dx, dy = abs(x1 - x0), abs(y0 - y1)
        flip = (dx >= dy and x0 > x1) or (dx < dy and y0 > y1)
        if flip:
            x0, x1, y0, y1 = x1, x0, y1, y0
        if dx >= dy:
            slope = (y1 - y0) / dx if dx else 0.0  # C divides 0 by 0 here; our polygons never repeat a point
            for d in range(dx + 1):
                t = dx - d if flip else d
                us.append(t + x0)
                vs.append(int(y0 + slope * t + 0.5))
        else:
            slope = (x1 - x0) / dy
            for d in range(dy + 1):
                t = dy - d if flip else d
                vs.append(t + y0)
                us.append(int(x0 + slope * t + 0.5))
    # Where the outline crosses a pixel column centre: the first pixel row below it.
    starts = []
    for j in range(1, len(us)):
        if us[j] == us[j - 1]:
            continue
        xd = us[j] if us[j] < us[j - 1] else us[j] - 1
        xd = (xd + 0.5) / scale - 0.5
        if math.floor(xd) != xd or xd < 0 or xd > w - 1:
            continue
        yd = vs[j] if vs[j] < vs[j - 1] else vs[j - 1]
        yd = (yd + 0.5) / scale - 0.5
        yd = min(max(yd, 0.0), float(h))
        starts.append(int(xd) * h + int(math.ceil(yd)))
    starts.append(h * w)
    starts.sort()
    runs, previous = [], 0
    for s in starts:
        runs.append(s - previous)
        previous = s
    counts = [runs[0]]
    j = 1
    while j < len(runs):
        if runs[j] > 0:
            counts.append(runs[j])
            j += 1
        else:
            j += 1
            if j < len(runs):
                counts[-1] += runs[j]
                j += 1
    return counts


def box_counts(box, h, w):
    """rleFrBbox: the box [x, y, w, h] as a 4-point polygon."""
    x0, y0 = box[0], box[1]
    x1, y1 = x0 + box[2], y0 + box[3]
    return polygon_counts([x0, y0, x0, y1, x1, y1, x1, y0], h, w)


def string_counts(text):
    """rleFrString: the compressed counts string (str or bytes)."""
    if isinstance(text, bytes):
        text = text.decode("ascii")
    counts = []
    p = 0
    while p < len(text):
        x, k, more = 0, 0, True
        while more:
            c = ord(text[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def decode_counts(counts, h, w):
    """A uint8 h x w mask from column-major run lengths starting with zeros."""
    flat = np.zeros(h * w, dtype=np.uint8)
    position, value = 0, 0
    for run in counts:
        flat[position:position + run] = value
        position += run
        value ^= 1
    if position != h * w:
        raise ValueError(f"counts sum to {position}, not {h * w}")
    return flat.reshape((w, h)).T


def rle_mask(rle):
    h, w = rle["size"]
    counts = rle["counts"]
    if isinstance(counts, list):
        return decode_counts(counts, h, w)
    return decode_counts(string_counts(counts), h, w)


def refer_mask(segmentation, h, w):
    """refer's getMask / LISA: frPyObjects for polygon lists, RLE lists decoded as they are, parts
    summed. An empty list gives an empty mask (LISA's rule; refer itself fails)."""
    if len(segmentation) == 0:
        return np.zeros((h, w), dtype=np.uint8)
    if type(segmentation[0]) == list:
        if len(segmentation[0]) == 4:
            parts = [decode_counts(box_counts(b, h, w), h, w) for b in segmentation]
        elif len(segmentation[0]) > 4:
            parts = [decode_counts(polygon_counts(p, h, w), h, w) for p in segmentation]
        else:
            raise ValueError("frPyObjects cannot read a first polygon of fewer than 4 numbers")
    else:
        parts = []
        for rle in segmentation:
            if not isinstance(rle["counts"], (str, bytes)):
                raise ValueError("refer decodes a list of RLEs with compressed string counts only")
            if list(rle["size"]) != [h, w]:
                raise ValueError(f"RLE size {rle['size']} is not the image's [{h}, {w}]")
            parts.append(rle_mask(rle))
    return np.sum(np.stack(parts, axis=2), axis=2).astype(np.uint8)


def read_image_size(path):
    import cv2

    image = cv2.imread(path)
    if image is None:
        raise SystemExit(f"{path}: OpenCV cannot read the image")
    return image.shape[:2]
