#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg eval PROJECT --run NAME ...`: a benchmark's metrics of one model run, computed the way
// that benchmark's own script computes them, with the protocol printed next to the numbers.
class EvalCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("eval"); }
    QString synopsis() const override
    {
        return QStringLiteral("eval PROJECT --run NAME [--protocol P] [--against annotations|targets] [--by KEY] [--json] "
                              "[--report DIR]");
    }
    QString summary() const override
    {
        return QStringLiteral("benchmark metrics of a model run (LISA, Seg-Zero, VisionReasoner, GRES, NExT-Chat) and its "
                              "reasoning efficiency");
    }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
