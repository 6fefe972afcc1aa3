#pragma once

#include <QRectF>
#include <QSize>

#include <array>

namespace rs {

// Boxes are QRectF in continuous pixel coordinates (x, y, width, height), the COCO "xywh" form.
// The benchmarks also write corner form [x1, y1, x2, y2] ("xyxy"); these convert without rounding.
QRectF boxFromXyxy(const std::array<double, 4> &xyxy);
QRectF boxFromXywh(const std::array<double, 4> &xywh);
std::array<double, 4> boxToXyxy(const QRectF &box);
std::array<double, 4> boxToXywh(const QRectF &box);

// The size an image gets when its longer side is scaled to longestSide, with LISA/SAM's rounding
// (ResizeLongestSide.get_preprocess_shape: scale = L / max(h, w); side = int(side * scale + 0.5);
// formats.md §1.6). An invalid size gives an invalid QSize.
QSize resizeLongestSide(const QSize &size, int longestSide);

// Scales a point from a frame of size `from` to a frame of size `to` (e.g. the 1024 model frame back to
// the image), the way SAM's apply_coords does: x * (to.w / from.w), y * (to.h / from.h).
QPointF scalePoint(const QPointF &point, const QSizeF &from, const QSizeF &to);

// Seg-Zero/VisionReasoner map coordinates predicted in their 840×840 frame back to the image with
// int(v * factor + 0.5) (formats.md §3.2).
int scaleCoordinateRounded(double value, double factor);

} // namespace rs
