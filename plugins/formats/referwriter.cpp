#include "plugins/formats/referwriter.h"

#include "core/progress.h"
#include "core/recordsource.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/imagefiles.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonfile.h"
#include "plugins/formats/picklewriter.h"
#include "plugins/formats/pixeloutline.h"
#include "plugins/formats/recordloop.h"
#include "plugins/formats/referreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>
#include <memory>

namespace rs {

namespace {

const QStringList kReferDatasets = {QStringLiteral("refcoco"), QStringLiteral("refcoco+"), QStringLiteral("refcocog"),
                                    QStringLiteral("refclef")};

struct ImageEntry
{
    qint64 originalId = -1;  // the dataset's image id, kept; -1: a new id is given at the end
    qint64 id = 0;
    QString path;            // the source file
    QJsonObject object;      // what instances.json gets, without "id"
};

struct AnnEntry
{
    qint64 originalId = -1;  // written verbatim as imported; -1: a new annotation, in the side file
    qint64 id = 0;
    int image = 0;
    qint64 categoryId = 0;   // imported annotations: their category
    QString category;        // new annotations: the target's label, made a category id at the end
};

struct SentenceEntry
{
    qint64 wantedId = -1;
    qint64 id = 0;
    QString sent;
    QString raw;
    QJsonArray tokens;
};

struct RefEntry
{
    qint64 wantedId = -1;
    qint64 id = 0;
    QString split;
    int image = 0;
    std::vector<int> anns;
    bool noTarget = false;
    QJsonValue annIdValue = QJsonValue(QJsonValue::Undefined);  // refs written as imported: ann_id and
    QJsonValue categoryValue = QJsonValue(QJsonValue::Undefined); // category_id as they were
    QString fileName;          // unedited refs: the ref's own file_name
    std::vector<SentenceEntry> sentences;
};

// Gives every wanted id to its first claimant and the rest fresh ids above the largest one.
template<typename Entry>
void assignIds(std::vector<Entry *> &entries)
{
    QSet<qint64> taken;
    qint64 next = 0;
    for (Entry *entry : entries)
        next = qMax(next, entry->wantedId + 1);
    for (Entry *entry : entries) {
        if (entry->wantedId >= 0 && !taken.contains(entry->wantedId)) {
            entry->id = entry->wantedId;
            taken.insert(entry->id);
        } else {
            entry->id = -1;
        }
    }
    for (Entry *entry : entries)
        if (entry->id < 0)
            entry->id = next++;
}

QList<qint64> idList(const QJsonValue &value)
{
    QList<qint64> ids;
    if (const auto single = JsonFields::toInteger(value)) {
        ids << *single;
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            if (const auto id = JsonFields::toInteger(item))
                ids << *id;
    }
    ids.removeAll(-1);
    return ids;
}

QJsonArray tokensOf(const QString &sentence)
{
    // refer's tokens are the lower-case words of the sentence.
    static const QRegularExpression separators(QStringLiteral("[^\\w']+"), QRegularExpression::UseUnicodePropertiesOption);
    QJsonArray tokens;
    for (const QString &word : sentence.toLower().split(separators, Qt::SkipEmptyParts))
        tokens.append(word);
    return tokens;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

class Writer
{
public:
    Writer(const ExportOptions &options, bool generalized) : m_options(options), m_generalized(generalized) {}

    Expected<bool> add(const DatasetRecord &record);
    Expected<ExportReport> finish();

private:
    Expected<bool> start(const DatasetRecord *first);
    Expected<int> imageOf(const DatasetRecord &record);
    Expected<bool> writeLine(QSaveFile &file, const QByteArray &line, qint64 &count);
    // The record's imported annotations when they can be written back as they are: every id of its
    // ann_id held in extras, on this image, and not already written with other content.
    std::optional<std::vector<QJsonObject>> originals(const DatasetRecord &record, int image) const;
    // Writes an imported annotation verbatim (once per id); its index in m_anns.
    Expected<int> originalAnnotation(const QJsonObject &object, int image);
    Expected<int> newAnnotation(const DatasetRecord &record, int image, const Rle &rle, const QString &label, double *iou);
    Expected<bool> skip(const QString &name)
    {
        m_report.warnings << QStringLiteral("%1: not written: it has no target, and a RefCOCO ref refers to exactly one object").arg(name);
        ++m_skipped;
        return true;
    }
    QString sampleName(const DatasetRecord &record) const
    {
        return QStringLiteral("%1/%2").arg(record.sample.split.isEmpty() ? QStringLiteral("unsplit") : record.sample.split,
                                           record.sample.sourceId.isEmpty() ? QString::number(record.sample.id) : record.sample.sourceId);
    }

    const ExportOptions &m_options;
    bool m_generalized;
    bool m_started = false;
    QString m_dataset;
    QString m_splitBy;
    QString m_imagesDir;  // relative to outDir
    std::unique_ptr<QSaveFile> m_instances;
    std::unique_ptr<QFile> m_newAnns;  // new annotations, one JSON object a line, until their ids are known
    qint64 m_written = 0;             // elements in the annotations list so far

    std::vector<ImageEntry> m_images;
    QHash<qint64, int> m_imageByOriginal;
    QHash<QString, int> m_imageByPath;
    QSet<QString> m_fileNames;
    std::vector<AnnEntry> m_anns;
    QHash<qint64, int> m_annByOriginal;
    QHash<qint64, QByteArray> m_originalBytes;
    QMap<qint64, QString> m_categories;
    std::vector<RefEntry> m_refs;
    QHash<QString, int> m_refByKey;

    ExportReport m_report;
    qint64 m_otherDatasets = 0, m_retokenized = 0, m_droppedQueries = 0, m_skipped = 0, m_merged = 0, m_keptEdited = 0;
    qint64 m_emptyTargets = 0;
};

Expected<bool> Writer::start(const DatasetRecord *first)
{
    m_started = true;
    const QString dataset = first ? first->extras.dataset : QString();
    const QString splitBy = first ? first->extras.extra.value(QStringLiteral("split_by")).toString() : QString();
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_-]{1,40}$"));
    if (m_generalized) {
        m_dataset = QStringLiteral("grefcoco");  // grefer opens no other name
        m_splitBy = QStringLiteral("unc");
        m_imagesDir = QStringLiteral("images/train2014");
    } else {
        m_dataset = kReferDatasets.contains(dataset) ? dataset : QStringLiteral("refcoco");
        m_splitBy = plain.match(splitBy).hasMatch() ? splitBy : m_dataset == QLatin1String("refcocog") ? QStringLiteral("umd") : QStringLiteral("unc");
        m_imagesDir = m_dataset == QLatin1String("refclef") ? QStringLiteral("images/saiapr_tc-12") : QStringLiteral("images/mscoco/images/train2014");
    }
    const QString folder = m_options.outDir + QLatin1Char('/') + m_dataset;
    if (!QDir().mkpath(folder) || !QDir().mkpath(m_options.outDir + QLatin1Char('/') + m_imagesDir))
        return Error{QStringLiteral("%1: cannot create the folder").arg(folder)};
    m_instances = std::make_unique<QSaveFile>(folder + QStringLiteral("/instances.json"));
    if (!m_instances->open(QIODevice::WriteOnly) || m_instances->write("{\"annotations\": [") < 0)
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_instances->fileName(), m_instances->errorString())};
    m_newAnns = std::make_unique<QFile>(m_options.outDir + QStringLiteral("/.new-annotations.jsonl"));
    if (!m_newAnns->open(QIODevice::ReadWrite | QIODevice::Truncate))
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_newAnns->fileName(), m_newAnns->errorString())};
    return true;
}

