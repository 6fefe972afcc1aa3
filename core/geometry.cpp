#include "core/geometry.h"

#include <algorithm>

namespace rs {

QRectF boxFromXyxy(const std::array<double, 4> &xyxy)
{
    return QRectF(QPointF(xyxy[0], xyxy[1]), QPointF(xyxy[2], xyxy[3]));
}

QRectF boxFromXywh(const std::array<double, 4> &xywh)
{
    return QRectF(xywh[0], xywh[1], xywh[2], xywh[3]);
}

std::array<double, 4> boxToXyxy(const QRectF &box)
{
    return {box.x(), box.y(), box.x() + box.width(), box.y() + box.height()};
}

std::array<double, 4> boxToXywh(const QRectF &box)
{
    return {box.x(), box.y(), box.width(), box.height()};
}

QSize resizeLongestSide(const QSize &size, int longestSide)
{
    if (size.width() <= 0 || size.height() <= 0 || longestSide <= 0)
        return QSize();
    const double scale = longestSide * 1.0 / std::max(size.width(), size.height());
    const int height = int(size.height() * scale + 0.5);
    const int width = int(size.width() * scale + 0.5);
    return QSize(width, height);
}

QPointF scalePoint(const QPointF &point, const QSizeF &from, const QSizeF &to)
{
    return QPointF(point.x() * (to.width() / from.width()), point.y() * (to.height() / from.height()));
}

int scaleCoordinateRounded(double value, double factor)
{
    return int(value * factor + 0.5);
}

} // namespace rs
