#include "storage/datasetexportcursor.h"

#include "storage/chaincodec.h"
#include "storage/database.h"
#include "storage/imagerepository.h"
#include "storage/proposalrepository.h"
#include "storage/runrepository.h"
#include "storage/targettable.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rs {

namespace {

constexpr int kBatch = 512;

std::optional<Difficulty> importedDifficulty(const QJsonObject &extra)
{
    const QJsonValue value = extra.value(QStringLiteral("difficulty"));
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    Difficulty difficulty;
    difficulty.score = object.value(QStringLiteral("score")).toDouble(Difficulty::kDefaultScore);
    difficulty.source = object.value(QStringLiteral("source")).toString() == QLatin1String("human") ? DifficultySource::Human
                                                                                                  : DifficultySource::Model;
    difficulty.estimator = object.value(QStringLiteral("estimator")).toString();
    return difficulty;
}

} // namespace

Expected<std::unique_ptr<DatasetExportCursor>> DatasetExportCursor::open(Database &db, const Filter &filter)
{
    std::unique_ptr<DatasetExportCursor> cursor(new DatasetExportCursor(db, filter));
    if (!filter.run.isEmpty()) {
        auto run = RunRepository(db).findByName(filter.run);
        if (!run)
            return Error{run.error()};
        if (!*run)
            return Error{QStringLiteral("no model run named '%1' in the project").arg(filter.run)};
        cursor->m_runId = **run;
    }
    auto root = ImageRepository(db).imageRoot();
    if (!root)
        return Error{root.error()};
    cursor->m_imageRoot = *root;
    QSqlQuery count = db.prepare(QStringLiteral("SELECT count(*) FROM sample s WHERE ") + cursor->whereClause());
    cursor->bindFilter(count);
    if (!count.exec() || !count.next())
        return db.error(count, QStringLiteral("counting the samples to export"));
    cursor->m_count = count.value(0).toLongLong();
    return cursor;
}

QString DatasetExportCursor::whereClause() const
{
    QStringList terms{QStringLiteral("s.id > ?")};
    if (!m_filter.split.isEmpty())
        terms << QStringLiteral("s.split = ?");
    if (m_filter.status)
        terms << QStringLiteral("s.status = ?");
    if (m_filter.truth == Filter::Truth::Annotated)
        terms << QStringLiteral("s.annotation_version > 0");
    if (m_runId)
        terms << QStringLiteral("EXISTS (SELECT 1 FROM proposal p WHERE p.sample_id = s.id AND p.run_id = ?)");
    return terms.join(QStringLiteral(" AND "));
}

void DatasetExportCursor::bindFilter(QSqlQuery &query) const
{
    query.addBindValue(m_lastId);
    if (!m_filter.split.isEmpty())
        query.addBindValue(m_filter.split);
    if (m_filter.status)
        query.addBindValue(sampleStatusName(*m_filter.status));
    if (m_runId)
        query.addBindValue(m_runId);
}

Expected<bool> DatasetExportCursor::fetchBatch()
{
    QSqlQuery query = m_db.prepare(
        QStringLiteral("SELECT s.id, s.dataset, s.split, s.source_id, s.queries, s.is_sentence, s.no_target, s.extra,"
                       " s.status, s.annotation_version, i.relative_path, i.sha256, i.width, i.height"
                       " FROM sample s JOIN image i ON i.id = s.image_id WHERE ")
        + whereClause() + QStringLiteral(" ORDER BY s.id LIMIT %1").arg(kBatch));
    bindFilter(query);
    query.setForwardOnly(true);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the samples to export"));
    int rows = 0;
    while (query.next()) {
        ++rows;
        DatasetRecord record;
        Sample &sample = record.sample;
        sample.id = query.value(0).toLongLong();
        record.extras.dataset = query.value(1).toString();
        sample.split = query.value(2).toString();
        sample.sourceId = query.value(3).toString();
        for (const QJsonValue &q : QJsonDocument::fromJson(query.value(4).toString().toUtf8()).array())
            sample.queries << q.toString();
        sample.isSentence = query.value(5).toInt() != 0;
        record.extras.noTarget = query.value(6).toInt() != 0;
        record.extras.extra = QJsonDocument::fromJson(query.value(7).toString().toUtf8()).object();
        sample.status = sampleStatusFromName(query.value(8).toString()).value_or(SampleStatus::New);
        sample.image.relativePath = query.value(10).toString();
        sample.image.sha256 = query.value(11).toString().toLatin1();
        sample.image.size = QSize(query.value(12).toInt(), query.value(13).toInt());
        record.imageFile = QDir::cleanPath(QDir(m_imageRoot).absoluteFilePath(sample.image.relativePath));
        m_lastId = sample.id;
        const int version = m_filter.truth == Filter::Truth::Imported ? 0 : query.value(9).toInt();
        m_batch.emplace_back(std::move(record), version);
    }
    if (rows < kBatch)
        m_exhausted = true;
    return true;
}

