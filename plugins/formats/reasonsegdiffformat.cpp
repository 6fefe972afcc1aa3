#include "plugins/formats/reasonsegdiffformat.h"

#include "core/recordsink.h"
#include "core/recordsource.h"
#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonfile.h"
#include "plugins/formats/reasonsegformat.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace rs {

namespace {

struct References
{
    QString shortChain;
    QString longChain;
};

struct SideFiles
{
    QHash<QString, double> difficulty;
    QHash<QString, References> reasoning;
};

Expected<SideFiles> readSideFiles(const QString &root)
{
    SideFiles files;
    const QString difficultyPath = root + QLatin1Char('/') + QLatin1String(ReasonSegDiffFormat::kDifficultyFile);
    if (!QFileInfo::exists(difficultyPath))
        return Error{QStringLiteral("%1: missing (ReasonSeg-Diff needs the difficulty list)").arg(difficultyPath)};
    auto doc = JsonFile::read(difficultyPath);
    if (!doc)
        return Error{doc.error()};
    if (!doc->isArray())
        return Error{QStringLiteral("%1: must be a list of {image_id, difficulty_score_model}").arg(difficultyPath)};
    const QJsonArray list = doc->array();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("%1 entry %2").arg(difficultyPath).arg(i);
        if (!list.at(i).isObject())
            return Error{QStringLiteral("%1: must be an object, not %2").arg(where, JsonFields::show(list.at(i)))};
        const JsonFields fields(list.at(i).toObject(), where);
        auto id = fields.string(QStringLiteral("image_id"));
        if (!id)
            return Error{id.error()};
        auto score = fields.number(QLatin1String(ReasonSegDiffFormat::kEstimator));
        if (!score)
            return Error{score.error()};
        if (!Difficulty::isValidScore(*score))
            return fields.error(QStringLiteral("difficulty_score_model %1 is outside 1–10").arg(*score));
        if (files.difficulty.contains(*id))
            return fields.error(QStringLiteral("image_id '%1' is listed twice").arg(*id));
        files.difficulty.insert(*id, *score);
    }

    const QString reasoningPath = root + QLatin1Char('/') + QLatin1String(ReasonSegDiffFormat::kReasoningFile);
    if (!QFileInfo::exists(reasoningPath))
        return files;
    auto reasoning = JsonFile::read(reasoningPath);
    if (!reasoning)
        return Error{reasoning.error()};
    if (!reasoning->isObject())
        return Error{QStringLiteral("%1: must be an object {image_id: {short, long}}").arg(reasoningPath)};
    const QJsonObject chains = reasoning->object();
    for (auto it = chains.begin(); it != chains.end(); ++it) {
        References references;
        if (it.value().isString()) {
            references.longChain = it.value().toString();
        } else if (it.value().isObject()) {
            const JsonFields fields(it.value().toObject(), QStringLiteral("%1 entry '%2'").arg(reasoningPath, it.key()));
            auto shortChain = fields.string(QStringLiteral("short"), QString());
            auto longChain = shortChain ? fields.string(QStringLiteral("long"), QString()) : Expected<QString>(Error{shortChain.error()});
            if (!longChain)
                return Error{longChain.error()};
            references = {*shortChain, *longChain};
        } else {
            return Error{QStringLiteral("%1 entry '%2': must be a string or {short, long}, not %3")
                             .arg(reasoningPath, it.key(), JsonFields::show(it.value()))};
        }
        files.reasoning.insert(it.key(), references);
    }
    return files;
}

// Adds the side files' difficulty and reference chains to each ReasonSeg record on its way.
class DiffSink final : public RecordSink
{
public:
    DiffSink(RecordSink &next, const SideFiles &files) : m_next(next), m_files(files) {}

    Expected<bool> addSample(DatasetRecord record) override
    {
        const QString &stem = record.sample.sourceId;
        const auto score = m_files.difficulty.constFind(stem);
        if (score != m_files.difficulty.constEnd()) {
            Difficulty difficulty;
            difficulty.score = *score;
            difficulty.source = DifficultySource::Model;
            difficulty.estimator = QLatin1String(ReasonSegDiffFormat::kEstimator);
            record.difficulty = difficulty;
            m_used.insert(stem);
        } else {
            ++m_withoutScore;
        }
        const auto references = m_files.reasoning.constFind(stem);
        if (references != m_files.reasoning.constEnd()) {
            record.referenceShort = references->shortChain;
            record.referenceLong = references->longChain;
        }
        return m_next.addSample(std::move(record));
    }
    Expected<bool> addPrediction(DatasetRecord record) override { return m_next.addPrediction(std::move(record)); }

