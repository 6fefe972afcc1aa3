#pragma once

#include "core/evaluationreport.h"

#include <QJsonObject>

namespace rs {

// The machine-readable form of an evaluation (`reasonseg eval --json`, the HTML report's data):
// every metric under its benchmark name with its unit, the reasoning and grade summaries, and with
// withSamples each sample's line. NaN (a metric the benchmark leaves undefined) becomes null.
class EvaluationJson
{
public:
    static QJsonObject toJson(const EvaluationReport &report, bool withSamples);
    static QJsonObject metricsObject(const std::vector<MetricValue> &metrics);
    static QString unitName(MetricUnit unit);
};

} // namespace rs
