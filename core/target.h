#pragma once

#include "core/mask.h"

#include <QRectF>
#include <QString>

namespace rs {

// One object a question refers to: its mask at the image's own size, its box, and what it is.
// An ignore target marks pixels the metrics leave out (LISA's value 255, formats.md §1.2).
struct Target
{
    Mask mask;
    QRectF box;              // xywh in image pixels; boxFromMask() when not given by the source
    QString label;           // category or short name ("target", "red circle", ...)
    QString description;     // per-instance description (MUSE rephrased_name, ...)
    bool ignore = false;

    // The tight box around the mask's pixels, in COCO's xywh convention (a pixel covers [x, x+1)).
    QRectF boxFromMask() const { return QRectF(mask.boundingRect()); }
    bool operator==(const Target &) const = default;
};

} // namespace rs
