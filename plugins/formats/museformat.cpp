#include "plugins/formats/museformat.h"

#include "core/progress.h"
#include "core/recordsink.h"
#include "core/recordsource.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/exportnames.h"
#include "plugins/formats/imagefiles.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonstream.h"
#include "plugins/formats/recordloop.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <climits>
#include <map>
#include <memory>

namespace rs {

namespace {

// The splits PixelLM ships, in the order a folder import reads them (formats.md §4.1).
const QStringList kSplits = {QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test_less"),
                             QStringLiteral("test_many")};
const QString kCocoFolder = QStringLiteral("refer_seg/images/mscoco/images");

// Top-level keys of a record that become samples; every other key is kept with the samples.
const QStringList kPerQuestionKeys = {QStringLiteral("questions"), QStringLiteral("answers"), QStringLiteral("text_answers"),
                                      QStringLiteral("ann_list")};

struct MuseFile
{
    QString split;
    QString path;
};

QString splitOfStem(const QString &stem)
{
    return stem.startsWith(QStringLiteral("muse_")) ? stem.mid(5) : stem;
}

Expected<std::vector<MuseFile>> museFiles(const ImportOptions &options)
{
    const QFileInfo source(options.source);
    if (!source.exists())
        return Error{QStringLiteral("%1: does not exist").arg(options.source)};
    if (source.isFile()) {
        const QString split = options.split.isEmpty() ? splitOfStem(source.completeBaseName()) : options.split;
        return std::vector<MuseFile>{{split, source.absoluteFilePath()}};
    }
    const QDir dir(source.absoluteFilePath());
    QStringList names = dir.entryList({QStringLiteral("muse_*.json")}, QDir::Files, QDir::Name);
    // Known splits first, in PixelLM's order, then any others by name.
    std::stable_sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        const qsizetype ia = kSplits.indexOf(splitOfStem(a.chopped(5)));
        const qsizetype ib = kSplits.indexOf(splitOfStem(b.chopped(5)));
        return (ia < 0 ? kSplits.size() : ia) < (ib < 0 ? kSplits.size() : ib);
    });
    if (names.isEmpty())
        return Error{QStringLiteral("%1: no muse_<split>.json files here").arg(options.source)};
    std::vector<MuseFile> files;
    QStringList splits;
    for (const QString &name : names) {
        const QString split = splitOfStem(name.chopped(5));
        splits << split;
        if (options.split.isEmpty() || options.split == split)
            files.push_back({split, dir.absoluteFilePath(name)});
    }
    if (files.empty())
        return Error{QStringLiteral("%1: no split '%2' (found: %3)").arg(options.source, options.split, splits.join(QStringLiteral(", ")))};
    return files;
}

QString imagesRoot(const ImportOptions &options, const QString &sourceFolder)
{
    if (!options.imageDir.isEmpty())
        return QFileInfo(options.imageDir).absoluteFilePath();
    const QString besideCode = QDir::cleanPath(sourceFolder + QLatin1Char('/') + kCocoFolder);
    const QString besideReadme = QDir::cleanPath(sourceFolder + QStringLiteral("/../") + kCocoFolder);
    if (!QFileInfo(besideCode).isDir() && QFileInfo(besideReadme).isDir())
        return besideReadme;
    return besideCode;
}

// What one file's import shares between its records.
struct FileReader
{
    const MuseFile &file;
    QString name;    // file name, for messages
    QString stem;
    QString images;
    RecordSink &sink;
    ImportReport &report;
    Progress *progress = nullptr;
    QSet<qint64> ids;
    qint64 keptBadText = 0;
    qint64 compressed = 0;

    Expected<bool> readRecord(qint64 index, const QJsonValue &value);
    Expected<QString> imagePath(const JsonFields &fields) const;
    Expected<bool> checkAnnList(const QJsonArray &annList, int height, int width, const QString &where) const;
    Expected<std::vector<RleTarget>> targetsOf(const QJsonArray &answer, int height, int width, const QString &where);
};

