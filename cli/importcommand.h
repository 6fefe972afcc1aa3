#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg import PROJECT --format FMT SRC ...`: one transaction; a bad file anywhere leaves the
// project unchanged. --dry-run reads and checks everything, then rolls back.
class ImportCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("import"); }
    QString synopsis() const override
    {
        return QStringLiteral("import PROJECT --format FMT SRC [--split NAME] [--images DIR] [--run NAME] [--dry-run]");
    }
    QString summary() const override;
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
