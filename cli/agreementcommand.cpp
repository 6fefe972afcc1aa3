#include "cli/agreementcommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/projectargument.h"
#include "core/agreementanalysis.h"
#include "storage/agreementdata.h"

#include <QJsonDocument>

#include <cmath>

namespace rs::cli {

namespace {

QString value(double number, int decimals = 3)
{
    return std::isfinite(number) ? QString::number(number, 'f', decimals) : QStringLiteral("n/a");
}

QString alphaLine(const QString &what, const std::optional<KrippendorffAlpha::Result> &alpha)
{
    return alpha ? QStringLiteral("  %1: alpha %2 (%3 units)").arg(what, value(alpha->alpha)).arg(alpha->pairableUnits)
                 : QStringLiteral("  %1: n/a (nothing rated twice)").arg(what);
}

void printMatrix(const QString &title, const QStringList &names, const std::vector<std::vector<double>> &values)
{
    printLine(title);
    int width = 8;
    for (const QString &name : names)
        width = std::max(width, int(name.size()) + 2);
    QString header = QString().leftJustified(width);
    for (const QString &name : names)
        header += name.rightJustified(width);
    printLine(header);
    for (std::size_t a = 0; a < values.size(); ++a) {
        QString row = names[int(a)].leftJustified(width);
        for (double cell : values[a])
            row += value(cell).rightJustified(width);
        printLine(row);
    }
}

} // namespace

int AgreementCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), { QStringLiteral("PROJECT") },
                     { { QStringLiteral("json"), QString(), QStringLiteral("print one JSON object instead of tables") },
                       { QStringLiteral("drift-block"), QStringLiteral("N"),
                         QStringLiteral("answers per drift point (default 20)") } });
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    const auto block = line.integer(QStringLiteral("drift-block"), 1, 100000, 20);
    if (!block) {
        printError(block.error());
        return 2;
    }
    auto db = ProjectArgument::open(line.positional().at(0), Database::Mode::ReadOnly);
    if (!db) {
        printError(db.error());
        return 1;
    }
    const auto data = AgreementData::read(**db);
    if (!data) {
        printError(QStringLiteral("agreement: %1").arg(data.error()));
        return 1;
    }
    const AgreementReport report = AgreementAnalysis::compute(data->answers, data->gold, *block);
    if (line.isSet(QStringLiteral("json"))) {
        printLine(QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented)).trimmed());
        return 0;
    }
    if (report.overlapSamples == 0) {
        printLine(QStringLiteral("no sample has answers from two annotators yet (reasonseg assign gives overlap)"));
        return 0;
    }
    printLine(QStringLiteral("%1 samples answered by two or more of %2 annotators (%3)")
                  .arg(report.overlapSamples)
                  .arg(report.annotators.size())
                  .arg(report.annotators.join(QStringLiteral(", "))));
    printLine(QStringLiteral("Krippendorff's alpha"));
    printLine(alphaLine(QStringLiteral("difficulty, ordinal"), report.difficultyOrdinal));
    printLine(alphaLine(QStringLiteral("step ratings, nominal"), report.stepsNominal));
    printLine(alphaLine(QStringLiteral("no-target answers, nominal"), report.noTargetNominal));
    if (report.bucketsFleiss)
        printLine(QStringLiteral("Fleiss' kappa, difficulty buckets: %1 (%2 samples x %3 raters)")
                      .arg(value(report.bucketsFleiss->kappa))
                      .arg(report.bucketsFleiss->subjects)
                      .arg(report.bucketsFleiss->raters));
    printMatrix(QStringLiteral("Cohen's kappa, difficulty buckets"), report.annotators, report.bucketKappa);
    printMatrix(QStringLiteral("Cohen's kappa, step ratings"), report.annotators, report.stepKappa);
    printMatrix(QStringLiteral("mask IoU (mean over shared samples; all pairs %1 on %2 samples)")
                    .arg(value(report.meanPairwiseMaskIoU))
                    .arg(report.maskSamples),
                report.annotators, report.maskIoU);
    printLine(QStringLiteral("per annotator"));
    for (const AgreementReport::Annotator &a : report.perAnnotator) {
        QStringList drift;
        for (double point : a.drift)
            drift << value(point, 2);
        printLine(QStringLiteral("  %1: %2 answers, IoU to consensus %3, gold %4 items (mask IoU %5, difficulty error %6, "
                                 "steps %7), %8 samples/hour, drift [%9]")
                      .arg(a.name)
                      .arg(a.answers)
                      .arg(value(a.meanIoUToConsensus))
                      .arg(a.goldItems)
                      .arg(value(a.goldMaskIoU), value(a.goldDifficultyError, 2), value(a.goldStepAgreement),
                           value(a.samplesPerHour, 1), drift.join(QStringLiteral(" "))));
    }
    return 0;
}

} // namespace rs::cli
