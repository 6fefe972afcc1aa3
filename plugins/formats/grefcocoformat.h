#pragma once

#include "core/datasetformat.h"

namespace rs {

// gRefCOCO as grefer and ReLA read it (formats.md §6.2, §10.1 item 5): <data_root>/grefcoco/
// grefs(unc).p or grefs(unc).json (the pickle first, as grefer opens it) + instances.json; images
// under <data_root>/images/train2014. Refs are RefCOCO's, except that ann_id and category_id may be
// lists and ann_id [-1] marks a no-target expression.
//
// Import (ReferReader, the refcoco rules of RefCocoFormat where not said otherwise): --split must be
// one of the splits present (grefer's getRefIds raises otherwise). One sample per sentence; a
// no-target ref gives samples with extras.noTarget = true and no targets; a multi-target ref one
// target per annotation, in ann_id order. Crowd annotations are left out of the targets, as grefer's
// getMaskByRef and ReLA do (counted in the notes; kept in extras for re-export). Images: --image-dir,
// else the first of <SRC>/../images/train2014 (grefer, ReLA) and <SRC>/../images/mscoco/images/train2014
// (LISA) that exists.
//
// Export (ReferWriter): <out>/grefcoco/grefs(unc).json + instances.json, images copied to
// <out>/images/train2014. ann_id and category_id are always lists; a sample without targets becomes a
// no-target ref (ann_id [-1], category_id [-1]); each target is its own annotation, polygons as for
// refcoco with the read-back IoU reported; unedited annotations go back as imported.
class GRefCocoFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("grefcoco"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;
};

} // namespace rs
