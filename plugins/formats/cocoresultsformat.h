#pragma once

#include "core/datasetformat.h"

#include <QString>

namespace rs {

// A COCO results file (formats.md §7, §10.1 item 6): a JSON list of {image_id, category_id,
// segmentation: {size: [h, w], counts: "<compressed RLE>"}, score}, one item per target of a model
// run's proposal, as pycocotools' loadRes takes it for COCOeval(iouType="segm") ("only support
// compressed RLE format as segmentation results"). Export only: results_<split>.json.
//
// image_id and category_id follow CocoIds, so they match a coco export of the same project: COCO
// samples use their category (the query is that category, whatever label the model gave), other
// samples the category of their first target's label, or of the proposal's label when the sample
// has no target. Ignore proposal targets are left out; samples without a proposal are counted.
class CocoResultsFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("coco-results"); }
    QString summary() const override;
    bool canImport() const override { return false; }
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;
};

} // namespace rs
