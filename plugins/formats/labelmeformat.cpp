#include "plugins/formats/labelmeformat.h"

#include "core/maskcontours.h"
#include "core/progress.h"
#include "core/recordsink.h"
#include "core/recordsource.h"
#include "plugins/formats/imagefiles.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonfile.h"
#include "plugins/formats/labelmeshapemask.h"
#include "plugins/formats/recordloop.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace rs {

namespace {

const QString kShapes = QStringLiteral("shapes");
const QString kImagePath = QStringLiteral("imagePath");
const QString kImageData = QStringLiteral("imageData");
const QString kImageHeight = QStringLiteral("imageHeight");
const QString kImageWidth = QStringLiteral("imageWidth");
const QString kVersion = QStringLiteral("version");
const QString kFlags = QStringLiteral("flags");
const QString kText = QStringLiteral("text");
const QString kIsSentence = QStringLiteral("is_sentence");
const QString kIgnore = QStringLiteral("ignore");
// The version our traced shapes claim: the first LabelMe release with "mask" shapes and "description".
const QString kWrittenVersion = QStringLiteral("5.3.1");

// One target being assembled from its shapes.
struct Instance
{
    QString label;
    QString description;
    bool ignore = false;
    Mask mask;
};

Expected<bool> checkInsideImage(const QJsonObject &shape, const QSize &size, const QString &where)
{
    // A vertex far outside the image is a broken annotation; one pixel of slack allows clicks on the
    // border (as the ReasonSeg reader does).
    const QJsonArray points = shape.value(QLatin1String("points")).toArray();
    for (qsizetype p = 0; p < points.size(); ++p) {
        const double x = points.at(p).toArray().at(0).toDouble();
        const double y = points.at(p).toArray().at(1).toDouble();
        if (x < -1.0 || y < -1.0 || x > size.width() + 1.0 || y > size.height() + 1.0)
            return Error{QStringLiteral("%1 point %2: (%3, %4) is outside the %5x%6 image")
                             .arg(where)
                             .arg(p)
                             .arg(x)
                             .arg(y)
                             .arg(size.width())
                             .arg(size.height())};
    }
    return true;
}

Expected<QStringList> queriesOf(const JsonFields &fields)
{
    const QJsonValue text = fields.object().value(kText);
    if (text.isString())
        return QStringList{text.toString()};
    if (!text.isArray())
        return fields.typeError(kText, QStringLiteral("a string or a list of strings"));
    QStringList queries;
    for (const QJsonValue &value : text.toArray()) {
        if (!value.isString())
            return fields.error(QStringLiteral("field 'text' must be a list of strings, found %1").arg(JsonFields::show(value)));
        queries << value.toString();
    }
    return queries;
}

// A file stem (with folders) that is safe to write under the export folder, or empty.
QString safeStem(const QString &sourceId)
{
    static const QRegularExpression segment(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$"));
    const QStringList parts = sourceId.split(QLatin1Char('/'));
    if (parts.size() > 8)
        return QString();
    for (const QString &part : parts)
        if (!segment.match(part).hasMatch() || part.endsWith(QLatin1String(".json")))
            return QString();
    return sourceId;
}

QJsonObject polygonShape(const RleTarget &target, const QPolygon &polygon, const QJsonValue &groupId)
{
    QJsonArray points;
    for (const QPoint &point : polygon)
        points.append(QJsonArray{point.x(), point.y()});
    // A one- or two-pixel component traces to fewer than the 3 points LabelMe requires of a polygon;
    // repeating the last point draws the same pixels.
    while (points.size() < 3)
        points.append(points.last());
    QJsonObject shape;
    shape.insert(QStringLiteral("label"), target.label);
    shape.insert(QStringLiteral("points"), points);
    shape.insert(QStringLiteral("group_id"), groupId);
    shape.insert(QStringLiteral("description"), target.description);
    shape.insert(QStringLiteral("shape_type"), QStringLiteral("polygon"));
    QJsonObject flags;
    if (target.ignore)
        flags.insert(kIgnore, true);
    shape.insert(kFlags, flags);
    shape.insert(QStringLiteral("mask"), QJsonValue::Null);
    return shape;
}

struct JsonFileEntry
{
    QString path;      // absolute
    QString relative;  // below the root, with ".json"
};

Expected<std::pair<QString, std::vector<JsonFileEntry>>> jsonFiles(const QString &source)
{
    const QFileInfo info(source);
    if (info.isFile()) {
        if (info.suffix().toLower() != QLatin1String("json"))
            return Error{QStringLiteral("%1: a LabelMe annotation is a .json file").arg(source)};
        return std::make_pair(info.absolutePath(), std::vector<JsonFileEntry>{{info.absoluteFilePath(), info.fileName()}});
    }
    if (!info.isDir())
        return Error{QStringLiteral("%1: no such file or folder").arg(source)};
    const QString root = QDir::cleanPath(info.absoluteFilePath());
    std::vector<JsonFileEntry> files;
    QDirIterator it(root, {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.push_back({path, QDir(root).relativeFilePath(path)});
    }
    std::sort(files.begin(), files.end(), [](const JsonFileEntry &a, const JsonFileEntry &b) { return a.relative < b.relative; });
    if (files.empty())
        return Error{QStringLiteral("%1: no .json files here or below").arg(source)};
    return std::make_pair(root, std::move(files));
}

} // namespace

QString LabelMeFormat::summary() const
{
    return QStringLiteral("LabelMe: one <name>.json per image (shapes: polygon, rectangle, circle, mask) with the image next to it");
}

Expected<DatasetRecord> LabelMeFormat::readJson(const QJsonObject &json, const QSize &imageSize, const QString &where,
                                                int *nonRegionShapes)
{
    const JsonFields fields(json, where);
    auto shapes = fields.array(kShapes);
    if (!shapes)
        return Error{shapes.error()};

    std::vector<Instance> instances;
    QHash<QString, std::size_t> byGroup;
    QStringList labels;
    int nonRegion = 0;
    for (qsizetype i = 0; i < shapes->size(); ++i) {
        const QString shapeWhere = QStringLiteral("%1 shapes[%2]").arg(where).arg(i);
        if (!shapes->at(i).isObject())
            return Error{QStringLiteral("%1: must be an object, not %2").arg(shapeWhere, JsonFields::show(shapes->at(i)))};
        const QJsonObject shape = shapes->at(i).toObject();
        const JsonFields shapeFields(shape, shapeWhere);
        auto label = shapeFields.string(QStringLiteral("label"));
        if (!label)
            return Error{label.error()};
        auto description = shapeFields.string(QStringLiteral("description"), QString());
        if (!description)
            return Error{description.error()};
        const QJsonValue group = shape.value(QStringLiteral("group_id"));
        if (!group.isNull() && !group.isUndefined() && !JsonFields::toInteger(group))
            return shapeFields.typeError(QStringLiteral("group_id"), QStringLiteral("an integer or null"));
        const QJsonValue flags = shape.value(kFlags);
        if (!flags.isNull() && !flags.isUndefined() && !flags.isObject())
            return shapeFields.typeError(kFlags, QStringLiteral("an object"));
        auto mask = LabelMeShapeMask::draw(shape, imageSize, shapeWhere);
        if (!mask)
            return Error{mask.error()};
        auto inside = checkInsideImage(shape, imageSize, shapeWhere);
        if (!inside)
            return Error{inside.error()};
        if (!LabelMeShapeMask::isRegion(LabelMeShapeMask::shapeTypeOf(shape))) {
            ++nonRegion;
            continue;
        }
        // LabelMe's shapes_to_label: one instance per (label, group_id); a null group_id is its own.
        const bool grouped = JsonFields::toInteger(group).has_value();
        const QString key = *label + QChar(0x1f) + QString::number(JsonFields::toInteger(group).value_or(0));
        if (grouped && byGroup.contains(key)) {
            Instance &instance = instances[byGroup.value(key)];
            instance.mask.unite(*mask);
            if (instance.description.isEmpty())
                instance.description = *description;
            continue;
        }
        if (grouped)
            byGroup.insert(key, instances.size());
        Instance instance;
        instance.label = *label;
        instance.description = *description;
        instance.ignore = flags.toObject().value(kIgnore).toBool(false);
        instance.mask = std::move(*mask);
        if (!instance.ignore && !labels.contains(*label))
            labels << *label;
        instances.push_back(std::move(instance));
    }

    DatasetRecord record;
    record.sample.image.size = imageSize;
    record.extras.dataset = QString::fromLatin1(kDataset);
    record.extras.extra.insert(kShapes, *shapes);
    if (json.value(kFlags).isObject() && !json.value(kFlags).toObject().isEmpty())
        record.extras.extra.insert(kFlags, json.value(kFlags));
    if (json.value(kVersion).isString())
        record.extras.extra.insert(kVersion, json.value(kVersion));
    if (fields.has(kText)) {
        auto queries = queriesOf(fields);
        if (!queries)
            return Error{queries.error()};
        auto isSentence = fields.boolean(kIsSentence, true);
        if (!isSentence)
            return Error{isSentence.error()};
        record.sample.queries = *queries;
        record.sample.isSentence = *isSentence;
    } else {
        if (!labels.isEmpty())
            record.sample.queries = {labels.join(QStringLiteral(", "))};
        record.sample.isSentence = false;
    }
    bool anyTarget = false;
    for (const Instance &instance : instances) {
        RleTarget target = RleTarget::fromRle(Rle::encode(instance.mask), QRectF(instance.mask.boundingRect()), instance.label);
        target.description = instance.description;
        target.ignore = instance.ignore;
        anyTarget = anyTarget || !instance.ignore;
        record.targets.push_back(std::move(target));
    }
    record.extras.noTarget = !anyTarget;
    if (nonRegionShapes)
        *nonRegionShapes = nonRegion;
    return record;
}

Expected<ImportReport> LabelMeFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    auto found = jsonFiles(options.source);
    if (!found)
        return Error{found.error()};
    const auto &[root, files] = *found;
    if (options.progress)
        options.progress->setTotal(qint64(files.size()));
    ImportReport report;
    qint64 notLabelMe = 0;
    qint64 nonRegion = 0;
    for (const JsonFileEntry &file : files) {
        if (options.progress && options.progress->isCancelled())
            return Error{QStringLiteral("import cancelled")};
        if (options.progress)
            options.progress->advance();
        auto doc = JsonFile::read(file.path, JsonFile::Encoding::Utf8);
        if (!doc)
            return Error{doc.error()};
        if (!doc->isObject())
            return Error{QStringLiteral("%1: must be a JSON object (a LabelMe annotation)").arg(file.path)};
        const QJsonObject json = doc->object();
        if (!json.contains(kShapes)) {
            ++notLabelMe;
            continue;
        }
        const JsonFields fields(json, file.path);
        auto imagePath = fields.string(kImagePath);
        if (!imagePath)
            return Error{imagePath.error()};
        // LabelMe joins imagePath to the JSON's folder; files written on Windows use '\'.
        QString relativeImage = *imagePath;
        relativeImage.replace(QLatin1Char('\\'), QLatin1Char('/'));
        const QString jsonFolder = QFileInfo(file.relative).path();
        const QString joined = jsonFolder == QLatin1String(".") ? relativeImage : jsonFolder + QLatin1Char('/') + relativeImage;
        auto image = ImageFiles::resolveInside(root, joined, file.path);
        if (!image)
            return Error{QStringLiteral("%1: imagePath '%2' leads out of the dataset folder %3").arg(file.path, *imagePath, root)};
        const bool exists = QFileInfo::exists(*image);
        if (!exists && options.requireImages)
            return Error{QStringLiteral("%1: image '%2' is missing%3")
                             .arg(file.path, *image,
                                  json.value(kImageData).isString()
                                      ? QStringLiteral(" (its pixels are embedded as imageData, which an import does not extract: save the image next to the JSON)")
                                      : QString())};
        QSize size;
        if (fields.has(kImageHeight) || fields.has(kImageWidth)) {
            auto height = fields.integer(kImageHeight);
            auto width = height ? fields.integer(kImageWidth) : height;
            if (!width)
                return Error{width.error()};
            if (*height <= 0 || *width <= 0 || *height > 1000000 || *width > 1000000)
                return fields.error(QStringLiteral("imageWidth x imageHeight = %1 x %2 is not an image size").arg(*width).arg(*height));
            size = QSize(int(*width), int(*height));
        } else if (exists) {
            auto probed = ImageFiles::size(*image);
            if (!probed)
                return Error{probed.error()};
            size = *probed;
        } else {
            return fields.error(QStringLiteral("no imageHeight/imageWidth and no image file to take the size from"));
        }
        int nonRegionHere = 0;
        auto record = readJson(json, size, file.path, &nonRegionHere);
        if (!record)
            return Error{record.error()};
        nonRegion += nonRegionHere;
        record->sample.sourceId = file.relative.chopped(5);
        record->sample.split = options.split;
        record->imageFile = *image;
        report.targets += qint64(record->targets.size());
        auto added = sink.addSample(std::move(*record));
        if (!added)
            return Error{added.error()};
        ++report.samples;
    }
    if (notLabelMe > 0)
        report.notes << QStringLiteral("%1 .json files have no \"shapes\" and are not LabelMe annotations: skipped").arg(notLabelMe);
    if (nonRegion > 0)
        report.notes << QStringLiteral("%1 point/line/linestrip shapes enclose no region: kept with the sample's shapes, no target").arg(nonRegion);
    report.notes << QStringLiteral("masks drawn with OpenCV (vertices truncated, 1-px outline included), not PIL: shapes with "
                                   "fractional coordinates may differ from LabelMe's own masks at their boundary pixels");
    return report;
}

Expected<LabelMeFormat::Shapes> LabelMeFormat::shapesOf(const DatasetRecord &record)
{
    Shapes result;
    const QJsonValue original = record.extras.extra.value(kShapes);
    if (!record.targetsAnnotated && original.isArray()) {
        result.shapes = original.toArray();
        result.targetIou.assign(record.targets.size(), 1.0);
        return result;
    }
    const QSize size = record.sample.image.size;
    int groups = 0;
    for (std::size_t i = 0; i < record.targets.size(); ++i) {
        const RleTarget &target = record.targets[i];
        if (target.width != size.width() || target.height != size.height())
            return Error{QStringLiteral("sample '%1' target %2: a %3x%4 mask on a %5x%6 image")
                             .arg(record.sample.sourceId)
                             .arg(i)
                             .arg(target.width)
                             .arg(target.height)
                             .arg(size.width())
                             .arg(size.height())};
        auto rle = target.rle();
        if (!rle)
            return Error{QStringLiteral("sample '%1' target %2: %3").arg(record.sample.sourceId).arg(i).arg(rle.error())};
        const Mask mask = rle->decode();
        const QList<QPolygon> polygons = MaskContours::outer(mask);
        if (polygons.isEmpty()) {
            ++result.emptyTargets;
            result.targetIou.push_back(mask.isEmpty() ? 1.0 : 0.0);
            continue;
        }
        const QJsonValue groupId = polygons.size() > 1 ? QJsonValue(++groups) : QJsonValue(QJsonValue::Null);
        Mask readBack(size.width(), size.height());
        for (const QPolygon &polygon : polygons) {
            const QJsonObject shape = polygonShape(target, polygon, groupId);
            result.shapes.append(shape);
            auto drawn = LabelMeShapeMask::draw(shape, size, QStringLiteral("sample '%1' target %2").arg(record.sample.sourceId).arg(i));
            if (!drawn)
                return Error{drawn.error()};
            readBack.unite(*drawn);
        }
        const qsizetype intersection = readBack.intersectionArea(mask);
        const qsizetype unionArea = readBack.area() + mask.area() - intersection;
        result.targetIou.push_back(unionArea == 0 ? 1.0 : double(intersection) / double(unionArea));
    }
    return result;
}

Expected<ExportReport> LabelMeFormat::write(RecordSource &source, const ExportOptions &options) const
{
    ExportReport report;
    QSet<QString> stems;
    QSet<QString> splits;
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        const QSize size = record.sample.image.size;
        if (!size.isValid() || size.isEmpty())
            return Error{QStringLiteral("sample '%1': the image size is unknown").arg(record.sample.sourceId)};
        if (!record.sample.split.isEmpty())
            splits.insert(record.sample.split);
        QString stem = safeStem(record.sample.sourceId);
        if (stem.isEmpty())
            stem = QStringLiteral("sample_%1").arg(record.sample.id);
        if (stems.contains(stem.toLower()))
            stem = QStringLiteral("%1_%2").arg(stem).arg(record.sample.id);
        stems.insert(stem.toLower());

        auto shapes = shapesOf(record);
        if (!shapes)
            return Error{shapes.error()};
        for (std::size_t i = 0; i < shapes->targetIou.size(); ++i)
            if (shapes->targetIou[i] < 1.0)
                report.warnings << QStringLiteral("%1: target %2 ('%3') reads back with IoU %4 (holes or detail a polygon cannot express)")
                                       .arg(stem)
                                       .arg(i)
                                       .arg(record.targets[i].label)
                                       .arg(shapes->targetIou[i], 0, 'f', 4);
        if (shapes->emptyTargets > 0)
            report.warnings << QStringLiteral("%1: %2 empty targets have no polygon and were left out").arg(stem).arg(shapes->emptyTargets);

        const QString suffix = QFileInfo(record.imageFile).suffix().toLower();
        const QString imageName = QFileInfo(stem).fileName() + QLatin1Char('.') + (suffix.isEmpty() ? QStringLiteral("jpg") : suffix);
        const QString imageRelative = QFileInfo(stem).path() == QLatin1String(".") ? imageName : QFileInfo(stem).path() + QLatin1Char('/') + imageName;
        const QString jsonRelative = stem + QStringLiteral(".json");
        const QString folder = QFileInfo(options.outDir + QLatin1Char('/') + jsonRelative).absolutePath();
        if (!QDir().mkpath(folder))
            return Error{QStringLiteral("%1: cannot create the folder").arg(folder)};
        const QString imageTarget = options.outDir + QLatin1Char('/') + imageRelative;
        if (suffix.isEmpty()) {
            auto copied = ImageFiles::writeAsJpeg(record.imageFile, imageTarget);
            if (!copied)
                return Error{copied.error()};
        } else if (!QFile::copy(record.imageFile, imageTarget)) {
            return Error{QStringLiteral("%1: cannot copy the image to %2").arg(record.imageFile, imageTarget)};
        }

        QJsonObject json;
        const QJsonValue version = record.targetsAnnotated ? QJsonValue() : record.extras.extra.value(kVersion);
        json.insert(kVersion, version.isString() ? version : QJsonValue(kWrittenVersion));
        json.insert(kFlags, record.extras.extra.value(kFlags).isObject() ? record.extras.extra.value(kFlags) : QJsonObject());
        json.insert(kShapes, shapes->shapes);
        json.insert(kImagePath, imageName);
        json.insert(kImageData, QJsonValue::Null);
        json.insert(kImageHeight, size.height());
        json.insert(kImageWidth, size.width());
        if (!record.sample.queries.isEmpty())
            json.insert(kText, QJsonArray::fromStringList(record.sample.queries));
        json.insert(kIsSentence, record.sample.isSentence);
        auto saved = JsonFile::write(options.outDir + QLatin1Char('/') + jsonRelative, QJsonDocument(json), true);
        if (!saved)
            return Error{saved.error()};
        report.files << imageRelative << jsonRelative;
        ++report.samples;
        report.targets += qint64(record.targets.size());
        return true;
    });
    if (!looped)
        return Error{looped.error()};
    report.notes << QStringLiteral("shapes not edited since import are written back as imported; edited masks are traced as "
                                   "polygons (a target of several polygons shares one group_id, ignore regions carry flags "
                                   "{\"ignore\": true}) and checked by re-rasterising");
    report.notes << QStringLiteral("images are copied byte for byte next to their JSON; imagePath is the file name, imageData null");
    if (!splits.isEmpty()) {
        QStringList names = splits.values();
        names.sort();
        report.notes << QStringLiteral("LabelMe has no splits: the samples of %1 share one folder (import again with --split)")
                            .arg(names.join(QStringLiteral(", ")));
    }
    return report;
}

} // namespace rs
