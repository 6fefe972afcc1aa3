#pragma once

#include "core/evaluationreport.h"

#include <QStringList>

namespace rs::cli {

// The terminal form of an evaluation: a header naming run, protocol and truth, one row per group
// with the protocol's metrics as its benchmark prints them, then the reasoning and grade lines.
class EvaluationTable
{
public:
    static QStringList lines(const EvaluationReport &report, const QString &run, const QString &against);
};

} // namespace rs::cli
