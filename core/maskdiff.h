#pragma once

#include "core/expected.h"
#include "core/mask.h"

namespace rs {

// How a mask differs from a reference (a run's mask against the human correction): pixels added and
// removed, IoU, and the distance between the two boundaries (for every boundary pixel of one mask,
// the Euclidean distance to the nearest boundary pixel of the other; mean over both directions, and
// the largest, i.e. the Hausdorff distance of the boundaries).
class MaskDiff
{
public:
    struct Result
    {
        qint64 added = 0;          // in the mask, not in the reference
        qint64 removed = 0;        // in the reference, not in the mask
        double iou = 1.0;          // 1 when both are empty
        double meanBoundaryDistance = 0.0;  // pixels; 0 when both are empty
        double maxBoundaryDistance = 0.0;   // infinity when exactly one of them is empty
    };

    // Error when the sizes differ.
    static Expected<Result> compare(const Mask &reference, const Mask &mask);
};

} // namespace rs
