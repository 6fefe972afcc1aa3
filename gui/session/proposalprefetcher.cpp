#include "gui/session/proposalprefetcher.h"

#include "gui/canvas/imageloader.h"
#include "inference/service/inferenceservice.h"
#include "storage/database.h"
#include "storage/proposalrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"

#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent>

namespace rs {

ProposalPrefetcher::ProposalPrefetcher(QObject *parent) : QObject(parent) {}

ProposalPrefetcher::~ProposalPrefetcher() = default;

void ProposalPrefetcher::setProject(Database *database, const QString &imageRoot)
{
    if (m_service)
        m_service->advanceGeneration();  // cancels and makes every earlier result stale
    m_pending.clear();
    m_done.clear();
    m_running = 0;
    ++m_projectGeneration;
    m_db = database;
    m_imageRoot = imageRoot;
    m_runId = 0;
    m_visible = 0;
    m_visibleImage = QImage();
    m_next.clear();
    if (isModelLoaded()) {
        ensureRun();
        updateIdle();
    }
}

void ProposalPrefetcher::setPrefetchCount(int count)
{
    m_prefetchCount = qBound(0, count, 64);
}

bool ProposalPrefetcher::isModelLoaded() const
{
    return m_service && m_service->isModelLoaded();
}

QString ProposalPrefetcher::device() const
{
    return m_service ? m_service->device() : QString();
}

void ProposalPrefetcher::loadModel(const QString &packageDirectory, const QString &device)
{
    m_pending.clear();
    m_refines.clear();
    m_running = 0;
    m_runId = 0;
    m_modelName.clear();
    m_service = std::make_unique<InferenceService>();
    InferenceService *service = m_service.get();
    connect(service, &InferenceService::modelLoaded, this, [this](const QString &name) { onModelLoaded(name); });
    connect(service, &InferenceService::modelLoadFailed, this, [this](const QString &message) {
        m_failure = message;
        setState(State::Failed);
        emit errorOccurred(tr("Model: %1").arg(message));
    });
    connect(service, &InferenceService::started, this, [this](quint64 id) {
        m_running = id;
        m_tokens = 0;
        setState(State::Generating);
    });
    connect(service, &InferenceService::tokenGenerated, this,
            [this](quint64 id, const ChainToken &token, int index, int budget) {
                m_tokens = index + 1;
                emit stateChanged();
                emit tokenGenerated(sampleOf(id), token, index, budget);
            });
    connect(service, &InferenceService::finished, this, [this](quint64 id, const Proposal &result) {
        if (m_refines.contains(id)) {
            take(id);
            emit refineFinished(m_refines.take(id), result);
            return updateIdle();
        }
        const qint64 sampleId = take(id);
        if (sampleId != 0 && m_db && m_runId != 0) {
            Proposal proposal = result;
            proposal.runId = m_runId;
            proposal.sampleId = sampleId;
            const Expected<qint64> added = ProposalRepository(*m_db).add(proposal);
            if (added) {
                proposal.id = *added;
                m_done.insert(sampleId);
                emit proposalStored(sampleId, proposal);
            } else {
                emit errorOccurred(tr("Storing the proposal of sample %1: %2").arg(sampleId).arg(added.error()));
            }
        }
        updateIdle();
    });
    connect(service, &InferenceService::failed, this, [this](quint64 id, const QString &message) {
        if (m_refines.contains(id)) {
            take(id);
            emit refineFailed(m_refines.take(id), message);
            return updateIdle();
        }
        const qint64 sampleId = take(id);
        emit errorOccurred(tr("Model on sample %1: %2").arg(sampleId).arg(message));
        updateIdle();
    });
    connect(service, &InferenceService::cancelled, this, [this](quint64 id) {
        take(id);
        if (m_refines.contains(id))
            emit refineFailed(m_refines.take(id), tr("cancelled"));
        updateIdle();
    });
    m_failure = packageDirectory;
    setState(State::Loading);
    service->loadModel(packageDirectory, device);
}

void ProposalPrefetcher::onModelLoaded(const QString &name)
{
    m_modelName = name;
    m_failure.clear();
    ensureRun();
    setState(State::Idle);
    schedule();
}

void ProposalPrefetcher::ensureRun()
{
    m_runId = 0;
    m_done.clear();
    if (!m_db || m_modelName.isEmpty())
        return;
    RunRepository runs(*m_db);
    const Expected<std::optional<qint64>> existing = runs.findByName(m_modelName);
    if (!existing) {
        emit errorOccurred(existing.error());
        return;
    }
    if (*existing) {
        const Expected<ModelRun> run = runs.get(**existing);
        if (run && run->model == m_modelName)
            m_runId = **existing;
        else
            emit errorOccurred(tr("Run '%1' holds another model's proposals: no prefetching").arg(m_modelName));
        return;
    }
    if (m_db->isReadOnly())
        return;
    ModelRun run;
    run.name = m_modelName;
    run.model = m_modelName;
    run.device = device();
    run.parameters.insert(QStringLiteral("decoding"), QStringLiteral("greedy, the package's token budget"));
    run.parameters.insert(QStringLiteral("source"), QStringLiteral("reasonseg-studio prefetch"));
    const Expected<qint64> added = runs.add(run);
    if (added)
        m_runId = *added;
    else
        emit errorOccurred(added.error());
}

void ProposalPrefetcher::setVisible(qint64 sampleId, const QImage &image, const QList<qint64> &next)
{
    m_visible = sampleId;
    m_visibleImage = image;
    m_next = next.mid(0, m_prefetchCount);
    m_next.removeAll(sampleId);
    schedule();
}

bool ProposalPrefetcher::refine(qint64 sampleId, const QImage &image, const QString &question, const QRectF &box)
{
    if (!isModelLoaded() || image.isNull())
        return false;
    ProposalRequest request;
    request.sampleId = sampleId;
    request.image = image;
    request.question = question;
    request.box = box;
    request.priority = RequestPriority::Visible;
    m_refines.insert(m_service->submit(request), sampleId);
    return true;
}

QHash<qint64, RequestPriority> ProposalPrefetcher::pending() const
{
    QHash<qint64, RequestPriority> result;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        result.insert(it.key(), it->priority);
    return result;
}

void ProposalPrefetcher::schedule()
{
    if (!m_db || !isModelLoaded() || m_runId == 0)
        return;
    // Requests for samples no longer on screen or next in the queue are dropped.
    const QList<qint64> keys = m_pending.keys();
    for (qint64 sampleId : keys) {
        const quint64 requestId = m_pending.value(sampleId).requestId;
        if (sampleId == m_visible || m_next.contains(sampleId) || (requestId != 0 && requestId == m_running))
            continue;  // the running one finishes and is stored: it is nearly done
        m_pending.remove(sampleId);
        if (requestId != 0)
            m_service->cancel(requestId);
    }
    if (m_visible != 0) {
        auto found = m_pending.find(m_visible);
        if (found != m_pending.end()) {
            if (found->priority != RequestPriority::Visible && found->requestId != 0)
                m_service->setPriority(found->requestId, RequestPriority::Visible);
            found->priority = RequestPriority::Visible;
        } else if (!hasProposalOfRun(m_visible)) {
            request(m_visible, RequestPriority::Visible, m_visibleImage);
        }
    }
    for (qint64 sampleId : std::as_const(m_next)) {
        auto found = m_pending.find(sampleId);
        if (found != m_pending.end()) {
            if (found->priority != RequestPriority::Prefetch && found->requestId != 0)
                m_service->setPriority(found->requestId, RequestPriority::Prefetch);
            found->priority = RequestPriority::Prefetch;
        } else if (!hasProposalOfRun(sampleId)) {
            request(sampleId, RequestPriority::Prefetch, QImage());
        }
    }
}

bool ProposalPrefetcher::hasProposalOfRun(qint64 sampleId)
{
    if (m_done.contains(sampleId))
        return true;
    const Expected<std::vector<Proposal>> proposals = ProposalRepository(*m_db).forSample(sampleId);
    if (!proposals)
        return true;  // do not ask the model for what cannot be stored
    for (const Proposal &p : *proposals)
        if (p.runId == m_runId) {
            m_done.insert(sampleId);
            return true;
        }
    return false;
}

void ProposalPrefetcher::request(qint64 sampleId, RequestPriority priority, const QImage &image)
{
    m_pending.insert(sampleId, Pending{0, priority});
    if (!image.isNull())
        return submit(sampleId, image);
    const Expected<Sample> sample = SampleRepository(*m_db).get(sampleId);
    if (!sample) {
        m_pending.remove(sampleId);
        emit errorOccurred(sample.error());
        return;
    }
    const QString path = QDir(m_imageRoot).absoluteFilePath(sample->image.relativePath);
    auto *watcher = new QFutureWatcher<Expected<QImage>>(this);
    const quint64 generation = m_projectGeneration;
    connect(watcher, &QFutureWatcher<Expected<QImage>>::finished, this, [this, watcher, sampleId, generation] {
        watcher->deleteLater();
        const Expected<QImage> decoded = watcher->result();
        auto found = m_pending.constFind(sampleId);
        if (generation != m_projectGeneration || found == m_pending.constEnd() || found->requestId != 0)
            return;  // no longer wanted
        if (!decoded) {
            m_pending.remove(sampleId);
            emit errorOccurred(decoded.error());
            return;
        }
        submit(sampleId, *decoded);
    });
    watcher->setFuture(QtConcurrent::run([path] { return ImageLoader::decode(path, ImageLoader::kDefaultMaxPixels); }));
}

void ProposalPrefetcher::submit(qint64 sampleId, const QImage &image)
{
    const Expected<Sample> sample = SampleRepository(*m_db).get(sampleId);
    if (!sample || !m_service) {
        m_pending.remove(sampleId);
        return;
    }
    ProposalRequest request;
    request.sampleId = sampleId;
    request.image = image;
    request.imageKey = QString::fromLatin1(sample->image.sha256);
    request.question = sample->query();
    if (const Expected<SampleExtras> extras = SampleRepository(*m_db).extras(sampleId))
        request.box = extras->regionInput();  // a box question's region input
    request.priority = m_pending.value(sampleId).priority;
    m_pending[sampleId].requestId = m_service->submit(request);
}

qint64 ProposalPrefetcher::sampleOf(quint64 requestId) const
{
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        if (it->requestId == requestId)
            return it.key();
    return 0;
}

qint64 ProposalPrefetcher::take(quint64 requestId)
{
    if (requestId == m_running)
        m_running = 0;
    const qint64 sampleId = sampleOf(requestId);
    if (sampleId != 0)
        m_pending.remove(sampleId);
    return sampleId;
}

void ProposalPrefetcher::updateIdle()
{
    if (!isModelLoaded())
        return;
    if (m_running == 0)
        setState(State::Idle);
}

void ProposalPrefetcher::setState(State state)
{
    m_state = state;
    emit stateChanged();
}

QString ProposalPrefetcher::stateText() const
{
    switch (m_state) {
    case State::NoModel:
        return tr("no model");
    case State::Loading:
        return tr("loading %1…").arg(QDir(m_failure).dirName());
    case State::Idle:
        return m_pending.isEmpty() ? tr("%1 idle").arg(m_modelName) : tr("%1 queued %2").arg(m_modelName).arg(m_pending.size());
    case State::Generating:
        return tr("%1 generating %n token(s)", nullptr, m_tokens).arg(m_modelName);
    case State::Failed:
        return tr("model failed: %1").arg(m_failure);
    }
    return QString();
}

} // namespace rs
