#pragma once

// Projects the GUI tests open, built with the storage and format classes (no CLI process).

#include "core/difficulty.h"
#include "core/mask.h"
#include "core/proposal.h"
#include "core/rle.h"
#include "core/sample.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/reasonsegdiffformat.h"
#include "storage/database.h"
#include "storage/projectimportsink.h"
#include "storage/runrepository.h"
#include "storage/samplebulkwriter.h"

#include <QImage>
#include <QString>

namespace rs::test {

// `count` samples in id order: split "val" for every 10th, else "train"; an imported difficulty of
// 1 + (i % 10) / 2 for even i; a proposal (run "queue-run") for every 3rd sample with uncertainty and
// chain length varying with i. All samples share 64 images of 32 x 24 pixels that need not exist.
inline Expected<bool> buildQueueProject(const QString &path, qint64 count)
{
    auto db = Database::create(ProjectLocation::sqlite(path));
    if (!db)
        return Error{db.error()};
    ModelRun run;
    run.name = QStringLiteral("queue-run");
    run.model = QStringLiteral("queue-model");
    auto runId = RunRepository(**db).add(run);
    if (!runId)
        return Error{runId.error()};
    Mask mask(32, 24);
    mask.fillRect(QRect(4, 4, 8, 6), true);
    const RleTarget target = RleTarget::fromRle(Rle::encode(mask), QRectF(4, 4, 8, 6), QStringLiteral("thing"));
    SampleBulkWriter writer(**db);
    if (auto begun = writer.begin(); !begun)
        return begun;
    Sample sample;
    sample.image.size = QSize(32, 24);
    for (qint64 i = 0; i < count; ++i) {
        sample.image.relativePath = QStringLiteral("images/%1.png").arg(i % 64);
        sample.split = i % 10 == 0 ? QStringLiteral("val") : QStringLiteral("train");
        sample.sourceId = QString::number(i);
        sample.queries = {QStringLiteral("question %1").arg(i)};
        SampleExtras extras;
        if (i % 2 == 0)
            extras.difficulty = 1.0 + 0.5 * double(i % 10);  // 1, 2, 3 easy; 4 medium; 5 hard
        auto id = writer.add(sample, {target}, extras);
        if (!id)
            return Error{id.error()};
    }
    for (qint64 i = 0; i < count; i += 3) {
        Proposal proposal;
        proposal.runId = *runId;
        proposal.sampleId = i + 1;
        std::vector<ChainToken> tokens(std::size_t(5 + (i * 7) % 40));
        for (std::size_t t = 0; t < tokens.size(); ++t)
            tokens[t] = ChainToken{QStringLiteral("w"), 5, -0.5f, 1.0f, float(double((i * 37 + qint64(t)) % 100) / 100.0)};
        proposal.chain = ReasoningChain::fromTokens(tokens);
        proposal.targets = {target};
        if (auto added = writer.addProposal(proposal); !added)
            return Error{added.error()};
    }
    return writer.commit();
}

// The demo project of `reasonseg demo` (SQLite or PostgreSQL): the bundled model's held-out set
// imported as ReasonSeg-Diff (split "val"), images under RS_MODEL_DIR/heldout.
inline Expected<qint64> buildDemoProject(const ProjectLocation &location)
{
    auto db = Database::create(location);
    if (!db)
        return Error{db.error()};
    const QString dataset = QStringLiteral(RS_MODEL_DIR "/heldout");
    ImportOptions options;
    options.source = dataset;
    options.split = QStringLiteral("val");
    ProjectImportSink::Options sinkOptions;
    sinkOptions.defaultImageRoot = dataset;
    ProjectImportSink sink(**db, sinkOptions);
    if (auto begun = sink.begin(); !begun)
        return Error{begun.error()};
    auto imported = DatasetImport::run(ReasonSegDiffFormat(), options, sink);
    if (!imported)
        return Error{imported.error()};
    if (auto committed = sink.commit(); !committed)
        return Error{committed.error()};
    return imported->samples;
}

inline Expected<qint64> buildDemoProject(const QString &path)
{
    return buildDemoProject(ProjectLocation::sqlite(path));
}

} // namespace rs::test
