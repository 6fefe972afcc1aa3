#pragma once

#include "core/cohenkappa.h"
#include "core/fleisskappa.h"
#include "core/krippendorffalpha.h"
#include "core/rle.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <vector>

namespace rs {

// One annotator's answer for one sample, whichever way it was given (an independent overlap
// annotation, the main line's current annotation, or a gold item's key with annotator "gold").
struct RaterAnswer
{
    struct Step
    {
        qint64 proposalId = 0;
        int stepIndex = 0;
        int rating = 0;
    };

    qint64 sampleId = 0;
    QString annotator;
    std::optional<Rle> mask;           // union of non-ignore targets
    bool noTarget = false;
    std::optional<double> difficulty;
    std::vector<Step> steps;
    QDateTime savedAt;
    double secondsSpent = 0.0;
};

// Agreement between annotators and their quality on gold items (issue 9), ready for a table, JSON or
// a plot. Matrices are indexed like `annotators`; NaN where a pair shares nothing.
struct AgreementReport
{
    QStringList annotators;
    qint64 overlapSamples = 0;                       // samples with answers from two or more annotators

    std::optional<KrippendorffAlpha::Result> difficultyOrdinal;   // α over difficulty ratings
    std::optional<KrippendorffAlpha::Result> stepsNominal;        // α over step ratings (−1/0/+1)
    std::optional<KrippendorffAlpha::Result> noTargetNominal;     // α over "nothing to segment" answers
    std::optional<FleissKappa::Result> bucketsFleiss;             // difficulty buckets, samples with the usual rater count

    std::vector<std::vector<double>> bucketKappa;    // Cohen's κ of difficulty buckets per pair
    std::vector<std::vector<double>> stepKappa;      // Cohen's κ of step ratings per pair
    std::vector<std::vector<double>> maskIoU;        // mean mask IoU per pair
    double meanPairwiseMaskIoU = 0.0;
    qint64 maskSamples = 0;

    struct Annotator
    {
        QString name;
        qint64 answers = 0;
        double meanIoUToConsensus = 0.0;  // NaN without overlap masks
        qint64 goldItems = 0;
        double goldMaskIoU = 0.0;         // NaN without gold masks
        double goldDifficultyError = 0.0; // mean |difficulty − gold|; NaN without
        double goldStepAgreement = 0.0;   // share of gold step ratings matched; NaN without
        double hours = 0.0;               // time spent, measured
        double samplesPerHour = 0.0;      // NaN when no time was recorded
        std::vector<double> drift;        // mean IoU to consensus per block of answers, in time order
    };
    std::vector<Annotator> perAnnotator;
    int driftBlock = 20;

    QJsonObject toJson() const;
};

} // namespace rs
