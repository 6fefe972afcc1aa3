#include "cli/projectargument.h"

#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

namespace rs::cli {

Expected<ProjectLocation> ProjectArgument::parse(const QString &argument)
{
    if (!argument.startsWith(QLatin1String("postgresql://")) && !argument.startsWith(QLatin1String("postgres://")))
        return ProjectLocation::sqlite(argument);
    const QUrl url(argument);
    const QString database = url.path().mid(1);
    if (!url.isValid() || url.host().isEmpty() || database.isEmpty())
        return Error{QStringLiteral("%1: expected postgresql://USER@HOST[:PORT]/DATABASE[?schema=NAME]").arg(argument)};
    ProjectLocation location = ProjectLocation::postgres(url.host(), url.port(5432), database, url.userName(),
                                                         QUrlQuery(url).queryItemValue(QStringLiteral("schema")));
    location.password = qEnvironmentVariable("PGPASSWORD");
    return location;
}

Expected<std::unique_ptr<Database>> ProjectArgument::open(const QString &argument, Database::Mode mode)
{
    auto location = parse(argument);
    if (!location)
        return Error{location.error()};
    if (location->backend == Backend::Sqlite && !QFileInfo::exists(location->path))
        return Error{QStringLiteral("%1: no such project file (create one with reasonseg init)").arg(argument)};
    Database::Options options;
    options.mode = mode;
    return Database::open(*location, options);
}

} // namespace rs::cli
