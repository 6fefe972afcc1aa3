#pragma once

#include "core/mask.h"

#include <QPointF>
#include <QPolygonF>
#include <QRect>

namespace rs {

// Drawing into a mask, for the editor's tools. Every function returns the rectangle it may have
// changed (clipped to the mask), which is what the views repaint and the undo patch keeps.
// Coordinates are image pixels; a pixel (x, y) covers [x, x+1) × [y, y+1), so its centre is
// (x + 0.5, y + 0.5).
class MaskPainter
{
public:
    // A round dab: every pixel whose centre lies within `radius` of `centre`.
    static QRect dab(Mask &mask, QPointF centre, double radius, bool value);
    // A stroke segment: the dabs along the line from `from` to `to` (both ends included), so that a
    // fast mouse move leaves no gaps.
    static QRect segment(Mask &mask, QPointF from, QPointF to, double radius, bool value);
    // A filled polygon (even-odd): pixels whose centre is inside.
    static QRect polygon(Mask &mask, const QPolygonF &polygon, bool value);
    // A filled rectangle: pixels whose centre is inside.
    static QRect rectangle(Mask &mask, const QRectF &rect, bool value);
};

} // namespace rs
