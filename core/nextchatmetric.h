#pragma once

#include "core/metricvalue.h"
#include "core/overlapcounts.h"

#include <vector>

namespace rs {

// NExT-Chat's referring-expression segmentation metric (formats.md §5; `NExT-Chat:
// mllm/dataset/single_image_dataset/res.py` RESComputeMetrics, `mllm/engine/base_engine.py:181-184`):
// per sample I and U as int64 pixel counts, cIoU = ΣI / ΣU (float64, NaN when ΣU == 0 as numpy gives),
// failed = number of samples with I <= 0. No gIoU and no ignore handling.
class NextChatMetric
{
public:
    static constexpr const char *kProtocol = "next-chat";
    QString protocol() const { return QString::fromLatin1(kProtocol); }

    Expected<OverlapCounts> add(const Mask &prediction, const Mask &groundTruth);
    void addCounts(const OverlapCounts &counts);

    double cIoU() const;
    qint64 failedCount() const { return m_failed; }
    qint64 sampleCount() const { return m_samples; }
    std::vector<MetricValue> values() const;

private:
    qint64 m_sumIntersection = 0;
    qint64 m_sumUnion = 0;
    qint64 m_failed = 0;
    qint64 m_samples = 0;
};

} // namespace rs