Expected<QString> FileReader::imagePath(const JsonFields &fields) const
{
    if (fields.has(QStringLiteral("file_name"))) {
        auto fileName = fields.string(QStringLiteral("file_name"));
        if (!fileName)
            return Error{fileName.error()};
        return ImageFiles::resolveInside(images + QStringLiteral("/train2014"), *fileName, fields.where());
    }
    if (!fields.has(QStringLiteral("coco_url")))
        return fields.error(QStringLiteral("needs 'file_name' or 'coco_url' (the loader locates the image by one of them)"));
    auto url = fields.string(QStringLiteral("coco_url"));
    if (!url)
        return Error{url.error()};
    const QString base = url->section(QLatin1Char('/'), -1);
    if (base.isEmpty())
        return fields.error(QStringLiteral("field 'coco_url' has no file name after its last '/': \"%1\"").arg(*url));
    const QString folder = url->contains(QStringLiteral("train2017")) ? QStringLiteral("train2017") : QStringLiteral("val2017");
    return ImageFiles::resolveInside(images + QLatin1Char('/') + folder, base, fields.where());
}

Expected<bool> FileReader::checkAnnList(const QJsonArray &annList, int height, int width, const QString &where) const
{
    // The loaders read category_id (train), bbox and a name (val prompt) of every ann_list entry; its
    // masks are never decoded, so neither are they here.
    for (qsizetype j = 0; j < annList.size(); ++j) {
        const QString at = QStringLiteral("%1 ann_list[%2]").arg(where).arg(j);
        if (!annList.at(j).isObject())
            return Error{QStringLiteral("%1: must be an object, not %2").arg(at, JsonFields::show(annList.at(j)))};
        const JsonFields fields(annList.at(j).toObject(), at);
        auto category = fields.integer(QStringLiteral("category_id"));
        if (!category)
            return Error{category.error()};
        auto box = CocoSegmentation::box(fields.object().value(QStringLiteral("bbox")), height, width);
        if (!box)
            return fields.error(box.error());
        auto name = fields.string(QStringLiteral("rephrased_name"), QString());
        if (name && name->isEmpty())
            name = fields.string(QStringLiteral("category_name"));
        if (!name)
            return Error{name.error()};
    }
    return true;
}

Expected<std::vector<RleTarget>> FileReader::targetsOf(const QJsonArray &answer, int height, int width, const QString &where)
{
    std::vector<RleTarget> targets;
    targets.reserve(std::size_t(answer.size()));
    for (qsizetype i = 0; i < answer.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(where).arg(i);
        if (!answer.at(i).isObject())
            return Error{QStringLiteral("%1: must be an instance object, not %2").arg(at, JsonFields::show(answer.at(i)))};
        const JsonFields fields(answer.at(i).toObject(), at);
        if (!fields.has(QStringLiteral("segmentation")))
            return fields.error(QStringLiteral("field 'segmentation' is missing"));
        auto decoded = CocoSegmentation::decode(fields.object().value(QStringLiteral("segmentation")), height, width,
                                                CocoSegmentation::Reader::FrPyObjects);
        if (!decoded)
            return fields.error(QStringLiteral("segmentation ") + decoded.error());
        if (decoded->kind == CocoSegmentation::Kind::CompressedRle)
            ++compressed;
        auto box = CocoSegmentation::box(fields.object().value(QStringLiteral("bbox")), height, width);
        if (!box)
            return fields.error(box.error());
        auto label = fields.string(QStringLiteral("category_name"), QString());
        if (!label)
            return Error{label.error()};
        auto description = fields.string(QStringLiteral("rephrased_name"), QString());
        if (!description)
            return Error{description.error()};
        if (fields.has(QStringLiteral("category_id")) && !fields.integer(QStringLiteral("category_id")))
            return Error{fields.integer(QStringLiteral("category_id")).error()};
        RleTarget target = RleTarget::fromRle(decoded->rle, *box, *label);
        target.description = *description;
        targets.push_back(std::move(target));
    }
    return targets;
}

