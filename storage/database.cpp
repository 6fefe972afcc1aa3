#include "storage/database.h"

#include "storage/schema.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

namespace rs {

namespace {

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("rs-db-%1-%2")
        .arg(quintptr(QThread::currentThread()), 0, 16)
        .arg(counter.fetchAndAddRelaxed(1));
}

QString quoted(const QString &identifier)
{
    QString inner = identifier;
    inner.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + inner + QLatin1Char('"');
}

// The reason in plain words for the codes a user can do something about.
QString sqliteReason(int code)
{
    switch (code & 0xff) {
    case 5:  // SQLITE_BUSY
    case 6:  // SQLITE_LOCKED
        return QStringLiteral("the project is locked by another program or connection");
    case 8:
        return QStringLiteral("the project is read-only");
    case 10:
        return QStringLiteral("disk I/O error");
    case 11:
        return QStringLiteral("the project file is damaged");
    case 13:
        return QStringLiteral("the disk is full");
    case 14:
        return QStringLiteral("the file cannot be opened");
    case 19:
        return QStringLiteral("the change breaks a rule of the project schema");
    case 26:
        return QStringLiteral("the file is not a database");
    default:
        return QString();
    }
}

QString postgresReason(const QString &sqlState)
{
    if (sqlState == QLatin1String("55P03") || sqlState == QLatin1String("40P01"))
        return QStringLiteral("the project is locked by another connection");
    if (sqlState == QLatin1String("40001"))
        return QStringLiteral("a concurrent change conflicted; try again");
    if (sqlState.startsWith(QLatin1String("53")))
        return QStringLiteral("the server is out of resources (disk full?)");
    if (sqlState == QLatin1String("25006"))
        return QStringLiteral("the project is read-only");
    if (sqlState.startsWith(QLatin1String("23")))
        return QStringLiteral("the change breaks a rule of the project schema");
    return QString();
}

} // namespace

Database::Database(const ProjectLocation &location, const QString &connectionName)
    : m_location(location), m_connectionName(connectionName)
{
}

Database::~Database()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Expected<std::unique_ptr<Database>> Database::create(const ProjectLocation &location, Options options)
{
    if (location.backend == Backend::Sqlite) {
        if (location.path.isEmpty())
            return Error{QStringLiteral("cannot create a project: no file name given")};
        if (QFileInfo::exists(location.path))
            return Error{QStringLiteral("cannot create project %1: the file already exists").arg(location.path)};
    }
    options.mode = Mode::ReadWrite;
    auto db = connect(location, options, true);
    if (!db)
        return db;
    Database &d = **db;
    auto identity = d.checkIdentity(true);
    auto fail = [&](const QString &message) -> Expected<std::unique_ptr<Database>> {
        db = Error{message};  // closes the connection before the file is removed
        if (location.backend == Backend::Sqlite) {
            QFile::remove(location.path);
            QFile::remove(location.path + QStringLiteral("-wal"));
            QFile::remove(location.path + QStringLiteral("-shm"));
        }
        return Error{message};
    };
    if (!identity)
        return fail(identity.error());
    if (location.backend == Backend::Sqlite) {
        for (const QString &sql : {QStringLiteral("PRAGMA application_id = %1").arg(Schema::kApplicationId),
                                   QStringLiteral("PRAGMA journal_mode = WAL")}) {
            auto done = d.exec(sql, QStringLiteral("creating project %1").arg(location.path));
            if (!done)
                return fail(done.error());
        }
    }
    auto settings = d.applySettings(options);
    if (!settings)
        return fail(settings.error());
    const int version = options.createVersion > 0 ? qMin(options.createVersion, Schema::kCurrentVersion)
                                                  : Schema::kCurrentVersion;
    auto migrated = Schema::migrate(d, 0, version);
    if (!migrated)
        return fail(migrated.error());
    d.m_schemaVersion = version;
    return db;
}

