#include "storage/assignmentrepository.h"

#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/transaction.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

namespace rs {

QString AssignmentRepository::kindName(Kind kind)
{
    return kind == Kind::Primary ? QStringLiteral("primary") : QStringLiteral("overlap");
}

Expected<bool> AssignmentRepository::assign(qint64 sampleId, qint64 annotatorId, Kind kind)
{
    QSqlQuery insert = m_db.prepare(QStringLiteral(
        "INSERT INTO assignment (sample_id, annotator_id, kind, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sample_id, annotator_id) DO NOTHING"));
    insert.addBindValue(sampleId);
    insert.addBindValue(annotatorId);
    insert.addBindValue(kindName(kind));
    insert.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!insert.exec())
        return m_db.error(insert, QStringLiteral("assigning sample %1 to annotator %2").arg(sampleId).arg(annotatorId));
    return insert.numRowsAffected() > 0;
}

Expected<AssignmentRepository::OverlapResult> AssignmentRepository::assignOverlap(const OverlapPlan &plan)
{
    QStringList annotators = plan.annotators;
    annotators.removeDuplicates();
    if (annotators.size() < 2)
        return Error{QStringLiteral("overlap needs at least two annotators, got %1").arg(annotators.size())};
    if (!(plan.share > 0.0 && plan.share <= 1.0))
        return Error{QStringLiteral("the overlap share must be in (0, 1], not %1").arg(plan.share)};
    if (plan.perSample < 2 || plan.perSample > annotators.size())
        return Error{QStringLiteral("annotators per sample must be from 2 to %1, not %2").arg(annotators.size()).arg(plan.perSample)};

    Transaction transaction(m_db, QStringLiteral("assigning overlap"));
    if (!transaction.isActive())
        return transaction.failure();
    std::vector<qint64> annotatorIds;
    for (const QString &name : annotators) {
        auto id = AnnotatorRepository(m_db).ensure(name);
        if (!id)
            return Error{id.error()};
        annotatorIds.push_back(*id);
    }
    QSqlQuery select = m_db.prepare(plan.split.isEmpty() ? QStringLiteral("SELECT id FROM sample ORDER BY id")
                                                         : QStringLiteral("SELECT id FROM sample WHERE split = ? ORDER BY id"));
    if (!plan.split.isEmpty())
        select.addBindValue(plan.split);
    select.setForwardOnly(true);
    if (!select.exec())
        return m_db.error(select, QStringLiteral("listing the samples to assign"));
    std::vector<qint64> samples;
    while (select.next())
        samples.push_back(select.value(0).toLongLong());
    if (samples.empty())
        return Error{plan.split.isEmpty() ? QStringLiteral("the project has no sample to assign")
                                          : QStringLiteral("no sample in split '%1'").arg(plan.split)};

    // Fisher–Yates with a seeded generator, then the chosen ones back in id order.
    QRandomGenerator random(plan.seed);
    for (std::size_t i = samples.size() - 1; i > 0; --i)
        std::swap(samples[i], samples[std::size_t(random.bounded(quint64(i + 1)))]);
    const auto chosen = std::max<std::size_t>(1, std::size_t(std::llround(plan.share * double(samples.size()))));
    samples.resize(std::min(chosen, samples.size()));
    std::sort(samples.begin(), samples.end());

    OverlapResult result;
    result.samples = qint64(samples.size());
    std::size_t next = 0;
    for (qint64 sample : samples) {
        for (int k = 0; k < plan.perSample; ++k) {
            auto added = assign(sample, annotatorIds[(next + std::size_t(k)) % annotatorIds.size()], Kind::Overlap);
            if (!added)
                return Error{added.error()};
            result.added += *added ? 1 : 0;
        }
        next = (next + std::size_t(plan.perSample)) % annotatorIds.size();
    }
    auto committed = transaction.commit();
    if (!committed)
        return Error{committed.error()};
    return result;
}

Expected<bool> AssignmentRepository::isAssigned(qint64 sampleId, qint64 annotatorId, Kind kind) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "SELECT count(*) FROM assignment WHERE sample_id = ? AND annotator_id = ? AND kind = ?"));
    query.addBindValue(sampleId);
    query.addBindValue(annotatorId);
    query.addBindValue(kindName(kind));
    if (!query.exec() || !query.next())
        return m_db.error(query, QStringLiteral("reading the assignments of sample %1").arg(sampleId));
    return query.value(0).toInt() > 0;
}

Expected<std::vector<qint64>> AssignmentRepository::samplesOf(qint64 annotatorId, Kind kind) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "SELECT sample_id FROM assignment WHERE annotator_id = ? AND kind = ? ORDER BY sample_id"));
    query.addBindValue(annotatorId);
    query.addBindValue(kindName(kind));
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the assignments of annotator %1").arg(annotatorId));
    std::vector<qint64> samples;
    while (query.next())
        samples.push_back(query.value(0).toLongLong());
    return samples;
}

} // namespace rs