Expected<bool> FileReader::readRecord(qint64 index, const QJsonValue &value)
{
    if (progress && progress->isCancelled())
        return Error{QStringLiteral("import cancelled")};
    const QString where = QStringLiteral("%1 record %2").arg(name).arg(index);
    if (!value.isObject())
        return Error{QStringLiteral("%1: must be an object, not %2").arg(where, JsonFields::show(value))};
    const JsonFields fields(value.toObject(), where);
    auto height = fields.integer(QStringLiteral("height"));
    if (!height)
        return Error{height.error()};
    auto width = fields.integer(QStringLiteral("width"));
    if (!width)
        return Error{width.error()};
    if (*height <= 0 || *width <= 0 || !Rle::isValidSize(int(qMin<qint64>(*height, INT_MAX)), int(qMin<qint64>(*width, INT_MAX))))
        return fields.error(QStringLiteral("image size %1x%2 (width x height) is invalid").arg(*width).arg(*height));
    const int h = int(*height);
    const int w = int(*width);
    auto image = imagePath(fields);
    if (!image)
        return Error{image.error()};
    auto annList = fields.array(QStringLiteral("ann_list"));
    if (!annList)
        return Error{annList.error()};
    auto annChecked = checkAnnList(*annList, h, w, where);
    if (!annChecked)
        return annChecked;
    if (!fields.has(QStringLiteral("questions"))) {
        report.rejected << QStringLiteral("%1: no questions (PixelLM's training loader asks random category questions about "
                                          "its ann_list instead); nothing to import")
                               .arg(where);
        return true;
    }
    auto questions = fields.array(QStringLiteral("questions"));
    if (!questions)
        return Error{questions.error()};
    auto answers = fields.array(QStringLiteral("answers"));
    if (!answers)
        return Error{answers.error()};
    if (answers->size() != questions->size())
        return fields.error(QStringLiteral("'questions' has %1 entries but 'answers' has %2 (they are parallel)")
                                .arg(questions->size())
                                .arg(answers->size()));
    std::optional<QJsonArray> textAnswers;
    if (fields.has(QStringLiteral("text_answers"))) {
        auto texts = fields.array(QStringLiteral("text_answers"));
        if (!texts)
            return Error{texts.error()};
        if (texts->size() != questions->size())
            return fields.error(QStringLiteral("'questions' has %1 entries but 'text_answers' has %2 (they are parallel)")
                                    .arg(questions->size())
                                    .arg(texts->size()));
        textAnswers = *texts;
    }
    if (annList->isEmpty()) {
        report.rejected << QStringLiteral("%1: empty ann_list (PixelLM's loaders skip such a record); %2 questions not imported")
                               .arg(where)
                               .arg(questions->size());
        return true;
    }

    QString key = QStringLiteral("#%1").arg(index);
    if (const auto id = JsonFields::toInteger(fields.object().value(QStringLiteral("id"))); id && !ids.contains(*id)) {
        ids.insert(*id);
        key = QString::number(*id);
    }
    QJsonObject recordFields = fields.object();
    for (const QString &perQuestion : kPerQuestionKeys)
        recordFields.remove(perQuestion);

    bool annListStored = false;
    for (qsizetype k = 0; k < questions->size(); ++k) {
        const QString at = QStringLiteral("%1 question %2").arg(where).arg(k);
        if (!questions->at(k).isString())
            return fields.error(QStringLiteral("questions[%1] must be a string, not %2").arg(k).arg(JsonFields::show(questions->at(k))));
        if (!answers->at(k).isArray())
            return fields.error(QStringLiteral("answers[%1] must be a list of instances, not %2").arg(k).arg(JsonFields::show(answers->at(k))));
        const QJsonArray answer = answers->at(k).toArray();
        std::optional<QString> text;
        if (textAnswers) {
            const QJsonValue entry = textAnswers->at(k);
            if (entry.isString())
                text = entry.toString();
            else if (!entry.isNull())
                return fields.error(QStringLiteral("text_answers[%1] must be a string or null, not %2").arg(k).arg(JsonFields::show(entry)));
        }
        auto targets = targetsOf(answer, h, w, QStringLiteral("%1 answers[%2]").arg(where).arg(k));
        if (!targets)
            return Error{targets.error()};
        if (text) {
            const int seg = MuseFormat::segCount(*text);
            const bool formats = MuseFormat::formatsWithSeg(*text);
            if (seg != answer.size() || !formats) {
                if (file.split == QLatin1String("train")) {
                    report.rejected << (seg != answer.size()
                                            ? QStringLiteral("%1: text answer has %2 '{seg}' for %3 targets (PixelLM's training loader "
                                                             "drops the record while it holds this question; the others are imported)")
                                                  .arg(at)
                                                  .arg(seg)
                                                  .arg(answer.size())
                                            : QStringLiteral("%1: text answer has braces Python's str.format(seg=...) cannot format "
                                                             "(PixelLM's training loader fails on it)")
                                                  .arg(at));
                    continue;
                }
                ++keptBadText;
            }
        }

        DatasetRecord record;
        record.sample.queries = {questions->at(k).toString()};
        record.sample.isSentence = true;  // the loaders always use the long-question templates
        record.sample.split = file.split;
        record.sample.sourceId = QStringLiteral("%1:%2:%3").arg(stem, key).arg(k);
        record.sample.image.size = QSize(w, h);
        record.imageFile = *image;
        record.extras.dataset = QString::fromLatin1(MuseFormat::kDataset);
        record.extras.noTarget = targets->empty();
        QJsonObject &extra = record.extras.extra;
        extra.insert(QStringLiteral("file"), stem);
        extra.insert(QStringLiteral("record"), index);
        extra.insert(QStringLiteral("question"), k);
        extra.insert(QStringLiteral("record_fields"), recordFields);
        extra.insert(QStringLiteral("answers"), answer);
        if (text)
            extra.insert(QStringLiteral("text_answer"), *text);
        // ann_list can be large: the record's first imported question carries it for all.
        if (!annListStored) {
            extra.insert(QStringLiteral("ann_list"), *annList);
            annListStored = true;
        }
        record.targets = std::move(*targets);
        report.targets += qint64(record.targets.size());
        auto added = sink.addSample(std::move(record));
        if (!added)
            return added;
        ++report.samples;
        if (progress)
            progress->advance();
    }
    return true;
}

