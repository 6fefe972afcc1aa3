#pragma once

#include "core/proposal.h"
#include "core/reasoningchain.h"
#include "inference/service/proposalrequest.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QObject>
#include <QSet>

#include <memory>

namespace rs {

class Database;
class InferenceService;

// Keeps the model busy with what the annotator needs next: the sample on screen at Visible
// priority, the next N samples of the queue at Prefetch priority (images decoded on the thread
// pool first), each only when the loaded model's run has no proposal for it yet. A finished
// proposal is stored at once (ProposalRepository, in the run named after the model, as
// `reasonseg infer` does) and announced. Requests for samples that left the window are cancelled.
// Also the source of the model state shown in the status bar.
//
// Thread: GUI thread. Owns the InferenceService (whose worker thread runs the model).
class ProposalPrefetcher : public QObject
{
    Q_OBJECT

public:
    enum class State { NoModel, Loading, Idle, Generating, Failed };

    explicit ProposalPrefetcher(QObject *parent = nullptr);
    ~ProposalPrefetcher() override;

    // The project samples are read from and proposals written to; nullptr detaches (and cancels).
    void setProject(Database *database, const QString &imageRoot);
    void setPrefetchCount(int count);
    int prefetchCount() const { return m_prefetchCount; }

    void loadModel(const QString &packageDirectory, const QString &device = QStringLiteral("auto"));
    InferenceService *service() const { return m_service.get(); }
    bool isModelLoaded() const;

    State state() const { return m_state; }
    int tokens() const { return m_tokens; }
    QString modelName() const { return m_modelName; }
    QString device() const;
    // "no model", "loading shapes…", "generating 12 tokens", "idle", "failed: …".
    QString stateText() const;
    qint64 runId() const { return m_runId; }

    // The sample on screen (with its image when already decoded, else it is decoded here) and the
    // next samples of the queue, nearest first.
    void setVisible(qint64 sampleId, const QImage &image, const QList<qint64> &next);
    // Model refine: asks the model about `box` (image pixels, xywh) of the sample on screen at Visible
    // priority; the answer comes as refineFinished (not stored: it is an edit, not a proposal).
    bool refine(qint64 sampleId, const QImage &image, const QString &question, const QRectF &box);
    // The samples with a request queued, decoding or running, and their priority.
    QHash<qint64, RequestPriority> pending() const;

signals:
    void stateChanged();
    void proposalStored(qint64 sampleId, const rs::Proposal &proposal);
    void tokenGenerated(qint64 sampleId, const rs::ChainToken &token, int index, int budget);
    void errorOccurred(const QString &message);
    void refineFinished(qint64 sampleId, const rs::Proposal &proposal);
    void refineFailed(qint64 sampleId, const QString &message);

private:
    struct Pending
    {
        quint64 requestId = 0;  // 0 while the image is decoded
        RequestPriority priority = RequestPriority::Prefetch;
    };

    void onModelLoaded(const QString &name);
    void ensureRun();
    void updateIdle();
    void schedule();
    void request(qint64 sampleId, RequestPriority priority, const QImage &image);
    void submit(qint64 sampleId, const QImage &image);
    // The sample a request was for (0 when unknown); it is no longer pending afterwards.
    qint64 take(quint64 requestId);
    void setState(State state);
    bool hasProposalOfRun(qint64 sampleId);
    qint64 sampleOf(quint64 requestId) const;

    Database *m_db = nullptr;
    QString m_imageRoot;
    std::unique_ptr<InferenceService> m_service;
    QString m_modelName;
    QString m_failure;
    qint64 m_runId = 0;
    int m_prefetchCount = 3;
    State m_state = State::NoModel;
    int m_tokens = 0;
    quint64 m_projectGeneration = 0;

    qint64 m_visible = 0;
    QImage m_visibleImage;
    QList<qint64> m_next;
    QHash<qint64, Pending> m_pending;   // by sample
    QSet<qint64> m_done;                // samples known to have a proposal of the run
    quint64 m_running = 0;
    QHash<quint64, qint64> m_refines;   // refine request → sample
};

} // namespace rs
