#pragma once

#include "core/expected.h"
#include "core/proposal.h"

#include <memory>
#include <vector>

namespace rs {

class Database;
class ProposalInsert;
class Transaction;

// A batch of samples claimed by one `reasonseg infer` worker for one model run (design.md
// §Scale-out): the samples that have no proposal of the run yet, locked until the worker commits
// their proposals. PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so workers on many machines get
// disjoint batches; a worker that dies (or drops the batch) releases its rows with its transaction,
// and they are simply claimed again. SQLite: the batch holds the project's write lock (one worker
// at a time; the others wait up to the busy timeout).
//
// The batch is one transaction on `db`: nothing else may write on that connection meanwhile.
class ProposalBatch
{
public:
    static Expected<std::unique_ptr<ProposalBatch>> claim(Database &db, qint64 runId, int maxSamples);
    // How many samples have no proposal of the run yet.
    static Expected<qint64> pendingCount(Database &db, qint64 runId);
    ~ProposalBatch();  // rolls back what was not committed; the samples become claimable again

    const std::vector<qint64> &sampleIds() const { return m_sampleIds; }
    // proposal.runId must be the batch's run and proposal.sampleId one of sampleIds().
    Expected<qint64> add(const Proposal &proposal);
    Expected<bool> commit();

private:
    ProposalBatch(Database &db, qint64 runId);

    Database &m_db;
    qint64 m_runId;
    std::unique_ptr<Transaction> m_transaction;
    std::unique_ptr<ProposalInsert> m_insert;
    std::vector<qint64> m_sampleIds;
};

} // namespace rs
