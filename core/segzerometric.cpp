#include "core/segzerometric.h"

#include "core/numpysum.h"

namespace rs {

QString SegZeroMetric::protocol() const
{
    return QString::fromLatin1(m_variant == Variant::SegZero ? kSegZeroProtocol : kVisionReasonerProtocol);
}

Mask SegZeroMetric::groundTruthOf(const LabelledMask &labels) const
{
    return m_ignorePolicy == IgnorePolicy::AsForeground ? labels.nonZero() : labels.target();
}

Expected<OverlapCounts> SegZeroMetric::add(const Mask &prediction, const Mask &groundTruth)
{
    const Expected<OverlapCounts> counts = OverlapCounts::of(prediction, groundTruth);
    if (counts)
        addCompared(*counts);
    return counts;
}

bool SegZeroMetric::addCompared(const OverlapCounts &counts)
{
    if (counts.unionArea == 0 && m_variant == Variant::SegZero) {
        ++m_skipped;
        return false;
    }
    addCounts(counts);
    return true;
}

Expected<OverlapCounts> SegZeroMetric::add(const Mask &prediction, const LabelledMask &groundTruth)
{
    return add(prediction, groundTruthOf(groundTruth));
}

void SegZeroMetric::addUnparsable(qint64 groundTruthArea)
{
    ++m_unparsable;
    addCounts({ 0, groundTruthArea });
}

void SegZeroMetric::addCounts(const OverlapCounts &counts)
{
    // Python: intersection / union (ints, correctly rounded true division) if union > 0 else 0.
    m_ious.push_back(counts.unionArea > 0 ? double(counts.intersection) / double(counts.unionArea) : 0.0);
    m_sumIntersection += counts.intersection;
    m_sumUnion += counts.unionArea;
}

double SegZeroMetric::gIoU() const
{
    return numpyMean(m_ious);
}

double SegZeroMetric::cIoU() const
{
    return m_sumUnion > 0 ? double(m_sumIntersection) / double(m_sumUnion) : 0.0;
}

std::vector<MetricValue> SegZeroMetric::values() const
{
    return {
        { QStringLiteral("gIoU"), gIoU(), MetricUnit::Fraction },
        { QStringLiteral("cIoU"), cIoU(), MetricUnit::Fraction },
        { QStringLiteral("samples"), double(sampleCount()), MetricUnit::Count },
        { QStringLiteral("skipped"), double(m_skipped), MetricUnit::Count },
        { QStringLiteral("unparsable"), double(m_unparsable), MetricUnit::Count },
    };
}

} // namespace rs
