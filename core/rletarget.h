#pragma once

#include "core/expected.h"
#include "core/rle.h"
#include "core/target.h"

#include <QByteArray>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

namespace rs {

// A target as stored: the mask as a COCO compressed RLE string with its size, so that listing and
// bulk import never decode masks. Proposal targets carry the model's score.
struct RleTarget
{
    QByteArray counts;  // COCO compressed counts string (Rle::toString())
    int height = 0;
    int width = 0;
    QRectF box;         // xywh in image pixels
    QString label;
    QString description;
    bool ignore = false;
    double score = 0.0;  // proposals only: the model's confidence (SAM iou_prediction, ...)
    // Proposals only: the prompt points the model gave in image pixels (Seg-Zero points_1/points_2,
    // VisionReasoner point_2d, formats.md §3.2).
    QList<QPointF> points;

    // False for a box-only proposal target (a reasoning model's box and points before SAM2 turned
    // them into a mask): empty counts and a 0 x 0 size. It then decodes to a null mask, which the
    // metrics count as an empty prediction.
    bool hasMask() const { return !counts.isEmpty() || height > 0 || width > 0; }

    static RleTarget fromTarget(const Target &target);
    static RleTarget fromRle(const Rle &rle, const QRectF &box, const QString &label);
    Expected<Rle> rle() const;
    // Decodes the mask; Error when the stored counts are malformed.
    Expected<Target> toTarget() const;

    bool operator==(const RleTarget &) const = default;
};

} // namespace rs
