#include "cli/evaluationtable.h"

namespace rs::cli {

namespace {

QString row(const QString &key, qint64 samples, const std::vector<MetricValue> &metrics, const QList<int> &widths)
{
    QString line = key.leftJustified(widths.at(0)) + QString::number(samples).rightJustified(widths.at(1));
    for (std::size_t i = 0; i < metrics.size(); ++i)
        line += metrics[i].formatted().rightJustified(widths.at(int(i) + 2));
    return line;
}

QString share(qint64 part, qint64 whole)
{
    return whole > 0 ? QString::number(100.0 * double(part) / double(whole), 'f', 1) + QLatin1Char('%')
                     : QStringLiteral("-");
}

} // namespace

QStringList EvaluationTable::lines(const EvaluationReport &report, const QString &run, const QString &against)
{
    QStringList out;
    out << QStringLiteral("run %1 · protocol %2 · truth: %3 · %4 samples")
               .arg(run, report.protocol, against)
               .arg(report.samples.size());
    for (const QString &note : report.notes)
        out << QStringLiteral("  %1").arg(note);
    out << QString();

    QList<int> widths { 10, 6 };
    QString header = QStringLiteral("group").leftJustified(widths.at(0)) + QStringLiteral("n").rightJustified(widths.at(1));
    for (const MetricValue &metric : report.overall.metrics) {
        const int width = int(std::max<qsizetype>(metric.name.size(), 6)) + 3;
        widths << width;
        header += metric.name.rightJustified(width);
    }
    for (const EvaluationGroup &group : report.groups)
        widths[0] = std::max(widths[0], int(group.key.size()) + 2);
    header = QStringLiteral("group").leftJustified(widths.at(0)) + header.mid(10);
    out << header;
    out << row(report.overall.key, report.overall.samples, report.overall.metrics, widths);
    for (const EvaluationGroup &group : report.groups)
        out << row(group.key, group.samples, group.metrics, widths);

    const ReasoningSummary &r = report.reasoning;
    out << QString();
    out << QStringLiteral("reasoning (PixelThink's budget and length score; \"ours\" where no public formula exists)");
    out << QStringLiteral("  mean length: %1 tokens, %2 words, %3 characters")
               .arg(r.meanTokens, 0, 'f', 1)
               .arg(r.meanWords, 0, 'f', 1)
               .arg(r.meanCharacters, 0, 'f', 1);
    out << (r.samplesWithTokenStats > 0
                ? QStringLiteral("  mean sequence uncertainty U: %1 (%2 samples with token statistics)")
                      .arg(r.meanUncertainty, 0, 'f', 4)
                      .arg(r.samplesWithTokenStats)
                : QStringLiteral("  mean sequence uncertainty U: n/a (no token statistics in this run)"));
    for (const ReasoningSummary::Bucket &bucket : r.buckets) {
        if (bucket.samples == 0)
            continue;
        out << QStringLiteral("  %1: %2 samples, %3 tokens, %4 words, mean IoU %5, over budget %6")
                   .arg(bucket.name.leftJustified(6))
                   .arg(bucket.samples)
                   .arg(bucket.meanTokens, 0, 'f', 1)
                   .arg(bucket.meanWords, 0, 'f', 1)
                   .arg(bucket.meanIoU, 0, 'f', 4)
                   .arg(bucket.overthinking);
    }
    out << QStringLiteral("  over the length budget (overthinking, ours): %1 of %2 budgeted samples (%3)")
               .arg(r.overthinking)
               .arg(r.budgeted)
               .arg(share(r.overthinking, r.budgeted));
    out << QStringLiteral("  mean length score s (PixelThink, beta 1/500): %1").arg(r.meanLengthScore, 0, 'f', 4);
    out << QStringLiteral("  IoU per 100 tokens (ours): %1").arg(r.iouPerHundredTokens, 0, 'f', 4);

    if (report.grades) {
        const GradeSummary &g = *report.grades;
        out << QString();
        out << QStringLiteral("annotators' grades of this run's chains (%1 samples)").arg(g.gradedSamples);
        out << QStringLiteral("  step accuracy (ours, rating >= 0): %1 of %2 steps (%3), useful (+1): %4, can't tell: %5")
                   .arg(g.correct)
                   .arg(g.steps)
                   .arg(share(g.correct, g.steps))
                   .arg(share(g.useful, g.steps))
                   .arg(g.flagged);
        if (g.rubricGrades > 0)
            out << QStringLiteral("  rubric means (1-5, %1 grades): correctness %2, grounding %3, conciseness %4")
                       .arg(g.rubricGrades)
                       .arg(g.meanCorrectness, 0, 'f', 2)
                       .arg(g.meanGrounding, 0, 'f', 2)
                       .arg(g.meanConciseness, 0, 'f', 2);
    }
    return out;
}

} // namespace rs::cli
