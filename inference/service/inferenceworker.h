#pragma once

#include "inference/service/requestqueue.h"

#include "core/reasoningchain.h"
#include "core/proposal.h"

#include <QObject>

#include <memory>

namespace rs {

class InferenceRuntime;

// Runs proposal requests on the thread it lives on (the service's worker thread). It owns the model
// runtime, which is created, loaded and used on that thread only; it never touches widgets. Everything
// it reports goes out through queued signals carrying the request id and the generation the request
// was submitted in.
class InferenceWorker : public QObject
{
    Q_OBJECT

public:
    explicit InferenceWorker(std::shared_ptr<RequestQueue> queue, QObject *parent = nullptr);
    ~InferenceWorker() override;

public slots:
    void loadModel(const QString &packageDirectory, const QString &device, int threads);
    // Runs the most urgent queued request, then schedules itself again while requests remain.
    void processNext();

signals:
    void modelLoaded(const QString &description, const QString &device);
    void modelLoadFailed(const QString &message);
    void started(quint64 id, quint64 generation);
    void tokenGenerated(quint64 id, quint64 generation, const rs::ChainToken &token, int index, int budget);
    void finished(quint64 id, quint64 generation, const rs::Proposal &proposal);
    void failed(quint64 id, quint64 generation, const QString &message);
    void cancelled(quint64 id, quint64 generation);
    // The runtime was called on this thread (for tests and diagnostics).
    void ranOnThread(quintptr threadId);

private:
    void run(const RequestQueue::Entry &entry);

    std::shared_ptr<RequestQueue> m_queue;
    std::unique_ptr<InferenceRuntime> m_runtime;
};

} // namespace rs
