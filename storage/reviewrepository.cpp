#include "storage/reviewrepository.h"

#include "core/sample.h"
#include "storage/database.h"
#include "storage/sqltext.h"
#include "storage/transaction.h"

#include <QSqlQuery>

namespace rs {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT id, sample_id, annotation_version, proposal_id, reviewer_id, verdict, reason, tags, created_at FROM review");

// Tags are stored as ",a,b," so that one tag is found with LIKE '%,tag,%'.
QString tagsToText(const QStringList &tags)
{
    return tags.isEmpty() ? QString() : QLatin1Char(',') + tags.join(QLatin1Char(',')) + QLatin1Char(',');
}

Expected<std::vector<Review>> readReviews(Database &db, QSqlQuery &query, const QString &doing)
{
    if (!query.exec())
        return db.error(query, doing);
    std::vector<Review> reviews;
    while (query.next()) {
        Review r;
        r.id = query.value(0).toLongLong();
        r.sampleId = query.value(1).toLongLong();
        r.annotationVersion = query.value(2).toInt();
        r.proposalId = query.value(3).toLongLong();
        r.reviewerId = query.value(4).toLongLong();
        r.verdict = reviewVerdictFromName(query.value(5).toString()).value_or(ReviewVerdict::Fix);
        r.reason = query.value(6).toString();
        r.failureTags = query.value(7).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        r.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(8).toLongLong(), Qt::UTC);
        reviews.push_back(std::move(r));
    }
    return reviews;
}

} // namespace

Expected<qint64> ReviewRepository::add(const Review &review)
{
    const QString doing = QStringLiteral("adding a review of sample %1").arg(review.sampleId);
    for (const QString &tag : review.failureTags)
        if (tag.isEmpty() || tag.contains(QLatin1Char(',')))
            return Error{QStringLiteral("%1: invalid failure-mode tag '%2'").arg(doing, tag)};
    Transaction transaction(m_db, doing);
    if (!transaction.isActive())
        return transaction.failure();
    SampleStatus status = SampleStatus::InProgress;
    if (review.verdict == ReviewVerdict::Accept)
        status = SampleStatus::Accepted;
    else if (review.verdict == ReviewVerdict::Reject)
        status = SampleStatus::Rejected;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery update = m_db.prepare(QStringLiteral(
        "UPDATE sample SET status = ?, updated_at = ? WHERE id = ? AND annotation_version = ?"));
    update.addBindValue(sampleStatusName(status));
    update.addBindValue(now);
    update.addBindValue(review.sampleId);
    update.addBindValue(review.annotationVersion);
    if (!update.exec())
        return m_db.error(update, doing);
    if (update.numRowsAffected() != 1)
        return Error{QStringLiteral("%1: version %2 is no longer the current annotation (or no such sample)")
                         .arg(doing)
                         .arg(review.annotationVersion)};
    QSqlQuery insert = m_db.prepare(QStringLiteral(
        "INSERT INTO review (sample_id, annotation_version, proposal_id, reviewer_id, verdict, reason, tags, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    insert.addBindValue(review.sampleId);
    insert.addBindValue(review.annotationVersion);
    insert.addBindValue(review.proposalId > 0 ? QVariant(review.proposalId) : QVariant(QMetaType(QMetaType::LongLong)));
    insert.addBindValue(review.reviewerId);
    insert.addBindValue(reviewVerdictName(review.verdict));
    insert.addBindValue(sqlText(review.reason));
    insert.addBindValue(sqlText(tagsToText(review.failureTags)));
    insert.addBindValue(now);
    if (!insert.exec() || !insert.next())
        return m_db.error(insert, doing);
    const qint64 id = insert.value(0).toLongLong();
    insert.finish();
    auto committed = transaction.commit();
    if (!committed)
        return Error{committed.error()};
    return id;
}

Expected<std::vector<Review>> ReviewRepository::forSample(qint64 sampleId) const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" WHERE sample_id = ? ORDER BY id"));
    query.addBindValue(sampleId);
    return readReviews(m_db, query, QStringLiteral("reading the reviews of sample %1").arg(sampleId));
}

Expected<std::vector<Review>> ReviewRepository::withTag(const QString &tag, int limit) const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" WHERE tags LIKE ? ORDER BY id DESC LIMIT ?"));
    QString escaped = tag;
    escaped.remove(QLatin1Char('%')).remove(QLatin1Char('_'));
    query.addBindValue(QStringLiteral("%,") + escaped + QStringLiteral(",%"));
    query.addBindValue(limit);
    return readReviews(m_db, query, QStringLiteral("finding reviews tagged %1").arg(tag));
}

} // namespace rs
