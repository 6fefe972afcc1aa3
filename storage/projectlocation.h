#pragma once

#include "core/expected.h"

#include <QString>

namespace rs {

enum class Backend { Sqlite, Postgres };

// Where a project lives: a SQLite file (`.rsdb`), or a schema in a PostgreSQL database (teams).
struct ProjectLocation
{
    Backend backend = Backend::Sqlite;
    QString path;          // SQLite: the .rsdb file
    QString host;          // PostgreSQL: server address
    int port = 5432;
    QString databaseName;  // PostgreSQL: database name
    QString user;
    QString password;
    QString schema;        // PostgreSQL: schema holding the project; empty = "public"

    static ProjectLocation sqlite(const QString &path);
    static ProjectLocation postgres(const QString &host, int port, const QString &databaseName,
                                    const QString &user, const QString &schema = QString());

    // A project named on a command line or in the GUI: a SQLite file path (`.rsdb`), or
    // postgresql://USER@HOST[:PORT]/DATABASE[?schema=NAME] (the password comes from PGPASSWORD).
    static Expected<ProjectLocation> parse(const QString &argument);

    // For messages: the file path, or "postgresql://user@host:port/db (schema s)".
    QString displayName() const;
};

} // namespace rs
