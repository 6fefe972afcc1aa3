#include "cli/evalcommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/evaluationtable.h"
#include "cli/progressbar.h"
#include "cli/projectargument.h"
#include "core/evaluationjson.h"
#include "gui/dashboard/htmlreport.h"
#include "storage/runevaluation.h"

#include <QJsonDocument>

namespace rs::cli {

int EvalCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), { QStringLiteral("PROJECT") },
                     { { QStringLiteral("run"), QStringLiteral("NAME"), QStringLiteral("the model run to evaluate (required)") },
                       { QStringLiteral("protocol"), QStringLiteral("P"),
                         QStringLiteral("lisa (default), seg-zero, visionreasoner, gres or next-chat") },
                       { QStringLiteral("against"), QStringLiteral("TRUTH"),
                         QStringLiteral("targets: the imported ground truth (default); annotations: annotated samples' "
                                        "latest annotation") },
                       { QStringLiteral("by"), QStringLiteral("KEY"),
                         QStringLiteral("also per difficulty, is_sentence, targets or split") },
                       { QStringLiteral("split"), QStringLiteral("NAME"), QStringLiteral("only this split") },
                       { QStringLiteral("threads"), QStringLiteral("N"), QStringLiteral("worker threads (default 2)") },
                       { QStringLiteral("json"), QString(), QStringLiteral("print one JSON object instead of a table") },
                       { QStringLiteral("samples"), QString(), QStringLiteral("with --json: every sample's line too") },
                       { QStringLiteral("report"), QStringLiteral("DIR"),
                         QStringLiteral("also write an HTML report with plots into DIR (implies --by difficulty)") } });
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    const auto usageError = [this](const QString &message) {
        printError(QStringLiteral("%1: %2").arg(name(), message));
        return 2;
    };
    RunEvaluation::Options options;
    options.run = line.value(QStringLiteral("run"));
    if (options.run.isEmpty())
        return usageError(QStringLiteral("--run NAME is required"));
    const QString protocol = line.value(QStringLiteral("protocol"), QStringLiteral("lisa"));
    const auto parsedProtocol = ProtocolScorer::protocolFromName(protocol);
    if (!parsedProtocol)
        return usageError(QStringLiteral("unknown protocol '%1' (one of %2)")
                              .arg(protocol, ProtocolScorer::protocolNames().join(QStringLiteral(", "))));
    options.protocol = *parsedProtocol;
    const QString by = line.value(QStringLiteral("by"));
    const auto breakdown = Evaluator::breakdownFromName(by);
    if (!breakdown || (line.isSet(QStringLiteral("by")) && by.isEmpty()))
        return usageError(QStringLiteral("unknown --by '%1' (one of difficulty, is_sentence, targets, split)").arg(by));
    options.breakdown = *breakdown;
    // The report's bucket plot needs the difficulty groups.
    if (line.isSet(QStringLiteral("report")) && !line.isSet(QStringLiteral("by")))
        options.breakdown = Evaluator::Breakdown::Difficulty;
    const QString against = line.value(QStringLiteral("against"), QStringLiteral("targets"));
    if (against == QLatin1String("annotations"))
        options.against = RunEvaluation::Against::Annotations;
    else if (against != QLatin1String("targets"))
        return usageError(QStringLiteral("unknown --against '%1' (annotations or targets)").arg(against));
    const auto threads = line.integer(QStringLiteral("threads"), 1, 64, 2);
    if (!threads) {
        printError(threads.error());
        return 2;
    }
    options.threads = *threads;
    options.split = line.value(QStringLiteral("split"));

    auto db = ProjectArgument::open(line.positional().at(0), Database::Mode::ReadOnly);
    if (!db) {
        printError(db.error());
        return 1;
    }
    ProgressBar progress(name());
    options.progress = &progress;
    const Expected<EvaluationReport> report = RunEvaluation::evaluate(**db, options);
    progress.finish();
    if (!report) {
        printError(QStringLiteral("eval: %1").arg(report.error()));
        return 1;
    }
    if (line.isSet(QStringLiteral("report"))) {
        const auto written = HtmlReport::write(line.value(QStringLiteral("report")), *report, options.run, against);
        if (!written) {
            printError(QStringLiteral("eval: %1").arg(written.error()));
            return 1;
        }
    }
    if (line.isSet(QStringLiteral("json"))) {
        QJsonObject json = EvaluationJson::toJson(*report, line.isSet(QStringLiteral("samples")));
        json.insert(QStringLiteral("run"), options.run);
        json.insert(QStringLiteral("against"), against);
        printLine(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        for (const QString &text : EvaluationTable::lines(*report, options.run, against))
            printLine(text);
    }
    return 0;
}

} // namespace rs::cli