// Writes records into muse_<split>.json files, grouping consecutive samples of one source record.
class MuseWriter
{
public:
    MuseWriter(const ExportOptions &options, ExportReport &report) : m_options(options), m_report(report) {}

    Expected<bool> add(DatasetRecord record)
    {
        const QString key = groupKey(record);
        if (!m_group.empty() && key != m_groupKey) {
            auto flushed = flush();
            if (!flushed)
                return flushed;
        }
        m_groupKey = key;
        m_group.push_back(std::move(record));
        return true;
    }

    Expected<bool> finish();

private:
    struct Answer
    {
        QJsonArray instances;
        QStringList descriptions;
        QJsonArray generated;  // instances written from edited masks (added to ann_list)
    };

    QString groupKey(const DatasetRecord &record)
    {
        const QJsonObject &extra = record.extras.extra;
        if (record.extras.dataset == QLatin1String(MuseFormat::kDataset) && extra.contains(QStringLiteral("file"))
            && extra.contains(QStringLiteral("record")))
            return QStringLiteral("%1\n%2\n%3\n%4")
                .arg(record.sample.split, extra.value(QStringLiteral("file")).toString())
                .arg(extra.value(QStringLiteral("record")).toInteger())
                .arg(record.imageFile);
        return QStringLiteral("\nsample %1").arg(m_serial++);
    }

