#pragma once

#include "core/datasetrecord.h"

#include <QJsonObject>
#include <QString>

namespace rs {

// The image and category ids a record gets in COCO files (formats.md §7), chosen so that the
// instances file (CocoFormat) and a results file (CocoResultsFormat) written from different subsets
// of a project agree, as COCOeval needs: every rule depends on the record alone.
//
// - Samples imported from COCO keep their image id and category (extras "image", "category").
// - Any other sample is its own COCO image with id = the sample's storage id (a question's targets
//   are that question's ground truth, so two questions on one picture are two COCO images).
// - A target label that is not the sample's COCO category gets a category id derived from the label
//   (kLabelIdBase + 31-bit hash of its UTF-8 bytes): the same label gives the same id everywhere.
class CocoIds
{
public:
    static constexpr const char *kDataset = "COCO";
    static constexpr qint64 kLabelIdBase = 1000000;

    static bool isCoco(const DatasetRecord &record);
    static qint64 imageId(const DatasetRecord &record);
    // The image entry: the imported one for COCO samples, else {id, file_name, height, width} with the
    // project's relative image path as file_name.
    static QJsonObject imageObject(const DatasetRecord &record);
    // The sample's own COCO category ({id, name, supercategory}), empty for other samples.
    static QJsonObject sampleCategory(const DatasetRecord &record);
    // A target label's category id: the sample's COCO category when the label names it (or is empty).
    static qint64 categoryId(const DatasetRecord &record, const QString &label);
    static qint64 labelId(const QString &label);
};

} // namespace rs
