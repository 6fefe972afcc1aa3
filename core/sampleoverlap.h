#pragma once

#include "core/boxiou.h"
#include "core/expected.h"
#include "core/overlapcounts.h"
#include "core/rletarget.h"

#include <QSize>

#include <optional>
#include <vector>

namespace rs {

// Everything the benchmark protocols need to know about one sample, computed on COCO RLE without
// decoding a mask (the union, intersection and area of run-length masks are run-boundary walks).
//
// The ground truth is the union of the non-ignore targets; ignore targets (LISA's 255 label) count
// only where no real target covers them, as LISA's rasteriser leaves them. The prediction is the
// union of the proposal's targets that have a mask; box-only targets add nothing to it.
struct SampleOverlap
{
    QSize imageSize;                    // width x height of the ground truth
    OverlapCounts lisa;                 // ignore pixels removed from both masks (LISA §1.4)
    OverlapCounts plain;                // ground truth = the targets, ignore pixels as background
    OverlapCounts ignoreAsForeground;   // ground truth = targets ∪ ignore (Seg-Zero's mask.astype(bool))
    qint64 truthArea = 0;               // |targets|
    qint64 truthAreaWithIgnore = 0;     // |targets ∪ ignore|
    qint64 predictedArea = 0;
    bool truthEmpty = true;             // no foreground pixel in the ground truth
    std::optional<BoxXyxy> truthBox;    // tight box of the targets' pixels (xyxy, exclusive max)
    std::vector<BoxXyxy> predictedBoxes;  // every proposal target's box, as the model gave it
    bool predictedMask = false;         // at least one proposal target carries a mask

    // Error when a stored RLE is malformed or its size differs from the ground truth's.
    // truthSize is used when there is no truth target to take the size from.
    static Expected<SampleOverlap> compute(const std::vector<RleTarget> &truth,
                                           const std::vector<RleTarget> &prediction, QSize truthSize);
};

} // namespace rs
