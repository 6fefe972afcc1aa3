#include "core/lisametric.h"

namespace rs {

namespace {

// Forces a float32 rounding here, so the compiler cannot fuse a multiply into the following add (FMA)
// where LISA's float32 tensors and numpy arrays round twice.
float rounded(float value)
{
    volatile float stored = value;
    return stored;
}

// The Python double literals LISA adds, as torch/numpy convert them for a float32 operand.
const float kScoreEpsilon = static_cast<float>(1e-5);
const float kUnionEpsilon = static_cast<float>(1e-10);

} // namespace

Expected<OverlapCounts> LisaMetric::countsFor(const Mask &prediction, const LabelledMask &groundTruth)
{
    // A null prediction counts as empty, a wrong size is an error: OverlapCounts::of decides both.
    if (prediction.isNull() || prediction.size() != groundTruth.size())
        return OverlapCounts::of(prediction, groundTruth.target());
    // output[target == 255] = 255, then 2-bin histograms over {0, 1}: 255 falls outside both bins.
    return OverlapCounts::of(prediction.subtracted(groundTruth.ignore()), groundTruth.target());
}

float LisaMetric::maskScore(const OverlapCounts &counts)
{
    const float intersection = float(counts.intersection);
    const float denominator = rounded(float(counts.unionArea) + kScoreEpsilon);
    float score = rounded(intersection / denominator);
    if (counts.unionArea == 0)
        score = rounded(score + 1.0f);
    return score;
}

Expected<OverlapCounts> LisaMetric::add(const Mask &prediction, const LabelledMask &groundTruth)
{
    const Expected<OverlapCounts> counts = countsFor(prediction, groundTruth);
    if (counts)
        addCounts(*counts);
    return counts;
}

void LisaMetric::addSample(const std::vector<OverlapCounts> &masks)
{
    if (masks.empty())
        return;
    // validate(): intersection, union, acc_iou = 0.0, 0.0, 0.0, then += per mask in float32.
    float intersection = 0.0f;
    float unionArea = 0.0f;
    float score = 0.0f;
    for (const OverlapCounts &counts : masks) {
        intersection = rounded(intersection + float(counts.intersection));
        unionArea = rounded(unionArea + float(counts.unionArea));
        const float denominator = rounded(float(counts.unionArea) + kScoreEpsilon);
        score = rounded(score + rounded(float(counts.intersection) / denominator));
        if (counts.unionArea == 0)
            score = rounded(score + 1.0f); // acc_iou[union_i == 0] += 1.0
    }
    const float n = float(masks.size());
    // acc_iou.cpu().numpy() / n, then AverageMeter.update(acc_iou, n): sum += val * n.
    const float meanScore = rounded(score / n);
    m_sumScore = rounded(m_sumScore + rounded(meanScore * n));
    m_sumIntersection = rounded(m_sumIntersection + intersection);
    m_sumUnion = rounded(m_sumUnion + unionArea);
    m_maskCount += qint64(masks.size());
    ++m_sampleCount;
}

double LisaMetric::gIoU() const
{
    // all_reduce: count goes through a float32 tensor and .item(); avg = sum / (count + 1e-5), where
    // numpy converts the Python float count + 1e-5 to float32 for the float32 array.
    const double count = double(float(m_maskCount));
    const float denominator = float(count + 1e-5);
    return double(rounded(m_sumScore / denominator));
}

double LisaMetric::cIoU() const
{
    const float denominator = rounded(m_sumUnion + kUnionEpsilon);
    return double(rounded(m_sumIntersection / denominator));
}

std::vector<MetricValue> LisaMetric::values() const
{
    return {
        { QStringLiteral("gIoU"), gIoU(), MetricUnit::Fraction },
        { QStringLiteral("cIoU"), cIoU(), MetricUnit::Fraction },
        { QStringLiteral("masks"), double(m_maskCount), MetricUnit::Count },
        { QStringLiteral("samples"), double(m_sampleCount), MetricUnit::Count },
    };
}

} // namespace rs
