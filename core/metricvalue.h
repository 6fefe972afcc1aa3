#pragma once

#include <QString>

namespace rs {

enum class MetricUnit {
    Fraction, // in [0, 1]
    Percent, // in [0, 100], as the benchmark prints it
    Count,
};

// One named number an evaluator reports ("gIoU", "cIoU", "Pr@0.7", ...), with the unit the
// benchmark's own code gives it in. Shown next to the protocol that produced it.
struct MetricValue
{
    QString name;
    double value = 0.0;
    MetricUnit unit = MetricUnit::Fraction;

    bool operator==(const MetricValue &) const = default;
};

} // namespace rs
