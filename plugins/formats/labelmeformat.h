#pragma once

#include "core/datasetformat.h"
#include "core/datasetrecord.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rs {

// LabelMe's per-image JSON ({version, flags, shapes: [{label, points, group_id, shape_type, flags,
// description, mask}], imagePath, imageData, imageHeight, imageWidth}; formats.md §1.2 for the
// schema, `wkentaro/labelme: labelme/label_file.py, labelme/utils/shape.py` for the reading rules).
//
// Import: SRC is a folder, searched recursively for *.json in path order, or one .json file. One
// sample per file; its source id is the file's path below SRC without ".json" ("sub/img1").
// A .json without a "shapes" key is not a LabelMe file: skipped and counted in the notes (our own
// export's manifest.json is one). The image is imagePath taken relative to the JSON's folder, as
// LabelMe does ('\' read as '/'), and must stay inside SRC; imageData is never extracted (an import
// writes nothing), so the image file must exist unless --allow-missing-images (then imageHeight/imageWidth
// give the size). imageHeight/imageWidth may be absent (LabelMe then reads the image).
// Query: LabelMe has no question. A top-level "text" (a string or a list of strings, ReasonSeg's
// key, which our export writes) gives the queries and "is_sentence" (default true) the kind;
// otherwise the query is the distinct labels of the region shapes in file order joined by ", ",
// a short phrase (is_sentence false); no region shape gives no query and a no-target sample.
// Targets: one per region shape (polygon, rectangle, circle, mask; LabelMeShapeMask draws them),
// except that shapes with the same label and group_id are one target, as LabelMe's shapes_to_label
// makes them one instance. Label = the shape's label, description = its "description", ignore =
// its flags {"ignore": true}. point/line/linestrip/points shapes have no region: no target, kept
// with the other shapes in extras ("shapes") and counted in the notes.
//
// Export: <stem>.json + the image copied byte for byte next to it as <stem>.<ext> (imagePath is
// that file name, imageData null), stem = the source id when it is a safe relative path, else
// "sample_<id>". Shapes not edited since import go back unchanged; otherwise each target's
// MaskContours::outer polygons (one shape per polygon; a target of several polygons gives them
// one group_id) are re-rasterised with LabelMeShapeMask and every target that does not read back
// exactly (holes, sub-pixel detail) is reported with its IoU. "text" and "is_sentence" carry the
// queries (LabelMe keeps unknown keys when it saves).
class LabelMeFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("labelme"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;

    // One LabelMe JSON's record at imageSize; `where` names the file. nonRegionShapes counts the
    // point/line shapes that gave no target.
    static Expected<DatasetRecord> readJson(const QJsonObject &json, const QSize &imageSize, const QString &where,
                                            int *nonRegionShapes = nullptr);

    // The shapes a record exports to and, per target, the IoU of its read-back mask (1 = exact).
    struct Shapes
    {
        QJsonArray shapes;
        std::vector<double> targetIou;
        int emptyTargets = 0;
    };
    static Expected<Shapes> shapesOf(const DatasetRecord &record);

    static constexpr const char *kDataset = "LabelMe";
};

} // namespace rs
