#pragma once

#include <QString>

#include <cmath>

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

    // As the benchmarks print them: fractions with 4 decimals, percents with 2, counts whole; "n/a"
    // for a value the benchmark leaves undefined (NaN).
    QString formatted() const
    {
        if (std::isnan(value))
            return QStringLiteral("n/a");
        switch (unit) {
        case MetricUnit::Fraction: return QString::number(value, 'f', 4);
        case MetricUnit::Percent: return QString::number(value, 'f', 2);
        case MetricUnit::Count: return QString::number(qint64(value));
        }
        return QString();
    }
};

} // namespace rs
