#include "cli/assigncommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/projectargument.h"
#include "storage/assignmentrepository.h"

namespace rs::cli {

int AssignCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), { QStringLiteral("PROJECT") },
                     { { QStringLiteral("annotators"), QStringLiteral("A,B"), QStringLiteral("annotator names, comma-separated (2 or more)") },
                       { QStringLiteral("overlap"), QStringLiteral("SHARE"), QStringLiteral("share of the samples, in (0, 1]") },
                       { QStringLiteral("per-sample"), QStringLiteral("N"), QStringLiteral("annotators per chosen sample (default 2)") },
                       { QStringLiteral("seed"), QStringLiteral("N"), QStringLiteral("seed of the choice (default 1)") },
                       { QStringLiteral("split"), QStringLiteral("NAME"), QStringLiteral("choose from this split only") } });
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    AssignmentRepository::OverlapPlan plan;
    plan.annotators = line.value(QStringLiteral("annotators")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &annotator : plan.annotators)
        annotator = annotator.trimmed();
    if (plan.annotators.size() < 2) {
        printError(QStringLiteral("assign: --annotators needs two or more names, got '%1'").arg(line.value(QStringLiteral("annotators"))));
        return 2;
    }
    bool ok = false;
    plan.share = line.value(QStringLiteral("overlap")).toDouble(&ok);
    if (!ok || !(plan.share > 0.0 && plan.share <= 1.0)) {
        printError(QStringLiteral("assign: --overlap must be a share in (0, 1], not '%1'").arg(line.value(QStringLiteral("overlap"))));
        return 2;
    }
    const auto perSample = line.integer(QStringLiteral("per-sample"), 2, int(plan.annotators.size()), 2);
    const auto seed = line.integer(QStringLiteral("seed"), 0, 2147483647, 1);
    if (!perSample || !seed) {
        printError(!perSample ? perSample.error() : seed.error());
        return 2;
    }
    plan.perSample = *perSample;
    plan.seed = quint32(*seed);
    plan.split = line.value(QStringLiteral("split"));

    auto db = ProjectArgument::open(line.positional().at(0), Database::Mode::ReadWrite);
    if (!db) {
        printError(db.error());
        return 1;
    }
    const auto result = AssignmentRepository(**db).assignOverlap(plan);
    if (!result) {
        printError(QStringLiteral("assign: %1").arg(result.error()));
        return 1;
    }
    printLine(QStringLiteral("overlap: %1 samples to %2 annotators each, %3 new assignments (%4)")
                  .arg(result->samples)
                  .arg(plan.perSample)
                  .arg(result->added)
                  .arg(plan.annotators.join(QStringLiteral(", "))));
    return 0;
}

} // namespace rs::cli
