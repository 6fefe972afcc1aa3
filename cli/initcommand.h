#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg init PROJECT [--images DIR]`: a new, empty project.
class InitCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("init"); }
    QString synopsis() const override { return QStringLiteral("init PROJECT [--images DIR]"); }
    QString summary() const override { return QStringLiteral("create an empty project (a .rsdb file, or postgresql://...)"); }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
