#include "core/nextchatmetric.h"

#include <limits>

namespace rs {

Expected<OverlapCounts> NextChatMetric::add(const Mask &prediction, const Mask &groundTruth)
{
    const Expected<OverlapCounts> counts = OverlapCounts::of(prediction, groundTruth);
    if (counts)
        addCounts(*counts);
    return counts;
}

void NextChatMetric::addCounts(const OverlapCounts &counts)
{
    m_sumIntersection += counts.intersection;
    m_sumUnion += counts.unionArea;
    if (counts.intersection <= 0)
        ++m_failed;
    ++m_samples;
}

double NextChatMetric::cIoU() const
{
    if (m_sumUnion == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return double(m_sumIntersection) / double(m_sumUnion);
}

std::vector<MetricValue> NextChatMetric::values() const
{
    return {
        { QStringLiteral("cIoU"), cIoU(), MetricUnit::Fraction },
        { QStringLiteral("failed"), double(m_failed), MetricUnit::Count },
        { QStringLiteral("samples"), double(m_samples), MetricUnit::Count },
    };
}

} // namespace rs
