#pragma once

#include "core/expected.h"
#include "core/proposal.h"

#include <optional>
#include <vector>

namespace rs {

class Database;

// Model runs: which model, version, parameters and device produced a set of proposals.
class RunRepository
{
public:
    explicit RunRepository(Database &db) : m_db(db) {}

    // Adds the run; Error when a run of that name exists.
    Expected<qint64> add(const ModelRun &run);
    Expected<ModelRun> get(qint64 id) const;
    Expected<std::optional<qint64>> findByName(const QString &name) const;
    Expected<std::vector<ModelRun>> all() const;

private:
    Database &m_db;
};

} // namespace rs
