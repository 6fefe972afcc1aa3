#include "cli/importcommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/progressbar.h"
#include "cli/projectargument.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/formatregistry.h"
#include "storage/projectimportsink.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>

namespace rs::cli {

QString ImportCommand::summary() const
{
    return QStringLiteral("import a dataset or model predictions (FMT: %1)")
        .arg(FormatRegistry::builtin().names().join(QStringLiteral(", ")));
}

int ImportCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), {QStringLiteral("PROJECT"), QStringLiteral("SRC")},
                     {{QStringLiteral("format"), QStringLiteral("FMT"), QStringLiteral("the dataset format (required)")},
                      {QStringLiteral("split"), QStringLiteral("NAME"), QStringLiteral("import only this split (or: the split to assign)")},
                      {QStringLiteral("images"), QStringLiteral("DIR"), QStringLiteral("where the dataset's images are, when not in the usual place")},
                      {QStringLiteral("allow-missing-images"), QString(), QStringLiteral("import samples whose image file is absent (sizes from the dataset)")},
                      {QStringLiteral("run"), QStringLiteral("NAME"), QStringLiteral("predictions: the model run to create")},
                      {QStringLiteral("model"), QStringLiteral("NAME"), QStringLiteral("predictions: the model's name, recorded with the run")},
                      {QStringLiteral("dry-run"), QString(), QStringLiteral("read and check everything, report counts, change nothing")},
                      {QStringLiteral("threads"), QStringLiteral("N"), QStringLiteral("threads: one reads the dataset, the others hash and probe images (default: the cores)")}});
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    const QString formatName = line.value(QStringLiteral("format"));
    if (formatName.isEmpty()) {
        printError(QStringLiteral("import: --format FMT is required (one of %1)").arg(FormatRegistry::builtin().names().join(QStringLiteral(", "))));
        return 2;
    }
    const DatasetFormat *format = FormatRegistry::builtin().find(formatName);
    if (!format || !format->canImport()) {
        printError(QStringLiteral("import: unknown format '%1' (one of %2)").arg(formatName, FormatRegistry::builtin().names().join(QStringLiteral(", "))));
        return 2;
    }
    auto threads = line.integer(QStringLiteral("threads"), 1, 256, qMax(1, QThread::idealThreadCount()));
    if (!threads) {
        printError(threads.error());
        return 2;
    }
    const QString project = line.positional().at(0);
    const QString source = line.positional().at(1);
    if (!QFileInfo::exists(source)) {
        printError(QStringLiteral("%1: no such file or folder").arg(source));
        return 1;
    }
    auto db = ProjectArgument::open(project);
    if (!db) {
        printError(db.error());
        return 1;
    }

    ImportOptions options;
    options.source = source;
    options.split = line.value(QStringLiteral("split"));
    options.imageDir = line.value(QStringLiteral("images"));
    options.requireImages = !line.isSet(QStringLiteral("allow-missing-images"));
    options.threads = *threads;
    ProgressBar progress(QStringLiteral("import"));
    options.progress = &progress;

    ProjectImportSink::Options sinkOptions;
    const QFileInfo sourceInfo(source);
    sinkOptions.defaultImageRoot = !options.imageDir.isEmpty() ? options.imageDir
                                   : sourceInfo.isDir()          ? sourceInfo.absoluteFilePath()
                                                                 : sourceInfo.absolutePath();
    sinkOptions.run.name = line.value(QStringLiteral("run"));
    sinkOptions.run.model = line.value(QStringLiteral("model"), sinkOptions.run.name);
    sinkOptions.run.parameters.insert(QStringLiteral("imported_from"), sourceInfo.absoluteFilePath());
    ProjectImportSink sink(**db, sinkOptions);

    QElapsedTimer clock;
    clock.start();
    auto begun = sink.begin();
    if (!begun) {
        printError(begun.error());
        return 1;
    }
    auto report = DatasetImport::run(*format, options, sink);
    progress.finish();
    if (!report) {
        printError(report.error());
        return 1;  // the sink is destroyed without commit: the project is unchanged
    }
    const bool dryRun = line.isSet(QStringLiteral("dry-run"));
    if (!dryRun) {
        auto committed = sink.commit();
        if (!committed) {
            printError(committed.error());
            return 1;
        }
    }
    for (const QString &rejected : report->rejected)
        printLine(QStringLiteral("rejected: %1").arg(rejected));
    for (const QString &note : report->notes)
        printLine(QStringLiteral("note: %1").arg(note));
    const QString what = sink.predictions() > 0 || sink.samples() == 0
                             ? QStringLiteral("%1 predictions into run '%2'").arg(sink.predictions()).arg(sinkOptions.run.name)
                             : QStringLiteral("%1 samples (%2 targets)").arg(sink.samples()).arg(report->targets);
    printLine(QStringLiteral("%1 %2 from %3 (%4)%5 in %6 s")
                  .arg(dryRun ? QStringLiteral("dry run: would import") : QStringLiteral("imported"), what, source, format->name())
                  .arg(report->rejected.isEmpty() ? QString() : QStringLiteral(", %1 rejected").arg(report->rejected.size()))
                  .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1));
    return 0;
}

} // namespace rs::cli
