#include "plugins/formats/referreader.h"

#include "core/progress.h"
#include "core/recordsink.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/imagefiles.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/referinstances.h"
#include "plugins/formats/referrefs.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

namespace rs {

namespace {

struct Located
{
    QString refsPath;
    QString folder;
    QString dataset;
    QStringList notes;
};

QString expectedName(bool generalized)
{
    return generalized ? QStringLiteral("grefs(<splitBy>).p or grefs(<splitBy>).json") : QStringLiteral("refs(<splitBy>).p");
}

// The splitBy of a refs file name, or an empty string when the name is not one the loader opens.
QString splitByOf(const QString &fileName, bool generalized, bool *json)
{
    static const QRegularExpression pattern(QStringLiteral("^(g?)refs\\((.+)\\)\\.(p|json)$"));
    const auto match = pattern.match(fileName);
    if (!match.hasMatch() || match.captured(1).isEmpty() == generalized)
        return QString();
    *json = match.captured(3) == QLatin1String("json");
    if (*json && !generalized)
        return QString();  // refer opens only the pickle
    return match.captured(2);
}

Expected<Located> locate(const QString &source, bool generalized)
{
    const QFileInfo info(source);
    Located found;
    if (info.isFile()) {
        bool json = false;
        if (splitByOf(info.fileName(), generalized, &json).isEmpty())
            return Error{QStringLiteral("%1: not a refs file: the loader opens <dataset>/%2").arg(source, expectedName(generalized))};
        found.refsPath = info.absoluteFilePath();
        found.folder = info.absolutePath();
        found.dataset = QFileInfo(found.folder).fileName();
        return found;
    }
    if (!info.isDir())
        return Error{QStringLiteral("%1: no such file or folder").arg(source)};
    found.folder = info.absoluteFilePath();
    found.dataset = info.fileName();
    // splitBy -> the files for it; grefer opens the pickle when both exist.
    QMap<QString, QString> bySplitBy;
    for (const QString &entry : QDir(found.folder).entryList(QDir::Files, QDir::Name)) {
        bool json = false;
        const QString splitBy = splitByOf(entry, generalized, &json);
        if (splitBy.isEmpty())
            continue;
        if (!bySplitBy.contains(splitBy) || !json)
            bySplitBy.insert(splitBy, entry);
    }
    if (bySplitBy.isEmpty())
        return Error{QStringLiteral("%1: no %2 here (the loader's layout: <dataset>/%2 + instances.json)").arg(source, expectedName(generalized))};
    QString chosen;
    if (bySplitBy.size() == 1) {
        chosen = bySplitBy.first();
    } else {
        // LISA's choice: refcocog is read with umd's split, every other dataset with unc's.
        const QString preferred = !generalized && found.dataset == QLatin1String("refcocog") ? QStringLiteral("umd") : QStringLiteral("unc");
        if (!bySplitBy.contains(preferred))
            return Error{QStringLiteral("%1: several refs files (%2): name the one to import as the source")
                             .arg(source, QStringList(bySplitBy.values()).join(QStringLiteral(", ")))};
        chosen = bySplitBy.value(preferred);
        found.notes << QStringLiteral("%1 holds %2; imported %3 (splitBy %4, as LISA reads this dataset); name another file as the source to import it")
                           .arg(source, QStringList(bySplitBy.values()).join(QStringLiteral(", ")), chosen, preferred);
    }
    found.refsPath = found.folder + QLatin1Char('/') + chosen;
    return found;
}

// Where the images are unless --image-dir says: the loaders' layouts under the dataset root.
QString defaultImageDir(const Located &located, bool generalized)
{
    const QString root = QDir::cleanPath(located.folder + QStringLiteral("/.."));
    QStringList candidates;
    if (located.dataset == QLatin1String("refclef"))
        candidates << QStringLiteral("images/saiapr_tc-12");
    const QString referLayout = QStringLiteral("images/mscoco/images/train2014");  // refer, LISA
    const QString greferLayout = QStringLiteral("images/train2014");               // grefer, ReLA
    candidates << (generalized ? greferLayout : referLayout) << (generalized ? referLayout : greferLayout);
    for (const QString &candidate : candidates)
        if (QFileInfo(root + QLatin1Char('/') + candidate).isDir())
            return root + QLatin1Char('/') + candidate;
    return root + QLatin1Char('/') + candidates.first();
}

Expected<Rle> rleListPart(const QJsonValue &value, int height, int width, qsizetype index)
{
    const QString what = QStringLiteral("RLE %1").arg(index);
    if (!value.isObject())
        return Error{QStringLiteral("%1 must be an object {size, counts}, not %2").arg(what, JsonFields::show(value))};
    const QJsonObject object = value.toObject();
    const QJsonValue counts = object.value(QStringLiteral("counts"));
    if (!counts.isString())
        return Error{QStringLiteral("%1 'counts' must be a compressed string (refer and LISA decode a list of RLEs as it is), not %2")
                         .arg(what, JsonFields::show(counts))};
    // The size check and the decoding are CocoSegmentation's, as for one RLE object.
    auto decoded = CocoSegmentation::decode(object, height, width, CocoSegmentation::Reader::FrPyObjects);
    if (!decoded)
        return Error{QStringLiteral("%1: %2").arg(what, decoded.error())};
    return decoded->rle;
}

} // namespace

Expected<ReferReader::AnnotationMask> ReferReader::annotationMask(const QJsonValue &segmentation, int height, int width)
{
    AnnotationMask mask;
    if (segmentation.isObject()) {
        auto decoded = CocoSegmentation::decode(segmentation, height, width, CocoSegmentation::Reader::FrPyObjects);
        if (!decoded)
            return Error{decoded.error()};
        mask.rle = decoded->rle;
        mask.bareRle = true;
        return mask;
    }
    if (!segmentation.isArray())
        return Error{QStringLiteral("must be a list of polygons or of RLE objects, not %1").arg(JsonFields::show(segmentation))};
    const QJsonArray parts = segmentation.toArray();
    if (parts.isEmpty()) {
        auto empty = Rle::fromCounts(height, width, {std::uint32_t(qint64(height) * width)});
        if (!empty)
            return Error{empty.error()};
        mask.rle = std::move(*empty);
        mask.emptyList = true;
        return mask;
    }
    // getMask: `type(segmentation[0]) == list` selects frPyObjects, anything else is decoded as RLEs.
    if (parts.first().isArray()) {
        auto decoded = CocoSegmentation::decode(segmentation, height, width, CocoSegmentation::Reader::FrPyObjects);
        if (!decoded)
            return Error{decoded.error()};
        mask.rle = decoded->rle;
        return mask;
    }
    if (!parts.first().isObject())
        return Error{QStringLiteral("must be a list of polygons [[x1, y1, ...], ...] or of RLE objects, not %1").arg(JsonFields::show(segmentation))};
    std::vector<Rle> rles;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        auto part = rleListPart(parts.at(i), height, width, i);
        if (!part)
            return Error{part.error()};
        rles.push_back(std::move(*part));
    }
    auto merged = Rle::merge(rles, false);
    if (!merged)
        return Error{merged.error()};
    mask.rle = std::move(*merged);
    return mask;
}

