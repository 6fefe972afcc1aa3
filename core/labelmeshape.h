#pragma once

#include "core/expected.h"

#include <QJsonArray>
#include <QPolygonF>
#include <QString>

#include <vector>

namespace rs {

// One entry of a LabelMe-style "shapes" list as LISA's loader reads it: only "label" and "points"
// (formats.md §1.2). Points are [x, y] in original-image pixels, in file order.
struct LabelMeShape
{
    QString label;
    QPolygonF points;

    // The "shapes" array of a ReasonSeg/LabelMe JSON file. Each point must be an [x, y] pair of numbers;
    // anything else is an error naming the shape and point (values are checked later by the rasteriser).
    static Expected<std::vector<LabelMeShape>> listFromJson(const QJsonArray &shapes);

    bool operator==(const LabelMeShape &) const = default;
};

} // namespace rs
