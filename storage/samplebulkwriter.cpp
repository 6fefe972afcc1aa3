#include "storage/samplebulkwriter.h"

#include "storage/database.h"
#include "storage/proposalinsert.h"
#include "storage/sampleinsert.h"
#include "storage/sqlitebulkinsert.h"
#include "storage/transaction.h"

namespace rs {

SampleBulkWriter::SampleBulkWriter(Database &db) : m_db(db) {}

SampleBulkWriter::~SampleBulkWriter()
{
    m_proposals.reset();
    m_sqlite.reset();
    m_insert.reset();
    m_transaction.reset();
    restoreSettings();
}

Expected<bool> SampleBulkWriter::begin()
{
    if (m_transaction)
        return Error{QStringLiteral("bulk import: already begun")};
    if (m_db.backend() == Backend::Sqlite)
        (void)m_db.exec(QStringLiteral("PRAGMA cache_size = -131072"), QStringLiteral("bulk import"));
    m_transaction = std::make_unique<Transaction>(m_db, QStringLiteral("bulk import"));
    if (!m_transaction->isActive()) {
        const Error failure = m_transaction->failure();
        m_transaction.reset();
        return failure;
    }
    if (m_db.backend() == Backend::Sqlite) {
        m_sqlite = std::make_unique<SqliteBulkInsert>(m_db);
        auto started = m_sqlite->start();
        if (!started) {
            m_sqlite.reset();
            m_transaction.reset();
            return started;
        }
    } else {
        m_insert = std::make_unique<SampleInsert>(m_db);
    }
    m_proposals = std::make_unique<ProposalInsert>(m_db);
    return true;
}

Expected<qint64> SampleBulkWriter::add(const Sample &sample, const std::vector<RleTarget> &targets,
                                       const SampleExtras &extras)
{
    if (!m_transaction)
        return Error{QStringLiteral("bulk import: add() before begin()")};
    auto id = m_sqlite ? m_sqlite->add(sample, targets, extras) : m_insert->add(sample, targets, extras);
    if (id)
        ++m_added;
    return id;
}

Expected<qint64> SampleBulkWriter::addProposal(const Proposal &proposal)
{
    if (!m_proposals)
        return Error{QStringLiteral("bulk import: addProposal() before begin()")};
    if (m_sqlite) {  // the proposal's sample may still be buffered
        auto flushed = m_sqlite->flush();
        if (!flushed)
            return Error{flushed.error()};
    }
    return m_proposals->add(proposal);
}

Expected<bool> SampleBulkWriter::commit()
{
    if (!m_transaction)
        return Error{QStringLiteral("bulk import: commit() before begin()")};
    if (m_sqlite) {
        auto flushed = m_sqlite->flush();
        if (!flushed) {
            m_sqlite.reset();
            m_proposals.reset();
            m_transaction.reset();
            restoreSettings();
            return flushed;
        }
    }
    m_proposals.reset();
    m_sqlite.reset();
    m_insert.reset();
    auto committed = m_transaction->commit();
    m_transaction.reset();
    restoreSettings();
    if (committed) {
        // Fresh statistics, so that the planners pick the sort index for "split = val, by uncertainty"
        // (1.4 s for a million samples on SQLite). Only an optimisation: a failure is not an error.
        (void)m_db.exec(m_db.backend() == Backend::Sqlite ? QStringLiteral("ANALYZE")
                                                          : QStringLiteral("ANALYZE sample, image, target, proposal"),
                        QStringLiteral("bulk import: updating statistics"));
    }
    return committed;
}

void SampleBulkWriter::restoreSettings()
{
    if (m_db.backend() == Backend::Sqlite)
        (void)m_db.exec(QStringLiteral("PRAGMA cache_size = -2000"), QStringLiteral("bulk import"));
}

} // namespace rs
