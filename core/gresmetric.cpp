#include "core/gresmetric.h"

#include <limits>

namespace rs {

namespace {

double rounded(double value)
{
    volatile double stored = value;
    return stored;
}

double ratioOrNaN(double numerator, double denominator)
{
    return denominator != 0.0 ? numerator / denominator : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

Expected<OverlapCounts> GresMetric::add(const Mask &prediction, bool predictedNoTarget,
                                        const Mask &groundTruth, bool groundTruthNoTarget)
{
    const Expected<OverlapCounts> counts = OverlapCounts::of(prediction, groundTruth);
    if (counts)
        addCounts(*counts, predictedNoTarget, groundTruthNoTarget);
    return counts;
}

void GresMetric::addCounts(const OverlapCounts &counts, bool predictedNoTarget, bool groundTruthNoTarget)
{
    ++m_samples;
    if (groundTruthNoTarget) {
        if (predictedNoTarget) {
            ++m_truePositives;
            m_sumIoU = rounded(m_sumIoU + 1.0);
        } else {
            ++m_falseNegatives;
            m_sumUnion += counts.unionArea;
        }
        return;
    }
    qint64 intersection = counts.intersection;
    if (predictedNoTarget) {
        ++m_falsePositives;
        intersection = 0;
    } else {
        ++m_trueNegatives;
    }
    const double iou = counts.unionArea == 0 ? 0.0 : double(intersection) / double(counts.unionArea);
    m_sumIoU = rounded(m_sumIoU + iou);
    m_sumIntersection += intersection;
    m_sumUnion += counts.unionArea;
    m_precision.add(iou);
}

double GresMetric::gIoU() const
{
    return m_samples == 0 ? std::numeric_limits<double>::quiet_NaN() : 100.0 * (m_sumIoU / double(m_samples));
}

double GresMetric::cIoU() const
{
    return ratioOrNaN(rounded(double(m_sumIntersection) * 100.0), double(m_sumUnion));
}

double GresMetric::targetAccuracy() const
{
    if (noTargetCount() == 0)
        return 0.0;
    return ratioOrNaN(double(m_trueNegatives), double(m_trueNegatives + m_falsePositives));
}

double GresMetric::noTargetAccuracy() const
{
    if (noTargetCount() == 0)
        return 0.0;
    return ratioOrNaN(double(m_truePositives), double(m_truePositives + m_falseNegatives));
}

std::vector<MetricValue> GresMetric::values() const
{
    std::vector<MetricValue> values {
        { QStringLiteral("gIoU"), gIoU(), MetricUnit::Percent },
        { QStringLiteral("cIoU"), cIoU(), MetricUnit::Percent },
        { QStringLiteral("T_acc"), targetAccuracy(), MetricUnit::Fraction },
        { QStringLiteral("N_acc"), noTargetAccuracy(), MetricUnit::Fraction },
    };
    for (const MetricValue &value : m_precision.values())
        values.push_back(value);
    values.push_back({ QStringLiteral("samples"), double(m_samples), MetricUnit::Count });
    return values;
}

} // namespace rs
