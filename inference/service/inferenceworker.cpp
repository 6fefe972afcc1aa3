#include "inference/service/inferenceworker.h"

#include "core/mask.h"
#include "core/rle.h"
#include "inference/runtime/inferenceruntime.h"

#include <QThread>

namespace rs {

namespace {

ChainToken toChainToken(const GeneratedToken &token)
{
    ChainToken chainToken;
    chainToken.text = QString::fromStdString(token.text);
    chainToken.id = int(token.id);
    chainToken.logProb = token.logProb;
    chainToken.entropy = token.entropy;
    chainToken.top2Margin = token.margin;
    return chainToken;
}

Proposal toProposal(qint64 sampleId, const InferenceResult &result, qsizetype stopTokens)
{
    Proposal proposal;
    proposal.sampleId = sampleId;
    std::vector<ChainToken> tokens;
    for (qsizetype i = 0; i + stopTokens < qsizetype(result.tokens.size()); ++i)
        tokens.push_back(toChainToken(result.tokens[std::size_t(i)]));
    proposal.chain = ReasoningChain::fromTokens(std::move(tokens));
    proposal.rawResponse = QString::fromStdString(result.text);
    for (const InferenceResult::Target &target : result.targets) {
        const Mask mask = Mask::fromBytes(target.mask.data(), target.width, target.height, target.width);
        const QRectF box = target.hasBox ? QRectF(QPointF(target.box[0], target.box[1]), QPointF(target.box[2], target.box[3]))
                                         : QRectF(mask.boundingRect());
        RleTarget stored = RleTarget::fromRle(Rle::encode(mask), box, QString::fromStdString(target.label));
        stored.score = target.score;
        proposal.targets.push_back(std::move(stored));
    }
    proposal.timings.preprocessMs = result.timings.preprocessMs + result.timings.visionMs;
    proposal.timings.firstTokenMs = result.timings.timeToFirstTokenMs;
    proposal.timings.decodeMs = result.timings.decodeMs;
    proposal.timings.maskMs = result.timings.maskDecodeMs;
    proposal.timings.tokensPerSecond = result.timings.tokensPerSecond;
    return proposal;
}

} // namespace

InferenceWorker::InferenceWorker(std::shared_ptr<RequestQueue> queue, QObject *parent)
    : QObject(parent)
    , m_queue(std::move(queue))
{
}

InferenceWorker::~InferenceWorker() = default;

void InferenceWorker::loadModel(const QString &packageDirectory, const QString &device, int threads)
{
    auto runtime = std::make_unique<InferenceRuntime>();
    RuntimeOptions options;
    options.device = device.toStdString();
    options.threads = threads;
    const Status status = runtime->load(packageDirectory.toStdString(), options);
    if (!status.ok()) {
        m_runtime.reset();
        emit modelLoadFailed(QString::fromStdString(status.message()));
        return;
    }
    m_runtime = std::move(runtime);
    const ModelPackage &package = m_runtime->package();
    emit modelLoaded(QString::fromStdString(package.name()),
                     QString::fromStdString(m_runtime->device()));
}

void InferenceWorker::processNext()
{
    std::optional<RequestQueue::Entry> entry = m_queue->takeNext();
    if (!entry)
        return;
    run(*entry);
    // One request per event-loop turn, so a model load or the thread's quit is never starved.
    if (m_queue->size() > 0 && !QThread::currentThread()->isInterruptionRequested())
        QMetaObject::invokeMethod(this, &InferenceWorker::processNext, Qt::QueuedConnection);
}

void InferenceWorker::run(const RequestQueue::Entry &entry)
{
    if (m_queue->isCancelled(entry)) {
        m_queue->forget(entry.id);
        emit cancelled(entry.id, entry.generation);
        return;
    }
    if (!m_runtime) {
        emit failed(entry.id, entry.generation, tr("no model is loaded"));
        return;
    }
    const ProposalRequest &request = entry.request;
    const QImage rgb = request.image.convertToFormat(QImage::Format_RGB888);
    InferenceRequest runtimeRequest;
    runtimeRequest.image = RgbImageView{rgb.constBits(), rgb.width(), rgb.height(), int(rgb.bytesPerLine())};
    runtimeRequest.question = request.question.toStdString();
    runtimeRequest.imageKey = request.imageKey.toStdString();
    if (request.box) {
        const QRectF &b = *request.box;
        runtimeRequest.box = std::array<float, 4>{float(b.left()), float(b.top()), float(b.right()), float(b.bottom())};
    }

    GenerationOptions options;
    options.maxNewTokens = request.decoding.maxNewTokens;
    options.temperature = request.decoding.temperature;
    options.topP = request.decoding.topP;
    options.seed = request.decoding.seed;
    const int budget = options.maxNewTokens > 0 ? options.maxNewTokens : m_runtime->package().limits().maxNewTokens;
    options.onToken = [this, &entry, budget](const GeneratedToken &token, std::size_t index) {
        emit tokenGenerated(entry.id, entry.generation, toChainToken(token), int(index), budget);
    };
    options.isCancelled = [this, &entry] {
        return m_queue->isCancelled(entry) || QThread::currentThread()->isInterruptionRequested();
    };

    emit started(entry.id, entry.generation);
    emit ranOnThread(quintptr(QThread::currentThreadId()));
    InferenceResult result;
    const Status status = m_runtime->run(runtimeRequest, options, result);
    m_queue->forget(entry.id);

    if (!status.ok())
        emit failed(entry.id, entry.generation, QString::fromStdString(status.message()));
    else if (result.stopReason == InferenceResult::StopReason::Cancelled)
        emit cancelled(entry.id, entry.generation);
    else {
        const bool endsWithStop = result.stopReason == InferenceResult::StopReason::EndToken
                                  || result.stopReason == InferenceResult::StopReason::StopToken;
        emit finished(entry.id, entry.generation, toProposal(request.sampleId, result, endsWithStop ? 1 : 0));
    }
}

} // namespace rs
