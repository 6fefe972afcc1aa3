#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg stats PROJECT [--json]`: what the project holds.
class StatsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("stats"); }
    QString synopsis() const override { return QStringLiteral("stats PROJECT [--json]"); }
    QString summary() const override { return QStringLiteral("counts by split, status, dataset, difficulty and model run"); }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
