#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg assign PROJECT --annotators a,b,c --overlap SHARE ...`: gives a seeded share of the
// samples to several annotators each, for independent answers that agreement compares.
class AssignCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("assign"); }
    QString synopsis() const override
    {
        return QStringLiteral("assign PROJECT --annotators A,B[,...] --overlap SHARE [--per-sample N] [--seed N] [--split NAME]");
    }
    QString summary() const override { return QStringLiteral("assign overlap: a share of the samples to several annotators"); }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
