#include "cli/inferjob.h"

#include "core/progress.h"
#include "inference/service/inferenceservice.h"
#include "storage/database.h"
#include "storage/imagerepository.h"
#include "storage/proposalbatch.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QImageReader>

namespace rs::cli {

InferJob::InferJob(Database &db, Options options) : m_db(db), m_options(std::move(options)) {}

InferJob::~InferJob() = default;

Expected<bool> InferJob::loadModel()
{
    m_service = std::make_unique<InferenceService>();
    QEventLoop loop;
    std::optional<Error> failure;
    connect(m_service.get(), &InferenceService::modelLoaded, &loop, [&](const QString &name, const QString &device) {
        m_modelName = name;
        m_device = device;
        loop.quit();
    });
    connect(m_service.get(), &InferenceService::modelLoadFailed, &loop, [&](const QString &message) {
        failure = Error{message};
        loop.quit();
    });
    m_service->loadModel(m_options.modelDir, m_options.device, m_options.threads);
    loop.exec();
    if (failure)
        return *failure;
    return true;
}

Expected<qint64> InferJob::ensureRun()
{
    RunRepository runs(m_db);
    const QString name = m_options.runName.isEmpty() ? m_modelName : m_options.runName;
    m_options.runName = name;
    auto existing = runs.findByName(name);
    if (!existing)
        return Error{existing.error()};
    if (*existing) {
        auto run = runs.get(**existing);
        if (!run)
            return Error{run.error()};
        if (run->model != m_modelName)
            return Error{QStringLiteral("run '%1' holds proposals of model '%2', not '%3'; choose another --run").arg(name, run->model, m_modelName)};
        return **existing;
    }
    ModelRun run;
    run.name = name;
    run.model = m_modelName;
    run.device = m_device;
    run.parameters.insert(QStringLiteral("package"), QDir(m_options.modelDir).absolutePath());
    run.parameters.insert(QStringLiteral("decoding"), QStringLiteral("greedy, the package's token budget"));
    return runs.add(run);
}

Expected<bool> InferJob::runBatch(ProposalBatch &batch, qint64 runId)
{
    auto root = ImageRepository(m_db).imageRoot();
    if (!root)
        return Error{root.error()};
    SampleRepository samples(m_db);
    QHash<quint64, qint64> sampleOfRequest;
    for (const qint64 id : batch.sampleIds()) {
        auto sample = samples.get(id);
        if (!sample)
            return Error{sample.error()};
        const QString path = QDir(*root).absoluteFilePath(sample->image.relativePath);
        QImageReader reader(path);
        const QImage image = reader.read();
        if (image.isNull())
            return Error{QStringLiteral("%1: cannot read the image of sample %2: %3").arg(path).arg(id).arg(reader.errorString())};
        ProposalRequest request;
        request.sampleId = id;
        request.image = image;
        request.imageKey = QString::fromLatin1(sample->image.sha256);
        request.question = sample->query();
        auto extras = samples.extras(id);
        if (!extras)
            return Error{extras.error()};
        request.box = extras->regionInput();
        request.priority = RequestPriority::Background;
        sampleOfRequest.insert(m_service->submit(request), id);
    }

    QEventLoop loop;
    std::optional<Error> failure;
    qsizetype open = sampleOfRequest.size();
    auto oneDone = [&] {
        if (--open == 0 || failure)
            loop.quit();
    };
    const auto finished = connect(m_service.get(), &InferenceService::finished, &loop, [&](quint64 id, const Proposal &result) {
        Proposal proposal = result;
        proposal.runId = runId;
        proposal.sampleId = sampleOfRequest.value(id);
        auto added = batch.add(proposal);
        if (!added)
            failure = Error{added.error()};
        else if (m_options.progress)
            m_options.progress->advance();
        oneDone();
    });
    const auto failed = connect(m_service.get(), &InferenceService::failed, &loop, [&](quint64 id, const QString &message) {
        failure = Error{QStringLiteral("sample %1: %2").arg(sampleOfRequest.value(id)).arg(message)};
        oneDone();
    });
    const auto cancelled = connect(m_service.get(), &InferenceService::cancelled, &loop, [&](quint64 id) {
        failure = Error{QStringLiteral("sample %1: inference was cancelled").arg(sampleOfRequest.value(id))};
        oneDone();
    });
    if (open > 0)
        loop.exec();
    disconnect(finished);
    disconnect(failed);
    disconnect(cancelled);
    if (failure) {
        m_service->cancelAll();
        return *failure;
    }
    return batch.commit();
}

Expected<InferJob::Result> InferJob::run()
{
    QElapsedTimer clock;
    clock.start();
    auto loaded = loadModel();
    if (!loaded)
        return Error{loaded.error()};
    auto runId = ensureRun();
    if (!runId)
        return Error{runId.error()};
    auto pending = ProposalBatch::pendingCount(m_db, *runId);
    if (!pending)
        return Error{pending.error()};
    const qint64 wanted = m_options.limit > 0 ? qMin(m_options.limit, *pending) : *pending;
    if (m_options.progress)
        m_options.progress->setTotal(wanted);

    Result result;
    result.runName = m_options.runName;
    result.device = m_device;
    while (result.proposals < wanted) {
        if (m_options.progress && m_options.progress->isCancelled())
            return Error{QStringLiteral("infer cancelled")};
        const int size = int(qMin<qint64>(m_options.batchSize, wanted - result.proposals));
        auto batch = ProposalBatch::claim(m_db, *runId, size);
        if (!batch)
            return Error{batch.error()};
        if ((*batch)->sampleIds().empty())
            break;  // other workers took the rest
        auto done = runBatch(**batch, *runId);
        if (!done)
            return Error{done.error()};
        result.proposals += qint64((*batch)->sampleIds().size());
    }
    auto left = ProposalBatch::pendingCount(m_db, *runId);
    if (!left)
        return Error{left.error()};
    result.remaining = *left;
    result.seconds = double(clock.elapsed()) / 1000.0;
    return result;
}

} // namespace rs::cli
