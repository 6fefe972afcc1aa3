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
    return Database::open(*location, options);
}

} // namespace rs::cli
