#pragma once

#include "core/evaluationsample.h"
#include "core/metricvalue.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace rs {

// One benchmark protocol fed with evaluation samples: it decides which of a sample's overlap
// counts its benchmark compares (ignore removed, ignore as foreground, ...), how edge cases score,
// and feeds the exact accumulator in core (LisaMetric, SegZeroMetric, GresMetric, NextChatMetric,
// BoxAccuracy). Samples must be added in the order the benchmark's script reads them, because some
// accumulators round like the original (float32 sums, numpy's pairwise mean).
class ProtocolScorer
{
public:
    enum class Protocol { Lisa, SegZero, VisionReasoner, Gres, NextChat };

    virtual ~ProtocolScorer() = default;

    static std::unique_ptr<ProtocolScorer> create(Protocol protocol);
    static std::optional<Protocol> protocolFromName(const QString &name);
    static QStringList protocolNames();

    virtual QString name() const = 0;
    // A fresh scorer of the same protocol (for each breakdown key).
    virtual std::unique_ptr<ProtocolScorer> fresh() const = 0;
    // Records the sample; returns its IoU as this protocol computes it, NaN when the protocol skips
    // the sample (Seg-Zero's empty ∧ empty).
    virtual double add(const EvaluationSample &sample) = 0;
    virtual qint64 sampleCount() const = 0;
    virtual std::vector<MetricValue> values() const = 0;
    // How the protocol treats what it meets in this data (printed with the numbers).
    virtual QString description() const = 0;

protected:
    // The counts of a box-only proposal whose script reported I/U, else the given counts.
    static const OverlapCounts &countsOf(const EvaluationSample &sample, const OverlapCounts &computed)
    {
        return !sample.overlap.predictedMask && sample.reportedOverlap ? *sample.reportedOverlap : computed;
    }
};

} // namespace rs