Expected<std::unique_ptr<Database>> Database::open(const ProjectLocation &location, Options options)
{
    if (location.backend == Backend::Sqlite) {
        const QFileInfo info(location.path);
        if (!info.exists())
            return Error{QStringLiteral("cannot open project %1: no such file").arg(location.path)};
        if (!info.isFile())
            return Error{QStringLiteral("cannot open project %1: not a file").arg(location.path)};
        if (!info.isWritable())
            options.mode = Mode::ReadOnly;
    }
    auto db = connect(location, options, false);
    if (!db)
        return db;
    Database &d = **db;
    auto identity = d.checkIdentity(false);
    if (!identity)
        return Error{identity.error()};
    auto version = d.readSchemaVersion();
    if (!version)
        return Error{version.error()};
    const int v = *version;
    if (v > Schema::kCurrentVersion)
        return Error{QStringLiteral("project %1 was written by a newer ReasonSeg Studio (schema %2; this program "
                                    "reads up to schema %3); it was not opened or changed")
                         .arg(location.displayName())
                         .arg(v)
                         .arg(Schema::kCurrentVersion)};
    if (v < 1)
        return Error{QStringLiteral("%1 is not a ReasonSeg project (no schema version)").arg(location.displayName())};
    if (v < Schema::kCurrentVersion && d.m_readOnly)
        return Error{QStringLiteral("project %1 needs an upgrade from schema %2 to %3 but is read-only; open it "
                                    "once with write access")
                         .arg(location.displayName())
                         .arg(v)
                         .arg(Schema::kCurrentVersion)};
    auto settings = d.applySettings(options);
    if (!settings)
        return Error{settings.error()};
    if (v < Schema::kCurrentVersion) {
        auto migrated = Schema::migrate(d, v, Schema::kCurrentVersion);
        if (!migrated)
            return Error{migrated.error()};
    }
    d.m_schemaVersion = Schema::kCurrentVersion;
    return db;
}

Expected<std::unique_ptr<Database>> Database::connect(const ProjectLocation &location, const Options &options,
                                                      bool creating)
{
    const QString name = options.connectionName.isEmpty() ? uniqueConnectionName() : options.connectionName;
    if (QSqlDatabase::contains(name))
        return Error{QStringLiteral("a connection named %1 is already open").arg(name)};
    std::unique_ptr<Database> result(new Database(location, name));
    result->m_readOnly = options.mode == Mode::ReadOnly;
    const bool sqlite = location.backend == Backend::Sqlite;
    QSqlDatabase db = QSqlDatabase::addDatabase(sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    if (!db.isValid())
        return Error{QStringLiteral("cannot open %1: the Qt SQL driver %2 is not installed")
                         .arg(location.displayName(), sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"))};
    if (sqlite) {
        db.setDatabaseName(location.path);
        QStringList connectOptions{QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs)};
        if (result->m_readOnly)
            connectOptions << QStringLiteral("QSQLITE_OPEN_READONLY");
        db.setConnectOptions(connectOptions.join(QLatin1Char(';')));
    } else {
        db.setHostName(location.host);
        db.setPort(location.port);
        db.setDatabaseName(location.databaseName);
        db.setUserName(location.user);
        db.setPassword(location.password);
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
    }
    if (!db.open())
        return result->error(db.lastError(), QStringLiteral("opening project %1").arg(location.displayName()));
    if (!sqlite) {
        (void)result->exec(QStringLiteral("SET client_min_messages TO warning"), QStringLiteral("configuring"));
        if (!location.schema.isEmpty() && creating) {
            auto made = result->exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(quoted(location.schema)),
                                     QStringLiteral("creating schema %1").arg(location.schema));
            if (!made)
                return Error{made.error()};
        }
        if (!location.schema.isEmpty()) {
            auto set = result->exec(QStringLiteral("SET search_path TO %1").arg(quoted(location.schema)),
                                    QStringLiteral("selecting schema %1").arg(location.schema));
            if (!set)
                return Error{set.error()};
        }
    }
    return result;
}

Expected<bool> Database::checkIdentity(bool creating)
{
    const QString where = m_location.displayName();
    if (backend() == Backend::Sqlite) {
        // Reads only: nothing is written before the file is known to be a project.
        QSqlQuery query(connection());
        if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !query.next())
            return Error{QStringLiteral("%1 is not a ReasonSeg project: %2")
                             .arg(where, error(query, QStringLiteral("reading")).message)};
        const int objects = query.value(0).toInt();
        if (!query.exec(QStringLiteral("PRAGMA application_id")) || !query.next())
            return error(query, QStringLiteral("reading %1").arg(where));
        const int applicationId = query.value(0).toInt();
        if (creating)
            return objects == 0 ? Expected<bool>(true)
                                : Error{QStringLiteral("cannot create project %1: not empty").arg(where)};
        if (applicationId != Schema::kApplicationId)
            return Error{QStringLiteral("%1 is not a ReasonSeg project (%2)")
                             .arg(where, objects == 0 ? QStringLiteral("an empty database")
                                                      : QStringLiteral("a database of another program"))};
        return true;
    }
    QSqlQuery query(connection());
    if (!query.exec(QStringLiteral("SELECT to_regclass('project_meta') IS NOT NULL")) || !query.next())
        return error(query, QStringLiteral("reading %1").arg(where));
    const bool hasMeta = query.value(0).toBool();
    if (creating)
        return hasMeta ? Error{QStringLiteral("cannot create project %1: it already holds a project").arg(where)}
                       : Expected<bool>(true);
    if (!hasMeta)
        return Error{QStringLiteral("%1 is not a ReasonSeg project (no project_meta table)").arg(where)};
    auto app = setting(QStringLiteral("application"));
    if (!app)
        return Error{app.error()};
    if (*app != QLatin1String("reasonseg"))
        return Error{QStringLiteral("%1 is not a ReasonSeg project").arg(where)};
    return true;
}