Expected<bool> Writer::writeLine(QSaveFile &file, const QByteArray &line, qint64 &count)
{
    if (file.write(count == 0 ? QByteArray("\n") : QByteArray(",\n")) < 0 || file.write(line) != line.size())
        return Error{QStringLiteral("%1: cannot write: %2").arg(file.fileName(), file.errorString())};
    ++count;
    return true;
}

Expected<int> Writer::imageOf(const DatasetRecord &record)
{
    const QJsonObject &extra = record.extras.extra;
    const auto originalId = JsonFields::toInteger(extra.value(QStringLiteral("image_id")));
    if (originalId) {
        const auto known = m_imageByOriginal.constFind(*originalId);
        // Another format's "image_id" may mean something else: the id is trusted only for the same file.
        if (known != m_imageByOriginal.constEnd() && m_images[*known].path == record.imageFile)
            return *known;
    }
    const auto byPath = m_imageByPath.constFind(record.imageFile);
    if (byPath != m_imageByPath.constEnd())
        return *byPath;

    QSize size = record.sample.image.size;
    if (!size.isValid() || size.isEmpty()) {
        auto probed = ImageFiles::size(record.imageFile);
        if (!probed)
            return Error{probed.error()};
        size = *probed;
    }
    ImageEntry entry;
    entry.path = record.imageFile;
    const bool keepsId = originalId && !m_imageByOriginal.contains(*originalId);
    if (keepsId) {
        entry.originalId = *originalId;
        entry.object = extra.value(QStringLiteral("image")).toObject();
        entry.object.remove(QStringLiteral("id"));
    }
    // COCO file names stay; others become "<stem>.jpg" (the copy is a JPEG), made unique.
    static const QRegularExpression plainName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._+-]{0,200}$"));
    QString name = entry.object.value(QStringLiteral("file_name")).toString();
    if (!plainName.match(name).hasMatch())
        name = QFileInfo(record.imageFile).completeBaseName() + QStringLiteral(".jpg");
    if (!plainName.match(name).hasMatch())
        name = QStringLiteral("image_%1.jpg").arg(m_images.size());
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString suffix = name.mid(stem.size());
    for (int n = 2; m_fileNames.contains(name); ++n)
        name = QStringLiteral("%1_%2%3").arg(stem).arg(n).arg(suffix);
    m_fileNames.insert(name);
    entry.object.insert(QStringLiteral("file_name"), name);
    entry.object.insert(QStringLiteral("height"), size.height());
    entry.object.insert(QStringLiteral("width"), size.width());
    const QString relative = m_imagesDir + QLatin1Char('/') + name;
    auto copied = ImageFiles::writeAsJpeg(record.imageFile, m_options.outDir + QLatin1Char('/') + relative);
    if (!copied)
        return Error{copied.error()};
    m_report.files << relative;
    const int index = int(m_images.size());
    m_images.push_back(std::move(entry));
    if (keepsId)
        m_imageByOriginal.insert(*originalId, index);
    m_imageByPath.insert(record.imageFile, index);
    return index;
}