Expected<bool> DatasetExportCursor::complete(DatasetRecord &record, int annotationVersion)
{
    record.difficulty = importedDifficulty(record.extras.extra);
    record.referenceShort = record.extras.extra.value(QStringLiteral("reference_short")).toString();
    record.referenceLong = record.extras.extra.value(QStringLiteral("reference_long")).toString();
    const qint64 id = record.sample.id;
    if (annotationVersion > 0) {
        QSqlQuery annotation = m_db.prepare(QStringLiteral(
            "SELECT id, no_target, reference_short, reference_long, difficulty, difficulty_source, difficulty_estimator"
            " FROM annotation WHERE sample_id = ? AND version = ?"));
        annotation.addBindValue(id);
        annotation.addBindValue(annotationVersion);
        if (!annotation.exec() || !annotation.next())
            return m_db.error(annotation, QStringLiteral("reading the annotation of sample %1").arg(id));
        auto targets = TargetTable(m_db, TargetTable::Kind::Annotation).read(annotation.value(0).toLongLong());
        if (!targets)
            return Error{targets.error()};
        record.targets = std::move(*targets);
        record.targetsAnnotated = true;
        record.extras.noTarget = annotation.value(1).toInt() != 0;
        if (!annotation.value(2).toString().isEmpty())
            record.referenceShort = annotation.value(2).toString();
        if (!annotation.value(3).toString().isEmpty())
            record.referenceLong = annotation.value(3).toString();
        if (!annotation.value(4).isNull()) {
            Difficulty difficulty;
            difficulty.score = annotation.value(4).toDouble();
            difficulty.source = annotation.value(5).toString() == QLatin1String("model") ? DifficultySource::Model
                                                                                      : DifficultySource::Human;
            difficulty.estimator = annotation.value(6).toString();
            record.difficulty = difficulty;
        }
    } else {
        auto targets = TargetTable(m_db, TargetTable::Kind::Sample).read(id);
        if (!targets)
            return Error{targets.error()};
        record.targets = std::move(*targets);
    }
    if (m_runId) {
        QSqlQuery proposal = m_db.prepare(QStringLiteral("SELECT id FROM proposal WHERE run_id = ? AND sample_id = ?"));
        proposal.addBindValue(m_runId);
        proposal.addBindValue(id);
        if (!proposal.exec() || !proposal.next())
            return m_db.error(proposal, QStringLiteral("reading the proposal of sample %1").arg(id));
        auto loaded = ProposalRepository(m_db).get(proposal.value(0).toLongLong());
        if (!loaded)
            return Error{loaded.error()};
        record.proposal = std::move(*loaded);
    }
    return true;
}

Expected<std::optional<DatasetRecord>> DatasetExportCursor::next()
{
    if (m_batch.empty() && !m_exhausted) {
        auto fetched = fetchBatch();
        if (!fetched)
            return Error{fetched.error()};
    }
    if (m_batch.empty())
        return std::optional<DatasetRecord>();
    auto [record, version] = std::move(m_batch.front());
    m_batch.pop_front();
    auto completed = complete(record, version);
    if (!completed)
        return Error{completed.error()};
    return std::optional<DatasetRecord>(std::move(record));
}

Expected<QString> DatasetExportCursor::projectRevision(Database &db)
{
    // Timestamps alone miss two writes in one millisecond, so the statuses are summed too (weighted by
    // id, so that two samples trading statuses still change it).
    QSqlQuery query = db.prepare(QStringLiteral(
        "SELECT (SELECT count(*) FROM sample), (SELECT coalesce(max(updated_at), 0) FROM sample),"
        " (SELECT count(*) FROM annotation), (SELECT count(*) FROM proposal), (SELECT count(*) FROM target),"
        " (SELECT count(*) FROM review),"
        " (SELECT coalesce(sum(id * CASE status WHEN 'new' THEN 1 WHEN 'in_progress' THEN 2 WHEN 'submitted' THEN 3"
        " WHEN 'accepted' THEN 4 ELSE 5 END), 0) FROM sample)"));
    if (!query.exec() || !query.next())
        return db.error(query, QStringLiteral("reading the project's revision"));
    QByteArray state;
    for (int i = 0; i < 7; ++i)
        state += query.value(i).toString().toLatin1() + ';';
    return QString::fromLatin1(QCryptographicHash::hash(state, QCryptographicHash::Sha256).toHex().left(12));
}

} // namespace rs
