#pragma once

#include <QRectF>

#include <array>

namespace rs {

// A box in corner form [x1, y1, x2, y2], as the benchmarks write it (geometry.h converts from QRectF).
using BoxXyxy = std::array<double, 4>;

// The box IoU variants the benchmarks use; they give different numbers for the same boxes.

// Continuous corners, float64: inter = max(0, x2 - x1) * max(0, y2 - y1), area = (x2 - x1) * (y2 - y1),
// IoU = inter / (area1 + area2 - inter), 0 when that union is 0. VisionReasoner's compute_bbox_iou
// (`evaluation/evaluation_segmentation.py`, bbox_AP) and torchvision's box_iou in float64.
double boxIoU(const BoxXyxy &a, const BoxXyxy &b);
double boxIoU(const QRectF &a, const QRectF &b);

// The same formula in float32 on inputs first rounded to float32, as torchvision.ops.box_iou computes it
// on float32 tensors (NExT-Chat's REC metric, `mllm/dataset/single_image_dataset/rec.py`).
float boxIoUFloat32(const BoxXyxy &a, const BoxXyxy &b);

// Inclusive pixel corners ("+1"), as Seg-Zero's and PixelThink's rewards compute it
// (`Seg-Zero: verl/utils/reward_score/seg.py` iou(), `PixelThink: seg_pixelthink.py`; formats.md §2.4):
// area = (x2 - x1 + 1) * (y2 - y1 + 1); the intersection counts only when the clipped corners satisfy
// x1 < x2 and y1 < y2 strictly, so boxes overlapping in a single pixel row or column score 0 overlap.
// 0 when the union is 0 (Python would raise, and the reward is then 0).
double boxIoUInclusive(const BoxXyxy &a, const BoxXyxy &b);

// Inclusive pixel corners with the overlap clamped at 0 instead: max(0, x2 - x1 + 1) * max(0, y2 - y1 + 1),
// as VisionReasoner's reward batch_iou computes it (`Seg-Zero: verl/utils/reward_score/vision_reasoner.py`),
// so a shared single row or column counts. 0 when the union is 0.
double boxIoUInclusiveClamped(const BoxXyxy &a, const BoxXyxy &b);

} // namespace rs
