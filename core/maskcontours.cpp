#include "core/maskcontours.h"

#include <opencv2/imgproc.hpp>

namespace rs {

QList<QPolygon> MaskContours::outer(const Mask &mask)
{
    QList<QPolygon> polygons;
    if (mask.isNull() || mask.isEmpty())
        return polygons;
    cv::Mat image = mask.mat().clone();  // findContours may modify its input on older OpenCV
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(image, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    for (const auto &contour : contours) {
        QPolygon polygon;
        polygon.reserve(qsizetype(contour.size()));
        for (const cv::Point &point : contour)
            polygon << QPoint(point.x, point.y);
        polygons << polygon;
    }
    return polygons;
}

QList<QList<int>> MaskContours::outerFlat(const Mask &mask)
{
    QList<QList<int>> flat;
    for (const QPolygon &polygon : outer(mask)) {
        QList<int> coordinates;
        coordinates.reserve(polygon.size() * 2);
        for (const QPoint &point : polygon)
            coordinates << point.x() << point.y();
        flat << coordinates;
    }
    return flat;
}

} // namespace rs
