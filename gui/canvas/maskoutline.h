#pragma once

#include <QLineF>
#include <QList>
#include <QRect>

namespace rs {

class Mask;

// The outline of a mask as pixel edges: the segments between a set pixel and an unset one (or the
// image border), in image coordinates (pixel (x, y) covers [x, x+1) × [y, y+1)), merged into maximal
// horizontal and vertical runs. What the canvas draws as crisp lines when zoomed in far enough
// that filling the boundary pixels would hide the image under them.
class MaskOutline
{
public:
    // The edges of the pixels inside `area` (clipped to the mask).
    static QList<QLineF> edges(const Mask &mask, const QRect &area);
};

} // namespace rs
