#pragma once

#include "core/metricvalue.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace rs {

// The scores of one group of samples (all of them, or one key of a breakdown).
struct EvaluationGroup
{
    QString key;                        // "all", "easy", "long", "3", "val", ...
    qint64 samples = 0;
    std::vector<MetricValue> metrics;   // as the protocol's own code reports them
};

// One sample's line, for sorting and plotting (IoU against chain length, calibration, ...).
struct SampleScore
{
    qint64 sampleId = 0;
    double iou = 0.0;                   // the protocol's per-sample IoU; NaN when the protocol skips it
    int tokens = 0;
    int words = 0;
    std::optional<double> difficulty;
    std::optional<double> uncertainty;
    std::optional<double> budget;       // PixelThink's length budget in words; unset for medium
    bool overthinking = false;          // words > budget
    QString key;                        // the sample's breakdown key
};

// Reasoning length and efficiency. Where PixelThink defines the formula (length budget, length
// score) it is theirs; the rest are ours and named so (their RST/SAT/URSS formulas are not public).
struct ReasoningSummary
{
    qint64 samples = 0;
    qint64 samplesWithTokenStats = 0;
    double meanTokens = 0.0;
    double meanWords = 0.0;
    double meanCharacters = 0.0;
    double meanUncertainty = 0.0;       // over samples with token statistics
    qint64 budgeted = 0;                // samples whose difficulty gives a budget (easy or hard)
    qint64 overthinking = 0;            // budgeted samples whose chain has more words than the budget
    double meanLengthScore = 0.0;       // PixelThink's length score s, default β = 1/500
    double iouPerHundredTokens = 0.0;   // ours: mean per-sample IoU / mean tokens × 100
    qint64 unrated = 0;                 // samples without a difficulty (PixelThink's default 3.0 used)
    struct Bucket
    {
        QString name;                   // easy, medium, hard
        qint64 samples = 0;
        double meanTokens = 0.0;
        double meanWords = 0.0;
        double meanIoU = 0.0;
        qint64 overthinking = 0;
    };
    std::vector<Bucket> buckets;
};

// What annotators said about the run's chains (issue 8's grades), when they graded any.
struct GradeSummary
{
    qint64 gradedSamples = 0;
    qint64 steps = 0;                   // graded steps, "can't tell" excluded
    qint64 flagged = 0;                 // "can't tell"
    qint64 correct = 0;                 // rating >= 0 (PRM800K: not wrong)
    qint64 useful = 0;                  // rating +1
    qint64 rubricGrades = 0;
    double meanCorrectness = 0.0;
    double meanGrounding = 0.0;
    double meanConciseness = 0.0;
};

struct EvaluationReport
{
    QString protocol;                   // "lisa", "seg-zero", "visionreasoner", "gres", "next-chat"
    QString breakdown;                  // "", "difficulty", "is_sentence", "targets", "split"
    EvaluationGroup overall;
    std::vector<EvaluationGroup> groups;  // by key, sorted
    ReasoningSummary reasoning;
    std::optional<GradeSummary> grades;
    std::vector<SampleScore> samples;     // in the order they were added
    qint64 scoredFromReportedOverlap = 0; // box-only proposals scored from the I/U their script reported
    QStringList notes;           // protocol caveats worth printing next to the numbers
};

} // namespace rs
