#pragma once

#include "core/expected.h"

#include <QStringList>

namespace rs {

class Database;

// The project schema and its forward migrations. Version 1 is the first schema; each later version
// is one step (DDL plus, where needed, a backfill in C++). SQLite keeps the version in
// PRAGMA user_version, PostgreSQL in project_meta.schema_version.
class Schema
{
public:
    static constexpr int kCurrentVersion = 5;
    // PRAGMA application_id of a .rsdb file: "RSDB".
    static constexpr int kApplicationId = 0x52534442;

    // Runs the steps from version `from` up to `to` inside one transaction and records `to`:
    // either all of them are applied or nothing changes. Precondition: 0 <= from <= to <= current.
    static Expected<bool> migrate(Database &db, int from, int to);

    // The statements of one step for db's back end (for inspection and tests).
    static QStringList statements(const Database &db, int toVersion);

private:
    static Expected<bool> backfill(Database &db, int toVersion);
    static Expected<bool> writeVersion(Database &db, int version);
};

} // namespace rs
