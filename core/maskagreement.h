#pragma once

#include "core/expected.h"
#include "core/rle.h"

#include <vector>

namespace rs {

// How much several annotators' masks of one sample agree: IoU of every pair (on RLE), the consensus
// mask by majority vote (a pixel is kept when more than half of the annotators have it), and each
// annotator's IoU to the consensus. Empty ∧ empty counts as IoU 1 (both said "nothing here").
class MaskAgreement
{
public:
    struct Result
    {
        std::vector<std::vector<double>> pairwise;  // [a][b], 1 on the diagonal
        double meanPairwise = 0.0;                  // over the pairs a < b
        Rle consensus;
        std::vector<double> toConsensus;            // each annotator's IoU to the consensus
    };

    // Error when the masks differ in size; at least two masks.
    static Expected<Result> compute(const std::vector<Rle> &masks);
    static Expected<double> iou(const Rle &a, const Rle &b);
    // The run-length majority vote: walks the run boundaries of all masks at once, no decoding.
    static Expected<Rle> majority(const std::vector<Rle> &masks);
};

} // namespace rs
