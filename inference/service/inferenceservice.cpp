#include "inference/service/inferenceservice.h"

#include "inference/service/inferenceworker.h"
#include "inference/service/requestqueue.h"

namespace rs {

InferenceService::InferenceService(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_queue(std::make_shared<RequestQueue>())
{
    // Types that cross the thread boundary in queued signals.
    qRegisterMetaType<rs::ChainToken>();
    qRegisterMetaType<rs::Proposal>();
    m_thread->setObjectName(QStringLiteral("inference"));
    m_worker = new InferenceWorker(m_queue);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &InferenceWorker::modelLoaded, this, [this](const QString &name, const QString &device) {
        m_modelLoaded = true;
        m_modelName = name;
        m_device = device;
        emit modelLoaded(name, device);
    });
    connect(m_worker, &InferenceWorker::modelLoadFailed, this, [this](const QString &message) {
        m_modelLoaded = false;
        m_modelName.clear();
        m_device.clear();
        emit modelLoadFailed(message);
    });
    connect(m_worker, &InferenceWorker::started, this, [this](quint64 id, quint64 generation) {
        if (isCurrent(generation))
            emit started(id);
    });
    connect(m_worker, &InferenceWorker::tokenGenerated, this,
            [this](quint64 id, quint64 generation, const ChainToken &token, int index, int budget) {
                if (isCurrent(generation))
                    emit tokenGenerated(id, token, index, budget);
            });
    connect(m_worker, &InferenceWorker::finished, this, [this](quint64 id, quint64 generation, const Proposal &proposal) {
        if (isCurrent(generation))
            emit finished(id, proposal);
    });
    connect(m_worker, &InferenceWorker::failed, this, [this](quint64 id, quint64 generation, const QString &message) {
        if (isCurrent(generation))
            emit failed(id, message);
    });
    connect(m_worker, &InferenceWorker::cancelled, this, [this](quint64 id, quint64 generation) {
        if (isCurrent(generation))
            emit cancelled(id);
    });
    connect(m_worker, &InferenceWorker::ranOnThread, this, [this](quintptr thread) { m_lastRuntimeThread = Qt::HANDLE(thread); });
    m_thread->start();
}

InferenceService::~InferenceService()
{
    m_queue->cancelAll(m_nextId - 1);
    m_thread->requestInterruption();
    m_thread->quit();
    m_thread->wait();
}

void InferenceService::loadModel(const QString &packageDirectory, const QString &device, int threads)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, packageDirectory, device, threads] {
        worker->loadModel(packageDirectory, device, threads);
    }, Qt::QueuedConnection);
}

quint64 InferenceService::submit(const ProposalRequest &request)
{
    const quint64 id = m_nextId++;
    m_queue->push({id, m_generation, request});
    wakeWorker();
    return id;
}

void InferenceService::cancel(quint64 id)
{
    // A pending request is gone at once; a running one stops before its next token and the worker
    // reports it.
    if (m_queue->cancel(id))
        emit cancelled(id);
}

void InferenceService::cancelAll()
{
    for (quint64 id : m_queue->cancelAll(m_nextId - 1))
        emit cancelled(id);
}

bool InferenceService::setPriority(quint64 id, RequestPriority priority)
{
    return m_queue->setPriority(id, priority);
}

quint64 InferenceService::advanceGeneration()
{
    m_queue->startGeneration(++m_generation);
    return m_generation;
}

qsizetype InferenceService::pendingCount() const
{
    return m_queue->size();
}

void InferenceService::wakeWorker()
{
    QMetaObject::invokeMethod(m_worker, &InferenceWorker::processNext, Qt::QueuedConnection);
}

} // namespace rs
