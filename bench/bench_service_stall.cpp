// How long the GUI thread's event loop stalls while the inference service generates proposals.
// A 1 ms timer on the main thread records the gaps between its timeouts while the service streams
// every token of N held-out samples of the bundled model to a slot on the main thread, as the reasoning
// panel will. Goal (design.md §Threads): no gap above one frame (16 ms).
//
// Usage: bench_service_stall [--samples N] [--model DIR]
#include "inference/service/inferenceservice.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace rs;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int samples = 40;
    QString modelDir = QStringLiteral(RS_SOURCE_DIR "/models/shapes");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--samples"))
            samples = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--model"))
            modelDir = args[i + 1];
    }

    InferenceService service;
    bool loaded = false;
    QObject::connect(&service, &InferenceService::modelLoaded, [&] { loaded = true; });
    QObject::connect(&service, &InferenceService::modelLoadFailed, [](const QString &message) {
        std::fprintf(stderr, "bench_service_stall: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    service.loadModel(modelDir, QStringLiteral("cpu"), 2);
    while (!loaded)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);

    const QDir heldOut(modelDir + QStringLiteral("/heldout"));
    const QStringList files = heldOut.entryList({QStringLiteral("shapes_*.json")}, QDir::Files, QDir::Name).mid(0, samples);
    for (const QString &name : files) {
        QFile file(heldOut.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return 1;
        ProposalRequest request;
        request.image = QImage(heldOut.filePath(name.chopped(5) + QStringLiteral(".jpg")));
        request.question = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("text")).toArray().at(0).toString();
        request.priority = RequestPriority::Prefetch;
        service.submit(request);
    }

    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    double last = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const double now = double(clock.nsecsElapsed()) / 1e6;
        gaps.push_back(now - last);
        last = now;
    });
    qsizetype tokens = 0;
    QString text; // what a panel would do with each token
    QObject::connect(&service, &InferenceService::tokenGenerated, [&](quint64, const ChainToken &token) {
        ++tokens;
        text += token.text;
    });
    int done = 0;
    QObject::connect(&service, &InferenceService::finished, [&] {
        if (++done == files.size())
            QCoreApplication::quit();
    });
    ticker.start(1);
    last = double(clock.nsecsElapsed()) / 1e6;
    app.exec();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;

    std::sort(gaps.begin(), gaps.end());
    const auto percentile = [&](double p) { return gaps.empty() ? 0.0 : gaps[std::size_t(p * double(gaps.size() - 1))]; };
    const qsizetype over = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g > 16.0; });
    std::printf("bench_service_stall: %d proposals, %lld tokens streamed in %.2f s\n", done, (long long)tokens, seconds);
    std::printf("main-thread timer gaps (1 ms timer, %zu ticks): median %.2f ms, p99 %.2f ms, max %.2f ms, %lld above 16 ms\n",
                gaps.size(), percentile(0.5), percentile(0.99), gaps.empty() ? 0.0 : gaps.back(), (long long)over);
    return 0;
}
