#pragma once

#include "inference/service/proposalrequest.h"

#include "core/reasoningchain.h"
#include "core/proposal.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace rs {

class InferenceWorker;
class RequestQueue;

// The GUI's door to the model: one worker on its own QThread per loaded model. Requests carry an id and
// a priority (the sample on screen before prefetched ones) and can be cancelled. Every request belongs
// to the generation current when it was submitted; advanceGeneration() makes all earlier results stale,
// and stale results are dropped here, never emitted. Lives on the GUI thread; its calls never block.
class InferenceService : public QObject
{
    Q_OBJECT

public:
    explicit InferenceService(QObject *parent = nullptr);
    ~InferenceService() override;

    // Loads a model package on the worker thread; modelLoaded or modelLoadFailed follows.
    void loadModel(const QString &packageDirectory, const QString &device = QStringLiteral("auto"), int threads = 2);
    bool isModelLoaded() const { return m_modelLoaded; }
    QString modelName() const { return m_modelName; }
    QString device() const { return m_device; }

    // Queues a request and returns its id (never 0).
    quint64 submit(const ProposalRequest &request);
    // Removes a pending request or stops the running one before its next token; cancelled follows.
    void cancel(quint64 id);
    void cancelAll();
    // Moves a pending request (e.g. a prefetched sample the user just opened) to another priority.
    bool setPriority(quint64 id, RequestPriority priority);
    // Makes every result of requests submitted so far stale (they are dropped when they arrive) and
    // cancels them. Returns the new generation.
    quint64 advanceGeneration();
    quint64 generation() const { return m_generation; }
    qsizetype pendingCount() const;

    QThread *workerThread() const { return m_thread; }
    // The thread the runtime last ran a request on (diagnostics: never the GUI thread).
    Qt::HANDLE lastRuntimeThread() const { return m_lastRuntimeThread; }

signals:
    void modelLoaded(const QString &name, const QString &device);
    void modelLoadFailed(const QString &message);
    void started(quint64 id);
    void tokenGenerated(quint64 id, const rs::ChainToken &token, int index, int budget);
    void finished(quint64 id, const rs::Proposal &proposal);
    void failed(quint64 id, const QString &message);
    void cancelled(quint64 id);

private:
    bool isCurrent(quint64 generation) const { return generation == m_generation; }
    void wakeWorker();

    QThread *m_thread = nullptr;
    QPointer<InferenceWorker> m_worker;
    std::shared_ptr<RequestQueue> m_queue;
    quint64 m_nextId = 1;
    quint64 m_generation = 1;
    bool m_modelLoaded = false;
    QString m_modelName;
    QString m_device;
    Qt::HANDLE m_lastRuntimeThread = nullptr;
};

} // namespace rs
