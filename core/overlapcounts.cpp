#include "core/overlapcounts.h"

namespace rs {

Expected<OverlapCounts> OverlapCounts::of(const Mask &prediction, const Mask &groundTruth)
{
    if (prediction.isNull())
        return OverlapCounts { 0, groundTruth.area() };
    if (prediction.size() != groundTruth.size())
        return Error { QStringLiteral("prediction is %1x%2 but ground truth is %3x%4")
                           .arg(prediction.width())
                           .arg(prediction.height())
                           .arg(groundTruth.width())
                           .arg(groundTruth.height()) };
    const qsizetype intersection = prediction.intersectionArea(groundTruth);
    return OverlapCounts { intersection, prediction.area() + groundTruth.area() - intersection };
}

} // namespace rs
