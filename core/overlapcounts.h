#pragma once

#include "core/expected.h"
#include "core/mask.h"

namespace rs {

// Pixel counts of one predicted mask against one ground-truth mask: |P ∧ G| and |P ∨ G|.
// The common input of every segmentation metric, so counts from a faster path (RLE) can feed them too.
struct OverlapCounts
{
    qint64 intersection = 0;
    qint64 unionArea = 0;

    // Sizes must match; a null prediction counts as an empty one of the ground truth's size.
    static Expected<OverlapCounts> of(const Mask &prediction, const Mask &groundTruth);

    bool operator==(const OverlapCounts &) const = default;
};

} // namespace rs
