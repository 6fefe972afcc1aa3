#pragma once

#include "core/datasetformat.h"

namespace rs {

// RefCOCO, RefCOCO+, RefCOCOg (and RefCLEF) in the refer API's layout (formats.md §6.1, §10.1 item 5):
// <data_root>/<dataset>/refs(<splitBy>).p (a pickled list of refs {ref_id, ann_id, category_id,
// image_id, split, file_name, sent_ids, sentences: [{sent_id, sent, raw, tokens}]}) + instances.json
// (COCO images, annotations, categories); images under <data_root>/images/mscoco/images/train2014.
//
// Import: SRC is the dataset folder or its refs file. When the folder holds several refs files the
// one LISA reads is taken (refs(umd).p for refcocog, refs(unc).p otherwise; the report says so), else
// the file must be named. The refs pickle is read whole with PickleReader (tens of MB at most; no
// code is run); instances.json is streamed and only the images and annotations of the selected refs
// are kept. --split follows refer's getRefIds (ReferRefs::selects); an unknown split, or one that
// selects nothing, is an Error listing the splits present. One sample per sentence, as LISA evaluates
// (§6.1): queries = [sent] (LISA strips and lower-cases it before prompting; the text is kept as the
// file has it), isSentence = false, split = the ref's, sourceId "<ref_id>:<sent_id>", one target =
// the ref's annotation as getMask reads it (polygons through frPyObjects, a list of compressed RLEs as
// is, parts merged; getMask sums overlapping parts, so LISA's metric leaves pixels where parts overlap
// out of the target — our target is the union), label = the category name. extras.extra keeps ref_id,
// ann_id, image_id, category_id, sent_id, sent, tokens, raw, file_name, split_by, and the annotation,
// image and category names as instances.json holds them (for an exact re-export). Images: --image-dir,
// else the first of <SRC>/../images/mscoco/images/train2014 (refer, LISA) and <SRC>/../images/train2014
// (ReLA) that exists. Errors: a ref or sentence field missing or of the wrong type, repeated ref_id or
// sent_id, an ann_id, image_id or category missing from instances.json, an annotation on another
// image, a segmentation whose RLE size is not the image's or whose vertices lie outside it.
//
// Export: <out>/<dataset>/refs(<splitBy>).p (PickleWriter, protocol 2) + instances.json, images copied
// to <out>/images/mscoco/images/train2014 (ReferWriter). dataset and splitBy come from the first
// record (else refcoco / unc). Sentences are regrouped into refs by the imported ref_id; ids from the
// source are kept where free, new ones are numbered above the largest, so the output is
// deterministic. Unedited annotations (and edited ones whose mask did not change) are written back
// as imported; a changed mask becomes a new annotation with polygons — the one segmentation form
// refer, LISA and ReLA all read (refer/LISA index segmentation[0], ReLA takes polygons or one RLE
// object) — traced along pixel edges (PixelOutline: exact for masks without holes, where
// MaskContours' pixel-centre outlines lose a row and a column), and each is read back as pycocotools
// rasterises it, a loss (holes) being a warning with its IoU. A ref has one annotation: several
// targets are merged (noted); a sample without target (or with only empty masks) cannot be written
// (warning); ignore regions are dropped (warning). "annotations" is streamed into instances.json
// (new annotations wait in a side file until their ids are known); the refs are written at the end.
class RefCocoFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("refcoco"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;
};

} // namespace rs
