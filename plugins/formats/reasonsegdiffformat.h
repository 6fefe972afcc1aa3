#pragma once

#include "core/datasetformat.h"

namespace rs {

// ReasonSeg-Diff (PixelThink, formats.md §2.3, §2.5, §10.1 item 3): ReasonSeg folders (masks and
// queries exactly as ReasonSegFormat) plus two side files at the dataset's root:
//   difficulty.json  [{"image_id": "<stem>", "difficulty_score_model": <1–10>}, ...] — the list
//                    PixelThink's code reads; a sample missing from it gets PixelThink's default 3.0
//                    (reported, not stored, so that "unrated" stays visible);
//   reasoning.json   {"<stem>": {"short": "...", "long": "..."}} reference reasoning chains; a plain
//                    string value is read as the long chain.
// The official file layout was not published (§2.1); this is the minimum §10.1 asks for, and the
// bundled model's held-out set (models/shapes/heldout) is written in it.
class ReasonSegDiffFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("reasonseg-diff"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;

    static constexpr const char *kDifficultyFile = "difficulty.json";
    static constexpr const char *kReasoningFile = "reasoning.json";
    static constexpr const char *kEstimator = "difficulty_score_model";
};

} // namespace rs
