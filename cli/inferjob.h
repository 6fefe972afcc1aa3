#pragma once

#include "core/expected.h"
#include "core/proposal.h"

#include <QObject>
#include <QString>

#include <memory>

namespace rs {
class Database;
class InferenceService;
class ProposalBatch;
class Progress;
} // namespace rs

namespace rs::cli {

// Batch pre-labelling for `reasonseg infer`: claims batches of samples that have no proposal of
// the run (ProposalBatch: SKIP LOCKED on PostgreSQL, so several processes share the work), has the
// inference service's worker thread run the model on them while this thread decodes the next
// images and writes the finished proposals, and commits each batch. A batch that fails is rolled
// back and nothing of it is kept; committed batches stay, so running again resumes.
class InferJob : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString modelDir;
        QString device = QStringLiteral("auto");
        QString runName;   // empty: the model's name
        qint64 limit = 0;  // 0: every sample without a proposal of the run
        int batchSize = 16;
        int threads = 2;
        Progress *progress = nullptr;
    };

    struct Result
    {
        QString runName;
        QString device;
        qint64 proposals = 0;
        qint64 remaining = 0;  // samples still without a proposal of the run
        double seconds = 0.0;
    };

    InferJob(Database &db, Options options);
    ~InferJob() override;

    // Runs to the end (a local event loop carries the service's signals).
    Expected<Result> run();

private:
    Expected<bool> loadModel();
    Expected<qint64> ensureRun();
    Expected<bool> runBatch(ProposalBatch &batch, qint64 runId);

    Database &m_db;
    Options m_options;
    std::unique_ptr<InferenceService> m_service;
    QString m_modelName;
    QString m_device;
};

} // namespace rs::cli
