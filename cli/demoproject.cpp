#include "cli/demoproject.h"

#include "cli/inferjob.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/reasonsegdiffformat.h"
#include "storage/database.h"
#include "storage/projectimportsink.h"

#include <QDir>
#include <QFile>

namespace rs::cli {

Expected<QStringList> DemoProject::build(const QString &dir, const QString &datasetDir, const QString &modelDir,
                                         int proposals)
{
    const QString path = QDir(dir).absoluteFilePath(QLatin1String(kFileName));
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
    auto db = Database::create(ProjectLocation::sqlite(path));
    if (!db)
        return Error{db.error()};

    ImportOptions options;
    options.source = datasetDir;
    options.split = QStringLiteral("val");
    ProjectImportSink::Options sinkOptions;
    sinkOptions.defaultImageRoot = datasetDir;
    ProjectImportSink sink(**db, sinkOptions);
    auto begun = sink.begin();
    if (!begun)
        return Error{begun.error()};
    auto imported = DatasetImport::run(ReasonSegDiffFormat(), options, sink);
    if (!imported)
        return Error{imported.error()};
    auto committed = sink.commit();
    if (!committed)
        return Error{committed.error()};

    QStringList report{QStringLiteral("Demo project: %1 — %2 held-out samples (ReasonSeg-Diff: masks, difficulty, reference chains)")
                           .arg(path)
                           .arg(imported->samples)};
    if (modelDir.isEmpty() || proposals <= 0)
        return report;
    InferJob::Options inferOptions;
    inferOptions.modelDir = modelDir;
    inferOptions.device = QStringLiteral("auto");
    inferOptions.limit = proposals;
    InferJob job(**db, inferOptions);
    auto inferred = job.run();
    if (!inferred)
        return Error{inferred.error()};
    report << QStringLiteral("  model run '%1': %2 proposals on %3 (reasonseg infer %4 --model %5 adds the rest)")
                  .arg(inferred->runName)
                  .arg(inferred->proposals)
                  .arg(inferred->device, path, modelDir);
    return report;
}

} // namespace rs::cli
