#pragma once

#include "core/iouprecision.h"
#include "core/metricvalue.h"
#include "core/overlapcounts.h"

#include <vector>

namespace rs {

// GRES metrics on gRefCOCO as ReLA's ReferEvaluator computes them (formats.md §6.2;
// `ReLA: gres_model/evaluation/refer_evaluation.py`). Each expression has a predicted mask, a predicted
// no-target flag, a ground-truth mask and a ground-truth no-target flag; I and U are those of the raw
// predicted mask against the ground truth (computeIoU), then:
//   GT no-target, predicted no-target:   "TP", IoU 1, adds nothing to ΣI, ΣU;
//   GT no-target, predicted a target:    "FN", IoU 0, adds U (the predicted area) to ΣU;
//   GT target,    predicted no-target:   "FP", I := 0 while U stays |P ∨ G| (the predicted mask is not
//                                         cleared), IoU = 0 / U;
//   GT target,    predicted a target:    "TN", IoU = I / U (0 when U == 0).
// Targeted expressions also feed Pr@0.7/0.8/0.9 (IoU >= threshold). "Positive" means no-target here.
// Units as ReLA reports them: gIoU = 100 * (ΣIoU / N), cIoU = ΣI * 100 / ΣU, Pr@X = hits * 100 / targeted
// (percent); T_acc = TN / (TN + FP) and N_acc = TP / (TP + FN) are fractions, both 0 when the split has
// no no-target expression. Where ReLA would divide by zero (ZeroDivisionError) the value is NaN.
class GresMetric
{
public:
    static constexpr const char *kProtocol = "gres";
    QString protocol() const { return QString::fromLatin1(kProtocol); }

    Expected<OverlapCounts> add(const Mask &prediction, bool predictedNoTarget, const Mask &groundTruth,
                                bool groundTruthNoTarget);
    // counts: the raw predicted mask against the ground truth.
    void addCounts(const OverlapCounts &counts, bool predictedNoTarget, bool groundTruthNoTarget);

    double gIoU() const;
    double cIoU() const;
    double targetAccuracy() const; // T_acc
    double noTargetAccuracy() const; // N_acc
    double precisionPercent(double threshold) const { return m_precision.percent(threshold); }

    qint64 sampleCount() const { return m_samples; }
    qint64 targetedCount() const { return m_precision.sampleCount(); }
    qint64 noTargetCount() const { return m_truePositives + m_falseNegatives; }
    qint64 truePositives() const { return m_truePositives; }
    qint64 trueNegatives() const { return m_trueNegatives; }
    qint64 falsePositives() const { return m_falsePositives; }
    qint64 falseNegatives() const { return m_falseNegatives; }
    qint64 intersectionSum() const { return m_sumIntersection; }
    qint64 unionSum() const { return m_sumUnion; }
    std::vector<MetricValue> values() const;

private:
    double m_sumIoU = 0.0; // summed left to right in float64, like ReLA's accum_IoU
    qint64 m_sumIntersection = 0;
    qint64 m_sumUnion = 0;
    qint64 m_samples = 0;
    qint64 m_truePositives = 0;
    qint64 m_trueNegatives = 0;
    qint64 m_falsePositives = 0;
    qint64 m_falseNegatives = 0;
    IoUPrecision m_precision { { 0.7, 0.8, 0.9 } };
};

} // namespace rs
