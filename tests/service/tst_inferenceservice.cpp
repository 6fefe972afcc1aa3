#include "inference/service/inferenceservice.h"

#include "core/rle.h"
#include "inference/runtime/inferenceruntime.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;

namespace {

// The bundled package; the environment variable of the same name overrides it, as for the runtime tests.
const QString kModelDir = qEnvironmentVariable("RS_MODEL_DIR", QStringLiteral(RS_MODEL_DIR));
constexpr int kTimeoutMs = 60000;

// A held-out sample of the bundled model: its image and question.
ProposalRequest heldOutRequest(int index, RequestPriority priority = RequestPriority::Visible)
{
    const QString stem = kModelDir + QStringLiteral("/heldout/shapes_%1").arg(index, 4, 10, QLatin1Char('0'));
    QFile json(stem + QStringLiteral(".json"));
    if (!json.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(json.fileName()));
    const QJsonObject object = QJsonDocument::fromJson(json.readAll()).object();
    ProposalRequest request;
    request.sampleId = index + 1;
    request.image = QImage(stem + QStringLiteral(".jpg"));
    request.question = object.value(QLatin1String("text")).toArray().at(0).toString();
    const QJsonArray box = object.value(QLatin1String("box_input")).toArray();
    if (box.size() == 4)
        request.box = QRectF(QPointF(box[0].toDouble(), box[1].toDouble()), QPointF(box[2].toDouble(), box[3].toDouble()));
    request.priority = priority;
    return request;
}

bool waitFor(QSignalSpy &spy, int count)
{
    return QTest::qWaitFor([&] { return spy.count() >= count; }, kTimeoutMs);
}

QList<quint64> idsOf(const QSignalSpy &spy)
{
    QList<quint64> ids;
    for (const QList<QVariant> &arguments : spy)
        ids << arguments.at(0).toULongLong();
    return ids;
}

} // namespace

class TstInferenceService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void proposalMatchesTheRuntime();
    void tokensStreamBeforeFinished();
    void prioritiesReorderTheQueue();
    void cancelStopsTheRunningRequest();
    void cancelRemovesAPendingRequest();
    void staleResultsAreDropped();
    void failingModelKeepsServing();

private:
    std::unique_ptr<InferenceService> m_service;
};

void TstInferenceService::initTestCase()
{
    m_service = std::make_unique<InferenceService>();
    QSignalSpy loaded(m_service.get(), &InferenceService::modelLoaded);
    QSignalSpy loadFailed(m_service.get(), &InferenceService::modelLoadFailed);
    m_service->loadModel(kModelDir, QStringLiteral("cpu"), 1);
    QVERIFY(QTest::qWaitFor([&] { return loaded.count() + loadFailed.count() > 0; }, kTimeoutMs));
    QVERIFY2(loadFailed.isEmpty(), loadFailed.isEmpty() ? "" : qPrintable(loadFailed.first().first().toString()));
    QVERIFY(m_service->isModelLoaded());
    QCOMPARE(m_service->device(), QStringLiteral("cpu"));
}

void TstInferenceService::proposalMatchesTheRuntime()
{
    // The service is a thin, threaded shell: its proposal must be what the runtime itself decodes.
    const ProposalRequest request = heldOutRequest(0);
    QSignalSpy finished(m_service.get(), &InferenceService::finished);
    const quint64 id = m_service->submit(request);
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(finished.first().at(0).toULongLong(), id);
    const Proposal proposal = finished.first().at(1).value<Proposal>();
    QCOMPARE(proposal.sampleId, request.sampleId);
    QVERIFY(m_service->lastRuntimeThread() != nullptr);
    QVERIFY(m_service->lastRuntimeThread() != QThread::currentThreadId());

    InferenceRuntime runtime;
    RuntimeOptions options;
    options.device = "cpu";
    options.threads = 1;
    QVERIFY(runtime.load(kModelDir.toStdString(), options).ok());
    const QImage rgb = request.image.convertToFormat(QImage::Format_RGB888);
    InferenceRequest direct;
    direct.image = RgbImageView{rgb.constBits(), rgb.width(), rgb.height(), int(rgb.bytesPerLine())};
    direct.question = request.question.toStdString();
    if (request.box)
        direct.box = std::array<float, 4>{float(request.box->left()), float(request.box->top()),
                                          float(request.box->right()), float(request.box->bottom())};
    InferenceResult result;
    QVERIFY(runtime.run(direct, GenerationOptions(), result).ok());

    // Every generated token but the stop token, with its statistics.
    QCOMPARE(qsizetype(proposal.chain.tokenCount()), qsizetype(result.tokens.size()) - 1);
    for (int i = 0; i < proposal.chain.tokenCount(); ++i) {
        const ChainToken &token = proposal.chain.tokens()[std::size_t(i)];
        QCOMPARE(token.id, int(result.tokens[std::size_t(i)].id));
        QCOMPARE(token.logProb, result.tokens[std::size_t(i)].logProb);
        QCOMPARE(token.top2Margin, result.tokens[std::size_t(i)].margin);
    }
    QCOMPARE(proposal.targets.size(), result.targets.size());
    for (std::size_t t = 0; t < result.targets.size(); ++t) {
        const Expected<Rle> rle = proposal.targets[t].rle();
        QVERIFY(rle.hasValue());
        QCOMPARE(rle->area(), result.targets[t].pixelCount);
        QCOMPARE(rle->width(), request.image.width());
        QCOMPARE(rle->height(), request.image.height());
        QCOMPARE(proposal.targets[t].score, double(result.targets[t].score));
    }
}

