#pragma once

#include <QString>
#include <QStringList>

namespace rs::cli {

// The model part of `reasonseg demo`: runs the bundled model package on its ReasonSeg-format held-out
// samples with the C++ runtime and reports one chain and the LISA gIoU/cIoU of the first `samples`.
class ModelDemo
{
public:
    // Report lines; an empty list with *error set when the package or its data cannot be used.
    static QStringList run(const QString &packageDirectory, int samples, QString *error);
};

} // namespace rs::cli
