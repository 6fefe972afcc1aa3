#pragma once

#include "core/rle.h"

#include <QDateTime>

#include <optional>
#include <vector>

namespace rs {

// One annotator's own answer for a sample they were assigned as overlap: what agreement compares.
// It never changes the sample's main annotation line (core/annotation.h).
struct IndependentAnnotation
{
    struct StepRating
    {
        qint64 proposalId = 0;
        int stepIndex = 0;
        int rating = 0;  // −1, 0, +1 (PRM800K)

        bool operator==(const StepRating &) const = default;
    };

    qint64 sampleId = 0;
    qint64 annotatorId = 0;
    Rle mask;                         // union of the annotator's non-ignore targets
    bool noTarget = false;
    std::optional<double> difficulty; // 1–10
    std::vector<StepRating> steps;
    double secondsSpent = 0.0;

    int version = 0;                  // set by storage
    QDateTime savedAt;                // set by storage (UTC)

    bool operator==(const IndependentAnnotation &) const = default;
};

} // namespace rs
