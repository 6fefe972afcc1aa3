#include "plugins/formats/predictionsformat.h"

#include "core/progress.h"
#include "core/recordsink.h"
#include "core/recordsource.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonstream.h"
#include "plugins/formats/predictionline.h"
#include "plugins/formats/recordloop.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

namespace rs {

namespace {

QString oneLine(QString text)
{
    return text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
}

} // namespace

QString PredictionsFormat::summary() const
{
    return QStringLiteral("model outputs: our predictions.jsonl (chain, tokens, RLE masks, boxes, timings), "
                          "Seg-Zero/VisionReasoner raw answers and output_*.json");
}

namespace {

struct SourceFile
{
    QString path;
    bool jsonl = true;
};

Expected<std::vector<SourceFile>> sourceFiles(const QString &source)
{
    const QFileInfo info(source);
    if (!info.exists())
        return Error{QStringLiteral("%1: no such file or folder").arg(source)};
    if (info.isFile()) {
        const QString suffix = info.suffix().toLower();
        if (suffix == QLatin1String("jsonl"))
            return std::vector<SourceFile>{{info.absoluteFilePath(), true}};
        if (suffix == QLatin1String("json"))
            return std::vector<SourceFile>{{info.absoluteFilePath(), false}};
        return Error{QStringLiteral("%1: a predictions file is .jsonl (one output per line) or .json (a list, as output_*.json)").arg(source)};
    }
    std::vector<SourceFile> files;
    const QDir dir(info.absoluteFilePath());
    for (const QString &name : dir.entryList({QStringLiteral("output_*.json")}, QDir::Files, QDir::Name))
        files.push_back({dir.filePath(name), false});
    for (const QString &name : dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name))
        files.push_back({dir.filePath(name), true});
    if (files.empty())
        return Error{QStringLiteral("%1: no *.jsonl and no output_*.json here").arg(source)};
    return files;
}

// What the whole import saw, for the report and the duplicate check.
struct ReadState
{
    const ImportOptions &options;
    RecordSink &sink;
    ImportReport report;
    QHash<QString, QString> seen;  // dataset/split/source id → where it was given
    QSet<QString> unreadKeys;
    qint64 responses = 0;
    qint64 singleQuoted = 0;
    qint64 parseFailed = 0;
    qint64 boxOnly = 0;
    qint64 otherSplit = 0;
    qint64 reported = 0;
};

Expected<bool> deliver(ReadState &state, DatasetRecord record, const QString &where)
{
    if (!state.options.split.isEmpty() && record.sample.split != state.options.split) {
        ++state.otherSplit;
        return true;
    }
    const QString key = record.extras.dataset + QChar(0x1f) + record.sample.split + QChar(0x1f) + record.sample.sourceId;
    const auto previous = state.seen.constFind(key);
    if (previous != state.seen.constEnd())
        return Error{QStringLiteral("%1: a second output for sample '%2'%3 (the first is at %4)")
                         .arg(where, record.sample.sourceId,
                              record.sample.split.isEmpty() ? QString() : QStringLiteral(" of split '%1'").arg(record.sample.split),
                              *previous)};
    state.seen.insert(key, where);
    const Proposal &proposal = *record.proposal;
    if (proposal.parseFailed)
        ++state.parseFailed;
    if (proposal.reportedOverlap)
        ++state.reported;
    for (const RleTarget &target : proposal.targets)
        if (!target.hasMask()) {
            ++state.boxOnly;
            break;
        }
    auto added = state.sink.addPrediction(std::move(record));
    if (!added)
        return Error{added.error()};
    ++state.report.predictions;
    return true;
}

Expected<bool> readJsonl(ReadState &state, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())};
    Progress *progress = state.options.progress;
    qint64 lineNumber = 0;
    while (!file.atEnd()) {
        if (progress && progress->isCancelled())
            return Error{QStringLiteral("import cancelled")};
        QByteArray bytes = file.readLine();
        ++lineNumber;
        if (progress)
            progress->advance(bytes.size());
        const QString where = QStringLiteral("%1:%2").arg(path).arg(lineNumber);
        if (bytes.trimmed().isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return Error{QStringLiteral("%1:%2: invalid JSON: %3").arg(where).arg(parseError.offset + 1).arg(parseError.errorString())};
        if (!doc.isObject())
            return Error{QStringLiteral("%1: a line must be a JSON object, not %2")
                             .arg(where, doc.isArray() ? JsonFields::show(doc.array()) : QStringLiteral("a scalar"))};
        PredictionLine::Info info;
        auto record = PredictionLine::fromJson(doc.object(), where, state.options.split, &info);
        if (!record)
            return Error{record.error()};
        if (info.fromResponse)
            ++state.responses;
        if (info.singleQuoted)
            ++state.singleQuoted;
        for (const QString &key : info.unreadKeys)
            state.unreadKeys.insert(key);
        auto delivered = deliver(state, std::move(*record), where);
        if (!delivered)
            return delivered;
    }
    return true;
}

