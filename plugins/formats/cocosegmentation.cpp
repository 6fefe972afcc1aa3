#include "plugins/formats/cocosegmentation.h"

#include "core/polygon.h"
#include "plugins/formats/jsonfields.h"

#include <cmath>
#include <limits>

namespace rs {

namespace {

// How far outside the image a vertex or box edge may lie: annotation tools let users click on the
// border, and COCO's own files have such coordinates; anything further is a broken annotation.
constexpr double kSlack = 1.0;

Expected<std::vector<double>> numbers(const QJsonValue &value, const QString &what)
{
    if (!value.isArray())
        return Error{QStringLiteral("%1 must be a list of numbers, not %2").arg(what, JsonFields::show(value))};
    const QJsonArray array = value.toArray();
    std::vector<double> out;
    out.reserve(std::size_t(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue &item = array.at(i);
        if (!item.isDouble() || !std::isfinite(item.toDouble()))
            return Error{QStringLiteral("%1[%2] must be a number, not %3").arg(what).arg(i).arg(JsonFields::show(item))};
        out.push_back(item.toDouble());
    }
    return out;
}

Expected<bool> checkInside(const QPolygonF &polygon, int height, int width, const QString &what)
{
    for (qsizetype p = 0; p < polygon.size(); ++p) {
        const QPointF &point = polygon.at(p);
        if (point.x() < -kSlack || point.y() < -kSlack || point.x() > width + kSlack || point.y() > height + kSlack)
            return Error{QStringLiteral("%1 point %2 (%3, %4) is outside the %5x%6 image")
                             .arg(what)
                             .arg(p)
                             .arg(point.x())
                             .arg(point.y())
                             .arg(width)
                             .arg(height)};
    }
    return true;
}

Expected<Rle> rleObject(const QJsonValue &value, int height, int width, bool allowCompressed, bool *compressed,
                        const QString &what)
{
    if (!value.isObject())
        return Error{QStringLiteral("%1 must be an RLE object {size, counts}, not %2").arg(what, JsonFields::show(value))};
    const QJsonObject object = value.toObject();
    if (!object.contains(QStringLiteral("size")) || !object.contains(QStringLiteral("counts")))
        return Error{QStringLiteral("%1 must have 'size' and 'counts', found %2").arg(what, JsonFields::show(value))};
    const QJsonValue size = object.value(QStringLiteral("size"));
    const QJsonArray sizeArray = size.toArray();
    qint64 h = -1;
    qint64 w = -1;
    if (size.isArray() && sizeArray.size() == 2) {
        h = JsonFields::toInteger(sizeArray.at(0)).value_or(-1);
        w = JsonFields::toInteger(sizeArray.at(1)).value_or(-1);
    }
    if (h < 0 || w < 0)
        return Error{QStringLiteral("%1 'size' must be [height, width], not %2").arg(what, JsonFields::show(size))};
    if (h != height || w != width)
        return Error{QStringLiteral("%1 has size [%2, %3] but the image is %4x%5 (size must be [%5, %4])")
                         .arg(what)
                         .arg(h)
                         .arg(w)
                         .arg(width)
                         .arg(height)};
    const QJsonValue counts = object.value(QStringLiteral("counts"));
    if (counts.isString()) {
        if (!allowCompressed)
            return Error{QStringLiteral("%1 has compressed 'counts' in a list of RLEs; pycocotools reads only uncompressed "
                                        "(integer) counts there")
                             .arg(what)};
        *compressed = true;
        auto rle = Rle::fromString(counts.toString().toLatin1(), height, width);
        if (!rle)
            return Error{QStringLiteral("%1 'counts': %2").arg(what, rle.error())};
        return rle;
    }
    if (!counts.isArray())
        return Error{QStringLiteral("%1 'counts' must be a list of integers or a string, not %2").arg(what, JsonFields::show(counts))};
    const QJsonArray list = counts.toArray();
    std::vector<std::uint32_t> runs;
    runs.reserve(std::size_t(list.size()));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const auto run = JsonFields::toInteger(list.at(i));
        if (!run || *run < 0 || *run > qint64(std::numeric_limits<std::uint32_t>::max()))
            return Error{QStringLiteral("%1 counts[%2] must be a non-negative integer, not %3").arg(what).arg(i).arg(JsonFields::show(list.at(i)))};
        runs.push_back(std::uint32_t(*run));
    }
    auto rle = Rle::fromCounts(height, width, std::move(runs));
    if (!rle)
        return Error{QStringLiteral("%1: %2").arg(what, rle.error())};
    return rle;
}

Expected<Rle> polygonParts(const QJsonArray &parts, int height, int width)
{
    QList<QPolygonF> polygons;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString what = QStringLiteral("polygon %1").arg(i);
        auto xy = numbers(parts.at(i), what);
        if (!xy)
            return Error{xy.error()};
        auto polygon = polygonFromFlat(*xy);
        if (!polygon)
            return Error{QStringLiteral("%1: %2").arg(what, polygon.error())};
        auto inside = checkInside(*polygon, height, width, what);
        if (!inside)
            return Error{inside.error()};
        polygons.append(*polygon);
    }
    return Rle::fromPolygons(polygons, height, width);
}

Expected<Rle> boxParts(const QJsonArray &parts, int height, int width)
{
    std::vector<Rle> rles;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString what = QStringLiteral("box %1").arg(i);
        auto xy = numbers(parts.at(i), what);
        if (!xy)
            return Error{xy.error()};
        if (xy->size() != 4)
            return Error{QStringLiteral("%1 has %2 numbers; pycocotools reads every part as a box [x, y, w, h] when the "
                                        "first has 4")
                             .arg(what)
                             .arg(xy->size())};
        auto box = CocoSegmentation::box(parts.at(i), height, width);
        if (!box)
            return Error{QStringLiteral("%1: %2").arg(what, box.error())};
        rles.push_back(Rle::fromBox(*box, height, width));
    }
    return Rle::merge(rles, false);
}

} // namespace

