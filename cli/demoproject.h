#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

namespace rs::cli {

// The demo's ready project: DIR/demo.rsdb holding the bundled model's held-out set (ReasonSeg-Diff:
// masks, difficulty scores, reference chains) and, when a model is given, a model run with its
// proposals for the first samples — what the workstation opens in `./scripts/demo`.
class DemoProject
{
public:
    static constexpr const char *kFileName = "demo.rsdb";

    // Rebuilds DIR/demo.rsdb (a previous demo project there is replaced). Returns report lines.
    static Expected<QStringList> build(const QString &dir, const QString &datasetDir, const QString &modelDir,
                                       int proposals);
};

} // namespace rs::cli
