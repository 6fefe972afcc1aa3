#include "plugins/formats/labelmeshapemask.h"

#include "core/lisarasterizer.h"

#include <QImage>
#include <QJsonArray>

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace rs {

namespace {

Expected<QPolygonF> pointsOf(const QJsonObject &shape, const QString &where)
{
    const QJsonValue value = shape.value(QLatin1String("points"));
    if (!value.isArray())
        return Error{QStringLiteral("%1: 'points' must be a list of [x, y] pairs").arg(where)};
    QPolygonF points;
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonArray pair = list.at(i).toArray();
        if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isDouble() || !std::isfinite(pair.at(0).toDouble())
            || !std::isfinite(pair.at(1).toDouble()))
            return Error{QStringLiteral("%1: points[%2] is not an [x, y] pair of numbers").arg(where).arg(i)};
        points << QPointF(pair.at(0).toDouble(), pair.at(1).toDouble());
    }
    return points;
}

Error countError(const QString &where, const QString &type, const QString &needed, qsizetype found)
{
    return Error{QStringLiteral("%1: a %2 needs %3 points, found %4").arg(where, type, needed).arg(found)};
}

// The bitmap of a "mask" shape: any non-zero pixel (palette images: non-zero index) is set.
Expected<Mask> bitmapOf(const QJsonObject &shape, const QString &where)
{
    const QJsonValue value = shape.value(QLatin1String("mask"));
    if (!value.isString() || value.toString().isEmpty())
        return Error{QStringLiteral("%1: a mask shape needs 'mask', a base64 PNG").arg(where)};
    const auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Error{QStringLiteral("%1: 'mask' is not base64").arg(where)};
    const QImage image = QImage::fromData(*decoded, "PNG");
    if (image.isNull())
        return Error{QStringLiteral("%1: 'mask' is not a PNG image").arg(where)};
    Mask bitmap(image.width(), image.height());
    switch (image.format()) {
    case QImage::Format_Mono:
    case QImage::Format_MonoLSB:
    case QImage::Format_Indexed8:
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                bitmap.set(x, y, image.pixelIndex(x, y) != 0);
        return bitmap;
    case QImage::Format_Grayscale8:
        for (int y = 0; y < image.height(); ++y) {
            const uchar *line = image.constScanLine(y);
            for (int x = 0; x < image.width(); ++x)
                bitmap.set(x, y, line[x] != 0);
        }
        return bitmap;
    case QImage::Format_Grayscale16:
        for (int y = 0; y < image.height(); ++y) {
            const auto *line = reinterpret_cast<const quint16 *>(image.constScanLine(y));
            for (int x = 0; x < image.width(); ++x)
                bitmap.set(x, y, line[x] != 0);
        }
        return bitmap;
    default:
        return Error{QStringLiteral("%1: 'mask' must be a single-channel PNG (LabelMe pastes it into a 2-D array)").arg(where)};
    }
}

Expected<Mask> drawMaskShape(const QJsonObject &shape, const QPolygon &corners, const QSize &size, const QString &where)
{
    auto bitmap = bitmapOf(shape, where);
    if (!bitmap)
        return bitmap;
    const QPoint a = corners.at(0);
    const QPoint b = corners.at(1);
    if (a.x() < 0 || a.y() < 0 || b.x() < a.x() || b.y() < a.y() || b.x() >= size.width() || b.y() >= size.height())
        return Error{QStringLiteral("%1: mask corners (%2, %3) (%4, %5) are not a box inside the %6x%7 image")
                         .arg(where)
                         .arg(a.x())
                         .arg(a.y())
                         .arg(b.x())
                         .arg(b.y())
                         .arg(size.width())
                         .arg(size.height())};
    if (bitmap->width() != b.x() - a.x() + 1 || bitmap->height() != b.y() - a.y() + 1)
        return Error{QStringLiteral("%1: the mask bitmap is %2x%3 but its corners span %4x%5")
                         .arg(where)
                         .arg(bitmap->width())
                         .arg(bitmap->height())
                         .arg(b.x() - a.x() + 1)
                         .arg(b.y() - a.y() + 1)};
    Mask mask(size.width(), size.height());
    mask.paste(*bitmap, a);
    return mask;
}

} // namespace