    void learnCategories(const QJsonArray &instances)
    {
        for (const QJsonValue &value : instances) {
            const QJsonObject instance = value.toObject();
            const auto id = JsonFields::toInteger(instance.value(QStringLiteral("category_id")));
            const QString name = instance.value(QStringLiteral("category_name")).toString();
            if (id && !name.isEmpty() && !m_categoryIds.contains(name))
                m_categoryIds.insert(name, *id);
        }
    }

    Expected<Answer> answerOf(const DatasetRecord &record, const QString &where);
    Expected<bool> flush();
    Expected<JsonListWriter *> writer(const QString &split);

    const ExportOptions &m_options;
    ExportReport &m_report;
    std::map<QString, std::unique_ptr<JsonListWriter>> m_writers;
    std::vector<DatasetRecord> m_group;
    QString m_groupKey;
    qint64 m_serial = 0;
    QHash<QString, qint64> m_categoryIds;  // category_name -> category_id, as met in the data
    qint64 m_rebuiltAnnLists = 0;
    qint64 m_foreignImages = 0;
    qint64 m_convertedCompressed = 0;
    qint64 m_unknownCategories = 0;
    qint64 m_rleTargets = 0;
    qint64 m_keptInstances = 0;
};

Expected<JsonListWriter *> MuseWriter::writer(const QString &split)
{
    auto found = m_writers.find(split);
    if (found != m_writers.end())
        return found->second.get();
    const QString name = QStringLiteral("muse_%1.json").arg(split);
    auto list = std::make_unique<JsonListWriter>(m_options.outDir + QLatin1Char('/') + name);
    auto opened = list->open();
    if (!opened)
        return Error{opened.error()};
    m_report.files << name;
    return m_writers.emplace(split, std::move(list)).first->second.get();
}

Expected<MuseWriter::Answer> MuseWriter::answerOf(const DatasetRecord &record, const QString &where)
{
    Answer answer;
    const QSize size = record.sample.image.size;
    const QJsonArray original = record.extras.extra.value(QStringLiteral("answers")).toArray();
    learnCategories(original);
    std::vector<const RleTarget *> targets;
    for (const RleTarget &target : record.targets) {
        if (target.ignore)
            continue;
        if (target.width != size.width() || target.height != size.height())
            return Error{QStringLiteral("%1: a %2x%3 mask on a %4x%5 image").arg(where).arg(target.width).arg(target.height).arg(size.width()).arg(size.height())};
        targets.push_back(&target);
    }
    if (targets.size() != record.targets.size())
        m_report.warnings << QStringLiteral("%1: %2 ignore regions left out (MUSE has no ignore label)")
                                 .arg(where)
                                 .arg(record.targets.size() - targets.size());

    if (!record.targetsAnnotated && record.extras.extra.contains(QStringLiteral("answers"))
        && std::size_t(original.size()) == targets.size()) {
        for (qsizetype i = 0; i < original.size(); ++i) {
            QJsonObject instance = original.at(i).toObject();
            const QJsonValue segmentation = instance.value(QStringLiteral("segmentation"));
            if (segmentation.isObject() && segmentation.toObject().value(QStringLiteral("counts")).isString()) {
                // frPyObjects cannot read compressed counts: write the same mask uncompressed.
                auto rle = targets[std::size_t(i)]->rle();
                if (!rle)
                    return Error{QStringLiteral("%1: %2").arg(where, rle.error())};
                instance.insert(QStringLiteral("segmentation"), CocoSegmentation::uncompressed(*rle));
                ++m_convertedCompressed;
            }
            answer.instances.append(instance);
            const QString description = instance.value(QStringLiteral("rephrased_name")).toString();
            answer.descriptions << (description.isEmpty() ? instance.value(QStringLiteral("category_name")).toString() : description);
        }
        return answer;
    }

    for (std::size_t i = 0; i < targets.size(); ++i) {
        const RleTarget &target = *targets[i];
        auto rle = target.rle();
        if (!rle)
            return Error{QStringLiteral("%1 target %2: %3").arg(where).arg(i).arg(rle.error())};
        QJsonObject instance = qsizetype(i) < original.size() ? original.at(qsizetype(i)).toObject() : QJsonObject();
        bool kept = false;
        if (instance.contains(QStringLiteral("segmentation"))) {
            auto before = CocoSegmentation::decode(instance.value(QStringLiteral("segmentation")), size.height(), size.width(),
                                                   CocoSegmentation::Reader::FrPyObjects);
            kept = before && before->kind != CocoSegmentation::Kind::CompressedRle && Rle::samePixels(before->rle, *rle);
        }
        if (kept) {
            ++m_keptInstances;
        } else {
            instance.insert(QStringLiteral("segmentation"), CocoSegmentation::uncompressed(*rle));
            instance.insert(QStringLiteral("bbox"), CocoSegmentation::boxJson(rle->bbox()));
            ++m_rleTargets;
        }
        QString label = target.label;
        if (label.isEmpty())
            label = instance.value(QStringLiteral("category_name")).toString();
        if (label.isEmpty())
            label = QStringLiteral("object");
        if (instance.value(QStringLiteral("category_name")).toString() != label || !instance.contains(QStringLiteral("category_id"))) {
            instance.insert(QStringLiteral("category_name"), label);
            // The training loader reads category_id of every ann_list entry: never leave it out.
            const auto known = m_categoryIds.constFind(label);
            if (known == m_categoryIds.constEnd())
                ++m_unknownCategories;
            instance.insert(QStringLiteral("category_id"), known == m_categoryIds.constEnd() ? qint64(-1) : *known);
        }
        const QString description = target.description.isEmpty() ? label : target.description;
        instance.insert(QStringLiteral("rephrased_name"), description);
        answer.instances.append(instance);
        answer.descriptions << description;
        if (!kept || qsizetype(i) >= original.size() || instance != original.at(qsizetype(i)).toObject())
            answer.generated.append(instance);
    }
    return answer;
}

