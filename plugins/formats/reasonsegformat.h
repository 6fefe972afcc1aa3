#pragma once

#include "core/datasetformat.h"
#include "core/datasetrecord.h"

#include <QJsonArray>

#include <functional>

namespace rs {

// LISA's ReasonSeg (formats.md §1.1–§1.3, §10.1 item 1): <split>/<stem>.jpg + <stem>.json, the JSON
// holding "text" (query first, then rephrasings), "is_sentence" and LabelMe-style "shapes", plus
// explanatory/train.json ([{image, query, outputs}]).
//
// Import: SRC is the ReasonSeg folder (split subfolders) or one split folder (the split is --split,
// else the folder's name). Samples are the .jpg files, as LISA's glob finds them (a .json without
// a .jpg is skipped, and counted in the report); masks are rasterised with LISA's rule
// (LisaRasterizer): value 1 becomes one target, value 255 one ignore target. The JSON may be
// cp1252, as LISA's loader falls back to it. The original "shapes" are kept with the sample.
//
// Export: one folder per split, <stem>.jpg (a byte copy of a JPEG source, else re-encoded) +
// <stem>.json. Shapes not edited since import are written back unchanged; otherwise the targets
// (merged: ReasonSeg has one mask per query) and ignore regions are traced as polygons and
// re-rasterised with LISA's rule, and any sample whose mask does not read back exactly is reported
// with its IoU (holes and sub-pixel detail cannot be expressed).
class ReasonSegFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("reasonseg"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;

    // One sample JSON read the way LISA reads it, with image at imageSize; `where` names the file.
    static Expected<DatasetRecord> readSampleJson(const QJsonObject &json, const QSize &imageSize, const QString &where);

    // The "shapes" list a record exports to, and the IoU of its read-back target mask (1 = exact).
    struct Shapes
    {
        QJsonArray shapes;
        double targetIou = 1.0;
        bool ignoreExact = true;
        int mergedTargets = 0;
    };
    static Expected<Shapes> shapesOf(const DatasetRecord &record);

    // write() that also tells, for each record written, the split folder and file stem it got
    // (formats built on ReasonSeg, such as ReasonSeg-Diff, key their side files by the stem).
    using WrittenCallback = std::function<void(const DatasetRecord &record, const QString &split, const QString &stem)>;
    static Expected<ExportReport> writeFolders(RecordSource &source, const ExportOptions &options,
                                               const WrittenCallback &written);

    static constexpr const char *kDataset = "ReasonSeg";
};

} // namespace rs
