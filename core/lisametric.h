#pragma once

#include "core/labelledmask.h"
#include "core/metricvalue.h"
#include "core/overlapcounts.h"

#include <vector>

namespace rs {

// gIoU and cIoU as LISA's validate() computes them (formats.md §1.4; `LISA: train_ds.py:523-580`,
// `utils/utils.py` intersectionAndUnionGPU and AverageMeter), also used by PixelLM for MUSE.
//
// Per ground-truth mask: pixels where the ground truth is 255 are removed from prediction and target,
// then score = I / (U + 1e-5), plus 1 when U == 0 (empty prediction on an empty target scores 1).
// A sample (one image, one batch entry) holds n masks; its mean score enters the gIoU meter with weight n.
// gIoU = Σ weighted scores / (mask count + 1e-5) (AverageMeter.all_reduce), cIoU = ΣI / (ΣU + 1e-10).
//
// Float32 emulation: LISA does all of this in float32 — torch tensors on the GPU, then numpy float32
// arrays in AverageMeter (sum += val * n stays float32) and a float32 all_reduce. Every step here is
// rounded to float32 in the same order, which changes digits: 1e-5 vanishes from U + 1e-5 once U >= 256,
// the split-wide sums ΣI, ΣU and Σscore round once they pass 2^24, and the meter divides by
// float32(count + 1e-5). Results are those float32 values widened to double.
// Emulated for one process (world size 1): with several GPUs LISA's DistributedSampler and all_reduce
// change the summation order, which no single-process emulation can follow bit for bit.
class LisaMetric
{
public:
    static constexpr const char *kProtocol = "lisa";
    QString protocol() const { return QString::fromLatin1(kProtocol); }

    // I and U of the foreground with ignore (255) pixels removed from both masks.
    static Expected<OverlapCounts> countsFor(const Mask &prediction, const LabelledMask &groundTruth);
    // One mask's contribution to acc_iou, in float32: I / (U + 1e-5), or 1 when U == 0.
    static float maskScore(const OverlapCounts &counts);

    // One sample with a single ground-truth mask (ReasonSeg). Nothing is recorded on error.
    Expected<OverlapCounts> add(const Mask &prediction, const LabelledMask &groundTruth);
    // As add(), from counts that already exclude ignore pixels.
    void addCounts(const OverlapCounts &counts) { addSample({ counts }); }
    // One sample whose n ground-truth masks were evaluated together (RefCOCO: one per sentence).
    // An empty list is ignored.
    void addSample(const std::vector<OverlapCounts> &masks);

    double gIoU() const;
    double cIoU() const;
    qint64 maskCount() const { return m_maskCount; }
    qint64 sampleCount() const { return m_sampleCount; }
    std::vector<MetricValue> values() const;

private:
    float m_sumIntersection = 0.0f;
    float m_sumUnion = 0.0f;
    float m_sumScore = 0.0f;
    qint64 m_maskCount = 0;
    qint64 m_sampleCount = 0;
};

} // namespace rs
