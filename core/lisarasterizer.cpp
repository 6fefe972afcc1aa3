#include "core/lisarasterizer.h"

#include "core/numpyargsort.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace rs {

namespace {

// np.array(x, dtype=np.int32) for a finite Python float x with numpy 1.24: int(x), then two's-complement
// wrap to 32 bits. fmod is exact, so this holds for any magnitude.
int numpyInt32(double value)
{
    const double wrapped = std::fmod(std::trunc(value), 4294967296.0);
    return int(std::uint32_t(std::int64_t(wrapped)));
}

std::vector<std::vector<cv::Point>> contourOf(const QPolygon &vertices)
{
    std::vector<cv::Point> contour;
    contour.reserve(std::size_t(vertices.size()));
    for (const QPoint &p : vertices)
        contour.emplace_back(p.x(), p.y());
    return { std::move(contour) };
}

void drawShape(cv::Mat &canvas, const QPolygon &vertices, std::uint8_t value)
{
    const std::vector<std::vector<cv::Point>> contours = contourOf(vertices);
    cv::polylines(canvas, contours, true, cv::Scalar(value), 1, cv::LINE_8, 0);
    cv::fillPoly(canvas, contours, cv::Scalar(value), cv::LINE_8, 0);
}

// The vertices' bounding box clipped to the canvas: nothing polylines/fillPoly draw falls outside it.
cv::Rect clippedBounds(const QPolygon &vertices, const QSize &imageSize)
{
    std::int64_t left = vertices.first().x(), right = left;
    std::int64_t top = vertices.first().y(), bottom = top;
    for (const QPoint &p : vertices) {
        left = std::min<std::int64_t>(left, p.x());
        right = std::max<std::int64_t>(right, p.x());
        top = std::min<std::int64_t>(top, p.y());
        bottom = std::max<std::int64_t>(bottom, p.y());
    }
    left = std::max<std::int64_t>(left, 0);
    top = std::max<std::int64_t>(top, 0);
    right = std::min<std::int64_t>(right, imageSize.width() - 1);
    bottom = std::min<std::int64_t>(bottom, imageSize.height() - 1);
    if (left > right || top > bottom)
        return cv::Rect();
    return cv::Rect(int(left), int(top), int(right - left + 1), int(bottom - top + 1));
}

QString sizeProblem(const QSize &imageSize)
{
    if (imageSize.width() <= 0 || imageSize.height() <= 0)
        return QStringLiteral("image size %1x%2 is empty").arg(imageSize.width()).arg(imageSize.height());
    return QString();
}

} // namespace

LisaRasterizer::Role LisaRasterizer::roleOf(const QString &label)
{
    const QString lower = label.toLower();
    if (lower == QLatin1String("flag"))
        return Role::Skipped;
    if (lower.contains(QLatin1String("ignore")))
        return Role::Ignore;
    return Role::Target;
}

Expected<QPolygon> LisaRasterizer::pixelVertices(const QPolygonF &points)
{
    if (points.isEmpty())
        return Error { QStringLiteral("shape has no points") };
    QPolygon vertices;
    vertices.reserve(points.size());
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF &p = points.at(i);
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            return Error {
                QStringLiteral("point %1 is not a finite number (%2, %3)").arg(i).arg(p.x()).arg(p.y())
            };
        vertices.append(QPoint(numpyInt32(p.x()), numpyInt32(p.y())));
    }
    return vertices;
}

qsizetype LisaRasterizer::shapeArea(const QPolygon &vertices, const QSize &imageSize)
{
    if (vertices.isEmpty() || !sizeProblem(imageSize).isEmpty())
        return 0;
    // The canvas must be image-sized: OpenCV clips lines to it, which can move the pixels drawn.
    cv::Mat canvas(imageSize.height(), imageSize.width(), CV_8UC1, cv::Scalar(0));
    drawShape(canvas, vertices, 1);
    const cv::Rect bounds = clippedBounds(vertices, imageSize);
    return bounds.empty() ? 0 : qsizetype(cv::countNonZero(canvas(bounds)));
}

Expected<std::vector<int>> LisaRasterizer::paintingOrder(const std::vector<LabelMeShape> &shapes,
                                                         const QSize &imageSize)
{
    const QString problem = sizeProblem(imageSize);
    if (!problem.isEmpty())
        return Error { problem };

    std::vector<int> kept;
    std::vector<std::uint64_t> areas;
    // One canvas reused for every shape; only the drawn shape's bounds are counted and cleared.
    cv::Mat canvas(imageSize.height(), imageSize.width(), CV_8UC1, cv::Scalar(0));
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (roleOf(shapes[i].label) == Role::Skipped)
            continue;
        const Expected<QPolygon> vertices = pixelVertices(shapes[i].points);
        if (!vertices)
            return Error {
                QStringLiteral("shape %1 (\"%2\"): %3").arg(i).arg(shapes[i].label, vertices.error())
            };
        drawShape(canvas, *vertices, 1);
        const cv::Rect bounds = clippedBounds(*vertices, imageSize);
        std::uint64_t area = 0;
        if (!bounds.empty()) {
            cv::Mat drawn = canvas(bounds);
            area = std::uint64_t(cv::countNonZero(drawn));
            drawn.setTo(cv::Scalar(0));
        }
        kept.push_back(int(i));
        areas.push_back(area);
    }

    const std::vector<int> ascending = numpyArgsort(areas);
    std::vector<int> order;
    order.reserve(ascending.size());
    for (auto it = ascending.rbegin(); it != ascending.rend(); ++it)
        order.push_back(kept[std::size_t(*it)]);
    return order;
}

Expected<LabelledMask> LisaRasterizer::rasterize(const std::vector<LabelMeShape> &shapes,
                                                 const QSize &imageSize)
{
    const Expected<std::vector<int>> order = paintingOrder(shapes, imageSize);
    if (!order)
        return Error { order.error() };
    cv::Mat canvas(imageSize.height(), imageSize.width(), CV_8UC1, cv::Scalar(0));
    for (int index : *order) {
        const LabelMeShape &shape = shapes[std::size_t(index)];
        // Already validated by paintingOrder().
        drawShape(canvas, *pixelVertices(shape.points), valueOf(roleOf(shape.label)));
    }
    return LabelledMask::fromMat(canvas);
}

} // namespace rs
