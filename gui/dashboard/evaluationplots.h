#pragma once

#include "core/agreementreport.h"
#include "core/evaluationreport.h"

#include <QString>

#include <optional>
#include <vector>

class QCustomPlot;
class QCPGraph;

namespace rs {

// Fills QCustomPlot widgets with the dashboard's plots: the same code draws them in the window and
// into the HTML report of `reasonseg eval --report`. Each builder clears the plot first.
class EvaluationPlots
{
public:
    // Which sample each point of a scatter graph shows (for hover and click).
    struct PointSamples
    {
        QCPGraph *graph = nullptr;
        std::vector<qint64> sampleIds;  // in the graph's data order
    };
    struct NamedReport
    {
        QString run;
        EvaluationReport report;  // evaluated with the difficulty breakdown
    };

    // Per-sample IoU against reasoning tokens, one colour per difficulty bucket.
    static std::vector<PointSamples> iouVsLength(QCustomPlot *plot, const EvaluationReport &report);
    // The protocol's gIoU per difficulty bucket, one bar group per run.
    static void giouByBucket(QCustomPlot *plot, const std::vector<NamedReport> &runs);
    // Model uncertainty U against the human difficulty; returns Spearman's ρ (shown in the title).
    static std::optional<double> calibration(QCustomPlot *plot, const EvaluationReport &report,
                                             std::vector<PointSamples> *points = nullptr);
    // Difficulty histogram (bins of 1 from 1 to 10) of the samples' current difficulty and of each
    // annotator's independent ratings.
    static void difficultyHistogram(QCustomPlot *plot, const EvaluationReport &report,
                                    const std::vector<RaterAnswer> &answers);
    // Mean mask IoU of every annotator pair as a colour map.
    static void agreementMatrix(QCustomPlot *plot, const AgreementReport &agreement);
    // Samples per hour of each annotator (measured time).
    static void throughput(QCustomPlot *plot, const AgreementReport &agreement);

    static QColor bucketColor(const QString &bucket);
};

} // namespace rs
