#pragma once

#include "core/expected.h"

#include <QPolygonF>

#include <vector>

namespace rs {

// Checks a polygon that came from input: at least three vertices, every coordinate finite.
// Returns an empty string when it is usable, else the reason ("polygon has 2 points, needs 3").
QString polygonProblem(const QPolygonF &polygon);

// A polygon from COCO's flat list [x1, y1, x2, y2, ...], validated as above; an odd count is an error.
Expected<QPolygonF> polygonFromFlat(const std::vector<double> &xy);

// The flat COCO form of a polygon.
std::vector<double> polygonToFlat(const QPolygonF &polygon);

} // namespace rs
