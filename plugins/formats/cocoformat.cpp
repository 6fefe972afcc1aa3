#include "plugins/formats/cocoformat.h"

#include "core/progress.h"
#include "core/recordsink.h"
#include "core/recordsource.h"
#include "plugins/formats/cocoids.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/exportnames.h"
#include "plugins/formats/imagefiles.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonstream.h"
#include "plugins/formats/recordloop.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <climits>
#include <map>
#include <memory>

namespace rs {

namespace {

struct ImageEntry
{
    qint64 id = 0;
    int height = 0;
    int width = 0;
    qint64 begin = 0;
    qint64 end = 0;
    QString fileName;
    qint64 index = 0;
    bool annotated = false;
};

struct AnnotationEntry
{
    int image = 0;  // index into the images
    qint64 category = 0;
    qint64 index = 0;  // position in "annotations"
    qint64 begin = 0;
    qint64 end = 0;
};

Expected<int> positiveInt(const JsonFields &fields, const QString &key)
{
    auto value = fields.integer(key);
    if (!value)
        return Error{value.error()};
    if (*value <= 0 || *value > INT_MAX)
        return fields.error(QStringLiteral("field '%1' must be a positive integer, not %2").arg(key).arg(*value));
    return int(*value);
}

Expected<QHash<qint64, QJsonObject>> readCategories(const JsonStream &stream, const QString &name)
{
    auto value = stream.member(QStringLiteral("categories"));
    if (!value)
        return Error{value.error()};
    if (!value->isArray())
        return Error{QStringLiteral("%1: 'categories' must be a list, not %2").arg(name, JsonFields::show(*value))};
    QHash<qint64, QJsonObject> categories;
    QHash<qint64, qsizetype> firstAt;
    const QJsonArray list = value->toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("%1 category %2").arg(name).arg(i);
        if (!list.at(i).isObject())
            return Error{QStringLiteral("%1: must be an object, not %2").arg(where, JsonFields::show(list.at(i)))};
        const JsonFields fields(list.at(i).toObject(), where);
        auto id = fields.integer(QStringLiteral("id"));
        if (!id)
            return Error{id.error()};
        auto categoryName = fields.string(QStringLiteral("name"));
        if (!categoryName)
            return Error{categoryName.error()};
        auto super = fields.string(QStringLiteral("supercategory"), QString());
        if (!super)
            return Error{super.error()};
        if (firstAt.contains(*id))
            return fields.error(QStringLiteral("duplicate id %1 (also category %2)").arg(*id).arg(firstAt.value(*id)));
        firstAt.insert(*id, i);
        categories.insert(*id, fields.object());
    }
    return categories;
}

QString splitOf(const ImportOptions &options, const QFileInfo &source)
{
    if (!options.split.isEmpty())
        return options.split;
    const QString stem = source.completeBaseName();
    return stem.startsWith(QStringLiteral("instances_")) ? stem.mid(10) : stem;
}

// One instances_<split>.json being written: images and annotations stream into side lists, joined
// with the categories at the end.
struct InstancesFile
{
    QString name;
    std::unique_ptr<JsonListWriter> images;
    std::unique_ptr<JsonListWriter> annotations;
    QHash<qint64, QString> imageFiles;  // image id -> the image it stands for
    QSet<qint64> annotationIds;
    qint64 nextId = 1;
    std::map<qint64, QJsonObject> categories;

    QString imagesPart(const QString &dir) const { return dir + QStringLiteral("/.") + name + QStringLiteral(".images.part"); }
    QString annotationsPart(const QString &dir) const { return dir + QStringLiteral("/.") + name + QStringLiteral(".annotations.part"); }

    qint64 takeId(const QJsonValue &original, qint64 *renumbered)
    {
        const auto id = JsonFields::toInteger(original);
        if (id && !annotationIds.contains(*id)) {
            annotationIds.insert(*id);
            return *id;
        }
        if (id)
            ++*renumbered;
        while (annotationIds.contains(nextId))
            ++nextId;
        annotationIds.insert(nextId);
        return nextId;
    }
};

Expected<bool> appendFile(QSaveFile &out, const QString &path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, in.errorString())};
    while (!in.atEnd()) {
        const QByteArray chunk = in.read(1 << 20);
        if (out.write(chunk) != chunk.size())
            return Error{QStringLiteral("%1: cannot write: %2").arg(out.fileName(), out.errorString())};
    }
    in.close();
    QFile::remove(path);
    return true;
}

