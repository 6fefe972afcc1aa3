#include "plugins/formats/reasonsegformat.h"

#include "core/lisarasterizer.h"
#include "core/maskcontours.h"
#include "core/progress.h"
#include "core/recordsink.h"
#include "core/recordsource.h"
#include "plugins/formats/imagefiles.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonfile.h"
#include "plugins/formats/recordloop.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QSet>

namespace rs {

namespace {

const QString kExplanatoryFolder = QStringLiteral("explanatory");

struct SplitFolder
{
    QString split;
    QString path;
};

QStringList jpgFiles(const QString &folder)
{
    // LISA globs "<split>/*.jpg": case-sensitive, only this extension.
    QDir dir(folder);
    dir.setNameFilters({QStringLiteral("*.jpg")});
    dir.setFilter(QDir::Files);
    dir.setSorting(QDir::Name);
    return dir.entryList();
}

Expected<std::vector<SplitFolder>> splitFolders(const ImportOptions &options)
{
    const QFileInfo source(options.source);
    if (!source.isDir())
        return Error{QStringLiteral("%1: not a folder (ReasonSeg is a folder of split folders)").arg(options.source)};
    const QString root = source.absoluteFilePath();
    if (!jpgFiles(root).isEmpty()) {
        const QString split = options.split.isEmpty() ? source.fileName() : options.split;
        return std::vector<SplitFolder>{{split, root}};
    }
    std::vector<SplitFolder> found;
    QStringList names;
    const QStringList subfolders = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : subfolders) {
        if (name == kExplanatoryFolder || jpgFiles(root + QLatin1Char('/') + name).isEmpty())
            continue;
        names << name;
        if (options.split.isEmpty() || options.split == name)
            found.push_back({name, root + QLatin1Char('/') + name});
    }
    if (names.isEmpty())
        return Error{QStringLiteral("%1: no .jpg images here or in its split folders").arg(options.source)};
    if (found.empty())
        return Error{QStringLiteral("%1: no split '%2' (found: %3)").arg(options.source, options.split, names.join(QStringLiteral(", ")))};
    return found;
}

// explanatory/train.json: image file name → {query, outputs}.
Expected<QHash<QString, QJsonObject>> readExplanatory(const QString &root)
{
    QHash<QString, QJsonObject> byImage;
    const QString path = root + QLatin1Char('/') + kExplanatoryFolder + QStringLiteral("/train.json");
    if (!QFileInfo::exists(path))
        return byImage;
    auto doc = JsonFile::read(path, JsonFile::Encoding::Utf8OrCp1252);
    if (!doc)
        return Error{doc.error()};
    if (!doc->isArray())
        return Error{QStringLiteral("%1: must be a list of {image, query, outputs}").arg(path)};
    const QJsonArray entries = doc->array();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!entries.at(i).isObject())
            return Error{QStringLiteral("%1 entry %2: must be an object, not %3").arg(path).arg(i).arg(JsonFields::show(entries.at(i)))};
        const JsonFields fields(entries.at(i).toObject(), QStringLiteral("%1 entry %2").arg(path).arg(i));
        auto image = fields.string(QStringLiteral("image"));
        auto query = image ? fields.string(QStringLiteral("query")) : Expected<QString>(Error{image.error()});
        auto outputs = query ? fields.string(QStringLiteral("outputs")) : Expected<QString>(Error{query.error()});
        if (!outputs)
            return Error{outputs.error()};
        QJsonObject entry;
        entry.insert(QStringLiteral("query"), *query);
        entry.insert(QStringLiteral("outputs"), *outputs);
        byImage.insert(*image, entry);
    }
    return byImage;
}

Expected<QStringList> queriesOf(const JsonFields &fields)
{
    auto text = fields.array(QStringLiteral("text"));
    if (!text)
        return Error{text.error()};
    QStringList queries;
    for (const QJsonValue &value : *text) {
        if (!value.isString())
            return fields.error(QStringLiteral("field 'text' must be a list of strings, found %1").arg(JsonFields::show(value)));
        queries << value.toString();
    }
    if (queries.isEmpty())
        return fields.error(QStringLiteral("field 'text' is empty (LISA evaluates text[0])"));
    return queries;
}