Expected<bool> MuseWriter::flush()
{
    std::vector<DatasetRecord> group = std::move(m_group);
    m_group.clear();
    const DatasetRecord &first = group.front();
    const QString split = ExportNames::split(first.sample.split);
    const QSize size = first.sample.image.size;
    const QString where = QStringLiteral("sample %1 ('%2')").arg(first.sample.id).arg(first.sample.sourceId);
    if (!size.isValid() || size.isEmpty())
        return Error{QStringLiteral("%1: image size unknown; MUSE records need height and width").arg(where)};

    QJsonObject out = first.extras.extra.value(QStringLiteral("record_fields")).toObject();
    for (const QString &perQuestion : kPerQuestionKeys)
        out.remove(perQuestion);
    if (!out.contains(QStringLiteral("file_name")) && !out.contains(QStringLiteral("coco_url"))) {
        const QString relative = first.sample.image.relativePath;
        out.insert(QStringLiteral("file_name"), relative.isEmpty() ? QFileInfo(first.imageFile).fileName() : relative);
        ++m_foreignImages;
    }
    out.insert(QStringLiteral("height"), size.height());
    out.insert(QStringLiteral("width"), size.width());

    QJsonArray questions, answers, texts, annList, generated;
    bool haveAnnList = false;
    bool anyText = false;
    for (const DatasetRecord &record : group) {
        const QString at = QStringLiteral("sample %1 ('%2')").arg(record.sample.id).arg(record.sample.sourceId);
        if (record.sample.queries.isEmpty())
            return Error{QStringLiteral("%1: has no question text").arg(at)};
        if (!haveAnnList && record.extras.extra.contains(QStringLiteral("ann_list"))) {
            annList = record.extras.extra.value(QStringLiteral("ann_list")).toArray();
            learnCategories(annList);
            haveAnnList = true;
        }
        anyText = anyText || record.extras.extra.value(QStringLiteral("text_answer")).isString();
    }
    for (const DatasetRecord &record : group) {
        const QString at = QStringLiteral("sample %1 ('%2')").arg(record.sample.id).arg(record.sample.sourceId);
        auto answer = answerOf(record, at);
        if (!answer)
            return Error{answer.error()};
        questions.append(record.sample.query());
        answers.append(answer->instances);
        for (const QJsonValue &instance : answer->generated)
            generated.append(instance);
        const QJsonValue original = record.extras.extra.value(QStringLiteral("text_answer"));
        const QString text = original.toString();
        const bool fits = original.isString() && MuseFormat::segCount(text) == answer->instances.size()
            && MuseFormat::formatsWithSeg(text);
        if (fits) {
            texts.append(text);
        } else {
            texts.append(MuseFormat::generatedTextAnswer(answer->descriptions));
            if (original.isString())
                m_report.warnings << QStringLiteral("%1: text answer has %2 '{seg}' for %3 targets%4; replaced by a generated one")
                                         .arg(at)
                                         .arg(MuseFormat::segCount(text))
                                         .arg(answer->instances.size())
                                         .arg(MuseFormat::formatsWithSeg(text) ? QString() : QStringLiteral(" and braces str.format cannot format"));
        }
        ++m_report.samples;
        m_report.targets += answer->instances.size();
    }
    if (!haveAnnList) {
        // The sample holding the record's ann_list was not exported (or the samples are not MUSE's):
        // offer the instances the answers name, each once.
        for (const QJsonValue &list : answers)
            for (const QJsonValue &instance : list.toArray())
                if (!annList.contains(instance))
                    annList.append(instance);
        ++m_rebuiltAnnLists;
    } else {
        for (const QJsonValue &instance : generated)
            if (!annList.contains(instance))
                annList.append(instance);
    }
    if (annList.isEmpty())
        m_report.warnings << QStringLiteral("%1: the record has no instances; PixelLM's loaders skip a record with an empty ann_list").arg(where);
    out.insert(QStringLiteral("ann_list"), annList);
    out.insert(QStringLiteral("questions"), questions);
    out.insert(QStringLiteral("answers"), answers);
    if (anyText)
        out.insert(QStringLiteral("text_answers"), texts);
    auto list = writer(split);
    if (!list)
        return Error{list.error()};
    return (*list)->append(out);
}

