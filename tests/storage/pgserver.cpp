#include "pgserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rs::test {

namespace {

Expected<int> freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return Error{QStringLiteral("cannot create a socket to find a free port")};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    if (port <= 0)
        return Error{QStringLiteral("cannot find a free local port")};
    return port;
}

QString shellQuote(const QString &s)
{
    QString q = s;
    q.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

// Runs `command` with /bin/sh, as the postgres user when we are root (PostgreSQL refuses root).
Expected<bool> runShell(const QString &command, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (::geteuid() == 0)
        process.start(QStringLiteral("su"), {QStringLiteral("postgres"), QStringLiteral("-s"), QStringLiteral("/bin/sh"),
                                             QStringLiteral("-c"), command});
    else
        process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return Error{QStringLiteral("timed out: %1").arg(command)};
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return Error{QStringLiteral("failed (%1): %2\n%3")
                         .arg(process.exitCode())
                         .arg(command, QString::fromLocal8Bit(process.readAll()).trimmed())};
    return true;
}

} // namespace

QString PgServer::binDir()
{
    const QString fromEnvironment = qEnvironmentVariable("RS_PG_BIN");
    return fromEnvironment.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : fromEnvironment;
}

Expected<int> PgServer::start(const QString &dir)
{
    const QString bin = binDir();
    for (const char *tool : {"initdb", "pg_ctl"})
        if (!QFileInfo(QDir(bin).filePath(QLatin1String(tool))).isExecutable())
            return Error{QStringLiteral("PostgreSQL server binaries not found (%1/%2); set RS_PG_BIN")
                             .arg(bin, QLatin1String(tool))};
    if (!QDir().mkpath(dir))
        return Error{QStringLiteral("cannot create %1").arg(dir)};
    // The server runs as the postgres user, which may not be able to reach `dir` (a build tree under
    // /root is mode 700): its files live in a folder of their own under the system temp folder, and
    // `dir`/server-home says where.
    QByteArray pattern = QFile::encodeName(QDir::tempPath() + QStringLiteral("/rs-pg-XXXXXX"));
    if (!::mkdtemp(pattern.data()))
        return Error{QStringLiteral("cannot create a folder in %1").arg(QDir::tempPath())};
    const QString absolute = QFile::decodeName(pattern);
    QFile homeFile(dir + QStringLiteral("/server-home"));
    if (!homeFile.open(QIODevice::WriteOnly) || homeFile.write(pattern) != pattern.size())
        return Error{QStringLiteral("cannot write %1").arg(homeFile.fileName())};
    homeFile.close();
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw)
            return Error{QStringLiteral("running as root but there is no postgres user to run the server as")};
        if (::chown(pattern.constData(), pw->pw_uid, pw->pw_gid) != 0)
            return Error{QStringLiteral("cannot give %1 to the postgres user").arg(absolute)};
    }
    const QString data = absolute + QStringLiteral("/data");
    auto initialised = runShell(QStringLiteral("%1 -D %2 -A trust -U postgres -E UTF8 --no-sync > %3 2>&1")
                                    .arg(shellQuote(bin + QStringLiteral("/initdb")), shellQuote(data),
                                         shellQuote(absolute + QStringLiteral("/initdb.log"))),
                                120000);
    if (!initialised)
        return Error{QStringLiteral("initdb %1").arg(initialised.error())};
    auto port = freePort();
    if (!port)
        return port;
    const QString options = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60")
                                .arg(*port)
                                .arg(absolute);
    auto started = runShell(QStringLiteral("%1 -D %2 -l %3 -w -t 60 -o %4 start > /dev/null")
                                .arg(shellQuote(bin + QStringLiteral("/pg_ctl")), shellQuote(data),
                                     shellQuote(absolute + QStringLiteral("/server.log")), shellQuote(options)),
                            90000);
    if (!started)
        return Error{QStringLiteral("pg_ctl start %1").arg(started.error())};
    return *port;
}

Expected<bool> PgServer::stop(const QString &dir)
{
    QFile homeFile(dir + QStringLiteral("/server-home"));
    if (!homeFile.open(QIODevice::ReadOnly))
        return true; // never started
    const QString home = QFile::decodeName(homeFile.readAll().trimmed());
    Expected<bool> stopped = true;
    if (QFileInfo::exists(home + QStringLiteral("/data/postmaster.pid")))
        stopped = runShell(QStringLiteral("%1 -D %2 -m fast -w -t 60 stop > /dev/null")
                               .arg(shellQuote(binDir() + QStringLiteral("/pg_ctl")), shellQuote(home + QStringLiteral("/data"))),
                           90000);
    if (home.startsWith(QDir::tempPath() + QStringLiteral("/rs-pg-")))
        QDir(home).removeRecursively();
    return stopped;
}

} // namespace rs::test
