#pragma once

#include "core/expected.h"
#include "storage/overlapcalculator.h"
#include "core/proposal.h"
#include "storage/targettable.h"

#include <QSqlQuery>

namespace rs {

class Database;

// Inserts proposals (row, targets, the sample's sort keys) with statements prepared once; runs
// inside the caller's transaction. Shared by ProposalRepository::add() and SampleBulkWriter.
class ProposalInsert
{
public:
    explicit ProposalInsert(Database &db);

    // Error when the run already has a proposal for the sample (proposals are never replaced:
    // annotation versions may grade them).
    Expected<qint64> add(const Proposal &proposal);

private:
    Database &m_db;
    QSqlQuery m_existing;
    QSqlQuery m_insert;
    QSqlQuery m_update;
    OverlapCalculator m_overlap;
    TargetTable m_targets;
};

} // namespace rs
