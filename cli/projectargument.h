#pragma once

#include "core/expected.h"
#include "storage/database.h"

#include <QString>

#include <memory>

namespace rs::cli {

// The PROJECT argument: a SQLite file path (`.rsdb`), or a PostgreSQL project written as
// postgresql://USER@HOST[:PORT]/DATABASE[?schema=NAME] (the password comes from PGPASSWORD).
class ProjectArgument
{
public:
    static Expected<ProjectLocation> parse(const QString &argument);
    // Opens an existing project; "PROJECT: no such project file" when the file is missing.
    static Expected<std::unique_ptr<Database>> open(const QString &argument,
                                                    Database::Mode mode = Database::Mode::ReadWrite);
};

} // namespace rs::cli
