#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace rs {

// Provenance and flags of a sample that the core Sample does not carry (formats.md §10.3).
struct SampleExtras
{
    QString dataset;       // "ReasonSeg", "MUSE", ...
    bool noTarget = false; // the query refers to nothing in the image (gRefCOCO ann_id [-1])
    QJsonObject extra;     // COCO ids, template, language, explanatory answer, ...
    // The dataset's own difficulty score (ReasonSeg-Diff's difficulty_score_model): the sample's
    // sortable difficulty until an annotation sets one.
    std::optional<double> difficulty;

    bool operator==(const SampleExtras &) const = default;
};

} // namespace rs