Expected<bool> readEvalList(ReadState &state, const QString &path)
{
    auto stream = JsonStream::open(path);
    if (!stream)
        return Error{stream.error()};
    auto walked = (*stream)->forEachInList([&](qint64 index, const QJsonValue &element) -> Expected<bool> {
        if (state.options.progress && state.options.progress->isCancelled())
            return Error{QStringLiteral("import cancelled")};
        const QString where = QStringLiteral("%1 record %2").arg(path).arg(index);
        if (!element.isObject())
            return Error{QStringLiteral("%1: must be an object {image_id, ann_id, think, intersection, union}, not %2")
                             .arg(where, JsonFields::show(element))};
        auto record = PredictionLine::fromEvalOutput(element.toObject(), where, state.options.split);
        if (!record)
            return Error{record.error()};
        return deliver(state, std::move(*record), where);
    });
    if (state.options.progress)
        state.options.progress->advance((*stream)->size());
    return walked;
}

} // namespace

Expected<ImportReport> PredictionsFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    auto files = sourceFiles(options.source);
    if (!files)
        return Error{files.error()};
    if (options.progress) {
        qint64 bytes = 0;
        for (const SourceFile &file : *files)
            bytes += QFileInfo(file.path).size();
        options.progress->setTotal(bytes);
    }
    ReadState state{options, sink, {}, {}, {}};
    for (const SourceFile &file : *files) {
        auto done = file.jsonl ? readJsonl(state, file.path) : readEvalList(state, file.path);
        if (!done)
            return Error{oneLine(done.error())};
    }
    ImportReport &report = state.report;
    if (state.responses > 0)
        report.notes << QStringLiteral("%1 raw model answers were parsed as Seg-Zero/VisionReasoner's evaluation scripts parse them "
                                       "(boxes and points scaled from 840 x 840 to the image)")
                            .arg(state.responses);
    if (state.singleQuoted > 0)
        report.notes << QStringLiteral("%1 Seg-Zero answers were read as Python literals (single quotes); Seg-Zero's own json.loads() "
                                       "rejects them and scores those samples I = 0")
                            .arg(state.singleQuoted);
    if (state.parseFailed > 0)
        report.notes << QStringLiteral("%1 outputs could not be parsed (kept with parse_failed; the metrics count I = 0, U = |GT|)")
                            .arg(state.parseFailed);
    if (state.boxOnly > 0)
        report.notes << QStringLiteral("%1 outputs have boxes and points but no masks (a segmenter such as SAM2 makes them)")
                            .arg(state.boxOnly);
    if (state.reported > 0)
        report.notes << QStringLiteral("%1 outputs carry I and U reported by the model's own evaluation").arg(state.reported);
    if (state.otherSplit > 0)
        report.rejected << QStringLiteral("%1 outputs of splits other than '%2' were skipped").arg(state.otherSplit).arg(options.split);
    if (!state.unreadKeys.isEmpty()) {
        QStringList keys = state.unreadKeys.values();
        keys.sort();
        report.notes << QStringLiteral("fields not read: %1").arg(keys.join(QStringLiteral(", ")));
    }
    return report;
}

Expected<ExportReport> PredictionsFormat::write(RecordSource &source, const ExportOptions &options) const
{
    ExportReport report;
    const QString path = options.outDir + QLatin1Char('/') + QString::fromLatin1(kFileName);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    qint64 withoutProposal = 0;
    qint64 boxOnly = 0;
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        if (!record.proposal) {
            ++withoutProposal;
            return true;
        }
        auto line = PredictionLine::toJson(record);
        if (!line)
            return Error{line.error()};
        const QByteArray bytes = QJsonDocument(*line).toJson(QJsonDocument::Compact) + '\n';
        if (file.write(bytes) != bytes.size())
            return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
        ++report.samples;
        report.targets += qint64(record.proposal->targets.size());
        for (const RleTarget &target : record.proposal->targets)
            if (!target.hasMask()) {
                ++boxOnly;
                break;
            }
        return true;
    });
    if (!looped)
        return Error{looped.error()};
    if (!file.commit())
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    report.files << QString::fromLatin1(kFileName);
    report.notes << QStringLiteral("one JSON object per line (keys sorted): source_id, split, dataset, chain or tokens, "
                                   "raw_response, masks as COCO compressed RLE, boxes [x1, y1, x2, y2] for targets without a mask");
    if (withoutProposal > 0)
        report.notes << QStringLiteral("%1 samples have no model output and were left out").arg(withoutProposal);
    if (boxOnly > 0)
        report.notes << QStringLiteral("%1 outputs have boxes and points but no masks").arg(boxOnly);
    return report;
}

} // namespace rs