void TstInferenceService::tokensStreamBeforeFinished()
{
    QSignalSpy tokens(m_service.get(), &InferenceService::tokenGenerated);
    QSignalSpy finished(m_service.get(), &InferenceService::finished);
    int tokensAtFinish = -1;
    QObject context; // ends the connection with this function
    connect(m_service.get(), &InferenceService::finished, &context, [&] { tokensAtFinish = int(tokens.count()); });
    const quint64 id = m_service->submit(heldOutRequest(1));
    QVERIFY(waitFor(finished, 1));
    const Proposal proposal = finished.first().at(1).value<Proposal>();
    // All tokens (the chain and the stop token) arrived, in order, before the proposal.
    QCOMPARE(tokensAtFinish, proposal.chain.tokenCount() + 1);
    for (int i = 0; i < tokens.count(); ++i) {
        QCOMPARE(tokens.at(i).at(0).toULongLong(), id);
        QCOMPARE(tokens.at(i).at(2).toInt(), i);
    }
    QCOMPARE(tokens.first().at(1).value<ChainToken>().text, QStringLiteral("<think>"));
}

void TstInferenceService::prioritiesReorderTheQueue()
{
    QSignalSpy started(m_service.get(), &InferenceService::started);
    QSignalSpy finished(m_service.get(), &InferenceService::finished);
    QSignalSpy cancelled(m_service.get(), &InferenceService::cancelled);
    const quint64 busy = m_service->submit(heldOutRequest(2));
    QVERIFY(waitFor(started, 1)); // the worker is generating `busy`
    const quint64 prefetchA = m_service->submit(heldOutRequest(3, RequestPriority::Prefetch));
    const quint64 background = m_service->submit(heldOutRequest(4, RequestPriority::Background));
    const quint64 prefetchB = m_service->submit(heldOutRequest(5, RequestPriority::Prefetch));
    const quint64 visible = m_service->submit(heldOutRequest(6, RequestPriority::Visible));
    QVERIFY(m_service->setPriority(prefetchB, RequestPriority::Visible)); // the user opened it
    m_service->cancel(busy); // usually still running; a fast model may have finished it already
    QVERIFY(QTest::qWaitFor([&] { return idsOf(finished).contains(background); }, kTimeoutMs));
    QList<quint64> actual = idsOf(finished);
    QCOMPARE(actual.removeAll(busy) + idsOf(cancelled).count(busy), 1); // busy ended exactly once
    const QList<quint64> expected{prefetchB, visible, prefetchA, background};
    QVERIFY2(actual == expected, qPrintable(QStringLiteral("finished in order %1, expected %2").arg(
        QString::number(actual.size()), QString::number(expected.size()))));
}

void TstInferenceService::cancelStopsTheRunningRequest()
{
    // Whether the GUI thread's cancel reaches the worker before the model's last token is a race with a
    // model this fast (about 1 ms a token), so the request is the longest of a few held-out samples and
    // the attempt is repeated until one cancel lands while the request runs.
    int longest = 0;
    qsizetype fullLength = 0;
    {
        QSignalSpy finished(m_service.get(), &InferenceService::finished);
        for (int i = 0; i < 12; ++i)
            m_service->submit(heldOutRequest(i));
        QVERIFY(waitFor(finished, 12));
        for (const QList<QVariant> &arguments : finished) {
            const Proposal proposal = arguments.at(1).value<Proposal>();
            if (proposal.chain.tokenCount() + 1 > fullLength) {
                fullLength = proposal.chain.tokenCount() + 1;
                longest = int(proposal.sampleId - 1);
            }
        }
    }
    QVERIFY(fullLength > 40);

    bool cancelledWhileRunning = false;
    for (int attempt = 0; attempt < 10 && !cancelledWhileRunning; ++attempt) {
        QSignalSpy tokens(m_service.get(), &InferenceService::tokenGenerated);
        QSignalSpy finished(m_service.get(), &InferenceService::finished);
        QSignalSpy cancelled(m_service.get(), &InferenceService::cancelled);
        quint64 id = 0;
        QObject context; // ends the connection with this attempt
        connect(m_service.get(), &InferenceService::tokenGenerated, &context, [&](quint64 tokenId) {
            if (tokenId == id)
                m_service->cancel(id);
        });
        id = m_service->submit(heldOutRequest(longest));
        // Exactly one ending: cancelled or (when the cancel came too late) finished.
        QVERIFY(QTest::qWaitFor([&] { return finished.count() + cancelled.count() > 0; }, kTimeoutMs));
        QTest::qWait(20);
        QCOMPARE(finished.count() + cancelled.count(), 1);
        if (cancelled.isEmpty())
            continue;
        cancelledWhileRunning = true;
        QCOMPARE(cancelled.first().at(0).toULongLong(), id);
        // Stopped before its next model call: fewer tokens than the whole chain.
        QVERIFY2(tokens.count() < fullLength,
                 qPrintable(QStringLiteral("%1 of %2 tokens").arg(tokens.count()).arg(fullLength)));
    }
    QVERIFY(cancelledWhileRunning);
}

