#pragma once

#include "core/expected.h"
#include "storage/projectlocation.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>

class QSqlError;

namespace rs {

// One open connection to a project (SQLite file or PostgreSQL schema): identity and schema-version
// checks, forward migrations, durability settings and error wording.
//
// Thread: a Database belongs to the thread that opened it (Qt's rule for QSqlDatabase); use
// ThreadConnections to get one per thread. Everything that uses it (repositories, queries,
// transactions) must be destroyed before it.
class Database
{
public:
    enum class Mode { ReadWrite, ReadOnly };
    struct Options
    {
        Mode mode = Mode::ReadWrite;
        int busyTimeoutMs = 5000;  // how long a write waits for another writer before "locked"
        QString connectionName;    // empty: a unique name is made
        int createVersion = 0;     // create(): build this older schema version (migration tests); 0 = current
    };

    // A new, empty project. SQLite: the file must not exist (it is removed again when creation fails).
    // PostgreSQL: the schema is created when missing and must not hold a project yet.
    static Expected<std::unique_ptr<Database>> create(const ProjectLocation &location, Options options);
    static Expected<std::unique_ptr<Database>> create(const ProjectLocation &location)
    {
        return create(location, Options());
    }
    // An existing project. Refuses (and never modifies) anything that is not a project, a damaged
    // file, or a project newer than this program; migrates an older one in one transaction.
    // A SQLite file this process may not write is opened read-only.
    static Expected<std::unique_ptr<Database>> open(const ProjectLocation &location, Options options);
    static Expected<std::unique_ptr<Database>> open(const ProjectLocation &location)
    {
        return open(location, Options());
    }
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    const ProjectLocation &location() const { return m_location; }
    Backend backend() const { return m_location.backend; }
    bool isReadOnly() const { return m_readOnly; }
    int schemaVersion() const { return m_schemaVersion; }
    QString connectionName() const { return m_connectionName; }
    QSqlDatabase connection() const;

    // A query prepared on this connection; when preparing fails, the query's lastError() says why.
    QSqlQuery prepare(const QString &sql) const;
    // Runs a statement without bound values (DDL, PRAGMA, BEGIN); Error names what was being done.
    Expected<bool> exec(const QString &sql, const QString &doing) const;

    // "What failed: why" in one line, for a driver error while doing `doing`.
    Error error(const QSqlError &sqlError, const QString &doing) const;
    Error error(const QSqlQuery &query, const QString &doing) const;
    // The error a write gets on a read-only project.
    Error readOnlyError(const QString &doing) const;

    // Whether a Transaction is open on this connection.
    bool inTransaction() const { return m_inTransaction; }

    // SQLite: PRAGMA integrity_check ("ok" or the problems). PostgreSQL: "ok" when the schema reads.
    Expected<QString> integrityCheck() const;

    // Project settings (key/value), e.g. "image_root".
    Expected<QString> setting(const QString &key) const;
    Expected<bool> setSetting(const QString &key, const QString &value);

private:
    friend class Transaction;
    Database(const ProjectLocation &location, const QString &connectionName);
    static Expected<std::unique_ptr<Database>> connect(const ProjectLocation &location, const Options &options,
                                                       bool creating);
    Expected<bool> checkIdentity(bool creating);
    Expected<bool> applySettings(const Options &options);
    Expected<int> readSchemaVersion() const;

    ProjectLocation m_location;
    QString m_connectionName;
    bool m_readOnly = false;
    int m_schemaVersion = 0;
    bool m_inTransaction = false;
    // PostgreSQL aborts a transaction at its first error: error() rolls it back at once (so that
    // statements can still be freed) and the Transaction then only forgets it.
    mutable bool m_transactionAborted = false;
};

} // namespace rs