    qint64 withoutScore() const { return m_withoutScore; }
    qint64 unusedScores() const { return m_files.difficulty.size() - m_used.size(); }

private:
    RecordSink &m_next;
    const SideFiles &m_files;
    QSet<QString> m_used;
    qint64 m_withoutScore = 0;
};

} // namespace

QString ReasonSegDiffFormat::summary() const
{
    return QStringLiteral("PixelThink ReasonSeg-Diff: ReasonSeg folders + difficulty.json [{image_id, difficulty_score_model}] "
                          "+ reasoning.json {image_id: {short, long}}");
}

Expected<ImportReport> ReasonSegDiffFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    auto files = readSideFiles(QFileInfo(options.source).absoluteFilePath());
    if (!files)
        return Error{files.error()};
    DiffSink diffSink(sink, *files);
    auto report = ReasonSegFormat().read(options, diffSink);
    if (!report)
        return report;
    // The side files are .json files without a .jpg: not samples, so drop ReasonSeg's note about them.
    report->notes.removeIf([](const QString &note) { return note.contains(QStringLiteral(".json files without a .jpg")); });
    if (diffSink.withoutScore() > 0)
        report->notes << QStringLiteral("%1 samples have no difficulty_score_model; PixelThink's default is %2 (they are imported unrated)")
                             .arg(diffSink.withoutScore())
                             .arg(Difficulty::kDefaultScore);
    if (diffSink.unusedScores() > 0)
        report->notes << QStringLiteral("%1 difficulty entries name no imported sample").arg(diffSink.unusedScores());
    return report;
}

Expected<ExportReport> ReasonSegDiffFormat::write(RecordSource &source, const ExportOptions &options) const
{
    QJsonArray difficulty;
    QJsonObject reasoning;
    QHash<QString, QString> splitOfStem;
    QStringList collisions;
    qint64 unrated = 0;
    auto report = ReasonSegFormat::writeFolders(source, options, [&](const DatasetRecord &record, const QString &split, const QString &stem) {
        const auto seen = splitOfStem.constFind(stem);
        if (seen != splitOfStem.constEnd())
            collisions << QStringLiteral("%1 (in %2 and %3)").arg(stem, *seen, split);
        splitOfStem.insert(stem, split);
        if (record.difficulty)
            difficulty.append(QJsonObject{{QStringLiteral("image_id"), stem},
                                          {QLatin1String(kEstimator), record.difficulty->score}});
        else
            ++unrated;
        if (!record.referenceShort.isEmpty() || !record.referenceLong.isEmpty())
            reasoning.insert(stem, QJsonObject{{QStringLiteral("short"), record.referenceShort},
                                               {QStringLiteral("long"), record.referenceLong}});
    });
    if (!report)
        return report;
    auto saved = JsonFile::write(options.outDir + QLatin1Char('/') + QLatin1String(kDifficultyFile), QJsonDocument(difficulty), true);
    if (saved)
        saved = JsonFile::write(options.outDir + QLatin1Char('/') + QLatin1String(kReasoningFile), QJsonDocument(reasoning), true);
    if (!saved)
        return Error{saved.error()};
    report->files << QLatin1String(kDifficultyFile) << QLatin1String(kReasoningFile);
    for (const QString &collision : collisions)
        report->warnings << QStringLiteral("image_id %1 is used by two splits: difficulty.json cannot tell them apart").arg(collision);
    if (unrated > 0)
        report->notes << QStringLiteral("%1 samples have no difficulty and are left out of difficulty.json (PixelThink reads them as %2)")
                             .arg(unrated)
                             .arg(Difficulty::kDefaultScore);
    report->notes << QStringLiteral("difficulty.json lists the annotated difficulty when there is one, else the imported difficulty_score_model");
    return report;
}

} // namespace rs
