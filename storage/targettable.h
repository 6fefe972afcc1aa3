#pragma once

#include "core/expected.h"
#include "core/rletarget.h"

#include <QSqlQuery>
#include <QString>

#include <QVariantList>

#include <map>
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
    // The targets of every owner that ownerQuery (SQL yielding owner ids, with ? for values) selects,
    // by owner: one statement for a whole batch. Owners without targets are absent.
    Expected<std::map<qint64, std::vector<RleTarget>>> readOwnersIn(const QString &ownerQuery,
                                                                    const QVariantList &values) const;

private:
    QString selectColumns() const;
    RleTarget rowTarget(const QSqlQuery &query, int first) const;

    Database &m_db;
    Kind m_kind;
    QString m_table;
    QString m_owner;
    std::optional<QSqlQuery> m_insert;  // prepared on first use, reused
};

} // namespace rs
