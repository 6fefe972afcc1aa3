#pragma once

#include "cli/command.h"

namespace rs::cli {

// `reasonseg demo DIR`: builds a small synthetic dataset in DIR and runs the core pipeline on it —
// LISA's rasterisation as ground truth, COCO RLE round trips, and the benchmark metrics of two
// "annotators" (pycocotools' rasterisation of the same polygons, and a jittered copy) under each protocol.
class DemoCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("demo"); }
    QString synopsis() const override { return QStringLiteral("demo DIR [--scenes N]"); }
    QString summary() const override;
    int run(const QStringList &arguments) override;
};

} // namespace rs::cli
