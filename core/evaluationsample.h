#pragma once

#include "core/overlapcounts.h"
#include "core/sampleoverlap.h"

#include <QString>

#include <optional>

namespace rs {

// One sample of a model run as the evaluator sees it: the overlap of its proposal with the ground
// truth (already computed on RLE, see SampleOverlap) plus what the protocols and the reasoning
// statistics read. Filled by storage (RunEvaluation) or by a test.
struct EvaluationSample
{
    qint64 sampleId = 0;
    QString split;
    bool isSentence = false;
    std::optional<double> difficulty;      // the current one (annotated, else the dataset's)
    int truthTargetCount = 0;              // non-ignore ground-truth targets
    bool truthNoTarget = false;            // the query refers to nothing (gRefCOCO [-1], or no target)

    SampleOverlap overlap;
    bool parseFailed = false;              // the model's answer could not be parsed
    bool predictedNoTarget = false;        // the model answered that nothing matches
    std::optional<OverlapCounts> reportedOverlap;  // I/U an eval script reported (box-only proposals)
    std::optional<bool> reportedBoxHit;

    int tokens = 0;                        // reasoning tokens as the model counted them
    int words = 0;                         // whitespace words (PixelThink's default length unit)
    int characters = 0;                    // characters (VisionReasoner's think-length statistic)
    std::optional<double> uncertainty;     // PixelThink's U: mean of 1 − (p1 − p2); unset without token stats
};

} // namespace rs
