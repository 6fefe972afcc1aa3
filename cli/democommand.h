#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg demo DIR`: builds a small synthetic dataset in DIR and runs the core pipeline on it —
// LISA's rasterisation as ground truth, COCO RLE round trips, and the benchmark metrics of two
// "annotators" (pycocotools' rasterisation of the same polygons, and a jittered copy) under each protocol;
// then the bundled model (or --model) on its held-out samples through the C++ runtime.
class DemoCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("demo"); }
    QString synopsis() const override { return QStringLiteral("demo DIR [--scenes N] [--model PACKAGE_DIR | --no-model]"); }
    QString summary() const override;
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
