#pragma once

#include "core/metricvalue.h"

#include <vector>

namespace rs {

// Precision at IoU thresholds (Pr@X): the share of samples whose IoU reaches each threshold.
// Convention of ReLA's GRES evaluator (`ReLA: gres_model/evaluation/refer_evaluation.py`,
// `if this_iou >= thres`): a sample counts when IoU >= threshold, both as float64, so IoU 7/10
// counts at 0.7. Reported as ReLA prints it: count * 100. / samples (percent).
class IoUPrecision
{
public:
    static constexpr const char *kProtocol = "pr@iou";
    QString protocol() const { return QString::fromLatin1(kProtocol); }

    static std::vector<double> defaultThresholds() { return { 0.5, 0.6, 0.7, 0.8, 0.9 }; }

    explicit IoUPrecision(std::vector<double> thresholds = defaultThresholds());

    void add(double iou);

    const std::vector<double> &thresholds() const { return m_thresholds; }
    qint64 sampleCount() const { return m_samples; }
    // Samples at or above threshold; -1 for a threshold that is not tracked.
    qint64 hits(double threshold) const;
    // hits * 100. / samples; NaN for an untracked threshold or no sample.
    double percent(double threshold) const;
    // Named "Pr@0.7" etc., in percent.
    std::vector<MetricValue> values() const;

private:
    std::vector<double> m_thresholds;
    std::vector<qint64> m_hits;
    qint64 m_samples = 0;
};

} // namespace rs