Expected<bool> MuseWriter::finish()
{
    if (!m_group.empty()) {
        auto flushed = flush();
        if (!flushed)
            return flushed;
    }
    for (auto &[split, list] : m_writers) {
        auto finished = list->finish();
        if (!finished)
            return finished;
    }
    m_report.notes << QStringLiteral("one record per source record and image, questions/answers/text_answers in sample order; "
                                     "answers not edited since import are written as imported");
    m_report.notes << QStringLiteral("edited masks are written as uncompressed RLE {counts: [...], size: [h, w]} (lossless; the only "
                                     "RLE form pycocotools' frPyObjects reads); %1 edited targets kept their original polygons "
                                     "(same pixels), %2 were written as RLE")
                          .arg(m_keptInstances)
                          .arg(m_rleTargets);
    m_report.notes << QStringLiteral("images are referenced, not copied: PixelLM reads <base_image_dir>/refer_seg/images/mscoco/images/"
                                     "train2014/<file_name>, or train2017/ (coco_url containing train2017) or val2017/ <coco_url basename>");
    if (m_foreignImages > 0)
        m_report.notes << QStringLiteral("%1 records from other datasets name their image by file_name = the project's relative image "
                                         "path: place those images under train2014/")
                              .arg(m_foreignImages);
    m_report.notes << QStringLiteral("text_answers are written when the source record had them, with exactly one '{seg}' per target "
                                     "(generated \"<description> {seg}, ... and <description> {seg}.\" where the imported one no longer fits); "
                                     "records without them let the loader compose answers from rephrased_name");
    if (m_rebuiltAnnLists > 0)
        m_report.notes << QStringLiteral("%1 records were written with an ann_list rebuilt from their answers (the sample holding the "
                                         "imported ann_list was not exported, or the samples are not from MUSE)")
                              .arg(m_rebuiltAnnLists);
    if (m_convertedCompressed > 0)
        m_report.notes << QStringLiteral("%1 compressed-RLE segmentations were rewritten uncompressed (frPyObjects cannot read "
                                         "compressed counts)")
                              .arg(m_convertedCompressed);
    if (m_unknownCategories > 0)
        m_report.notes << QStringLiteral("%1 instances have a label unknown to the data and category_id -1").arg(m_unknownCategories);
    return true;
}

} // namespace

