#include "storage/projectlocation.h"

#include <QUrl>
#include <QUrlQuery>

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

Expected<ProjectLocation> ProjectLocation::parse(const QString &argument)
{
    if (!argument.startsWith(QLatin1String("postgresql://")) && !argument.startsWith(QLatin1String("postgres://")))
        return sqlite(argument);
    const QUrl url(argument);
    const QString database = url.path().mid(1);
    if (!url.isValid() || url.host().isEmpty() || database.isEmpty())
        return Error{QStringLiteral("%1: expected postgresql://USER@HOST[:PORT]/DATABASE[?schema=NAME]").arg(argument)};
    ProjectLocation location = postgres(url.host(), url.port(5432), database, url.userName(),
                                        QUrlQuery(url).queryItemValue(QStringLiteral("schema")));
    location.password = qEnvironmentVariable("PGPASSWORD");
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
