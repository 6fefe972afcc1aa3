#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg check PROJECT [--no-hash]`: integrity; exit 1 when anything is wrong.
class CheckCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("check"); }
    QString synopsis() const override { return QStringLiteral("check PROJECT [--no-hash]"); }
    QString summary() const override
    {
        return QStringLiteral("integrity: missing or changed images, masks out of bounds, empty targets, samples without text");
    }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
