#pragma once

#include "core/difficulty.h"
#include "core/sample.h"

#include <QString>

#include <optional>

namespace rs {

// Which samples a queue or review view lists. Unset fields do not filter.
struct SampleFilter
{
    QString split;
    std::optional<SampleStatus> status;
    std::optional<qint64> annotatorId;          // who saved the current annotation version
    std::optional<DifficultyBucket> difficulty;  // PixelThink's buckets of the annotated difficulty
    std::optional<bool> hasProposal;

    // The sample's latest review, or none yet (review mode).
    enum class Review { Unreviewed, Accepted, Rejected, SentBack };
    std::optional<Review> review;
    QString failureTag;                          // some review of the sample carries this tag
    // The latest proposal's chain is longer than PixelThink's length budget for the sample's difficulty
    // (easy: 96, hard: 256 + 25·U; medium has none) — overthinking.
    bool overBudget = false;
    // Review of one model run: the uncertainty, chain length and IoU sort keys, the over-budget test
    // and "has a proposal" read that run's proposal instead of the latest one (IoU against the current
    // truth: the annotation, else the imported targets), and samples without one are left out unless
    // hasProposal is false.
    std::optional<qint64> runId;
};

enum class SampleSortKey {
    Id,           // import order
    Uncertainty,  // sequence uncertainty U of the latest proposal (of SampleFilter::runId's when set)
    ProposalIou,  // IoU between the latest proposal's and the current annotation's masks (runId: its
                  // proposal's against the current truth)
    ChainLength,  // tokens of the latest proposal's chain
    Difficulty,   // annotated difficulty score
    Disagreement, // 1 − mean pairwise mask IoU of the independent (overlap) answers
};

// Sorting by a key other than Id lists only the samples that have that key (a sample without a
// proposal has no uncertainty); ties are broken by id in the same direction.
struct SampleSort
{
    SampleSortKey key = SampleSortKey::Id;
    bool descending = false;
};

// One row of a sample listing: what a queue shows without loading masks.
struct SampleRow
{
    qint64 id = 0;
    qint64 imageId = 0;
    QString imagePath;
    QString split;
    QString query;
    SampleStatus status = SampleStatus::New;
    int annotationVersion = 0;
    qint64 annotatorId = 0;
    std::optional<double> uncertainty;
    std::optional<double> proposalIou;
    std::optional<int> chainLength;
    std::optional<double> difficulty;
    std::optional<double> disagreement;
};

} // namespace rs
