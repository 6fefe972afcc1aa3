#pragma once

#include "core/datasetformat.h"
#include "core/expected.h"
#include "core/rle.h"

#include <QJsonValue>
#include <QString>

namespace rs {

class RecordSink;

// The import side of the refcoco and grefcoco formats (formats.md §6.1, §6.2): finds the refs file
// and instances.json, selects refs by split as the loader's getRefIds does, and emits one record per
// sentence. See RefCocoFormat and GRefCocoFormat for the rules each follows.
class ReferReader
{
public:
    static Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink, bool generalized);

    // An annotation's "segmentation" as refer's getMask and LISA read it: a list of polygons through
    // frPyObjects (CocoSegmentation), a list of compressed RLE objects as they are, parts merged.
    // Messages carry no location.
    struct AnnotationMask
    {
        Rle rle;
        bool emptyList = false;  // "segmentation": [] — LISA reads an empty mask, refer's getMask fails
        bool bareRle = false;    // one RLE object — ReLA reads it, refer/LISA index segmentation[0] and fail
    };
    static Expected<AnnotationMask> annotationMask(const QJsonValue &segmentation, int height, int width);
};

} // namespace rs
