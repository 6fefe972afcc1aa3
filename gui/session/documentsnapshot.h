#pragma once

#include "core/documenttarget.h"
#include "core/expected.h"

#include <QByteArray>
#include <QSize>

#include <vector>

namespace rs {

class SampleDocument;

// The editable state of a SampleDocument — every target (mask, box, label, description, ignore
// flag, colour, visibility) and the no-target flag — as bytes. This is the edit journal's payload:
// after each finished undo step the whole state is written (masks as COCO compressed RLE in CBOR), so
// restoring after a crash is "apply the last snapshot", which gives the same masks bit for bit
// whatever mix of undo and redo led there.
struct DocumentSnapshot
{
    // Masks of one target as stored in the snapshot (the encoder may reuse them between snapshots).
    struct EncodedTarget
    {
        QByteArray counts;  // Rle::toString()
        int width = 0;
        int height = 0;
    };

    std::vector<DocumentTarget> targets;
    bool noTarget = false;

    static DocumentSnapshot of(const SampleDocument &document);
    static EncodedTarget encode(const Mask &mask);
    // `encoded[i]` (when given and not empty) is target i's mask already encoded.
    static QByteArray serialise(const SampleDocument &document, const std::vector<EncodedTarget> &encoded = {});
    QByteArray toBytes() const;
    // Error when the bytes are not a snapshot or a mask does not have `imageSize`.
    static Expected<DocumentSnapshot> fromBytes(const QByteArray &bytes, QSize imageSize);

    // Makes the document hold this state as ONE undo step named `text`; false (nothing pushed) when
    // it holds it already.
    bool applyTo(SampleDocument &document, const QString &text) const;

    bool operator==(const DocumentSnapshot &) const = default;
};

} // namespace rs
