#include "storage/samplerepository.h"

#include "core/review.h"
#include "storage/database.h"
#include "storage/imagerepository.h"
#include "storage/sampleinsert.h"
#include "storage/targettable.h"
#include "storage/transaction.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace rs {

namespace {

struct WhereClause
{
    QString join;       // the review run's proposal, when the filter names one
    QString sql;
    QVariantList values;  // the join's, then the WHERE's
};

// Where the proposal-derived keys come from: the sample's denormalised columns (latest proposal) or
// the review run's proposal row.
struct KeyColumns
{
    QString uncertainty = QStringLiteral("s.uncertainty");
    QString proposalIou = QStringLiteral("s.proposal_iou");
    QString chainLength = QStringLiteral("s.chain_length");
};

KeyColumns keyColumnsOf(const SampleFilter &filter)
{
    KeyColumns columns;
    if (filter.runId) {
        columns.uncertainty = QStringLiteral("rp.uncertainty");
        columns.proposalIou = QStringLiteral("rp.truth_iou");
        columns.chainLength = QStringLiteral("rp.token_count");
    }
    return columns;
}

QString sortColumnOf(const SampleFilter &filter, SampleSortKey key)
{
    const KeyColumns columns = keyColumnsOf(filter);
    switch (key) {
    case SampleSortKey::Id:
        return QStringLiteral("s.id");
    case SampleSortKey::Uncertainty:
        return columns.uncertainty;
    case SampleSortKey::ProposalIou:
        return columns.proposalIou;
    case SampleSortKey::ChainLength:
        return columns.chainLength;
    case SampleSortKey::Difficulty:
        return QStringLiteral("s.difficulty");
    case SampleSortKey::Disagreement:
        return QStringLiteral("s.disagreement");
    }
    return QStringLiteral("s.id");
}

WhereClause whereOf(const SampleFilter &filter, const SampleSort &sort)
{
    QStringList terms;
    WhereClause where;
    const KeyColumns columns = keyColumnsOf(filter);
    if (filter.runId) {
        where.join = QStringLiteral(" LEFT JOIN proposal rp ON rp.sample_id = s.id AND rp.run_id = ?");
        where.values << *filter.runId;
        terms << (filter.hasProposal.value_or(true) ? QStringLiteral("rp.id IS NOT NULL") : QStringLiteral("rp.id IS NULL"));
    }
    if (!filter.split.isEmpty()) {
        terms << QStringLiteral("s.split = ?");
        where.values << filter.split;
    }
    if (filter.status) {
        terms << QStringLiteral("s.status = ?");
        where.values << sampleStatusName(*filter.status);
    }
    if (filter.annotatorId) {
        terms << QStringLiteral("s.annotator_id = ?");
        where.values << *filter.annotatorId;
    }
    if (filter.difficulty) {
        switch (*filter.difficulty) {
        case DifficultyBucket::Easy:
            terms << QStringLiteral("s.difficulty < ?");
            where.values << Difficulty::kMediumFrom;
            break;
        case DifficultyBucket::Medium:
            terms << QStringLiteral("s.difficulty >= ? AND s.difficulty < ?");
            where.values << Difficulty::kMediumFrom << Difficulty::kHardFrom;
            break;
        case DifficultyBucket::Hard:
            terms << QStringLiteral("s.difficulty >= ?");
            where.values << Difficulty::kHardFrom;
            break;
        }
    }
    if (filter.hasProposal && !filter.runId)
        terms << (*filter.hasProposal ? QStringLiteral("s.latest_proposal_id IS NOT NULL")
                                      : QStringLiteral("s.latest_proposal_id IS NULL"));
    if (filter.review) {
        if (*filter.review == SampleFilter::Review::Unreviewed) {
            terms << QStringLiteral("NOT EXISTS (SELECT 1 FROM review r WHERE r.sample_id = s.id)");
        } else {
            terms << QStringLiteral("(SELECT r.verdict FROM review r WHERE r.sample_id = s.id ORDER BY r.id DESC LIMIT 1) = ?");
            where.values << reviewVerdictName(*filter.review == SampleFilter::Review::Accepted ? ReviewVerdict::Accept
                                              : *filter.review == SampleFilter::Review::Rejected ? ReviewVerdict::Reject
                                                                                                 : ReviewVerdict::Fix);
        }
    }
    if (filter.overBudget)
        terms << QStringLiteral("%1 > CASE WHEN s.difficulty >= 5 THEN 256 + 25 * coalesce(%2, 0)"
                                " WHEN s.difficulty < 3.5 THEN 96 END").arg(columns.chainLength, columns.uncertainty);
    if (!filter.failureTag.isEmpty()) {
        terms << QStringLiteral("EXISTS (SELECT 1 FROM review r WHERE r.sample_id = s.id AND r.tags LIKE ?)");
        where.values << QStringLiteral("%,%1,%").arg(filter.failureTag);
    }
    if (sort.key != SampleSortKey::Id)
        terms << sortColumnOf(filter, sort.key) + QStringLiteral(" IS NOT NULL");
    if (!terms.isEmpty())
        where.sql = QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND "));
    return where;
}

QString orderOf(const SampleFilter &filter, const SampleSort &sort)
{
    const QString dir = sort.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    if (sort.key == SampleSortKey::Id)
        return QStringLiteral(" ORDER BY s.id") + dir;
    return QStringLiteral(" ORDER BY ") + sortColumnOf(filter, sort.key) + dir + QStringLiteral(", s.id") + dir;
}

QString firstQuery(const QString &json)
{
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    return array.isEmpty() ? QString() : array.first().toString();
}

std::optional<double> optionalDouble(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}

} // namespace

