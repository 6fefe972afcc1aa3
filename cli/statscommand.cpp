#include "cli/statscommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/projectargument.h"
#include "storage/projectstatistics.h"

#include <QJsonDocument>

namespace rs::cli {

int StatsCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), {QStringLiteral("PROJECT")},
                     {{QStringLiteral("json"), QString(), QStringLiteral("print one JSON object instead of a table")}});
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    auto db = ProjectArgument::open(line.positional().at(0), Database::Mode::ReadOnly);
    if (!db) {
        printError(db.error());
        return 1;
    }
    auto stats = ProjectStatistics::read(**db);
    if (!stats) {
        printError(stats.error());
        return 1;
    }
    if (line.isSet(QStringLiteral("json"))) {
        printLine(QString::fromUtf8(QJsonDocument(stats->toJson()).toJson(QJsonDocument::Indented)).trimmed());
        return 0;
    }
    printLine(QStringLiteral("project   %1").arg((*db)->location().displayName()));
    printLine(QStringLiteral("samples   %1 (%2 annotated, %3 without target), images %4, targets %5")
                  .arg(stats->samples)
                  .arg(stats->annotatedSamples)
                  .arg(stats->noTargetSamples)
                  .arg(stats->images)
                  .arg(stats->targets));
    for (auto split = stats->bySplitAndStatus.cbegin(); split != stats->bySplitAndStatus.cend(); ++split) {
        QStringList parts;
        for (auto status = split->cbegin(); status != split->cend(); ++status)
            parts << QStringLiteral("%1 %2").arg(status.key()).arg(status.value());
        printLine(QStringLiteral("  split %1: %2").arg(split.key().isEmpty() ? QStringLiteral("(none)") : split.key(), parts.join(QStringLiteral(", "))));
    }
    for (auto it = stats->byDataset.cbegin(); it != stats->byDataset.cend(); ++it)
        printLine(QStringLiteral("  dataset %1: %2").arg(it.key().isEmpty() ? QStringLiteral("(none)") : it.key()).arg(it.value()));
    QStringList buckets;
    for (const char *bucket : {"easy", "medium", "hard", "unrated"})
        buckets << QStringLiteral("%1 %2").arg(QLatin1String(bucket)).arg(stats->byDifficulty.value(QLatin1String(bucket)));
    printLine(QStringLiteral("  difficulty: %1").arg(buckets.join(QStringLiteral(", "))));
    for (const auto &run : stats->runs)
        printLine(QStringLiteral("run %1 (%2): %3 proposals, %4 unparsable, %5 tokens on average, uncertainty %6")
                      .arg(run.name, run.model)
                      .arg(run.proposals)
                      .arg(run.parseFailures)
                      .arg(run.meanTokens, 0, 'f', 1)
                      .arg(run.meanUncertainty, 0, 'f', 3));
    return 0;
}

} // namespace rs::cli
