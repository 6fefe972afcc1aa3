#include "testbackends.h"

#include "pgserver.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QTemporaryDir>

#include <memory>

namespace rs::test {

namespace {

struct PgState
{
    bool resolved = false;
    std::optional<QString> unavailable;
    int port = 0;
    std::unique_ptr<QTemporaryDir> ownDir;  // set when this process started the server
};

QMutex &mutex()
{
    static QMutex m;
    return m;
}

PgState &rawState()
{
    static PgState state;
    return state;
}

PgState &pgState()
{
    PgState &state = rawState();
    QMutexLocker lock(&mutex());
    if (state.resolved)
        return state;
    state.resolved = true;
    const QString fixture = qEnvironmentVariable("RS_PG_FIXTURE_DIR");
    if (!fixture.isEmpty()) {
        QFile port(fixture + QStringLiteral("/port"));
        QFile reason(fixture + QStringLiteral("/unavailable"));
        if (port.open(QIODevice::ReadOnly)) {
            state.port = port.readAll().trimmed().toInt();
            return state;
        }
        if (reason.open(QIODevice::ReadOnly)) {
            state.unavailable = QString::fromUtf8(reason.readAll());
            return state;
        }
    }
    state.ownDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/rs-pg-XXXXXX"));
    auto port = PgServer::start(state.ownDir->path());
    if (port) {
        state.port = *port;
    } else if (!QFileInfo::exists(PgServer::binDir() + QStringLiteral("/initdb"))) {
        state.unavailable = port.error();
        state.ownDir.reset();
    } else {
        qFatal("cannot start the test PostgreSQL server: %s", qPrintable(port.error()));
    }
    return state;
}

} // namespace

QList<std::pair<QByteArray, Backend>> TestBackends::all()
{
    return {{QByteArrayLiteral("sqlite"), Backend::Sqlite}, {QByteArrayLiteral("postgres"), Backend::Postgres}};
}

std::optional<QString> TestBackends::unavailable(Backend backend)
{
    if (backend == Backend::Sqlite)
        return std::nullopt;
    const PgState &state = pgState();
    if (state.unavailable)
        return QStringLiteral("PostgreSQL not available: %1").arg(*state.unavailable);
    return std::nullopt;
}

QString TestBackends::tempDir()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/rs-storage-test-XXXXXX"));
    return dir.path();
}

ProjectLocation TestBackends::freshLocation(Backend backend)
{
    static QAtomicInteger<int> counter;
    const int n = counter.fetchAndAddRelaxed(1);
    if (backend == Backend::Sqlite)
        return ProjectLocation::sqlite(QStringLiteral("%1/project%2.rsdb").arg(tempDir()).arg(n));
    const PgState &state = pgState();
    return ProjectLocation::postgres(QStringLiteral("127.0.0.1"), state.port, QStringLiteral("postgres"),
                                     QStringLiteral("postgres"),
                                     QStringLiteral("t%1_%2").arg(QCoreApplication::applicationPid()).arg(n));
}

void TestBackends::shutdown()
{
    PgState &state = rawState();
    if (state.ownDir) {
        PgServer::stop(state.ownDir->path());
        state.ownDir.reset();
    }
}

} // namespace rs::test
