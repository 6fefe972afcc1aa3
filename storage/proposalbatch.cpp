#include "storage/proposalbatch.h"

#include "storage/database.h"
#include "storage/proposalinsert.h"
#include "storage/transaction.h"

#include <QSqlQuery>

#include <algorithm>

namespace rs {

ProposalBatch::ProposalBatch(Database &db, qint64 runId) : m_db(db), m_runId(runId) {}

ProposalBatch::~ProposalBatch()
{
    m_insert.reset();
    m_transaction.reset();
}

Expected<std::unique_ptr<ProposalBatch>> ProposalBatch::claim(Database &db, qint64 runId, int maxSamples)
{
    const QString doing = QStringLiteral("claiming samples for model run %1").arg(runId);
    if (maxSamples <= 0)
        return Error{QStringLiteral("%1: the batch size must be positive").arg(doing)};
    std::unique_ptr<ProposalBatch> batch(new ProposalBatch(db, runId));
    batch->m_transaction = std::make_unique<Transaction>(db, doing);
    if (!batch->m_transaction->isActive())
        return batch->m_transaction->failure();
    QSqlQuery query = db.prepare(
        QStringLiteral("SELECT s.id FROM sample s WHERE NOT EXISTS"
                       " (SELECT 1 FROM proposal p WHERE p.run_id = ? AND p.sample_id = s.id)"
                       " ORDER BY s.id LIMIT ?")
        + (db.backend() == Backend::Postgres ? QStringLiteral(" FOR UPDATE OF s SKIP LOCKED") : QString()));
    query.addBindValue(runId);
    query.addBindValue(maxSamples);
    if (!query.exec())
        return db.error(query, doing);
    while (query.next())
        batch->m_sampleIds.push_back(query.value(0).toLongLong());
    query.finish();
    batch->m_insert = std::make_unique<ProposalInsert>(db);
    return batch;
}

Expected<qint64> ProposalBatch::add(const Proposal &proposal)
{
    if (!m_insert)
        return Error{QStringLiteral("adding a proposal: the batch was committed or failed")};
    if (proposal.runId != m_runId
        || std::find(m_sampleIds.begin(), m_sampleIds.end(), proposal.sampleId) == m_sampleIds.end())
        return Error{QStringLiteral("adding a proposal: sample %1 of run %2 is not in this batch")
                         .arg(proposal.sampleId)
                         .arg(proposal.runId)};
    return m_insert->add(proposal);
}

Expected<bool> ProposalBatch::commit()
{
    if (!m_transaction)
        return Error{QStringLiteral("committing a proposal batch: already committed")};
    m_insert.reset();
    auto committed = m_transaction->commit();
    m_transaction.reset();
    return committed;
}

Expected<qint64> ProposalBatch::pendingCount(Database &db, qint64 runId)
{
    QSqlQuery query = db.prepare(QStringLiteral(
        "SELECT count(*) FROM sample s WHERE NOT EXISTS (SELECT 1 FROM proposal p WHERE p.run_id = ? AND p.sample_id = s.id)"));
    query.addBindValue(runId);
    if (!query.exec() || !query.next())
        return db.error(query, QStringLiteral("counting the samples without a proposal of run %1").arg(runId));
    return query.value(0).toLongLong();
}

} // namespace rs