Expected<qint64> SampleRepository::add(const Sample &sample, const std::vector<RleTarget> &targets,
                                       const SampleExtras &extras)
{
    const QString doing = QStringLiteral("adding sample %1").arg(sample.sourceId);
    Transaction transaction(m_db, doing);
    if (!transaction.isActive())
        return transaction.failure();
    SampleInsert insert(m_db);
    auto id = insert.add(sample, targets, extras);
    if (!id)
        return id;
    auto committed = transaction.commit();
    if (!committed)
        return Error{committed.error()};
    return id;
}

Expected<Sample> SampleRepository::get(qint64 id) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "SELECT s.image_id, s.split, s.source_id, s.queries, s.is_sentence, s.status FROM sample s WHERE s.id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading sample %1").arg(id));
    if (!query.next())
        return Error{QStringLiteral("no sample %1 in the project").arg(id)};
    Sample sample;
    sample.id = id;
    auto image = ImageRepository(m_db).get(query.value(0).toLongLong());
    if (!image)
        return Error{image.error()};
    sample.image = *image;
    sample.split = query.value(1).toString();
    sample.sourceId = query.value(2).toString();
    for (const QJsonValue &q : QJsonDocument::fromJson(query.value(3).toString().toUtf8()).array())
        sample.queries << q.toString();
    sample.isSentence = query.value(4).toInt() != 0;
    sample.status = sampleStatusFromName(query.value(5).toString()).value_or(SampleStatus::New);
    return sample;
}

Expected<SampleExtras> SampleRepository::extras(qint64 id) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT dataset, no_target, extra FROM sample WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading sample %1").arg(id));
    if (!query.next())
        return Error{QStringLiteral("no sample %1 in the project").arg(id)};
    SampleExtras extras;
    extras.dataset = query.value(0).toString();
    extras.noTarget = query.value(1).toInt() != 0;
    extras.extra = QJsonDocument::fromJson(query.value(2).toString().toUtf8()).object();
    return extras;
}

Expected<std::vector<RleTarget>> SampleRepository::targets(qint64 id) const
{
    return TargetTable(m_db, TargetTable::Kind::Sample).read(id);
}

Expected<std::vector<SampleRow>> SampleRepository::page(const SampleFilter &filter, const SampleSort &sort,
                                                        int offset, int limit) const
{
    return list(filter, sort, nullptr, offset, limit);
}

Expected<std::vector<SampleRow>> SampleRepository::pageAfter(const SampleFilter &filter, const SampleSort &sort,
                                                             const SampleRow &last, int limit, int offset) const
{
    return list(filter, sort, &last, offset, limit);
}

