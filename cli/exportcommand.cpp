#include "cli/exportcommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/progressbar.h"
#include "cli/projectargument.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/formatregistry.h"
#include "storage/datasetexportcursor.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace rs::cli {

QString ExportCommand::summary() const
{
    QStringList names;
    for (const DatasetFormat *format : FormatRegistry::builtin().formats())
        if (format->canExport())
            names << format->name();
    return QStringLiteral("export the current truth (or a model run) by split and status (FMT: %1)").arg(names.join(QStringLiteral(", ")));
}

int ExportCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), {QStringLiteral("PROJECT")},
                     {{QStringLiteral("format"), QStringLiteral("FMT"), QStringLiteral("the dataset format (required)")},
                      {QStringLiteral("out"), QStringLiteral("DIR"), QStringLiteral("a new or empty output folder (required)")},
                      {QStringLiteral("split"), QStringLiteral("NAME"), QStringLiteral("only samples of this split")},
                      {QStringLiteral("status"), QStringLiteral("STATUS"), QStringLiteral("only samples with this status (new, in_progress, submitted, accepted, rejected)")},
                      {QStringLiteral("run"), QStringLiteral("NAME"), QStringLiteral("export this model run's proposals (formats of model outputs)")}});
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    const QString formatName = line.value(QStringLiteral("format"));
    const DatasetFormat *format = FormatRegistry::builtin().find(formatName);
    if (formatName.isEmpty() || !format || !format->canExport()) {
        printError(QStringLiteral("export: %1 (one of %2)")
                       .arg(formatName.isEmpty() ? QStringLiteral("--format FMT is required") : QStringLiteral("unknown format '%1'").arg(formatName),
                            FormatRegistry::builtin().names().join(QStringLiteral(", "))));
        return 2;
    }
    if (!line.isSet(QStringLiteral("out"))) {
        printError(QStringLiteral("export: --out DIR is required"));
        return 2;
    }
    DatasetExportCursor::Filter filter;
    filter.split = line.value(QStringLiteral("split"));
    filter.run = line.value(QStringLiteral("run"));
    if (line.isSet(QStringLiteral("status"))) {
        filter.status = sampleStatusFromName(line.value(QStringLiteral("status")));
        if (!filter.status) {
            printError(QStringLiteral("export: unknown status '%1' (new, in_progress, submitted, accepted, rejected)").arg(line.value(QStringLiteral("status"))));
            return 2;
        }
    }
    const QString project = line.positional().at(0);
    auto db = ProjectArgument::open(project, Database::Mode::ReadOnly);
    if (!db) {
        printError(db.error());
        return 1;
    }
    auto cursor = DatasetExportCursor::open(**db, filter);
    if (!cursor) {
        printError(cursor.error());
        return 1;
    }
    auto revision = DatasetExportCursor::projectRevision(**db);
    if (!revision) {
        printError(revision.error());
        return 1;
    }
    ExportProvenance provenance;
    provenance.program = QStringLiteral("reasonseg %1").arg(QCoreApplication::applicationVersion());
    provenance.project = (*db)->location().displayName();
    provenance.schemaVersion = (*db)->schemaVersion();
    provenance.projectRevision = *revision;
    provenance.split = filter.split;
    provenance.status = line.value(QStringLiteral("status"));
    provenance.run = filter.run;

    ExportOptions options;
    options.outDir = line.value(QStringLiteral("out"));
    ProgressBar progress(QStringLiteral("export"));
    options.progress = &progress;
    QElapsedTimer clock;
    clock.start();
    auto report = DatasetExport::run(*format, **cursor, options, provenance);
    progress.finish();
    if (!report) {
        printError(report.error());
        return 1;
    }
    for (const QString &warning : report->warnings)
        printLine(QStringLiteral("warning: %1").arg(warning));
    printLine(QStringLiteral("exported %1 samples (%2 targets) as %3 to %4 in %5 s%6")
                  .arg(report->samples)
                  .arg(report->targets)
                  .arg(format->name(), options.outDir)
                  .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1)
                  .arg(report->warnings.isEmpty() ? QString()
                                                  : QStringLiteral(" (%1 warnings, listed in README.md)").arg(report->warnings.size())));
    return 0;
}

} // namespace rs::cli
