#include "gui/dashboard/htmlreport.h"

#include "core/evaluationjson.h"
#include "gui/dashboard/evaluationplots.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <qcustomplot.h>

namespace rs {

namespace {

QString groupRow(const EvaluationGroup &group)
{
    QString row = QStringLiteral("<tr><th>%1</th><td>%2</td>").arg(group.key.toHtmlEscaped()).arg(group.samples);
    for (const MetricValue &metric : group.metrics)
        row += QStringLiteral("<td>%1</td>").arg(metric.formatted());
    return row + QStringLiteral("</tr>\n");
}

} // namespace

Expected<QStringList> HtmlReport::write(const QString &directory, const EvaluationReport &report, const QString &run,
                                        const QString &against)
{
    if (!QDir().mkpath(directory))
        return Error { QStringLiteral("%1: cannot create the report folder").arg(directory) };
    const QDir dir(directory);
    QStringList files;

    // The plots, drawn by the dashboard's code into an unshown plot widget.
    QCustomPlot plot;
    plot.resize(900, 560);
    struct Picture
    {
        QString file;
        QString caption;
    };
    std::vector<Picture> pictures;
    auto save = [&](const QString &file, const QString &caption) -> std::optional<Error> {
        const QString path = dir.filePath(file);
        if (!plot.savePng(path, 900, 560))
            return Error { QStringLiteral("%1: cannot write the plot").arg(path) };
        files << path;
        pictures.push_back({ file, caption });
        return std::nullopt;
    };
    EvaluationPlots::iouVsLength(&plot, report);
    if (auto error = save(QStringLiteral("iou-vs-length.png"), QStringLiteral("Per-sample IoU against reasoning tokens")))
        return *error;
    EvaluationPlots::giouByBucket(&plot, { { run, report } });
    if (auto error = save(QStringLiteral("giou-by-difficulty.png"), QStringLiteral("gIoU by difficulty bucket")))
        return *error;
    EvaluationPlots::calibration(&plot, report);
    if (auto error = save(QStringLiteral("calibration.png"), QStringLiteral("Model uncertainty against difficulty")))
        return *error;
    EvaluationPlots::difficultyHistogram(&plot, report, {});
    if (auto error = save(QStringLiteral("difficulty.png"), QStringLiteral("Difficulty of the evaluated samples")))
        return *error;

    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>reasonseg eval: %1</title>\n"
                           "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                           "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th{background:#eee}"
                           "img{max-width:900px;display:block;margin:1em 0}</style></head><body>\n")
                .arg(run.toHtmlEscaped());
    html += QStringLiteral("<h1>Run %1</h1>\n<p>Protocol <b>%2</b> · truth: %3 · %4 samples</p>\n<ul>\n")
                .arg(run.toHtmlEscaped(), report.protocol, against.toHtmlEscaped())
                .arg(report.samples.size());
    for (const QString &note : report.notes)
        html += QStringLiteral("<li>%1</li>\n").arg(note.toHtmlEscaped());
    html += QStringLiteral("</ul>\n<table>\n<tr><th>group</th><th>n</th>");
    for (const MetricValue &metric : report.overall.metrics)
        html += QStringLiteral("<th>%1 (%2)</th>").arg(metric.name.toHtmlEscaped(), EvaluationJson::unitName(metric.unit));
    html += QStringLiteral("</tr>\n") + groupRow(report.overall);
    for (const EvaluationGroup &group : report.groups)
        html += groupRow(group);
    const ReasoningSummary &r = report.reasoning;
    html += QStringLiteral("</table>\n<h2>Reasoning</h2>\n<p>Mean length %1 tokens, %2 words; mean uncertainty U %3; "
                           "over the PixelThink length budget (overthinking, ours) %4 of %5 budgeted samples; mean "
                           "length score %6; IoU per 100 tokens (ours) %7.</p>\n")
                .arg(r.meanTokens, 0, 'f', 1)
                .arg(r.meanWords, 0, 'f', 1)
                .arg(r.meanUncertainty, 0, 'f', 4)
                .arg(r.overthinking)
                .arg(r.budgeted)
                .arg(r.meanLengthScore, 0, 'f', 4)
                .arg(r.iouPerHundredTokens, 0, 'f', 4);
    if (report.grades)
        html += QStringLiteral("<p>Annotators graded %1 steps of %2 samples: %3 not wrong, %4 useful.</p>\n")
                    .arg(report.grades->steps).arg(report.grades->gradedSamples)
                    .arg(report.grades->correct).arg(report.grades->useful);
    for (const Picture &picture : pictures)
        html += QStringLiteral("<h2>%1</h2>\n<img src=\"%2\" alt=\"%1\">\n").arg(picture.caption.toHtmlEscaped(), picture.file);
    html += QStringLiteral("</body></html>\n");

    const QString index = dir.filePath(QStringLiteral("index.html"));
    QSaveFile file(index);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.toUtf8()) < 0 || !file.commit())
        return Error { QStringLiteral("%1: cannot write the report").arg(index) };
    files.prepend(index);
    return files;
}

} // namespace rs
