#include "storage/projectlocation.h"

namespace rs {

ProjectLocation ProjectLocation::sqlite(const QString &path)
{
    ProjectLocation location;
    location.backend = Backend::Sqlite;
    location.path = path;
    return location;
}

ProjectLocation ProjectLocation::postgres(const QString &host, int port, const QString &databaseName,
                                          const QString &user, const QString &schema)
{
    ProjectLocation location;
    location.backend = Backend::Postgres;
    location.host = host;
    location.port = port;
    location.databaseName = databaseName;
    location.user = user;
    location.schema = schema;
    return location;
}

QString ProjectLocation::displayName() const
{
    if (backend == Backend::Sqlite)
        return path;
    QString name = QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
    if (!schema.isEmpty())
        name += QStringLiteral(" (schema %1)").arg(schema);
    return name;
}

} // namespace rs
