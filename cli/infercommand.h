#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg infer PROJECT --model DIR [--device auto|cpu|cuda] [--limit N] [--run NAME]`: the model's
// proposals for the samples that have none in the run, committed batch by batch (see InferJob).
class InferCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("infer"); }
    QString synopsis() const override
    {
        return QStringLiteral("infer PROJECT --model DIR [--device auto|cpu|cuda] [--limit N] [--run NAME]");
    }
    QString summary() const override
    {
        return QStringLiteral("run a model package over the project's samples and store its proposals as a model run");
    }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