Expected<int> Database::readSchemaVersion() const
{
    if (backend() == Backend::Sqlite) {
        QSqlQuery query(connection());
        if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
            return error(query, QStringLiteral("reading the schema version of %1").arg(m_location.displayName()));
        return query.value(0).toInt();
    }
    auto value = setting(QStringLiteral("schema_version"));
    if (!value)
        return Error{value.error()};
    bool ok = false;
    const int version = value->toInt(&ok);
    if (!ok)
        return Error{QStringLiteral("%1 has no valid schema version").arg(m_location.displayName())};
    return version;
}

Expected<bool> Database::applySettings(const Options &options)
{
    if (backend() == Backend::Sqlite) {
        QStringList pragmas{QStringLiteral("PRAGMA foreign_keys = ON"),
                            QStringLiteral("PRAGMA busy_timeout = %1").arg(options.busyTimeoutMs)};
        if (!m_readOnly)
            pragmas << QStringLiteral("PRAGMA synchronous = FULL");
        for (const QString &sql : pragmas) {
            auto done = exec(sql, QStringLiteral("configuring the connection to %1").arg(m_location.path));
            if (!done)
                return done;
        }
        return true;
    }
    QStringList settings{QStringLiteral("SET lock_timeout = %1").arg(options.busyTimeoutMs),
                         QStringLiteral("SET synchronous_commit = on")};
    if (m_readOnly)
        settings << QStringLiteral("SET default_transaction_read_only = on");
    for (const QString &sql : settings) {
        auto done = exec(sql, QStringLiteral("configuring the connection to %1").arg(m_location.displayName()));
        if (!done)
            return done;
    }
    return true;
}

QSqlQuery Database::prepare(const QString &sql) const
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    query.prepare(sql);
    return query;
}

Expected<bool> Database::exec(const QString &sql, const QString &doing) const
{
    QSqlQuery query(connection());
    if (!query.exec(sql))
        return error(query, doing);
    return true;
}

Error Database::error(const QSqlError &sqlError, const QString &doing) const
{
    if (backend() == Backend::Postgres && m_inTransaction && !m_transactionAborted) {
        m_transactionAborted = true;
        QSqlQuery(connection()).exec(QStringLiteral("ROLLBACK"));
    }
    QString driverText = sqlError.databaseText().trimmed();
    if (driverText.isEmpty())
        driverText = sqlError.driverText().trimmed();
    driverText = driverText.section(QLatin1Char('\n'), 0, 0);
    const QString code = sqlError.nativeErrorCode();
    QString reason;
    if (backend() == Backend::Sqlite) {
        bool ok = false;
        const int number = code.toInt(&ok);
        if (ok)
            reason = sqliteReason(number);
    } else {
        reason = postgresReason(code);
    }
    if (reason.isEmpty())
        return Error{QStringLiteral("%1: %2").arg(doing, driverText)};
    return Error{QStringLiteral("%1: %2 (%3)").arg(doing, reason, driverText)};
}

Error Database::error(const QSqlQuery &query, const QString &doing) const
{
    return error(query.lastError(), doing);
}

Error Database::readOnlyError(const QString &doing) const
{
    return Error{QStringLiteral("%1: project %2 is open read-only").arg(doing, m_location.displayName())};
}

Expected<QString> Database::integrityCheck() const
{
    QSqlQuery query(connection());
    if (backend() == Backend::Sqlite) {
        if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
            return error(query, QStringLiteral("checking %1").arg(m_location.path));
        QStringList problems;
        while (query.next())
            problems << query.value(0).toString();
        return problems.join(QLatin1String("; "));
    }
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sample")))
        return error(query, QStringLiteral("checking %1").arg(m_location.displayName()));
    return QStringLiteral("ok");
}

Expected<QString> Database::setting(const QString &key) const
{
    QSqlQuery query = prepare(QStringLiteral("SELECT value FROM project_meta WHERE key = ?"));
    query.addBindValue(key);
    if (!query.exec())
        return error(query, QStringLiteral("reading setting %1").arg(key));
    return query.next() ? query.value(0).toString() : QString();
}

Expected<bool> Database::setSetting(const QString &key, const QString &value)
{
    const QString doing = QStringLiteral("writing setting %1").arg(key);
    if (m_readOnly)
        return readOnlyError(doing);
    QSqlQuery query = prepare(QStringLiteral("INSERT INTO project_meta (key, value) VALUES (?, ?)"
                                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    query.addBindValue(key);
    query.addBindValue(value);
    if (!query.exec())
        return error(query, doing);
    return true;
}

} // namespace rs