void TstInferenceService::cancelRemovesAPendingRequest()
{
    QSignalSpy started(m_service.get(), &InferenceService::started);
    QSignalSpy finished(m_service.get(), &InferenceService::finished);
    QSignalSpy cancelled(m_service.get(), &InferenceService::cancelled);
    const quint64 first = m_service->submit(heldOutRequest(8));
    const quint64 second = m_service->submit(heldOutRequest(9));
    m_service->cancel(second);
    QCOMPARE(cancelled.count(), 1); // at once: it never reached the worker
    QCOMPARE(cancelled.first().at(0).toULongLong(), second);
    QVERIFY(waitFor(finished, 1));
    QTest::qWait(100);
    QCOMPARE(idsOf(finished), QList<quint64>{first});
    QVERIFY(!idsOf(started).contains(second));
}

void TstInferenceService::staleResultsAreDropped()
{
    QSignalSpy tokens(m_service.get(), &InferenceService::tokenGenerated);
    QSignalSpy finished(m_service.get(), &InferenceService::finished);
    const quint64 old = m_service->submit(heldOutRequest(10));
    const quint64 oldQueued = m_service->submit(heldOutRequest(11));
    const quint64 generation = m_service->generation();
    QCOMPARE(m_service->advanceGeneration(), generation + 1); // e.g. the user moved to another sample
    const quint64 current = m_service->submit(heldOutRequest(12));
    QVERIFY(waitFor(finished, 1));
    QTest::qWait(100);
    QCOMPARE(idsOf(finished), QList<quint64>{current});
    for (const QList<QVariant> &token : tokens) {
        QVERIFY(token.at(0).toULongLong() != old);
        QVERIFY(token.at(0).toULongLong() != oldQueued);
    }
}

void TstInferenceService::failingModelKeepsServing()
{
    // A package whose language module is truncated.
    QTemporaryDir broken;
    QVERIFY(broken.isValid());
    for (const QString &name : QDir(kModelDir).entryList(QDir::Files))
        QVERIFY(QFile::copy(kModelDir + QLatin1Char('/') + name, broken.filePath(name)));
    QFile language(broken.filePath(QStringLiteral("language.pt")));
    QVERIFY(language.resize(language.size() / 2));

    InferenceService service;
    QSignalSpy loaded(&service, &InferenceService::modelLoaded);
    QSignalSpy loadFailed(&service, &InferenceService::modelLoadFailed);
    QSignalSpy failed(&service, &InferenceService::failed);
    QSignalSpy finished(&service, &InferenceService::finished);

    service.loadModel(broken.path(), QStringLiteral("cpu"), 1);
    QVERIFY(waitFor(loadFailed, 1));
    QVERIFY2(loadFailed.first().first().toString().contains(QLatin1String("language.pt")),
             qPrintable(loadFailed.first().first().toString()));
    QVERIFY(!service.isModelLoaded());

    const quint64 withoutModel = service.submit(heldOutRequest(0));
    QVERIFY(waitFor(failed, 1));
    QCOMPARE(failed.at(0).at(0).toULongLong(), withoutModel);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("no model is loaded"));

    service.loadModel(kModelDir, QStringLiteral("cpu"), 1);
    QVERIFY(waitFor(loaded, 1));
    ProposalRequest bad = heldOutRequest(0);
    bad.image = QImage(); // the runtime rejects it: a failure for this request only
    const quint64 badId = service.submit(bad);
    const quint64 goodId = service.submit(heldOutRequest(1));
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(failed.count(), 2);
    QCOMPARE(failed.at(1).at(0).toULongLong(), badId);
    QCOMPARE(finished.first().at(0).toULongLong(), goodId);
}

QTEST_GUILESS_MAIN(TstInferenceService)
#include "tst_inferenceservice.moc"
