#include "core/iouprecision.h"

#include <limits>

namespace rs {

IoUPrecision::IoUPrecision(std::vector<double> thresholds)
    : m_thresholds(std::move(thresholds))
    , m_hits(m_thresholds.size(), 0)
{
}

void IoUPrecision::add(double iou)
{
    ++m_samples;
    for (std::size_t i = 0; i < m_thresholds.size(); ++i)
        if (iou >= m_thresholds[i])
            ++m_hits[i];
}

qint64 IoUPrecision::hits(double threshold) const
{
    for (std::size_t i = 0; i < m_thresholds.size(); ++i)
        if (m_thresholds[i] == threshold)
            return m_hits[i];
    return -1;
}

double IoUPrecision::percent(double threshold) const
{
    const qint64 count = hits(threshold);
    if (count < 0 || m_samples == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return double(count) * 100.0 / double(m_samples);
}

std::vector<MetricValue> IoUPrecision::values() const
{
    std::vector<MetricValue> values;
    for (double threshold : m_thresholds)
        values.push_back(
            { QStringLiteral("Pr@%1").arg(threshold, 0, 'f', 1), percent(threshold), MetricUnit::Percent });
    return values;
}

} // namespace rs