Expected<std::vector<SampleRow>> SampleRepository::list(const SampleFilter &filter, const SampleSort &sort,
                                                        const SampleRow *after, int offset, int limit) const
{
    WhereClause where = whereOf(filter, sort);
    if (after) {
        const QString op = sort.descending ? QStringLiteral("<") : QStringLiteral(">");
        std::optional<double> key;
        const QString column = sortColumnOf(filter, sort.key);
        switch (sort.key) {
        case SampleSortKey::Id:
            break;
        case SampleSortKey::Uncertainty:
            key = after->uncertainty;
            break;
        case SampleSortKey::ProposalIou:
            key = after->proposalIou;
            break;
        case SampleSortKey::ChainLength:
            key = after->chainLength ? std::optional<double>(*after->chainLength) : std::nullopt;
            break;
        case SampleSortKey::Difficulty:
            key = after->difficulty;
            break;
        case SampleSortKey::Disagreement:
            key = after->disagreement;
            break;
        }
        const QString joiner = where.sql.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ");
        if (sort.key == SampleSortKey::Id) {
            where.sql += joiner + QStringLiteral("s.id ") + op + QStringLiteral(" ?");
            where.values << after->id;
        } else {
            if (!key)
                return Error{QStringLiteral("listing samples: the previous page's last row has no sort key")};
            where.sql += joiner + QStringLiteral("(%1, s.id) %2 (?, ?)").arg(column, op);
            if (sort.key == SampleSortKey::ChainLength)
                where.values << int(*key) << after->id;
            else
                where.values << *key << after->id;
        }
    }
    const KeyColumns columns = keyColumnsOf(filter);
    QSqlQuery query = m_db.prepare(
        QStringLiteral("SELECT s.id, s.image_id, i.relative_path, s.split, s.queries, s.status,"
                       " s.annotation_version, s.annotator_id, %1, %2, %3,"
                       " s.difficulty, s.disagreement FROM sample s JOIN image i ON i.id = s.image_id")
            .arg(columns.uncertainty, columns.proposalIou, columns.chainLength)
        + where.join + where.sql + orderOf(filter, sort) + QStringLiteral(" LIMIT ? OFFSET ?"));
    for (const QVariant &v : where.values)
        query.addBindValue(v);
    query.addBindValue(qMax(0, limit));
    query.addBindValue(qMax(0, offset));
    if (!query.exec())
        return m_db.error(query, QStringLiteral("listing samples"));
    std::vector<SampleRow> rows;
    rows.reserve(std::size_t(qMax(0, limit)));
    while (query.next()) {
        SampleRow row;
        row.id = query.value(0).toLongLong();
        row.imageId = query.value(1).toLongLong();
        row.imagePath = query.value(2).toString();
        row.split = query.value(3).toString();
        row.query = firstQuery(query.value(4).toString());
        row.status = sampleStatusFromName(query.value(5).toString()).value_or(SampleStatus::New);
        row.annotationVersion = query.value(6).toInt();
        row.annotatorId = query.value(7).toLongLong();
        row.uncertainty = optionalDouble(query.value(8));
        row.proposalIou = optionalDouble(query.value(9));
        if (!query.value(10).isNull())
            row.chainLength = query.value(10).toInt();
        row.difficulty = optionalDouble(query.value(11));
        row.disagreement = optionalDouble(query.value(12));
        rows.push_back(std::move(row));
    }
    return rows;
}

Expected<qint64> SampleRepository::count(const SampleFilter &filter, const SampleSort &sort) const
{
    const WhereClause where = whereOf(filter, sort);
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT count(*) FROM sample s") + where.join + where.sql);
    for (const QVariant &v : where.values)
        query.addBindValue(v);
    if (!query.exec() || !query.next())
        return m_db.error(query, QStringLiteral("counting samples"));
    return query.value(0).toLongLong();
}

Expected<QStringList> SampleRepository::splits() const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT DISTINCT split FROM sample ORDER BY split"));
    if (!query.exec())
        return m_db.error(query, QStringLiteral("listing splits"));
    QStringList splits;
    while (query.next())
        splits << query.value(0).toString();
    return splits;
}

Expected<bool> SampleRepository::setStatus(qint64 id, SampleStatus status)
{
    const QString doing = QStringLiteral("setting the status of sample %1").arg(id);
    if (m_db.isReadOnly())
        return m_db.readOnlyError(doing);
    QSqlQuery query = m_db.prepare(QStringLiteral("UPDATE sample SET status = ?, updated_at = ? WHERE id = ?"));
    query.addBindValue(sampleStatusName(status));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(id);
    if (!query.exec())
        return m_db.error(query, doing);
    if (query.numRowsAffected() != 1)
        return Error{QStringLiteral("%1: no such sample").arg(doing)};
    return true;
}

} // namespace rs