class CocoWriter
{
public:
    CocoWriter(const ExportOptions &options, ExportReport &report) : m_options(options), m_report(report) {}
    Expected<bool> add(const DatasetRecord &record);
    Expected<bool> finish();

private:
    Expected<InstancesFile *> fileFor(const QString &split);
    Expected<bool> addCategory(InstancesFile &file, qint64 id, const QJsonObject &category);

    const ExportOptions &m_options;
    ExportReport &m_report;
    std::map<QString, InstancesFile> m_files;
    QStringList m_order;
    qint64 m_kept = 0;
    qint64 m_rle = 0;
    qint64 m_renumbered = 0;
    qint64 m_labelCategories = 0;
};

Expected<InstancesFile *> CocoWriter::fileFor(const QString &split)
{
    auto found = m_files.find(split);
    if (found != m_files.end())
        return &found->second;
    InstancesFile file;
    file.name = QStringLiteral("instances_%1.json").arg(split);
    file.images = std::make_unique<JsonListWriter>(file.imagesPart(m_options.outDir));
    file.annotations = std::make_unique<JsonListWriter>(file.annotationsPart(m_options.outDir));
    auto opened = file.images->open();
    if (opened)
        opened = file.annotations->open();
    if (!opened)
        return Error{opened.error()};
    m_order << split;
    return &m_files.emplace(split, std::move(file)).first->second;
}

Expected<bool> CocoWriter::addCategory(InstancesFile &file, qint64 id, const QJsonObject &category)
{
    auto existing = file.categories.find(id);
    if (existing == file.categories.end()) {
        file.categories.emplace(id, category);
        return true;
    }
    const QString had = existing->second.value(QStringLiteral("name")).toString();
    const QString name = category.value(QStringLiteral("name")).toString();
    if (had != name)
        return Error{QStringLiteral("%1: category id %2 stands for both '%3' and '%4'").arg(file.name).arg(id).arg(had, name)};
    return true;
}

Expected<bool> CocoWriter::add(const DatasetRecord &record)
{
    const QString where = QStringLiteral("sample %1 ('%2')").arg(record.sample.id).arg(record.sample.sourceId);
    const QSize size = record.sample.image.size;
    if (!size.isValid() || size.isEmpty())
        return Error{QStringLiteral("%1: image size unknown; COCO images need height and width").arg(where)};
    auto file = fileFor(ExportNames::split(record.sample.split));
    if (!file)
        return Error{file.error()};
    InstancesFile &out = **file;

    const qint64 imageId = CocoIds::imageId(record);
    const auto known = out.imageFiles.constFind(imageId);
    if (known == out.imageFiles.constEnd()) {
        out.imageFiles.insert(imageId, record.imageFile);
        auto written = out.images->append(CocoIds::imageObject(record));
        if (!written)
            return written;
    } else if (*known != record.imageFile) {
        return Error{QStringLiteral("%1: COCO image id %2 stands for both %3 and %4 (a COCO sample and another sample whose "
                                    "storage id is that number? export them separately)")
                         .arg(where)
                         .arg(imageId)
                         .arg(*known, record.imageFile)};
    }

    const bool coco = CocoIds::isCoco(record);
    const QJsonObject sampleCategory = CocoIds::sampleCategory(record);
    if (coco) {
        auto added = addCategory(out, CocoIds::categoryId(record, QString()), sampleCategory);
        if (!added)
            return added;
    }
    const QJsonArray originals = coco ? record.extras.extra.value(QStringLiteral("annotations")).toArray() : QJsonArray();
    const bool unedited = !record.targetsAnnotated && coco && std::size_t(originals.size()) == record.targets.size();
    for (std::size_t i = 0; i < record.targets.size(); ++i) {
        const RleTarget &target = record.targets[i];
        const QString at = QStringLiteral("%1 target %2").arg(where).arg(i);
        if (target.width != size.width() || target.height != size.height())
            return Error{QStringLiteral("%1: a %2x%3 mask on a %4x%5 image").arg(at).arg(target.width).arg(target.height).arg(size.width()).arg(size.height())};
        auto rle = target.rle();
        if (!rle)
            return Error{QStringLiteral("%1: %2").arg(at, rle.error())};
        const qint64 categoryId = CocoIds::categoryId(record, target.label);
        if (!coco || categoryId != CocoIds::categoryId(record, QString())) {
            const QString label = target.label.isEmpty() ? QStringLiteral("object") : target.label;
            if (!out.categories.count(categoryId))
                ++m_labelCategories;
            auto added = addCategory(out, categoryId, QJsonObject{{QStringLiteral("id"), categoryId}, {QStringLiteral("name"), label},
                                                                  {QStringLiteral("supercategory"), QString()}});
            if (!added)
                return added;
        }
        const QJsonObject original = qsizetype(i) < originals.size() ? originals.at(qsizetype(i)).toObject() : QJsonObject();
        QJsonObject annotation = original;
        bool keep = unedited;
        if (!keep && original.contains(QStringLiteral("segmentation"))) {
            auto before = CocoSegmentation::decode(original.value(QStringLiteral("segmentation")), size.height(), size.width(),
                                                   CocoSegmentation::Reader::AnnToRle);
            keep = before && Rle::samePixels(before->rle, *rle)
                && (original.value(QStringLiteral("iscrowd")).toInt() == 1) == target.ignore;
        }
        if (keep) {
            ++m_kept;
        } else {
            if (rle->area() == 0) {
                m_report.warnings << QStringLiteral("%1: empty mask left out (a COCO annotation has pixels)").arg(at);
                continue;
            }
            annotation.insert(QStringLiteral("segmentation"), CocoSegmentation::uncompressed(*rle));
            annotation.insert(QStringLiteral("area"), rle->area());
            annotation.insert(QStringLiteral("bbox"), CocoSegmentation::boxJson(rle->bbox()));
            annotation.insert(QStringLiteral("iscrowd"), target.ignore ? 1 : 0);
            ++m_rle;
        }
        annotation.insert(QStringLiteral("id"), out.takeId(original.value(QStringLiteral("id")), &m_renumbered));
        annotation.insert(QStringLiteral("image_id"), imageId);
        annotation.insert(QStringLiteral("category_id"), categoryId);
        auto written = out.annotations->append(annotation);
        if (!written)
            return written;
        ++m_report.targets;
    }
    ++m_report.samples;
    return true;
}

