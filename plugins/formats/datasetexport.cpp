#include "plugins/formats/datasetexport.h"

#include "core/recordsource.h"
#include "plugins/formats/jsonfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace rs {

namespace {

QJsonArray toArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &item : list)
        array.append(item);
    return array;
}

QByteArray readme(const DatasetFormat &format, const ExportReport &report, const ExportProvenance &provenance)
{
    QString text;
    text += QStringLiteral("# %1 export\n\n").arg(format.name());
    text += QStringLiteral("%1\n\n").arg(format.summary());
    text += QStringLiteral("- written by: %1\n").arg(provenance.program);
    text += QStringLiteral("- project: %1 (schema %2, revision %3)\n")
                .arg(provenance.project)
                .arg(provenance.schemaVersion)
                .arg(provenance.projectRevision);
    text += QStringLiteral("- split: %1\n").arg(provenance.split.isEmpty() ? QStringLiteral("all") : provenance.split);
    text += QStringLiteral("- status: %1\n").arg(provenance.status.isEmpty() ? QStringLiteral("all") : provenance.status);
    if (!provenance.run.isEmpty())
        text += QStringLiteral("- model run: %1\n").arg(provenance.run);
    text += QStringLiteral("- samples: %1, targets: %2, data files: %3\n").arg(report.samples).arg(report.targets).arg(report.files.size());
    if (!report.notes.isEmpty()) {
        text += QStringLiteral("\n## How it was written\n\n");
        for (const QString &note : report.notes)
            text += QStringLiteral("- %1\n").arg(note);
    }
    text += QStringLiteral("\n## Losses\n\n");
    if (report.warnings.isEmpty())
        text += QStringLiteral("None: every exported mask reads back exactly.\n");
    for (const QString &warning : report.warnings)
        text += QStringLiteral("- %1\n").arg(warning);
    return text.toUtf8();
}

QJsonObject manifest(const DatasetFormat &format, const ExportReport &report, const ExportProvenance &provenance)
{
    QJsonObject object;
    object.insert(QStringLiteral("format"), format.name());
    object.insert(QStringLiteral("program"), provenance.program);
    object.insert(QStringLiteral("project"), provenance.project);
    object.insert(QStringLiteral("schema_version"), provenance.schemaVersion);
    object.insert(QStringLiteral("project_revision"), provenance.projectRevision);
    object.insert(QStringLiteral("split"), provenance.split);
    object.insert(QStringLiteral("status"), provenance.status);
    if (!provenance.run.isEmpty())
        object.insert(QStringLiteral("run"), provenance.run);
    object.insert(QStringLiteral("samples"), double(report.samples));
    object.insert(QStringLiteral("targets"), double(report.targets));
    object.insert(QStringLiteral("data_files"), double(report.files.size()));
    object.insert(QStringLiteral("notes"), toArray(report.notes));
    object.insert(QStringLiteral("warnings"), toArray(report.warnings));
    return object;
}

} // namespace

Expected<ExportReport> DatasetExport::run(const DatasetFormat &format, RecordSource &source,
                                          const ExportOptions &options, const ExportProvenance &provenance)
{
    if (!format.canExport())
        return Error{QStringLiteral("format '%1' cannot be exported").arg(format.name())};
    if (options.outDir.isEmpty())
        return Error{QStringLiteral("no output folder given")};
    const QFileInfo out(options.outDir);
    if (out.exists()) {
        if (!out.isDir())
            return Error{QStringLiteral("%1: exists and is not a folder").arg(options.outDir)};
        if (!QDir(options.outDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
            return Error{QStringLiteral("%1: the output folder is not empty").arg(options.outDir)};
    }
    const QString target = QDir::cleanPath(out.absoluteFilePath());
    const QString staging = target + QStringLiteral(".partial-%1").arg(QCoreApplication::applicationPid());
    QDir(staging).removeRecursively();
    if (!QDir().mkpath(staging))
        return Error{QStringLiteral("%1: cannot create the folder").arg(staging)};

    ExportOptions stagedOptions = options;
    stagedOptions.outDir = staging;
    auto report = format.write(source, stagedOptions);
    auto finished = [&]() -> Expected<bool> {
        if (!report)
            return Error{report.error()};
        auto written = JsonFile::write(staging + QStringLiteral("/manifest.json"),
                                       QJsonDocument(manifest(format, *report, provenance)), true);
        if (written)
            written = JsonFile::writeBytes(staging + QStringLiteral("/README.md"), readme(format, *report, provenance));
        if (!written)
            return written;
        if (out.exists() && !QDir().rmdir(target))
            return Error{QStringLiteral("%1: cannot replace the empty output folder").arg(target)};
        if (!QDir().rename(staging, target))
            return Error{QStringLiteral("%1: cannot move the export into place from %2").arg(target, staging)};
        return true;
    }();
    if (!finished) {
        QDir(staging).removeRecursively();
        return Error{finished.error()};
    }
    return report;
}

} // namespace rs
