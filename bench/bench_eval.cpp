// bench_eval: `reasonseg eval` against the straightforward Python + numpy loop the benchmarks' own
// scripts use (bench/eval_baseline.py), on the same samples, for the LISA and Seg-Zero protocols.
//
//   bench_eval DIR [--samples N]     (default 10,000 samples of 640 x 480)
//
// Builds DIR/eval.rsdb (ground truth: 1-3 ellipses, some with an ignore region, some empty;
// prediction: the ellipses moved and resized), writes DIR/masks.bin (the same masks as uncompressed
// RLE counts) for the Python loop, then times both and checks that the numbers are identical.
#include "core/mask.h"
#include "core/rle.h"
#include "storage/database.h"
#include "storage/runrepository.h"
#include "storage/samplebulkwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>

#include <opencv2/imgproc.hpp>

#include <cstdio>

using namespace rs;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 480;

struct Ellipse
{
    cv::Point center;
    cv::Size axes;
    double angle = 0;
};

Mask draw(const std::vector<Ellipse> &ellipses)
{
    cv::Mat mat(kHeight, kWidth, CV_8UC1, cv::Scalar(0));
    for (const Ellipse &e : ellipses)
        cv::ellipse(mat, e.center, e.axes, e.angle, 0, 360, cv::Scalar(1), cv::FILLED);
    return Mask::fromMat(mat);
}

void writeCounts(QFile &file, const Mask &mask)
{
    const Rle rle = Rle::encode(mask);
    const quint32 n = quint32(rle.counts().size());
    file.write(reinterpret_cast<const char *>(&n), 4);
    file.write(reinterpret_cast<const char *>(rle.counts().data()), qint64(n) * 4);
}

RleTarget targetOf(const Mask &mask, bool ignore = false)
{
    RleTarget target = RleTarget::fromRle(Rle::encode(mask), QRectF(mask.boundingRect()), QStringLiteral("t"));
    target.ignore = ignore;
    return target;
}

bool build(const QString &dir, int count)
{
    auto db = Database::create(ProjectLocation::sqlite(dir + QStringLiteral("/eval.rsdb")));
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error()));
        return false;
    }
    ModelRun run;
    run.name = QStringLiteral("bench");
    const auto runId = RunRepository(**db).add(run);
    SampleBulkWriter writer(**db);
    if (!runId || !writer.begin())
        return false;
    QFile masks(dir + QStringLiteral("/masks.bin"));
    if (!masks.open(QIODevice::WriteOnly))
        return false;
    masks.write("RSEV", 4);
    const quint32 n = quint32(count);
    masks.write(reinterpret_cast<const char *>(&n), 4);

    QRandomGenerator random(2026);
    for (int i = 0; i < count; ++i) {
        std::vector<Ellipse> truth, predicted, ignored;
        const bool noTarget = random.bounded(20) == 0;
        for (int e = noTarget ? 0 : 1 + random.bounded(3); e > 0; --e)
            truth.push_back({ cv::Point(40 + random.bounded(kWidth - 80), 40 + random.bounded(kHeight - 80)),
                              cv::Size(10 + random.bounded(120), 10 + random.bounded(90)), double(random.bounded(180)) });
        for (const Ellipse &e : truth) {
            if (random.bounded(10) == 0)
                continue;  // a missed target
            predicted.push_back({ e.center + cv::Point(random.bounded(-15, 16), random.bounded(-15, 16)),
                                  cv::Size(std::max(1, e.axes.width + random.bounded(-12, 13)),
                                           std::max(1, e.axes.height + random.bounded(-12, 13))),
                                  e.angle + random.bounded(-10, 11) });
        }
        if (random.bounded(5) == 0)
            ignored.push_back({ cv::Point(random.bounded(kWidth), random.bounded(kHeight)), cv::Size(30, 20), 0.0 });
        const Mask target = draw(truth);
        const Mask ignore = draw(ignored).subtracted(target);
        const Mask prediction = draw(predicted);

        Sample sample;
        sample.image.relativePath = QStringLiteral("images/%1.jpg").arg(i);
        sample.image.size = QSize(kWidth, kHeight);
        sample.split = QStringLiteral("val");
        sample.sourceId = QString::number(i);
        sample.queries = { QStringLiteral("segment the ellipses of sample %1").arg(i) };
        std::vector<RleTarget> targets;
        if (!target.isEmpty())
            targets.push_back(targetOf(target));
        if (!ignore.isEmpty())
            targets.push_back(targetOf(ignore, true));
        const auto sampleId = writer.add(sample, targets);
        if (!sampleId)
            return false;
        Proposal proposal;
        proposal.runId = *runId;
        proposal.sampleId = *sampleId;
        proposal.chain = ReasoningChain::fromText(QStringLiteral("The ellipses are the targets. There are %1.").arg(truth.size()));
        if (!prediction.isEmpty())
            proposal.targets.push_back(targetOf(prediction));
        if (!writer.addProposal(proposal))
            return false;

        const quint32 size[2] = { quint32(kHeight), quint32(kWidth) };
        masks.write(reinterpret_cast<const char *>(size), 8);
        writeCounts(masks, target);
        writeCounts(masks, ignore);
        writeCounts(masks, prediction);
    }
    return bool(writer.commit());
}

