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
    if (rows == 0)
        return true;
    return loadDetails(m_batch.front().first.sample.id, m_batch.back().first.sample.id);
}

namespace {

std::optional<Difficulty> annotatedDifficulty(const QSqlQuery &query, int first)
{
    if (query.value(first).isNull())
        return std::nullopt;
    Difficulty difficulty;
    difficulty.score = query.value(first).toDouble();
    difficulty.source = query.value(first + 1).toString() == QLatin1String("model") ? DifficultySource::Model
                                                                                   : DifficultySource::Human;
    difficulty.estimator = query.value(first + 2).toString();
    return difficulty;
}

const QString kAnnotationColumns = QStringLiteral(
    "a.id, a.version, a.no_target, a.reference_short, a.reference_long, a.difficulty, a.difficulty_source,"
    " a.difficulty_estimator");

} // namespace

Expected<bool> DatasetExportCursor::loadDetails(qint64 firstId, qint64 lastId)
{
    const QVariantList range{firstId, lastId};
    m_sampleTargets.clear();
    m_annotations.clear();
    m_annotationTargets.clear();
    m_proposals.clear();
    auto sampleTargets = TargetTable(m_db, TargetTable::Kind::Sample)
                             .readOwnersIn(QStringLiteral("SELECT id FROM sample WHERE id BETWEEN ? AND ?"), range);
    if (!sampleTargets)
        return Error{sampleTargets.error()};
    m_sampleTargets = std::move(*sampleTargets);

    if (m_filter.truth != Filter::Truth::Imported) {
        const QString current = QStringLiteral(" FROM annotation a JOIN sample s ON s.id = a.sample_id"
                                               " AND a.version = s.annotation_version WHERE s.id BETWEEN ? AND ?");
        QSqlQuery query = m_db.prepare(QStringLiteral("SELECT a.sample_id, ") + kAnnotationColumns + current);
        query.addBindValue(firstId);
        query.addBindValue(lastId);
        query.setForwardOnly(true);
        if (!query.exec())
            return m_db.error(query, QStringLiteral("reading the annotations of samples %1-%2").arg(firstId).arg(lastId));
        while (query.next()) {
            AnnotationRow row{query.value(1).toLongLong(), query.value(2).toInt(), query.value(3).toInt() != 0,
                              query.value(4).toString(), query.value(5).toString(), annotatedDifficulty(query, 6)};
            m_annotations.emplace(query.value(0).toLongLong(), std::move(row));
        }
        auto targets = TargetTable(m_db, TargetTable::Kind::Annotation)
                           .readOwnersIn(QStringLiteral("SELECT a.id") + current, range);
        if (!targets)
            return Error{targets.error()};
        m_annotationTargets = std::move(*targets);
    }
    if (m_runId) {
        auto proposals = ProposalRepository(m_db).forRun(m_runId, firstId, lastId);
        if (!proposals)
            return Error{proposals.error()};
        m_proposals = std::move(*proposals);
    }
    return true;
}

void DatasetExportCursor::applyAnnotation(DatasetRecord &record, const AnnotationRow &row,
                                          std::vector<RleTarget> targets) const
{
    record.targets = std::move(targets);
    record.targetsAnnotated = true;
    record.extras.noTarget = row.noTarget;
    if (!row.referenceShort.isEmpty())
        record.referenceShort = row.referenceShort;
    if (!row.referenceLong.isEmpty())
        record.referenceLong = row.referenceLong;
    if (row.difficulty)
        record.difficulty = row.difficulty;
}

Expected<bool> DatasetExportCursor::complete(DatasetRecord &record, int annotationVersion)
{
    record.difficulty = importedDifficulty(record.extras.extra);
    record.referenceShort = record.extras.extra.value(QStringLiteral("reference_short")).toString();
    record.referenceLong = record.extras.extra.value(QStringLiteral("reference_long")).toString();
    const qint64 id = record.sample.id;
    if (annotationVersion > 0) {
        const auto batched = m_annotations.find(id);
        if (batched != m_annotations.end() && batched->second.version == annotationVersion) {
            auto targets = m_annotationTargets.find(batched->second.id);
            applyAnnotation(record, batched->second,
                            targets == m_annotationTargets.end() ? std::vector<RleTarget>() : std::move(targets->second));
        } else {
            // Saved again between the batch's two reads: read the version the batch listed.
            QSqlQuery query = m_db.prepare(QStringLiteral("SELECT ") + kAnnotationColumns
                                           + QStringLiteral(" FROM annotation a WHERE a.sample_id = ? AND a.version = ?"));
            query.addBindValue(id);
            query.addBindValue(annotationVersion);
            if (!query.exec() || !query.next())
                return m_db.error(query, QStringLiteral("reading the annotation of sample %1").arg(id));
            const AnnotationRow row{query.value(0).toLongLong(), query.value(1).toInt(), query.value(2).toInt() != 0,
                                    query.value(3).toString(), query.value(4).toString(), annotatedDifficulty(query, 5)};
            auto targets = TargetTable(m_db, TargetTable::Kind::Annotation).read(row.id);
            if (!targets)
                return Error{targets.error()};
            applyAnnotation(record, row, std::move(*targets));
        }
    } else {
        const auto targets = m_sampleTargets.find(id);
        if (targets != m_sampleTargets.end())
            record.targets = std::move(targets->second);
    }
    if (m_runId) {
        const auto proposal = m_proposals.find(id);
        if (proposal == m_proposals.end())
            return Error{QStringLiteral("the proposal of sample %1 was removed while reading").arg(id)};
        record.proposal = std::move(proposal->second);
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
