#include "cli/projectargument.h"

#include <QFileInfo>

namespace rs::cli {

Expected<ProjectLocation> ProjectArgument::parse(const QString &argument)
{
    return ProjectLocation::parse(argument);
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
    auto db = Database::open(*location, options);
    if (db || mode != Database::Mode::ReadOnly || !db.error().contains(QLatin1String("needs an upgrade from schema")))
        return db;
    // A project written by an older version: a read-only command upgrades it once (the migration is
    // one transaction) when it may write, then reads it as asked.
    if (location->backend == Backend::Sqlite && !QFileInfo(location->path).isWritable())
        return db;
    auto upgraded = Database::open(*location);
    if (!upgraded)
        return Error{upgraded.error()};
    upgraded->reset();
    return Database::open(*location, options);
}

} // namespace rs::cli
