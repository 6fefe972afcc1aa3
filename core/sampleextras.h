#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QRectF>
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

    // extra's key for a question's region input (NExT-Chat style box prompt): [x1, y1, x2, y2] pixels.
    static constexpr const char *kRegionInputKey = "box_input";
    // The region input as xywh, when extra holds a valid one.
    std::optional<QRectF> regionInput() const
    {
        const QJsonArray box = extra.value(QLatin1String(kRegionInputKey)).toArray();
        if (box.size() != 4)
            return std::nullopt;
        return QRectF(QPointF(box[0].toDouble(), box[1].toDouble()), QPointF(box[2].toDouble(), box[3].toDouble()));
    }

    bool operator==(const SampleExtras &) const = default;
};

} // namespace rs