// The fastest of three runs of `reasonseg eval --json`, and its metrics.
QJsonObject timeCli(const QString &project, const QString &protocol, double &bestSeconds)
{
    QJsonObject metrics;
    bestSeconds = 1e9;
    for (int repeat = 0; repeat < 3; ++repeat) {
        QProcess process;
        QElapsedTimer timer;
        timer.start();
        process.start(QStringLiteral(RS_CLI_PATH),
                      { QStringLiteral("eval"), project, QStringLiteral("--run"), QStringLiteral("bench"),
                        QStringLiteral("--protocol"), protocol, QStringLiteral("--json") });
        process.waitForFinished(-1);
        bestSeconds = std::min(bestSeconds, double(timer.nsecsElapsed()) / 1e9);
        metrics = QJsonDocument::fromJson(process.readAllStandardOutput()).object().value(QStringLiteral("overall"))
                      .toObject().value(QStringLiteral("metrics")).toObject();
    }
    return metrics;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_eval DIR [--samples N]\n");
        return 2;
    }
    const QString dir = QDir(args.at(1)).absolutePath();
    const int count = args.size() > 3 && args.at(2) == QLatin1String("--samples") ? args.at(3).toInt() : 10000;
    QDir().mkpath(dir);
    QFile::remove(dir + QStringLiteral("/eval.rsdb"));

    QElapsedTimer timer;
    timer.start();
    if (!build(dir, count)) {
        std::fprintf(stderr, "bench_eval: building the project failed\n");
        return 1;
    }
    std::printf("built %d samples of %dx%d in %.1f s\n", count, kWidth, kHeight, double(timer.elapsed()) / 1000.0);

    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 { QStringLiteral(RS_SOURCE_DIR "/bench/eval_baseline.py"), dir + QStringLiteral("/masks.bin") });
    python.waitForFinished(-1);
    const QJsonObject baseline = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    if (baseline.isEmpty()) {
        std::fprintf(stderr, "bench_eval: the Python baseline failed: %s\n", python.readAllStandardError().constData());
        return 1;
    }

    bool identical = true;
    for (const QString &protocol : { QStringLiteral("lisa"), QStringLiteral("seg-zero") }) {
        double seconds = 0;
        const QJsonObject ours = timeCli(dir + QStringLiteral("/eval.rsdb"), protocol, seconds);
        const QJsonObject theirs = baseline.value(protocol).toObject();
        const double pythonSeconds = theirs.value(QStringLiteral("seconds")).toDouble();
        const bool same = ours.value(QStringLiteral("gIoU")).toDouble() == theirs.value(QStringLiteral("gIoU")).toDouble()
                       && ours.value(QStringLiteral("cIoU")).toDouble() == theirs.value(QStringLiteral("cIoU")).toDouble()
                       && ours.value(QStringLiteral("samples")).toInt() == theirs.value(QStringLiteral("samples")).toInt();
        identical = identical && same;
        std::printf("%-9s reasonseg eval %.2f s (whole process)  python+numpy loop %.2f s (decode+compare only)  "
                    "%.1fx  gIoU %.17g / %.17g  cIoU %.17g / %.17g  %s\n",
                    qPrintable(protocol), seconds, pythonSeconds, pythonSeconds / seconds,
                    ours.value(QStringLiteral("gIoU")).toDouble(), theirs.value(QStringLiteral("gIoU")).toDouble(),
                    ours.value(QStringLiteral("cIoU")).toDouble(), theirs.value(QStringLiteral("cIoU")).toDouble(),
                    same ? "identical" : "DIFFERENT");
    }
    return identical ? 0 : 1;
}