std::optional<std::vector<QJsonObject>> Writer::originals(const DatasetRecord &record, int image) const
{
    const QJsonObject &extra = record.extras.extra;
    const QList<qint64> ids = idList(extra.value(QStringLiteral("ann_id")));
    if (ids.isEmpty() || (!m_generalized && ids.size() != 1) || m_images[std::size_t(image)].originalId < 0)
        return std::nullopt;
    QHash<qint64, QJsonObject> byId;
    for (const QJsonValue &value : extra.value(QStringLiteral("annotations")).toArray()) {
        const QJsonObject object = value.toObject();
        if (const auto id = JsonFields::toInteger(object.value(QStringLiteral("id"))))
            byId.insert(*id, object);
    }
    std::vector<QJsonObject> objects;
    for (qint64 id : ids) {
        const auto found = byId.constFind(id);
        if (found == byId.constEnd() || found->value(QStringLiteral("image_id")).toInteger(-1) != m_images[std::size_t(image)].originalId)
            return std::nullopt;
        // The same ann id already written with other content (another dataset's file): not ours.
        const auto written = m_originalBytes.constFind(id);
        if (written != m_originalBytes.constEnd() && *written != compact(*found))
            return std::nullopt;
        objects.push_back(*found);
    }
    return objects;
}

Expected<int> Writer::originalAnnotation(const QJsonObject &object, int image)
{
    const qint64 id = object.value(QStringLiteral("id")).toInteger();
    const auto known = m_annByOriginal.constFind(id);
    if (known != m_annByOriginal.constEnd())
        return *known;
    const QByteArray bytes = compact(object);
    auto written = writeLine(*m_instances, bytes, m_written);
    if (!written)
        return Error{written.error()};
    AnnEntry entry;
    entry.originalId = id;
    entry.id = id;
    entry.image = image;
    entry.categoryId = object.value(QStringLiteral("category_id")).toInteger();
    m_anns.push_back(entry);
    m_annByOriginal.insert(id, int(m_anns.size() - 1));
    m_originalBytes.insert(id, bytes);
    return int(m_anns.size() - 1);
}

