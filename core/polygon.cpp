#include "core/polygon.h"

#include <cmath>

namespace rs {

QString polygonProblem(const QPolygonF &polygon)
{
    if (polygon.size() < 3)
        return QStringLiteral("polygon has %1 point(s), needs at least 3").arg(polygon.size());
    for (qsizetype i = 0; i < polygon.size(); ++i) {
        const QPointF &p = polygon.at(i);
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            return QStringLiteral("polygon point %1 is not a finite number (%2, %3)")
                .arg(i).arg(p.x()).arg(p.y());
    }
    return QString();
}

Expected<QPolygonF> polygonFromFlat(const std::vector<double> &xy)
{
    if (xy.size() % 2 != 0)
        return Error{QStringLiteral("polygon has an odd number of coordinates (%1)").arg(xy.size())};
    QPolygonF polygon;
    polygon.reserve(qsizetype(xy.size() / 2));
    for (std::size_t i = 0; i + 1 < xy.size(); i += 2)
        polygon.append(QPointF(xy[i], xy[i + 1]));
    const QString problem = polygonProblem(polygon);
    if (!problem.isEmpty())
        return Error{problem};
    return polygon;
}

std::vector<double> polygonToFlat(const QPolygonF &polygon)
{
    std::vector<double> xy;
    xy.reserve(std::size_t(polygon.size()) * 2);
    for (const QPointF &p : polygon) {
        xy.push_back(p.x());
        xy.push_back(p.y());
    }
    return xy;
}

} // namespace rs