Expected<CocoSegmentation::Decoded> CocoSegmentation::decode(const QJsonValue &segmentation, int height, int width, Reader reader)
{
    if (!Rle::isValidSize(height, width) || height == 0 || width == 0)
        return Error{QStringLiteral("image size %1x%2 is invalid").arg(width).arg(height)};
    Decoded decoded;
    if (segmentation.isObject()) {
        bool compressed = false;
        auto rle = rleObject(segmentation, height, width, true, &compressed, QStringLiteral("RLE"));
        if (!rle)
            return Error{rle.error()};
        decoded.rle = std::move(*rle);
        decoded.kind = compressed ? Kind::CompressedRle : Kind::UncompressedRle;
        return decoded;
    }
    if (!segmentation.isArray())
        return Error{QStringLiteral("must be a list of polygons or an RLE object, not %1").arg(JsonFields::show(segmentation))};
    const QJsonArray parts = segmentation.toArray();
    if (parts.isEmpty())
        return Error{QStringLiteral("is an empty list (pycocotools cannot read it: it looks at the first part)")};
    const QJsonValue first = parts.first();
    Expected<Rle> rle = Error{};
    if (first.isArray()) {
        const qsizetype n = first.toArray().size();
        if (n == 4) {
            rle = boxParts(parts, height, width);
            decoded.kind = Kind::Boxes;
        } else if (n > 4) {
            rle = polygonParts(parts, height, width);
            decoded.kind = Kind::Polygons;
        } else {
            return Error{QStringLiteral("polygon 0 has %1 numbers; pycocotools needs more than 4 (a polygon) or exactly 4 (a box)").arg(n)};
        }
    } else if (first.isObject()) {
        std::vector<Rle> rles;
        bool compressed = false;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            auto part = rleObject(parts.at(i), height, width, false, &compressed, QStringLiteral("RLE %1").arg(i));
            if (!part)
                return Error{part.error()};
            rles.push_back(std::move(*part));
        }
        if (reader == Reader::AnnToRle)
            return Error{QStringLiteral("is a list of RLE objects; COCO's annToRLE reads one RLE object or a list of polygons")};
        rle = Rle::merge(rles, false);
        decoded.kind = Kind::UncompressedRle;
    } else if (first.isDouble()) {
        if (reader == Reader::AnnToRle)
            return Error{QStringLiteral("is a flat list of numbers; COCO's annToRLE needs a list of polygons [[x1, y1, ...], ...]")};
        if (parts.size() == 4) {
            rle = boxParts(QJsonArray{segmentation}, height, width);
            decoded.kind = Kind::Boxes;
        } else if (parts.size() > 4) {
            rle = polygonParts(QJsonArray{segmentation}, height, width);
            decoded.kind = Kind::Polygons;
        } else {
            return Error{QStringLiteral("has %1 numbers; pycocotools needs more than 4 (a polygon) or exactly 4 (a box)").arg(parts.size())};
        }
    } else {
        return Error{QStringLiteral("must be a list of polygons or an RLE object, not %1").arg(JsonFields::show(segmentation))};
    }
    if (!rle)
        return Error{rle.error()};
    decoded.rle = std::move(*rle);
    return decoded;
}

QJsonObject CocoSegmentation::uncompressed(const Rle &rle)
{
    QJsonArray counts;
    for (std::uint32_t run : rle.counts())
        counts.append(qint64(run));
    QJsonObject object;
    object.insert(QStringLiteral("counts"), counts);
    object.insert(QStringLiteral("size"), QJsonArray{rle.height(), rle.width()});
    return object;
}

QJsonObject CocoSegmentation::compressed(const Rle &rle)
{
    QJsonObject object;
    object.insert(QStringLiteral("counts"), QString::fromLatin1(rle.toString()));
    object.insert(QStringLiteral("size"), QJsonArray{rle.height(), rle.width()});
    return object;
}

QJsonArray CocoSegmentation::polygons(const QList<QList<int>> &flat)
{
    QJsonArray parts;
    for (const QList<int> &polygon : flat) {
        QJsonArray xy;
        for (int v : polygon)
            xy.append(v);
        parts.append(xy);
    }
    return parts;
}

Expected<QRectF> CocoSegmentation::box(const QJsonValue &bbox, int height, int width)
{
    auto xywh = numbers(bbox, QStringLiteral("bbox"));
    if (!xywh)
        return Error{xywh.error()};
    if (xywh->size() != 4)
        return Error{QStringLiteral("bbox must be [x, y, w, h], not %1").arg(JsonFields::show(bbox))};
    const double x = (*xywh)[0], y = (*xywh)[1], w = (*xywh)[2], h = (*xywh)[3];
    if (w < 0 || h < 0)
        return Error{QStringLiteral("bbox %1 has a negative width or height").arg(JsonFields::show(bbox))};
    if (x < -kSlack || y < -kSlack || x + w > width + kSlack || y + h > height + kSlack)
        return Error{QStringLiteral("bbox %1 is outside the %2x%3 image").arg(JsonFields::show(bbox)).arg(width).arg(height)};
    return QRectF(x, y, w, h);
}

QJsonArray CocoSegmentation::boxJson(const QRectF &xywh)
{
    return QJsonArray{xywh.x(), xywh.y(), xywh.width(), xywh.height()};
}

} // namespace rs