QString MuseFormat::summary() const
{
    return QStringLiteral("PixelLM MUSE: muse_<split>.json lists of {file_name|coco_url, height, width, ann_list, questions, "
                          "answers, text_answers}");
}

int MuseFormat::segCount(const QString &text)
{
    return int(text.count(QStringLiteral("{seg}")));
}

bool MuseFormat::formatsWithSeg(const QString &text)
{
    // Python's format-string grammar, reduced to what matters here: "{{" and "}}" are literal braces;
    // any other "{...}" is a replacement field, which only succeeds for the keyword "seg" (with an
    // optional !conversion and :spec); a lone "}" is an error.
    static const QRegularExpression field(QStringLiteral("^seg(![rsa])?(:[^{}]*)?$"));
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('{')) {
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('{')) {
                ++i;
                continue;
            }
            const qsizetype close = text.indexOf(QLatin1Char('}'), i + 1);
            if (close < 0 || !field.match(text.mid(i + 1, close - i - 1)).hasMatch())
                return false;
            i = close;
        } else if (c == QLatin1Char('}')) {
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('}')) {
                ++i;
                continue;
            }
            return false;
        }
    }
    return true;
}

QString MuseFormat::generatedTextAnswer(const QStringList &descriptions)
{
    if (descriptions.isEmpty())
        return QStringLiteral("There is no such object in the image.");
    QStringList parts;
    for (QString description : descriptions) {
        // Doubled braces would survive str.format, but "{{seg}}" still counts as a '{seg}' for the loader.
        description.replace(QLatin1Char('{'), QLatin1Char('(')).replace(QLatin1Char('}'), QLatin1Char(')'));
        parts << description + QStringLiteral(" {seg}");
    }
    const QString last = parts.takeLast();
    return (parts.isEmpty() ? last : parts.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last) + QLatin1Char('.');
}

Expected<ImportReport> MuseFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    auto files = museFiles(options);
    if (!files)
        return Error{files.error()};
    ImportReport report;
    qint64 keptBadText = 0;
    qint64 compressed = 0;
    for (const MuseFile &file : *files) {
        const QFileInfo info(file.path);
        auto stream = JsonStream::open(file.path);
        if (!stream)
            return Error{stream.error()};
        FileReader reader{file, info.fileName(), info.completeBaseName(), imagesRoot(options, info.absolutePath()), sink, report,
                          options.progress, {}, 0, 0};
        auto walked = (*stream)->forEachInList(
            [&reader](qint64 index, const QJsonValue &value) { return reader.readRecord(index, value); });
        if (!walked)
            return Error{walked.error()};
        keptBadText += reader.keptBadText;
        compressed += reader.compressed;
    }
    if (keptBadText > 0)
        report.notes << QStringLiteral("%1 val/test questions have a text answer whose '{seg}' count differs from their targets (or "
                                       "that str.format cannot format); kept, because PixelLM's evaluation loader does not read text "
                                       "answers (the training loader would skip them)")
                            .arg(keptBadText);
    if (compressed > 0)
        report.notes << QStringLiteral("%1 segmentations are compressed RLE strings, which PixelLM's frPyObjects cannot read; an "
                                       "export writes them uncompressed")
                            .arg(compressed);
    return report;
}

Expected<ExportReport> MuseFormat::write(RecordSource &source, const ExportOptions &options) const
{
    ExportReport report;
    MuseWriter writer(options, report);
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        auto added = writer.add(std::move(record));
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
