#pragma once

#include "core/expected.h"
#include "core/rletarget.h"

#include <QSqlQuery>
#include <QString>

#include <optional>

#include <vector>

namespace rs {

class Database;

// Reads and writes the rows of one of the target tables (target, proposal_target, annotation_target),
// which share their mask, box and label columns. Runs inside the caller's transaction.
class TargetTable
{
public:
    enum class Kind { Sample, Proposal, Annotation };

    TargetTable(Database &db, Kind kind);

    Expected<bool> insert(qint64 ownerId, const std::vector<RleTarget> &targets);
    Expected<std::vector<RleTarget>> read(qint64 ownerId) const;

private:
    Database &m_db;
    Kind m_kind;
    QString m_table;
    QString m_owner;
    std::optional<QSqlQuery> m_insert;  // prepared on first use, reused
};

} // namespace rs