Expected<int> Writer::newAnnotation(const DatasetRecord &record, int image, const Rle &rle, const QString &label, double *iou)
{
    // Polygons are the one segmentation form refer, LISA and ReLA all read (refer and LISA index
    // segmentation[0] and take a list of RLEs; ReLA takes one RLE object or polygons). Traced along
    // pixel edges, they read back exactly unless the mask has holes.
    QList<QPolygonF> polygons;
    QList<QList<int>> kept;
    for (const QList<int> &flat : PixelOutline::outerFlat(rle.decode())) {
        QPolygonF polygon;
        for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
            polygon << QPointF(flat[i], flat[i + 1]);
        polygons << polygon;
        kept << flat;
    }
    auto readBack = Rle::fromPolygons(polygons, rle.height(), rle.width());
    if (!readBack)
        return Error{QStringLiteral("%1: %2").arg(sampleName(record), readBack.error())};
    auto counts = Rle::overlap(*readBack, rle);
    if (!counts)
        return Error{QStringLiteral("%1: %2").arg(sampleName(record), counts.error())};
    *iou = counts->unionArea == 0 ? 1.0 : double(counts->intersection) / double(counts->unionArea);

    QJsonObject ann;
    ann.insert(QStringLiteral("segmentation"), CocoSegmentation::polygons(kept));
    ann.insert(QStringLiteral("bbox"), CocoSegmentation::boxJson(readBack->bbox()));
    ann.insert(QStringLiteral("area"), readBack->area());
    ann.insert(QStringLiteral("iscrowd"), 0);
    const QByteArray line = compact(ann) + '\n';
    if (m_newAnns->write(line) != line.size())
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_newAnns->fileName(), m_newAnns->errorString())};
    AnnEntry entry;
    entry.image = image;
    entry.category = label.isEmpty() ? QStringLiteral("object") : label;
    m_anns.push_back(entry);
    return int(m_anns.size() - 1);
}

