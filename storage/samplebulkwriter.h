#pragma once

#include "core/expected.h"
#include "core/sample.h"
#include "core/proposal.h"
#include "core/rletarget.h"
#include "storage/samplerepository.h"

#include <memory>
#include <vector>

namespace rs {

class Database;
class ProposalInsert;
class SampleInsert;
class SqliteBulkInsert;
class Transaction;

// The bulk import path: many samples in one transaction with reused prepared statements (SQLite:
// batched multi-row inserts and a larger page cache). Nothing is visible to other connections until
// commit(); destroying the writer without commit() rolls everything back. An error of one row may
// be reported by a later add() or by commit() (SQLite writes rows in batches); the import is then
// rolled back as a whole.
class SampleBulkWriter
{
public:
    explicit SampleBulkWriter(Database &db);
    ~SampleBulkWriter();

    Expected<bool> begin();
    Expected<qint64> add(const Sample &sample, const std::vector<RleTarget> &targets,
                         const SampleExtras &extras = SampleExtras());
    // A model proposal for a sample added earlier (in this import or before): imports of model runs.
    Expected<qint64> addProposal(const Proposal &proposal);
    // Commits, then refreshes the query planner's statistics (ANALYZE).
    Expected<bool> commit();
    qint64 added() const { return m_added; }

private:
    void restoreSettings();

    Database &m_db;
    std::unique_ptr<Transaction> m_transaction;
    std::unique_ptr<SampleInsert> m_insert;          // PostgreSQL: row by row, ids from RETURNING
    std::unique_ptr<SqliteBulkInsert> m_sqlite;      // SQLite: batched multi-row inserts
    std::unique_ptr<ProposalInsert> m_proposals;
    qint64 m_added = 0;
};

} // namespace rs
