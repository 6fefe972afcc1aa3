#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg agreement PROJECT [--json]`: how much annotators agree on the samples they answered
// independently, and how they do on gold items.
class AgreementCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("agreement"); }
    QString synopsis() const override { return QStringLiteral("agreement PROJECT [--json] [--drift-block N]"); }
    QString summary() const override
    {
        return QStringLiteral("inter-annotator agreement (Cohen, Fleiss, Krippendorff, mask IoU), gold accuracy, drift");
    }
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
