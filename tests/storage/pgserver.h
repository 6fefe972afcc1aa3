#pragma once

#include "core/expected.h"

#include <QString>

namespace rs::test {

// A throwaway PostgreSQL server for the storage tests: initdb + pg_ctl on a free local port with
// trust authentication (as the postgres user when running as root). Its data, log and socket live in
// a fresh folder under the system temp folder, recorded in `dir`/server-home.
class PgServer
{
public:
    // The server's bin folder: $RS_PG_BIN, else /usr/lib/postgresql/15/bin.
    static QString binDir();
    // Starts a server recorded in `dir` (created); returns the port.
    static Expected<int> start(const QString &dir);
    static Expected<bool> stop(const QString &dir);
};

} // namespace rs::test
