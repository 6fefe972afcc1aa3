#include "core/labelmeshape.h"

#include <QJsonObject>

namespace rs {

Expected<std::vector<LabelMeShape>> LabelMeShape::listFromJson(const QJsonArray &shapes)
{
    std::vector<LabelMeShape> result;
    result.reserve(std::size_t(shapes.size()));
    for (qsizetype i = 0; i < shapes.size(); ++i) {
        if (!shapes.at(i).isObject())
            return Error{QStringLiteral("shapes[%1] is not an object").arg(i)};
        const QJsonObject shape = shapes.at(i).toObject();
        const QJsonArray points = shape.value(QLatin1String("points")).toArray();
        LabelMeShape parsed;
        parsed.label = shape.value(QLatin1String("label")).toString();
        for (qsizetype j = 0; j < points.size(); ++j) {
            const QJsonArray point = points.at(j).toArray();
            if (point.size() != 2 || !point.at(0).isDouble() || !point.at(1).isDouble())
                return Error{QStringLiteral("shapes[%1].points[%2] is not an [x, y] pair of numbers").arg(i).arg(j)};
            parsed.points << QPointF(point.at(0).toDouble(), point.at(1).toDouble());
        }
        result.push_back(std::move(parsed));
    }
    return result;
}

} // namespace rs
