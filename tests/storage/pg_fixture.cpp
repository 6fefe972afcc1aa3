// CTest fixture: `pg_fixture start DIR` starts the throwaway PostgreSQL server of the storage tests
// and writes its port to DIR/port (or the reason it cannot run to DIR/unavailable);
// `pg_fixture stop DIR` stops it and removes DIR.
#include "pgserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3 || (args[1] != QLatin1String("start") && args[1] != QLatin1String("stop"))) {
        std::fprintf(stderr, "usage: pg_fixture start|stop DIR\n");
        return 2;
    }
    const QString dir = args[2];
    if (args[1] == QLatin1String("stop")) {
        auto stopped = rs::test::PgServer::stop(dir);
        QDir(dir).removeRecursively();
        if (!stopped) {
            std::fprintf(stderr, "pg_fixture: %s\n", qPrintable(stopped.error()));
            return 1;
        }
        return 0;
    }
    rs::test::PgServer::stop(dir);
    QDir(dir).removeRecursively();
    auto port = rs::test::PgServer::start(dir);
    QDir().mkpath(dir);
    if (!port) {
        // Not a failure of the fixture: the PostgreSQL rows of the tests skip with this reason.
        QFile file(dir + QStringLiteral("/unavailable"));
        if (file.open(QIODevice::WriteOnly))
            file.write(port.error().toUtf8());
        std::printf("pg_fixture: PostgreSQL tests will be skipped: %s\n", qPrintable(port.error()));
        return 0;
    }
    QFile file(dir + QStringLiteral("/port"));
    if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::number(*port)) <= 0) {
        std::fprintf(stderr, "pg_fixture: cannot write %s\n", qPrintable(file.fileName()));
        return 1;
    }
    std::printf("pg_fixture: PostgreSQL listening on 127.0.0.1:%d\n", *port);
    return 0;
}