Expected<bool> Writer::add(const DatasetRecord &record)
{
    if (!m_started) {
        auto started = start(&record);
        if (!started)
            return started;
    }
    const QString name = sampleName(record);
    if (record.sample.queries.isEmpty())
        return Error{QStringLiteral("sample %1 ('%2'): has no query text; a ref sentence needs one").arg(record.sample.id).arg(record.sample.sourceId)};
    if (record.extras.dataset != m_dataset)
        ++m_otherDatasets;
    const QJsonObject &extra = record.extras.extra;
    const QSize size = record.sample.image.size;
    std::vector<const RleTarget *> targets;
    int ignored = 0;
    for (const RleTarget &target : record.targets) {
        if (target.width != size.width() || target.height != size.height())
            return Error{QStringLiteral("sample %1 ('%2'): a %3x%4 mask on a %5x%6 image")
                             .arg(record.sample.id)
                             .arg(record.sample.sourceId)
                             .arg(target.width)
                             .arg(target.height)
                             .arg(size.width())
                             .arg(size.height())};
        auto rle = target.rle();
        if (!rle)
            return Error{QStringLiteral("%1: %2").arg(name, rle.error())};
        if (rle->area() == 0)
            ++m_emptyTargets;  // nothing to refer to; an empty segmentation would break refer's getMask
        else if (target.ignore)
            ++ignored;
        else
            targets.push_back(&target);
    }
    if (ignored > 0)
        m_report.warnings << QStringLiteral("%1: %2 ignore regions dropped (refer datasets have no ignore label)").arg(name).arg(ignored);
    const bool unedited = !record.targetsAnnotated;
    if (!m_generalized && targets.empty() && !(unedited && !idList(extra.value(QStringLiteral("ann_id"))).isEmpty()))
        return skip(name);

    auto image = imageOf(record);
    if (!image)
        return Error{image.error()};
    // The dataset's categories keep their ids, whether or not this sample's annotations survive.
    const QJsonObject categories = extra.value(QStringLiteral("categories")).toObject();
    for (auto it = categories.constBegin(); it != categories.constEnd(); ++it)
        if (!m_categories.contains(it.key().toLongLong()))
            m_categories.insert(it.key().toLongLong(), it.value().toString());

    const auto kept = originals(record, *image);
    const bool hasRef = JsonFields::toInteger(extra.value(QStringLiteral("ref_id"))).has_value();
    std::vector<int> anns;
    bool asImported = false;
    double worst = 1.0;
    if (kept && unedited) {
        for (const QJsonObject &object : *kept) {
            auto ann = originalAnnotation(object, *image);
            if (!ann)
                return Error{ann.error()};
            anns.push_back(*ann);
        }
        asImported = true;
    } else {
        // A target keeps an imported annotation whose mask it still equals; the others are new.
        struct Candidate
        {
            const QJsonObject *object;
            Mask mask;
            bool used = false;
        };
        const std::vector<QJsonObject> keptObjects = kept.value_or(std::vector<QJsonObject>());
        std::vector<Candidate> candidates;
        std::vector<const QJsonObject *> crowds;
        for (const QJsonObject &object : keptObjects) {
            const QJsonValue crowd = object.value(QStringLiteral("iscrowd"));
            if (m_generalized && (crowd.toBool() || crowd.toInteger(0) != 0)) {
                crowds.push_back(&object);
                continue;
            }
            auto mask = ReferReader::annotationMask(object.value(QStringLiteral("segmentation")), size.height(), size.width());
            if (mask && !mask->emptyList)
                candidates.push_back({&object, mask->rle.decode()});
        }
        std::vector<std::pair<Rle, QString>> masks;  // one per target (gRefCOCO), or their union
        for (const RleTarget *target : targets) {
            auto rle = target->rle();
            if (!rle)
                return Error{QStringLiteral("%1: %2").arg(name, rle.error())};
            masks.emplace_back(std::move(*rle), target->label);
        }
        if (!m_generalized && masks.size() > 1) {
            std::vector<Rle> rles;
            for (const auto &mask : masks)
                rles.push_back(mask.first);
            auto merged = Rle::merge(rles, false);
            if (!merged)
                return Error{QStringLiteral("%1: %2").arg(name, merged.error())};
            masks = {{std::move(*merged), masks.front().second}};
            ++m_merged;
        }
        for (const auto &[rle, label] : masks) {
            const Mask decoded = rle.decode();
            auto match = std::find_if(candidates.begin(), candidates.end(), [&](const Candidate &c) { return !c.used && c.mask == decoded; });
            Expected<int> ann = Error{};
            if (match != candidates.end()) {
                match->used = true;
                ann = originalAnnotation(*match->object, *image);
            } else {
                double iou = 1.0;
                ann = newAnnotation(record, *image, rle, label, &iou);
                worst = qMin(worst, iou);
            }
            if (!ann)
                return Error{ann.error()};
            anns.push_back(*ann);
        }
        if (!anns.empty()) {
            for (const QJsonObject *crowd : crowds) {
                auto ann = originalAnnotation(*crowd, *image);
                if (!ann)
                    return Error{ann.error()};
                anns.push_back(*ann);
            }
        }
        // Unchanged after all when the annotations are the imported ones, in their order.
        QList<qint64> ids;
        for (int index : anns)
            ids << m_anns[std::size_t(index)].originalId;
        asImported = (kept && ids == idList(extra.value(QStringLiteral("ann_id"))))
                     || (m_generalized && hasRef && anns.empty() && record.extras.noTarget);
    }
    if (worst < 1.0)
        m_report.warnings << QStringLiteral("%1: mask written as polygons reads back with IoU %2 (holes or detail a polygon cannot express)")
                                 .arg(name)
                                 .arg(worst, 0, 'f', 4);
    if (!m_generalized && anns.empty())
        return skip(name);
    if (record.targetsAnnotated && asImported)
        ++m_keptEdited;

    RefEntry ref;
    ref.split = record.sample.split.isEmpty() ? QStringLiteral("unsplit") : record.sample.split;
    ref.image = *image;
    ref.anns = anns;
    ref.noTarget = anns.empty();
    if (asImported) {
        ref.annIdValue = extra.value(QStringLiteral("ann_id"));
        ref.categoryValue = extra.value(QStringLiteral("category_id"));
        ref.fileName = extra.value(QStringLiteral("file_name")).toString();
    }
    if (hasRef)
        ref.wantedId = extra.value(QStringLiteral("ref_id")).toInteger();
    // Sentences of one imported ref that still share their annotations stay one ref.
    QStringList annKey;
    for (int index : anns)
        annKey << QString::number(index);
    const QString key = hasRef ? QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                                     .arg(record.extras.dataset, extra.value(QStringLiteral("split_by")).toString(), ref.split)
                                     .arg(ref.wantedId)
                                     .arg(*image)
                                     .arg(annKey.join(QLatin1Char(',')))
                                     .arg(asImported ? 1 : 0)
                               : QStringLiteral("free|%1").arg(m_refs.size());

    SentenceEntry sentence;
    sentence.sent = record.sample.queries.first();
    if (const auto sentId = JsonFields::toInteger(extra.value(QStringLiteral("sent_id"))))
        sentence.wantedId = *sentId;
    if (extra.value(QStringLiteral("sent")).toString() == sentence.sent && extra.value(QStringLiteral("tokens")).isArray()) {
        sentence.raw = extra.contains(QStringLiteral("raw")) ? extra.value(QStringLiteral("raw")).toString() : sentence.sent;
        sentence.tokens = extra.value(QStringLiteral("tokens")).toArray();
    } else {
        sentence.raw = sentence.sent;
        sentence.tokens = tokensOf(sentence.sent);
        ++m_retokenized;
    }
    m_droppedQueries += record.sample.queries.size() - 1;

    const auto existing = m_refByKey.constFind(key);
    if (existing != m_refByKey.constEnd()) {
        m_refs[std::size_t(*existing)].sentences.push_back(std::move(sentence));
    } else {
        ref.sentences.push_back(std::move(sentence));
        m_refByKey.insert(key, int(m_refs.size()));
        m_refs.push_back(std::move(ref));
    }
    ++m_report.samples;
    m_report.targets += qint64(targets.size());
    return true;
}

