#pragma once

#include "core/datasetformat.h"

#include <QString>

namespace rs {

// COCO instances files (formats.md §7, §10.1 item 6): {"images", "annotations", "categories"}, masks
// as polygons (iscrowd 0) or uncompressed RLE (iscrowd 1), read the way pycocotools' COCO.annToRLE
// reads them.
//
// Import: SRC is the instances JSON (split = --split, else the file name after "instances_", e.g.
// "val2017"); images are <--image-dir or SRC's folder>/<file_name>. A COCO file asks no questions,
// so one sample per (image, category present in it) — what an annotator reviewing "all the <category>
// in this image" expects: query = the category name, isSentence false, targets = that category's
// annotations in file order, sourceId "<image_id>:<category_id>". iscrowd annotations become ignore
// targets (COCOeval ignores crowd regions) with their label kept. The annotation list is read twice,
// keeping only byte spans in between, so a file of any size is never held parsed. Errors: an
// annotation whose image_id or category_id is unknown, duplicate ids, an RLE whose size is not the
// image's, a bbox outside the image or negative, malformed polygons (CocoSegmentation).
//
// Export: instances_<split>.json, streamed (images and annotations go to side files that are joined at
// the end). Image and category ids follow CocoIds, so a coco-results export of the same project
// matches. Annotations not edited since import are written back as imported; edited ones keep their
// original segmentation when the pixels are unchanged, else become uncompressed RLE with iscrowd 0
// (ignore targets: iscrowd 1) — lossless, and read by annToRLE and COCOeval; polygons traced from a
// mask do not rasterise back exactly under pycocotools. Annotation ids: the imported id while it is
// free, else the next free number. Images are referenced, not copied.
class CocoFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("coco"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;
};

} // namespace rs
