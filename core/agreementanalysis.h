#pragma once

#include "core/agreementreport.h"

#include <vector>

namespace rs {

// Turns annotators' answers into an AgreementReport: Krippendorff's α (ordinal difficulty, nominal
// step ratings and no-target answers), Cohen's κ per pair, Fleiss' κ of difficulty buckets, mask IoU
// per pair and to the majority-vote consensus, accuracy on gold items, drift and throughput.
class AgreementAnalysis
{
public:
    // answers: any order; an annotator answering a sample twice counts once (the later answer).
    // gold: the gold items' keys (their annotator name is ignored).
    static AgreementReport compute(const std::vector<RaterAnswer> &answers, const std::vector<RaterAnswer> &gold,
                                   int driftBlock = 20);
};

} // namespace rs