Expected<ImportReport> ReferReader::read(const ImportOptions &options, RecordSink &sink, bool generalized)
{
    auto located = locate(options.source, generalized);
    if (!located)
        return Error{located.error()};
    auto refs = ReferRefs::read(located->refsPath, generalized);
    if (!refs)
        return Error{refs.error()};
    auto splitOk = refs->checkSplit(options.split, generalized);
    if (!splitOk)
        return Error{splitOk.error()};

    std::vector<const ReferRef *> selected;
    QSet<qint64> imageIds;
    QSet<qint64> annIds;
    qint64 sentences = 0;
    for (const ReferRef &ref : refs->refs()) {
        if (!ReferRefs::selects(options.split, ref.split, generalized))
            continue;
        selected.push_back(&ref);
        imageIds.insert(ref.imageId);
        for (qint64 id : ref.annIds)
            annIds.insert(id);
        sentences += qint64(ref.sentences.size());
    }
    const QString instancesPath = located->folder + QStringLiteral("/instances.json");
    if (!QFileInfo::exists(instancesPath))
        return Error{QStringLiteral("%1: missing (the loader reads it next to %2)").arg(instancesPath, QFileInfo(located->refsPath).fileName())};
    auto instances = ReferInstances::read(instancesPath, imageIds, annIds);
    if (!instances)
        return Error{instances.error()};
    const QString imageDir = options.imageDir.isEmpty() ? defaultImageDir(*located, generalized) : QFileInfo(options.imageDir).absoluteFilePath();
    const QString splitBy = QFileInfo(located->refsPath).fileName().section(QLatin1Char('('), 1).section(QLatin1Char(')'), 0, 0);
    if (options.progress)
        options.progress->setTotal(sentences);

    ImportReport report;
    report.notes << located->notes;
    qint64 crowdSkipped = 0, emptySegmentations = 0, bareRles = 0, noTarget = 0, multiTarget = 0;
    const QString refsName = QFileInfo(located->refsPath).fileName();
    for (const ReferRef *ref : selected) {
        const QString where = QStringLiteral("%1 ref %2 (ref_id %3)").arg(refsName).arg(ref->index).arg(ref->refId);
        const auto image = instances->images().constFind(ref->imageId);
        if (image == instances->images().constEnd())
            return Error{QStringLiteral("%1: image_id %2 is not in instances.json").arg(where).arg(ref->imageId)};
        auto imageFile = ImageFiles::resolveInside(imageDir, image->fileName, QStringLiteral("%1 images (id %2)").arg(instancesPath).arg(ref->imageId));
        if (!imageFile)
            return Error{imageFile.error()};

        std::vector<RleTarget> targets;
        QJsonArray annotations;
        QJsonObject categoryNames;
        for (qint64 annId : ref->annIds) {
            const auto ann = instances->annotations().constFind(annId);
            if (ann == instances->annotations().constEnd())
                return Error{QStringLiteral("%1: ann_id %2 is not in instances.json").arg(where).arg(annId)};
            if (ann->imageId != ref->imageId)
                return Error{QStringLiteral("%1: ann %2 lies on image %3, not on the ref's image %4").arg(where).arg(annId).arg(ann->imageId).arg(ref->imageId)};
            const auto category = instances->categories().constFind(ann->categoryId);
            if (category == instances->categories().constEnd())
                return Error{QStringLiteral("%1: ann %2 has category_id %3, which instances.json does not list").arg(where).arg(annId).arg(ann->categoryId)};
            annotations.append(ann->object);
            categoryNames.insert(QString::number(ann->categoryId), *category);
            if (generalized && ann->crowd) {
                ++crowdSkipped;  // grefer's getMaskByRef and ReLA leave crowd annotations out
                continue;
            }
            auto mask = annotationMask(ann->object.value(QStringLiteral("segmentation")), image->height, image->width);
            if (!mask)
                return Error{QStringLiteral("%1: ann %2 segmentation: %3").arg(where).arg(annId).arg(mask.error())};
            if (mask->emptyList) {
                ++emptySegmentations;
                continue;
            }
            if (mask->bareRle)
                ++bareRles;
            targets.push_back(RleTarget::fromRle(mask->rle, mask->rle.bbox(), *category));
        }
        if (ref->annIds.isEmpty())
            ++noTarget;
        if (ref->annIds.size() > 1)
            ++multiTarget;

        for (const ReferSentence &sentence : ref->sentences) {
            if (options.progress && options.progress->isCancelled())
                return Error{QStringLiteral("import cancelled")};
            DatasetRecord record;
            record.sample.queries = {sentence.sent};
            record.sample.isSentence = false;
            record.sample.split = ref->split;
            record.sample.sourceId = QStringLiteral("%1:%2").arg(ref->refId).arg(sentence.sentId);
            record.sample.image.size = QSize(image->width, image->height);
            record.imageFile = *imageFile;
            record.targets = targets;
            record.extras.dataset = located->dataset;
            record.extras.noTarget = ref->annIds.isEmpty();
            QJsonObject &extra = record.extras.extra;
            extra.insert(QStringLiteral("ref_id"), ref->refId);
            extra.insert(QStringLiteral("ann_id"), ref->annIdValue);
            extra.insert(QStringLiteral("image_id"), ref->imageId);
            if (!ref->categoryIdValue.isUndefined())
                extra.insert(QStringLiteral("category_id"), ref->categoryIdValue);
            extra.insert(QStringLiteral("sent_id"), sentence.sentId);
            extra.insert(QStringLiteral("sent"), sentence.sent);
            extra.insert(QStringLiteral("tokens"), sentence.tokens);
            if (sentence.hasRaw)
                extra.insert(QStringLiteral("raw"), sentence.raw);
            if (!ref->fileName.isEmpty())
                extra.insert(QStringLiteral("file_name"), ref->fileName);
            extra.insert(QStringLiteral("split_by"), splitBy);
            extra.insert(QStringLiteral("annotations"), annotations);
            extra.insert(QStringLiteral("categories"), categoryNames);
            extra.insert(QStringLiteral("image"), image->object);
            report.targets += qint64(targets.size());
            auto added = sink.addSample(std::move(record));
            if (!added)
                return Error{added.error()};
            ++report.samples;
            if (options.progress)
                options.progress->advance();
        }
    }

    if (refs->nonAsciiStrings() > 0)
        report.notes << QStringLiteral("%1: %2 Python 2 byte strings are not ASCII; python3's pickle.load with its default encoding "
                                       "would fail on them; read as UTF-8 (latin-1 where not valid UTF-8)")
                            .arg(refsName)
                            .arg(refs->nonAsciiStrings());
    if (noTarget > 0)
        report.notes << QStringLiteral("%1 refs are no-target expressions (ann_id [-1]): their samples have no targets and are flagged").arg(noTarget);
    if (multiTarget > 0)
        report.notes << QStringLiteral("%1 refs have several target annotations: one target each").arg(multiTarget);
    if (crowdSkipped > 0)
        report.notes << QStringLiteral("%1 crowd annotations were left out of the targets, as grefer's getMaskByRef and ReLA do").arg(crowdSkipped);
    if (emptySegmentations > 0)
        report.notes << QStringLiteral("%1 annotations have an empty segmentation: no target (LISA reads an empty mask; refer's getMask fails on them)")
                            .arg(emptySegmentations);
    if (bareRles > 0)
        report.notes << QStringLiteral("%1 annotations hold one RLE object rather than a list: refer and LISA cannot read them (they index "
                                       "segmentation[0]), ReLA can")
                            .arg(bareRles);
    report.notes << QStringLiteral("images from %1").arg(imageDir);
    return report;
}

} // namespace rs
