#pragma once

#include "storage/projectlocation.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace rs::test {

// The back ends every storage test runs on, and fresh empty project locations on each.
// PostgreSQL: the CTest fixture's server ($RS_PG_FIXTURE_DIR/port), or, when a test runs on its
// own, a server this process starts on first use and stops in shutdown().
class TestBackends
{
public:
    static QList<std::pair<QByteArray, Backend>> all();
    // Why the back end cannot be tested here (to QSKIP with), or nullopt.
    static std::optional<QString> unavailable(Backend backend);
    // A location no project uses yet: a new file in a temporary folder, or a new PostgreSQL schema.
    static ProjectLocation freshLocation(Backend backend);
    // A folder for this process's files (removed at exit).
    static QString tempDir();
    // Stops a server this process started (call from cleanupTestCase()).
    static void shutdown();
};

} // namespace rs::test

// Declares `location`: a fresh project location on the row's "backend", or skips the row.
#define RS_FRESH_LOCATION(location)                                                                         \
    QFETCH(int, backend);                                                                                  \
    if (const auto reason = rs::test::TestBackends::unavailable(rs::Backend(backend)))                    \
        QSKIP(qPrintable(*reason));                                                                        \
    const rs::ProjectLocation location = rs::test::TestBackends::freshLocation(rs::Backend(backend))
