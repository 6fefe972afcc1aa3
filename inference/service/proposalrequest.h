#pragma once

#include "inference/service/decodingsettings.h"

#include <QImage>
#include <QRectF>
#include <QString>

#include <optional>

namespace rs {

// Who is waiting for a proposal, most urgent first. Within one priority requests run in order.
enum class RequestPriority {
    Visible = 0,   // the sample on screen
    Prefetch = 1,  // the next samples of the queue
    Background = 2 // batch pre-labelling
};

// One question about one image for the inference service. Value type: copied to the worker thread.
struct ProposalRequest
{
    qint64 sampleId = 0;
    QImage image;                  // any format; the worker converts it to RGB
    QString imageKey;              // content hash for the model's feature cache; empty = hash the pixels
    QString question;
    std::optional<QRectF> box;     // region input, xywh in image pixels
    RequestPriority priority = RequestPriority::Visible;
    DecodingSettings decoding;
};

} // namespace rs