Expected<bool> checkInsideImage(const std::vector<LabelMeShape> &shapes, const QSize &size, const JsonFields &fields)
{
    // LISA's OpenCV calls clip silently; a vertex far outside the image is a broken annotation. One
    // pixel of slack allows LabelMe's habit of clicking on the border.
    for (std::size_t s = 0; s < shapes.size(); ++s) {
        const QPolygonF &points = shapes[s].points;
        for (qsizetype p = 0; p < points.size(); ++p) {
            const QPointF &point = points.at(p);
            if (point.x() < -1.0 || point.y() < -1.0 || point.x() > size.width() + 1.0 || point.y() > size.height() + 1.0)
                return fields.error(QStringLiteral("shape %1 point %2: (%3, %4) is outside the %5x%6 image")
                                        .arg(s)
                                        .arg(p)
                                        .arg(point.x())
                                        .arg(point.y())
                                        .arg(size.width())
                                        .arg(size.height()));
        }
    }
    return true;
}

QJsonArray pointsOf(const QPolygon &polygon)
{
    QJsonArray points;
    for (const QPoint &point : polygon)
        points.append(QJsonArray{point.x(), point.y()});
    return points;
}

QJsonObject shapeObject(const QString &label, const QPolygon &polygon)
{
    QJsonObject shape;
    shape.insert(QStringLiteral("label"), label);
    shape.insert(QStringLiteral("points"), pointsOf(polygon));
    shape.insert(QStringLiteral("shape_type"), QStringLiteral("polygon"));
    shape.insert(QStringLiteral("group_id"), QJsonValue::Null);
    shape.insert(QStringLiteral("flags"), QJsonObject());
    return shape;
}

// The optional region input of a box question (NExT-Chat style, the bundled model's held-out set):
// "box_input": null or [x1, y1, x2, y2] in image pixels.
Expected<bool> regionInputOf(const QJsonObject &json, const JsonFields &fields)
{
    const QJsonValue value = json.value(QLatin1String(SampleExtras::kRegionInputKey));
    if (value.isUndefined() || value.isNull())
        return false;
    const QJsonArray box = value.toArray();
    const bool numbers = std::all_of(box.begin(), box.end(), [](const QJsonValue &v) { return v.isDouble(); });
    if (!value.isArray() || box.size() != 4 || !numbers || box[2].toDouble() < box[0].toDouble()
        || box[3].toDouble() < box[1].toDouble())
        return fields.error(QStringLiteral("'box_input' must be null or [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2"));
    return true;
}

// A file stem safe to write: the source id when it is a plain name, else "sample_<id>".
QString stemOf(const DatasetRecord &record)
{
    const QString &id = record.sample.sourceId;
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$"));
    if (plain.match(id).hasMatch() && !id.endsWith(QStringLiteral(".jpg")))
        return id;
    return QStringLiteral("sample_%1").arg(record.sample.id);
}

} // namespace

QString ReasonSegFormat::summary() const
{
    return QStringLiteral("LISA ReasonSeg: <split>/<name>.jpg + <name>.json (text, is_sentence, shapes), explanatory/train.json");
}

Expected<DatasetRecord> ReasonSegFormat::readSampleJson(const QJsonObject &json, const QSize &imageSize, const QString &where)
{
    const JsonFields fields(json, where);
    auto queries = queriesOf(fields);
    if (!queries)
        return Error{queries.error()};
    auto isSentence = fields.boolean(QStringLiteral("is_sentence"));
    if (!isSentence)
        return Error{isSentence.error()};
    auto shapesJson = fields.array(QStringLiteral("shapes"));
    if (!shapesJson)
        return Error{shapesJson.error()};
    auto shapes = LabelMeShape::listFromJson(*shapesJson);
    if (!shapes)
        return fields.error(shapes.error());
    auto inside = checkInsideImage(*shapes, imageSize, fields);
    if (!inside)
        return Error{inside.error()};
    auto labelled = LisaRasterizer::rasterize(*shapes, imageSize);
    if (!labelled)
        return fields.error(labelled.error());
    auto region = regionInputOf(json, fields);
    if (!region)
        return Error{region.error()};

    DatasetRecord record;
    record.sample.queries = *queries;
    record.sample.isSentence = *isSentence;
    record.sample.image.size = imageSize;
    record.extras.dataset = QString::fromLatin1(kDataset);
    record.extras.extra.insert(QStringLiteral("shapes"), *shapesJson);
    if (*region)
        record.extras.extra.insert(QLatin1String(SampleExtras::kRegionInputKey), json.value(QLatin1String(SampleExtras::kRegionInputKey)));
    const Mask &target = labelled->target();
    const Mask &ignore = labelled->ignore();
    if (!target.isEmpty())
        record.targets.push_back(RleTarget::fromRle(Rle::encode(target), QRectF(target.boundingRect()), QStringLiteral("target")));
    else
        record.extras.noTarget = true;
    if (!ignore.isEmpty()) {
        RleTarget ignored = RleTarget::fromRle(Rle::encode(ignore), QRectF(ignore.boundingRect()), QStringLiteral("ignore"));
        ignored.ignore = true;
        record.targets.push_back(ignored);
    }
    return record;
}

