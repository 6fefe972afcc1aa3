#include "core/maskpainter.h"

#include <QPainterPath>

#include <cmath>

namespace rs {

namespace {

QRect clip(const Mask &mask, const QRect &rect)
{
    return rect.intersected(QRect(QPoint(0, 0), mask.size()));
}

} // namespace

QRect MaskPainter::dab(Mask &mask, QPointF centre, double radius, bool value)
{
    return segment(mask, centre, centre, radius, value);
}

QRect MaskPainter::segment(Mask &mask, QPointF from, QPointF to, double radius, bool value)
{
    radius = std::max(radius, 0.5);
    const QRect bounds = clip(mask, QRectF(QPointF(std::min(from.x(), to.x()) - radius, std::min(from.y(), to.y()) - radius),
                                           QPointF(std::max(from.x(), to.x()) + radius, std::max(from.y(), to.y()) + radius))
                                        .toAlignedRect()
                                        .adjusted(-1, -1, 1, 1));
    if (bounds.isEmpty())
        return QRect();
    // Distance from each pixel centre to the segment (a capsule): exact, and the same for a dab.
    const double dx = to.x() - from.x();
    const double dy = to.y() - from.y();
    const double lengthSquared = dx * dx + dy * dy;
    const double r2 = radius * radius;
    QRect changed;
    for (int y = bounds.top(); y <= bounds.bottom(); ++y) {
        std::uint8_t *row = mask.scanLine(y);
        const double py = y + 0.5;
        for (int x = bounds.left(); x <= bounds.right(); ++x) {
            const double px = x + 0.5;
            double t = lengthSquared > 0.0 ? ((px - from.x()) * dx + (py - from.y()) * dy) / lengthSquared : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            const double ex = px - (from.x() + t * dx);
            const double ey = py - (from.y() + t * dy);
            if (ex * ex + ey * ey <= r2) {
                row[x] = value ? 1 : 0;
                changed |= QRect(x, y, 1, 1);
            }
        }
    }
    return changed;
}

QRect MaskPainter::polygon(Mask &mask, const QPolygonF &polygon, bool value)
{
    if (polygon.size() < 3)
        return QRect();
    const QRect bounds = clip(mask, polygon.boundingRect().toAlignedRect());
    if (bounds.isEmpty())
        return QRect();
    QPainterPath path;
    path.addPolygon(polygon);
    path.setFillRule(Qt::OddEvenFill);
    QRect changed;
    for (int y = bounds.top(); y <= bounds.bottom(); ++y) {
        std::uint8_t *row = mask.scanLine(y);
        for (int x = bounds.left(); x <= bounds.right(); ++x)
            if (path.contains(QPointF(x + 0.5, y + 0.5))) {
                row[x] = value ? 1 : 0;
                changed |= QRect(x, y, 1, 1);
            }
    }
    return changed;
}

QRect MaskPainter::rectangle(Mask &mask, const QRectF &rect, bool value)
{
    const QRectF normal = rect.normalized();
    // Pixels whose centre x + 0.5 lies in [left, right): x from ceil(left - 0.5) to ceil(right - 0.5) - 1.
    const int left = int(std::ceil(normal.left() - 0.5));
    const int top = int(std::ceil(normal.top() - 0.5));
    const int right = int(std::ceil(normal.right() - 0.5)) - 1;
    const int bottom = int(std::ceil(normal.bottom() - 0.5)) - 1;
    const QRect pixels = clip(mask, QRect(QPoint(left, top), QPoint(right, bottom)));
    if (pixels.isEmpty())
        return QRect();
    mask.fillRect(pixels, value);
    return pixels;
}

} // namespace rs