bool LabelMeShapeMask::isRegion(const QString &shapeType)
{
    return shapeType == QLatin1String("polygon") || shapeType == QLatin1String("rectangle")
           || shapeType == QLatin1String("circle") || shapeType == QLatin1String("mask");
}

QString LabelMeShapeMask::shapeTypeOf(const QJsonObject &shape)
{
    const QJsonValue type = shape.value(QLatin1String("shape_type"));
    return type.isString() ? type.toString() : QStringLiteral("polygon");
}

Expected<Mask> LabelMeShapeMask::draw(const QJsonObject &shape, const QSize &size, const QString &where)
{
    const QJsonValue typeValue = shape.value(QLatin1String("shape_type"));
    if (!typeValue.isUndefined() && !typeValue.isNull() && !typeValue.isString())
        return Error{QStringLiteral("%1: 'shape_type' must be a string").arg(where)};
    const QString type = shapeTypeOf(shape);
    static const QStringList known = {QStringLiteral("polygon"), QStringLiteral("rectangle"), QStringLiteral("circle"),
                                      QStringLiteral("mask"),    QStringLiteral("point"),     QStringLiteral("line"),
                                      QStringLiteral("linestrip"), QStringLiteral("points")};
    if (!known.contains(type))
        return Error{QStringLiteral("%1: shape_type '%2' is not one LabelMe draws (%3)").arg(where, type, known.join(QStringLiteral(", ")))};
    auto points = pointsOf(shape, where);
    if (!points)
        return Error{points.error()};
    if (!isRegion(type))
        return Mask();
    if (size.width() <= 0 || size.height() <= 0)
        return Error{QStringLiteral("%1: image size %2x%3 is empty").arg(where).arg(size.width()).arg(size.height())};
    if (type == QLatin1String("polygon") && points->size() < 3)
        return countError(where, type, QStringLiteral("at least 3"), points->size());
    if (type != QLatin1String("polygon") && points->size() != 2)
        return countError(where, type, QStringLiteral("exactly 2"), points->size());
    auto vertices = LisaRasterizer::pixelVertices(*points);
    if (!vertices)
        return Error{QStringLiteral("%1: %2").arg(where, vertices.error())};
    if (type == QLatin1String("mask"))
        return drawMaskShape(shape, *vertices, size, where);

    Mask mask(size.width(), size.height());
    cv::Mat canvas = mask.mat();
    if (type == QLatin1String("polygon")) {
        std::vector<std::vector<cv::Point>> contour(1);
        for (const QPoint &p : *vertices)
            contour.front().emplace_back(p.x(), p.y());
        cv::polylines(canvas, contour, true, cv::Scalar(1), 1, cv::LINE_8, 0);
        cv::fillPoly(canvas, contour, cv::Scalar(1), cv::LINE_8, 0);
    } else if (type == QLatin1String("rectangle")) {
        const QPoint a = vertices->at(0), b = vertices->at(1);
        cv::rectangle(canvas, cv::Point(a.x(), a.y()), cv::Point(b.x(), b.y()), cv::Scalar(1), cv::FILLED, cv::LINE_8, 0);
    } else {  // circle
        const QPointF c = points->at(0), p = points->at(1);
        const double dx = c.x() - p.x();
        const double dy = c.y() - p.y();
        const double radius = std::sqrt(dx * dx + dy * dy) + 0.5;
        if (radius > 1e7)
            return Error{QStringLiteral("%1: circle radius %2 is not an image's").arg(where).arg(radius)};
        const QPoint centre = vertices->at(0);
        cv::circle(canvas, cv::Point(centre.x(), centre.y()), int(radius), cv::Scalar(1), cv::FILLED, cv::LINE_8, 0);
    }
    return mask;
}

} // namespace rs