Expected<ImportReport> ReasonSegFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    auto folders = splitFolders(options);
    if (!folders)
        return Error{folders.error()};
    const QFileInfo source(options.source);
    auto explanatory = readExplanatory(source.absoluteFilePath());
    if (!explanatory)
        return Error{explanatory.error()};

    std::vector<std::pair<SplitFolder, QStringList>> work;
    qint64 total = 0;
    for (const SplitFolder &folder : *folders) {
        work.emplace_back(folder, jpgFiles(folder.path));
        total += work.back().second.size();
    }
    if (options.progress)
        options.progress->setTotal(total);

    ImportReport report;
    qint64 orphanJson = 0;
    for (const auto &[folder, images] : work) {
        QSet<QString> stems;
        for (const QString &image : images) {
            if (options.progress && options.progress->isCancelled())
                return Error{QStringLiteral("import cancelled")};
            const QString stem = image.chopped(4);
            stems.insert(stem);
            const QString imagePath = folder.path + QLatin1Char('/') + image;
            const QString jsonPath = folder.path + QLatin1Char('/') + stem + QStringLiteral(".json");
            if (!QFileInfo::exists(jsonPath))
                return Error{QStringLiteral("%1: missing (LISA's loader reads it for %2)").arg(jsonPath, image)};
            auto doc = JsonFile::read(jsonPath, JsonFile::Encoding::Utf8OrCp1252);
            if (!doc)
                return Error{doc.error()};
            if (!doc->isObject())
                return Error{QStringLiteral("%1: must be a JSON object with text, is_sentence and shapes").arg(jsonPath)};
            auto size = ImageFiles::size(imagePath);
            if (!size)
                return Error{size.error()};
            auto record = readSampleJson(doc->object(), *size, jsonPath);
            if (!record)
                return Error{record.error()};
            record->sample.split = folder.split;
            record->sample.sourceId = stem;
            record->imageFile = imagePath;
            if (folder.split == QLatin1String("train")) {
                const auto found = explanatory->constFind(image);
                if (found != explanatory->constEnd())
                    record->extras.extra.insert(QStringLiteral("explanatory"), *found);
            }
            report.targets += qint64(record->targets.size());
            auto added = sink.addSample(std::move(*record));
            if (!added)
                return Error{added.error()};
            ++report.samples;
            if (options.progress)
                options.progress->advance();
        }
        QDir dir(folder.path);
        for (const QString &json : dir.entryList({QStringLiteral("*.json")}, QDir::Files))
            if (!stems.contains(json.chopped(5)))
                ++orphanJson;
    }
    if (orphanJson > 0)
        report.notes << QStringLiteral("%1 .json files without a .jpg were skipped (LISA's loader finds samples by their .jpg)")
                            .arg(orphanJson);
    return report;
}

Expected<ReasonSegFormat::Shapes> ReasonSegFormat::shapesOf(const DatasetRecord &record)
{
    Shapes result;
    const QJsonValue original = record.extras.extra.value(QStringLiteral("shapes"));
    if (!record.targetsAnnotated && original.isArray()) {
        result.shapes = original.toArray();
        return result;
    }
    const QSize size = record.sample.image.size;
    Mask target(size.width(), size.height());
    Mask ignore(size.width(), size.height());
    for (const RleTarget &stored : record.targets) {
        auto rle = stored.rle();
        if (!rle)
            return Error{QStringLiteral("sample %1: %2").arg(record.sample.id).arg(rle.error())};
        if (stored.width != size.width() || stored.height != size.height())
            return Error{QStringLiteral("sample %1: a %2x%3 mask on a %4x%5 image")
                             .arg(record.sample.id)
                             .arg(stored.width)
                             .arg(stored.height)
                             .arg(size.width())
                             .arg(size.height())};
        (stored.ignore ? ignore : target).unite(rle->decode());
        if (!stored.ignore)
            ++result.mergedTargets;
    }
    ignore.subtract(target);
    for (const QPolygon &polygon : MaskContours::outer(target))
        result.shapes.append(shapeObject(QStringLiteral("target"), polygon));
    for (const QPolygon &polygon : MaskContours::outer(ignore))
        result.shapes.append(shapeObject(QStringLiteral("ignore"), polygon));

    // Read the polygons back the way LISA does and measure what was lost.
    auto shapes = LabelMeShape::listFromJson(result.shapes);
    if (!shapes)
        return Error{shapes.error()};
    auto readBack = LisaRasterizer::rasterize(*shapes, size);
    if (!readBack)
        return Error{readBack.error()};
    const qsizetype intersection = readBack->target().intersectionArea(target);
    const qsizetype unionArea = readBack->target().area() + target.area() - intersection;
    result.targetIou = unionArea == 0 ? 1.0 : double(intersection) / double(unionArea);
    result.ignoreExact = readBack->ignore() == ignore;
    return result;
}

