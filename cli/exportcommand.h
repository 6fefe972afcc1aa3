#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg export PROJECT --format FMT --out DIR [--split NAME] [--status STATUS] [--run NAME]`:
// the output folder appears whole, with a manifest, or not at all.
class ExportCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("export"); }
    QString synopsis() const override
    {
        return QStringLiteral("export PROJECT --format FMT --out DIR [--split NAME] [--status STATUS] [--run NAME]");
    }
    QString summary() const override;
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
