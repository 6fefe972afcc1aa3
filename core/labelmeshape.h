#pragma once

#include <QPolygonF>
#include <QString>

namespace rs {

// One entry of a LabelMe-style "shapes" list as LISA's loader reads it: only "label" and "points"
// (formats.md §1.2). Points are [x, y] in original-image pixels, in file order.
struct LabelMeShape
{
    QString label;
    QPolygonF points;

    bool operator==(const LabelMeShape &) const = default;
};

} // namespace rs