Expected<ExportReport> ReasonSegFormat::write(RecordSource &source, const ExportOptions &options) const
{
    return writeFolders(source, options, {});
}

Expected<ExportReport> ReasonSegFormat::writeFolders(RecordSource &source, const ExportOptions &options,
                                                     const WrittenCallback &written)
{
    ExportReport report;
    QHash<QString, QSet<QString>> stemsBySplit;
    QJsonArray explanatory;
    qint64 merged = 0;
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        if (record.sample.queries.isEmpty())
            return Error{QStringLiteral("sample %1 ('%2'): has no query text; ReasonSeg needs text[0]")
                             .arg(record.sample.id)
                             .arg(record.sample.sourceId)};
        const QString split = record.sample.split.isEmpty() ? QStringLiteral("unsplit") : record.sample.split;
        QString stem = stemOf(record);
        QSet<QString> &stems = stemsBySplit[split];
        if (stems.contains(stem))
            stem = QStringLiteral("%1_%2").arg(stem).arg(record.sample.id);
        stems.insert(stem);
        const QString folder = options.outDir + QLatin1Char('/') + split;
        if (!QDir().mkpath(folder))
            return Error{QStringLiteral("%1: cannot create the folder").arg(folder)};

        auto shapes = shapesOf(record);
        if (!shapes)
            return Error{shapes.error()};
        if (shapes->targetIou < 1.0 || !shapes->ignoreExact)
            report.warnings << QStringLiteral("%1/%2: target mask reads back with IoU %3%4 (holes or detail a polygon cannot express)")
                                   .arg(split, stem)
                                   .arg(shapes->targetIou, 0, 'f', 4)
                                   .arg(shapes->ignoreExact ? QString() : QStringLiteral(", ignore region changed"));
        if (shapes->mergedTargets > 1)
            ++merged;

        QJsonObject json;
        QJsonArray text;
        for (const QString &query : record.sample.queries)
            text.append(query);
        json.insert(QStringLiteral("text"), text);
        json.insert(QStringLiteral("is_sentence"), record.sample.isSentence);
        json.insert(QStringLiteral("shapes"), shapes->shapes);
        const QJsonValue region = record.extras.extra.value(QLatin1String(SampleExtras::kRegionInputKey));
        if (region.isArray())
            json.insert(QLatin1String(SampleExtras::kRegionInputKey), region);
        const QString jsonName = split + QLatin1Char('/') + stem + QStringLiteral(".json");
        const QString jpgName = split + QLatin1Char('/') + stem + QStringLiteral(".jpg");
        auto saved = JsonFile::write(options.outDir + QLatin1Char('/') + jsonName, QJsonDocument(json), true);
        if (!saved)
            return Error{saved.error()};
        saved = ImageFiles::writeAsJpeg(record.imageFile, options.outDir + QLatin1Char('/') + jpgName);
        if (!saved)
            return Error{saved.error()};
        report.files << jpgName << jsonName;
        if (written)
            written(record, split, stem);

        const QJsonValue explained = record.extras.extra.value(QStringLiteral("explanatory"));
        if (split == QLatin1String("train") && explained.isObject()) {
            QJsonObject entry = explained.toObject();
            entry.insert(QStringLiteral("image"), stem + QStringLiteral(".jpg"));
            explanatory.append(entry);
        }
        ++report.samples;
        report.targets += qint64(record.targets.size());
        return true;
    });
    if (!looped)
        return Error{looped.error()};
    if (!explanatory.isEmpty()) {
        const QString name = kExplanatoryFolder + QStringLiteral("/train.json");
        QDir().mkpath(options.outDir + QLatin1Char('/') + kExplanatoryFolder);
        auto saved = JsonFile::write(options.outDir + QLatin1Char('/') + name, QJsonDocument(explanatory), true);
        if (!saved)
            return Error{saved.error()};
        report.files << name;
    }
    report.notes << QStringLiteral("shapes not edited since import are written back as imported; edited masks are traced "
                                   "as polygons (label 'target' / 'ignore') and checked by re-rasterising with LISA's rule");
    if (merged > 0)
        report.notes << QStringLiteral("%1 samples had several targets, merged into one mask (ReasonSeg has one mask per query)")
                            .arg(merged);
    report.notes << QStringLiteral("images are .jpg (LISA's loader globs *.jpg): JPEG sources are copied byte for byte, others re-encoded at quality 95");
    return report;
}

} // namespace rs
