#include "cli/infercommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/inferjob.h"
#include "cli/progressbar.h"
#include "cli/projectargument.h"

#include <QFileInfo>

namespace rs::cli {

int InferCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), {QStringLiteral("PROJECT")},
                     {{QStringLiteral("model"), QStringLiteral("DIR"), QStringLiteral("the model package (model.json + TorchScript files)")},
                      {QStringLiteral("device"), QStringLiteral("DEVICE"), QStringLiteral("auto (CUDA when present), cpu or cuda")},
                      {QStringLiteral("limit"), QStringLiteral("N"), QStringLiteral("at most N samples this time (running again resumes)")},
                      {QStringLiteral("run"), QStringLiteral("NAME"), QStringLiteral("the model run to fill (default: the model's name)")},
                      {QStringLiteral("batch"), QStringLiteral("N"), QStringLiteral("samples claimed and committed together (default 16)")},
                      {QStringLiteral("threads"), QStringLiteral("N"), QStringLiteral("CPU threads of the model (default 2)")}});
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    InferJob::Options options;
    options.modelDir = line.value(QStringLiteral("model"));
    if (options.modelDir.isEmpty()) {
        printError(QStringLiteral("infer: --model DIR is required (the bundled one is models/shapes)"));
        return 2;
    }
    options.device = line.value(QStringLiteral("device"), QStringLiteral("auto"));
    if (options.device != QLatin1String("auto") && options.device != QLatin1String("cpu") && !options.device.startsWith(QLatin1String("cuda"))) {
        printError(QStringLiteral("infer: --device must be auto, cpu or cuda, not '%1'").arg(options.device));
        return 2;
    }
    auto limit = line.integer(QStringLiteral("limit"), 1, 1 << 30, 0);
    auto batch = line.integer(QStringLiteral("batch"), 1, 4096, 16);
    auto threads = line.integer(QStringLiteral("threads"), 1, 256, 2);
    for (const auto *value : {&limit, &batch, &threads})
        if (!*value) {
            printError(value->error());
            return 2;
        }
    options.limit = *limit;
    options.batchSize = *batch;
    options.threads = *threads;
    options.runName = line.value(QStringLiteral("run"));
    if (!QFileInfo(options.modelDir).isDir()) {
        printError(QStringLiteral("%1: no such model package folder").arg(options.modelDir));
        return 1;
    }
    auto db = ProjectArgument::open(line.positional().at(0));
    if (!db) {
        printError(db.error());
        return 1;
    }
    ProgressBar progress(QStringLiteral("infer"));
    options.progress = &progress;
    InferJob job(**db, options);
    auto result = job.run();
    progress.finish();
    if (!result) {
        printError(result.error());
        return 1;
    }
    printLine(QStringLiteral("run '%1': %2 proposals on %3 in %4 s (%5 ms per sample), %6 samples left without one")
                  .arg(result->runName)
                  .arg(result->proposals)
                  .arg(result->device)
                  .arg(result->seconds, 0, 'f', 1)
                  .arg(result->proposals > 0 ? 1000.0 * result->seconds / double(result->proposals) : 0.0, 0, 'f', 0)
                  .arg(result->remaining));
    return 0;
}

} // namespace rs::cli
