#pragma once

#include "core/mask.h"

#include <QList>

namespace rs {

// Polygons that pycocotools' frPyObjects rasterises back to exactly the mask (formats.md §7).
//
// pycocotools reads an integer vertex coordinate c as the left/top edge of pixel c (it rasterises
// at 5x with (int)(5 * c + 0.5) and samples pixel centres at 5 * c + 2), so a polygon traced through
// pixel centres (MaskContours, OpenCV) loses its right and bottom boundary rows. Here the outline
// runs along pixel edges instead: pixel (x, y) is the square [x, x + 1] x [y, y + 1]. Each 4-connected
// component gives one closed polygon of its outer boundary (diagonal neighbours are separate
// polygons); holes are not traced, as a filled polygon cannot leave them empty — such a mask comes
// back with its holes filled, and callers measure and report that loss. Vertices are the corners of
// the outline only, in a deterministic order (components by their first pixel in row-major order).
class PixelOutline
{
public:
    // Flat [x1, y1, x2, y2, ...] lists, each with at least 4 vertices.
    static QList<QList<int>> outerFlat(const Mask &mask);
};

} // namespace rs
