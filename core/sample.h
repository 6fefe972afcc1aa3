#pragma once

#include "core/imageref.h"

#include <QStringList>

#include <optional>

namespace rs {

enum class SampleStatus {
    New,        // imported, nobody has worked on it
    InProgress, // an annotator has saved a draft
    Submitted,  // an annotator submitted it for review
    Accepted,   // a reviewer accepted it
    Rejected,   // a reviewer sent it back
};

QString sampleStatusName(SampleStatus status);
std::optional<SampleStatus> sampleStatusFromName(const QString &name);

// One question about one image. Several samples may share an image.
struct Sample
{
    qint64 id = 0;            // storage id; 0 until stored
    ImageRef image;
    QStringList queries;      // the question first (the one benchmarks evaluate), then rephrasings
    bool isSentence = true;   // long implicit sentence vs short phrase (LISA's is_sentence)
    QString split;            // "train", "val", "test", ...
    QString sourceId;         // id in the dataset it came from (file stem, ref id, ...)
    SampleStatus status = SampleStatus::New;

    QString query() const { return queries.isEmpty() ? QString() : queries.first(); }
    bool operator==(const Sample &) const = default;
};

} // namespace rs