Expected<bool> CocoWriter::finish()
{
    for (const QString &split : m_order) {
        InstancesFile &file = m_files.at(split);
        auto finished = file.images->finish();
        if (finished)
            finished = file.annotations->finish();
        if (!finished)
            return finished;
        QJsonArray categories;
        for (const auto &[id, category] : file.categories)
            categories.append(category);
        QSaveFile out(m_options.outDir + QLatin1Char('/') + file.name);
        if (!out.open(QIODevice::WriteOnly))
            return Error{QStringLiteral("%1: cannot write: %2").arg(out.fileName(), out.errorString())};
        out.write("{\"images\": ");
        auto copied = appendFile(out, file.imagesPart(m_options.outDir));
        if (!copied)
            return copied;
        out.write(",\n\"annotations\": ");
        copied = appendFile(out, file.annotationsPart(m_options.outDir));
        if (!copied)
            return copied;
        out.write(",\n\"categories\": ");
        out.write(QJsonDocument(categories).toJson(QJsonDocument::Compact));
        out.write("}\n");
        if (!out.commit())
            return Error{QStringLiteral("%1: cannot write: %2").arg(out.fileName(), out.errorString())};
        m_report.files << file.name;
    }
    m_report.notes << QStringLiteral("one COCO image per imported COCO image (its id and fields kept); samples from other datasets "
                                     "are each their own image with id = the sample's id; images are referenced by file_name, not "
                                     "copied");
    m_report.notes << QStringLiteral("annotations not edited since import are written as imported; %1 kept their original segmentation, "
                                     "%2 edited masks were written as uncompressed RLE (iscrowd 0, or 1 for ignore targets): lossless "
                                     "and read by pycocotools' annToRLE/COCOeval, where polygons traced from the mask would not "
                                     "rasterise back exactly")
                          .arg(m_kept)
                          .arg(m_rle);
    if (m_renumbered > 0)
        m_report.notes << QStringLiteral("%1 annotations got a new id (their imported id was taken)").arg(m_renumbered);
    if (m_labelCategories > 0)
        m_report.notes << QStringLiteral("%1 categories come from target labels that are no COCO category: their ids are %2 + a hash of "
                                         "the label, the same in every export")
                              .arg(m_labelCategories)
                              .arg(CocoIds::kLabelIdBase);
    return true;
}

} // namespace

QString CocoFormat::summary() const
{
    return QStringLiteral("COCO instances JSON (images, annotations, categories): one sample per image and category");
}

