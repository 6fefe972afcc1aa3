#pragma once

#include "core/mask.h"

#include <QList>
#include <QPolygon>

namespace rs {

// Polygons that trace a mask, for formats that store polygons (ReasonSeg, LabelMe, COCO).
class MaskContours
{
public:
    // The outer boundary of each 8-connected component as a closed polygon through the centres of
    // its boundary pixels, in OpenCV's findContours order; straight runs are reduced to their end
    // points. Holes are not traced (a filled polygon cannot leave them empty): callers that must be
    // exact re-rasterise and report the loss.
    static QList<QPolygon> outer(const Mask &mask);

    // The same polygons as flat [x1, y1, x2, y2, ...] lists (COCO's polygon segmentation).
    static QList<QList<int>> outerFlat(const Mask &mask);
};

} // namespace rs