Expected<ExportReport> Writer::finish()
{
    if (!m_started) {
        auto started = start(nullptr);
        if (!started)
            return Error{started.error()};
    }
    // Ids: the dataset's own where they are free, fresh ones above the largest for the rest.
    qint64 nextImage = 0;
    for (const ImageEntry &image : m_images)
        nextImage = qMax(nextImage, image.originalId + 1);
    for (ImageEntry &image : m_images)
        image.id = image.originalId >= 0 ? image.originalId : nextImage++;
    qint64 nextAnn = 0;
    for (const AnnEntry &ann : m_anns)
        nextAnn = qMax(nextAnn, ann.originalId + 1);
    QHash<QString, qint64> categoryByName;
    for (auto it = m_categories.constBegin(); it != m_categories.constEnd(); ++it)
        if (!categoryByName.contains(it.value()))
            categoryByName.insert(it.value(), it.key());
    qint64 nextCategory = m_categories.isEmpty() ? 1 : m_categories.lastKey() + 1;
    for (AnnEntry &ann : m_anns) {
        if (ann.originalId >= 0)
            continue;
        ann.id = nextAnn++;
        if (!categoryByName.contains(ann.category)) {
            categoryByName.insert(ann.category, nextCategory);
            m_categories.insert(nextCategory++, ann.category);
        }
    }
    std::vector<RefEntry *> refs;
    std::vector<SentenceEntry *> sentences;
    for (RefEntry &ref : m_refs) {
        refs.push_back(&ref);
        for (SentenceEntry &sentence : ref.sentences)
            sentences.push_back(&sentence);
    }
    assignIds(refs);
    assignIds(sentences);

    // The new annotations, now with their ids, after the imported ones.
    if (!m_newAnns->seek(0))
        return Error{QStringLiteral("%1: cannot read back: %2").arg(m_newAnns->fileName(), m_newAnns->errorString())};
    for (AnnEntry &ann : m_anns) {
        if (ann.originalId >= 0)
            continue;
        QJsonObject object = QJsonDocument::fromJson(m_newAnns->readLine()).object();
        object.insert(QStringLiteral("id"), ann.id);
        object.insert(QStringLiteral("image_id"), m_images[ann.image].id);
        object.insert(QStringLiteral("category_id"), categoryByName.value(ann.category));
        auto written = writeLine(*m_instances, compact(object), m_written);
        if (!written)
            return Error{written.error()};
    }
    m_newAnns->close();
    m_newAnns->remove();
    QByteArray tail = m_written == 0 ? QByteArray("],\n\"categories\": [") : QByteArray("\n],\n\"categories\": [");
    qint64 count = 0;
    for (auto it = m_categories.constBegin(); it != m_categories.constEnd(); ++it) {
        tail += count++ == 0 ? "\n" : ",\n";
        tail += compact(QJsonObject{{QStringLiteral("id"), it.key()}, {QStringLiteral("name"), it.value()}});
    }
    tail += count == 0 ? "],\n\"images\": [" : "\n],\n\"images\": [";
    for (std::size_t i = 0; i < m_images.size(); ++i) {
        QJsonObject object = m_images[i].object;
        object.insert(QStringLiteral("id"), m_images[i].id);
        tail += i == 0 ? "\n" : ",\n";
        tail += compact(object);
    }
    tail += m_images.empty() ? "]}\n" : "\n]}\n";
    if (m_instances->write(tail) != tail.size() || !m_instances->commit())
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_instances->fileName(), m_instances->errorString())};

    QJsonArray refList;
    for (const RefEntry &ref : m_refs) {
        QJsonArray annIds;
        QJsonArray categoryIds;
        for (int index : ref.anns) {
            const AnnEntry &ann = m_anns[std::size_t(index)];
            annIds.append(ann.id);
            categoryIds.append(ann.originalId >= 0 ? ann.categoryId : categoryByName.value(ann.category));
        }
        QJsonObject object;
        object.insert(QStringLiteral("ref_id"), ref.id);
        object.insert(QStringLiteral("image_id"), m_images[ref.image].id);
        object.insert(QStringLiteral("split"), ref.split);
        if (!ref.annIdValue.isUndefined())
            object.insert(QStringLiteral("ann_id"), ref.annIdValue);
        else if (m_generalized)
            object.insert(QStringLiteral("ann_id"), ref.noTarget ? QJsonArray{-1} : annIds);
        else
            object.insert(QStringLiteral("ann_id"), annIds.first());
        // Refs written as imported keep their category_id as it was; others take their annotations'.
        QJsonValue category = ref.categoryValue;
        if (category.isUndefined() || category.isNull()) {
            if (m_generalized)
                category = ref.noTarget ? QJsonValue(QJsonArray{-1}) : QJsonValue(categoryIds);
            else
                category = categoryIds.first();
        }
        object.insert(QStringLiteral("category_id"), category);
        const QString stem = QFileInfo(m_images[ref.image].object.value(QStringLiteral("file_name")).toString()).completeBaseName();
        object.insert(QStringLiteral("file_name"), !ref.fileName.isEmpty() ? ref.fileName
                                                                             : QStringLiteral("%1_%2.jpg").arg(stem).arg(ref.noTarget ? qint64(-1) : m_anns[std::size_t(ref.anns.front())].id));
        QJsonArray sentIds;
        QJsonArray sentenceList;
        for (const SentenceEntry &sentence : ref.sentences) {
            sentIds.append(sentence.id);
            sentenceList.append(QJsonObject{{QStringLiteral("sent_id"), sentence.id},
                                            {QStringLiteral("sent"), sentence.sent},
                                            {QStringLiteral("raw"), sentence.raw},
                                            {QStringLiteral("tokens"), sentence.tokens}});
        }
        object.insert(QStringLiteral("sent_ids"), sentIds);
        object.insert(QStringLiteral("sentences"), sentenceList);
        refList.append(object);
    }
    const QString refsName = m_dataset + QLatin1Char('/') + (m_generalized ? QStringLiteral("grefs(%1).json") : QStringLiteral("refs(%1).p")).arg(m_splitBy);
    const QString refsPath = m_options.outDir + QLatin1Char('/') + refsName;
    auto written = m_generalized ? JsonFile::write(refsPath, QJsonDocument(refList)) : PickleWriter::writeFile(refsPath, refList);
    if (!written)
        return Error{written.error()};
    m_report.files << m_dataset + QStringLiteral("/instances.json") << refsName;

    m_report.notes << QStringLiteral("layout: %1/%2 + %1/instances.json, images copied to %3 (JPEG sources byte for byte)")
                          .arg(m_dataset, QFileInfo(refsName).fileName(), m_imagesDir);
    m_report.notes << QStringLiteral("one sentence per sample, regrouped into refs by the imported ref_id; ids of the source dataset are kept, "
                                     "new refs, sentences, annotations, images and categories get ids above the largest");
    m_report.notes << QStringLiteral("unedited targets (and edited ones whose masks did not change) keep their annotations as imported; "
                                     "changed masks become new annotations with polygon segmentations traced along pixel edges (the one "
                                     "form refer, LISA and ReLA all read), checked by rasterising them as pycocotools does");
    if (m_otherDatasets > 0)
        m_report.notes << QStringLiteral("%1 samples came from datasets other than %2").arg(m_otherDatasets).arg(m_dataset);
    if (m_merged > 0)
        m_report.notes << QStringLiteral("%1 samples had several targets, merged into one annotation (a RefCOCO ref has one)").arg(m_merged);
    if (m_keptEdited > 0)
        m_report.notes << QStringLiteral("%1 edited samples still match their imported annotations and keep them").arg(m_keptEdited);
    if (m_retokenized > 0)
        m_report.notes << QStringLiteral("%1 sentences differ from the imported text: raw = sent, tokens = its lower-case words").arg(m_retokenized);
    if (m_droppedQueries > 0)
        m_report.notes << QStringLiteral("%1 rephrasings were not written (a sample is one sentence; only the first query is)").arg(m_droppedQueries);
    if (m_emptyTargets > 0)
        m_report.notes << QStringLiteral("%1 targets with an empty mask were left out").arg(m_emptyTargets);
    if (m_skipped > 0)
        m_report.notes << QStringLiteral("%1 samples without a target were not written").arg(m_skipped);
    return m_report;
}

} // namespace

Expected<ExportReport> ReferWriter::write(RecordSource &source, const ExportOptions &options, bool generalized)
{
    Writer writer(options, generalized);
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        auto added = writer.add(record);
        if (!added)
            return Error{added.error()};
        return true;
    });
    if (!looped)
        return Error{looped.error()};
    return writer.finish();
}

} // namespace rs