Expected<ImportReport> CocoFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    const QFileInfo source(options.source);
    if (!source.isFile())
        return Error{QStringLiteral("%1: not a file (COCO is read from an instances JSON file)").arg(options.source)};
    const QString name = source.fileName();
    auto opened = JsonStream::open(source.absoluteFilePath());
    if (!opened)
        return Error{opened.error()};
    const JsonStream &stream = **opened;
    auto keys = stream.memberKeys();
    if (!keys)
        return Error{keys.error()};
    for (const char *key : {"images", "annotations", "categories"})
        if (!keys->contains(QLatin1String(key)))
            return Error{QStringLiteral("%1: has no '%2' (an instances file has images, annotations and categories)").arg(name, QLatin1String(key))};
    auto categories = readCategories(stream, name);
    if (!categories)
        return Error{categories.error()};
    const QString imageDir = options.imageDir.isEmpty() ? source.absolutePath() : options.imageDir;
    const QString split = splitOf(options, source);

    std::vector<ImageEntry> images;
    QHash<qint64, int> imageIndex;
    auto walked = stream.forEachInMemberWithSpans(
        QStringLiteral("images"), [&](qint64 index, qint64 begin, qint64 end, const QJsonValue &value) -> Expected<bool> {
            const QString where = QStringLiteral("%1 image %2").arg(name).arg(index);
            if (!value.isObject())
                return Error{QStringLiteral("%1: must be an object, not %2").arg(where, JsonFields::show(value))};
            const JsonFields fields(value.toObject(), where);
            auto id = fields.integer(QStringLiteral("id"));
            if (!id)
                return Error{id.error()};
            auto fileName = fields.string(QStringLiteral("file_name"));
            if (!fileName)
                return Error{fileName.error()};
            auto height = positiveInt(fields, QStringLiteral("height"));
            if (!height)
                return Error{height.error()};
            auto width = positiveInt(fields, QStringLiteral("width"));
            if (!width)
                return Error{width.error()};
            if (!Rle::isValidSize(*height, *width))
                return fields.error(QStringLiteral("image size %1x%2 is too large").arg(*width).arg(*height));
            if (imageIndex.contains(*id))
                return fields.error(QStringLiteral("duplicate id %1 (also image %2)").arg(*id).arg(images[std::size_t(imageIndex.value(*id))].index));
            imageIndex.insert(*id, int(images.size()));
            images.push_back({*id, *height, *width, begin, end, *fileName, index, false});
            return true;
        });
    if (!walked)
        return Error{walked.error()};

    std::vector<AnnotationEntry> annotations;
    QHash<qint64, qint64> annotationIndex;
    walked = stream.forEachInMemberWithSpans(
        QStringLiteral("annotations"), [&](qint64 index, qint64 begin, qint64 end, const QJsonValue &value) -> Expected<bool> {
            if (options.progress && options.progress->isCancelled())
                return Error{QStringLiteral("import cancelled")};
            const QString where = QStringLiteral("%1 annotation %2").arg(name).arg(index);
            if (!value.isObject())
                return Error{QStringLiteral("%1: must be an object, not %2").arg(where, JsonFields::show(value))};
            const JsonFields fields(value.toObject(), where);
            auto id = fields.integer(QStringLiteral("id"));
            if (!id)
                return Error{id.error()};
            if (annotationIndex.contains(*id))
                return fields.error(QStringLiteral("duplicate id %1 (also annotation %2)").arg(*id).arg(annotationIndex.value(*id)));
            annotationIndex.insert(*id, index);
            auto imageId = fields.integer(QStringLiteral("image_id"));
            if (!imageId)
                return Error{imageId.error()};
            const auto image = imageIndex.constFind(*imageId);
            if (image == imageIndex.constEnd())
                return fields.error(QStringLiteral("image_id %1 is not in 'images'").arg(*imageId));
            auto categoryId = fields.integer(QStringLiteral("category_id"));
            if (!categoryId)
                return Error{categoryId.error()};
            if (!categories->contains(*categoryId))
                return fields.error(QStringLiteral("category_id %1 is not in 'categories'").arg(*categoryId));
            if (!fields.has(QStringLiteral("segmentation")))
                return fields.error(QStringLiteral("field 'segmentation' is missing"));
            ImageEntry &entry = images[std::size_t(*image)];
            auto box = CocoSegmentation::box(fields.object().value(QStringLiteral("bbox")), entry.height, entry.width);
            if (!box)
                return fields.error(box.error());
            entry.annotated = true;
            annotations.push_back({*image, *categoryId, index, begin, end});
            return true;
        });
    if (!walked)
        return Error{walked.error()};
    annotationIndex.clear();

    // Samples in image order, categories ascending, annotations in file order.
    std::sort(annotations.begin(), annotations.end(), [](const AnnotationEntry &a, const AnnotationEntry &b) {
        return std::tie(a.image, a.category, a.index) < std::tie(b.image, b.category, b.index);
    });
    if (options.progress)
        options.progress->setTotal(qint64(annotations.size()));

    ImportReport report;
    qint64 crowd = 0;
    int cachedImage = -1;
    QJsonObject imageObject;
    QString imagePath;
    for (std::size_t first = 0; first < annotations.size();) {
        std::size_t last = first;
        while (last < annotations.size() && annotations[last].image == annotations[first].image
               && annotations[last].category == annotations[first].category)
            ++last;
        const ImageEntry &image = images[std::size_t(annotations[first].image)];
        if (annotations[first].image != cachedImage) {
            auto parsed = stream.parseSpan(image.begin, image.end);
            if (!parsed)
                return Error{parsed.error()};
            imageObject = parsed->toObject();
            auto path = ImageFiles::resolveInside(imageDir, image.fileName, QStringLiteral("%1 image %2").arg(name).arg(image.index));
            if (!path)
                return Error{path.error()};
            imagePath = *path;
            cachedImage = annotations[first].image;
        }
        const QJsonObject category = categories->value(annotations[first].category);
        const QString categoryName = category.value(QStringLiteral("name")).toString();

        DatasetRecord record;
        QJsonArray originals;
        for (std::size_t a = first; a < last; ++a) {
            if (options.progress && options.progress->isCancelled())
                return Error{QStringLiteral("import cancelled")};
            const AnnotationEntry &entry = annotations[a];
            auto parsed = stream.parseSpan(entry.begin, entry.end);
            if (!parsed)
                return Error{parsed.error()};
            const QJsonObject object = parsed->toObject();
            const JsonFields fields(object, QStringLiteral("%1 annotation %2 (id %3)")
                                                .arg(name)
                                                .arg(entry.index)
                                                .arg(object.value(QStringLiteral("id")).toInteger()));
            qint64 isCrowd = 0;
            if (fields.has(QStringLiteral("iscrowd"))) {
                auto value = fields.integer(QStringLiteral("iscrowd"));
                if (!value)
                    return Error{value.error()};
                if (*value != 0 && *value != 1)
                    return fields.error(QStringLiteral("field 'iscrowd' must be 0 or 1, not %1").arg(*value));
                isCrowd = *value;
            }
            auto decoded = CocoSegmentation::decode(object.value(QStringLiteral("segmentation")), image.height, image.width,
                                                    CocoSegmentation::Reader::AnnToRle);
            if (!decoded)
                return fields.error(QStringLiteral("segmentation ") + decoded.error());
            auto box = CocoSegmentation::box(object.value(QStringLiteral("bbox")), image.height, image.width);
            if (!box)
                return fields.error(box.error());
            RleTarget target = RleTarget::fromRle(decoded->rle, *box, categoryName);
            target.ignore = isCrowd == 1;
            crowd += isCrowd;
            record.targets.push_back(std::move(target));
            originals.append(object);
            if (options.progress)
                options.progress->advance();
        }
        record.sample.queries = {categoryName};
        record.sample.isSentence = false;
        record.sample.split = split;
        record.sample.sourceId = QStringLiteral("%1:%2").arg(image.id).arg(annotations[first].category);
        record.sample.image.size = QSize(image.width, image.height);
        record.imageFile = imagePath;
        record.extras.dataset = QString::fromLatin1(CocoIds::kDataset);
        record.extras.extra.insert(QStringLiteral("image"), imageObject);
        record.extras.extra.insert(QStringLiteral("category"), category);
        record.extras.extra.insert(QStringLiteral("annotations"), originals);
        report.targets += qint64(record.targets.size());
        auto added = sink.addSample(std::move(record));
        if (!added)
            return Error{added.error()};
        ++report.samples;
        first = last;
    }
    const auto unannotated = std::count_if(images.begin(), images.end(), [](const ImageEntry &image) { return !image.annotated; });
    if (unannotated > 0)
        report.notes << QStringLiteral("%1 images have no annotations and give no sample").arg(unannotated);
    if (crowd > 0)
        report.notes << QStringLiteral("%1 iscrowd annotations were imported as ignore targets (COCOeval ignores crowd regions)").arg(crowd);
    return report;
}

Expected<ExportReport> CocoFormat::write(RecordSource &source, const ExportOptions &options) const
{
    ExportReport report;
    CocoWriter writer(options, report);
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        auto added = writer.add(record);
        if (!added)
            return Error{added.error()};
        return true;
    });
    if (!looped)
        return Error{looped.error()};
    auto finished = writer.finish();
    if (!finished)
        return Error{finished.error()};
    return report;
}

} // namespace rs
