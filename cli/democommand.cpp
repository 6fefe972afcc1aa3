#include "cli/democommand.h"

#include "cli/bundledmodel.h"

#include "cli/console.h"
#include "cli/demoproject.h"
#include "cli/demoscene.h"
#include "cli/modeldemo.h"

#include "core/lisametric.h"
#include "core/lisarasterizer.h"
#include "core/rle.h"
#include "core/segzerometric.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <opencv2/imgcodecs.hpp>

#include <random>

namespace rs::cli {

namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 240;

// Two stand-ins for a second annotator, so the metrics have something to compare: the same polygons
// rasterised by pycocotools' rule (what a COCO export gives), and the polygons with jittered vertices.
struct Annotators
{
    LisaMetric lisaCoco, lisaJitter;
    SegZeroMetric segZeroCoco{SegZeroMetric::Variant::SegZero};
    SegZeroMetric segZeroJitter{SegZeroMetric::Variant::SegZero};
    SegZeroMetric reasonerCoco{SegZeroMetric::Variant::VisionReasoner};
    SegZeroMetric reasonerJitter{SegZeroMetric::Variant::VisionReasoner};
};

QPolygonF jittered(const QPolygonF &polygon, std::mt19937 &rng)
{
    std::uniform_real_distribution<double> offset(-2.0, 2.0);
    QPolygonF result;
    for (const QPointF &p : polygon)
        result << p + QPointF(offset(rng), offset(rng));
    return result;
}

bool writeJson(const QString &path, const QJsonObject &object, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString row(const QString &protocol, const QString &annotator, double gIoU, double cIoU, qint64 samples)
{
    return QStringLiteral("%1 %2 %3 %4 %5")
        .arg(protocol, -15)
        .arg(annotator, -22)
        .arg(gIoU, 8, 'f', 4)
        .arg(cIoU, 8, 'f', 4)
        .arg(samples, 8);
}

} // namespace

QString DemoCommand::summary() const
{
    return QStringLiteral("write a synthetic demo dataset to DIR and evaluate it with the core pipeline");
}

int DemoCommand::run(const QStringList &arguments)
{
    QString outputDir;
    QString modelDir = bundledModelDir();
    int sceneCount = 24;
    int modelSamples = 40;
    for (int i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == QLatin1String("--scenes") && i + 1 < arguments.size()) {
            bool ok = false;
            sceneCount = arguments[++i].toInt(&ok);
            if (!ok || sceneCount < 1 || sceneCount > 10000) {
                printError(QStringLiteral("--scenes: expected a number from 1 to 10000, got '%1'").arg(arguments[i]));
                return 2;
            }
        } else if (arguments[i] == QLatin1String("--model") && i + 1 < arguments.size()) {
            modelDir = arguments[++i];
        } else if (arguments[i] == QLatin1String("--no-model")) {
            modelDir.clear();
        } else if (arguments[i].startsWith(QLatin1Char('-'))) {
            printError(QStringLiteral("demo: unknown option '%1'").arg(arguments[i]));
            return 2;
        } else if (outputDir.isEmpty()) {
            outputDir = arguments[i];
        } else {
            printError(QStringLiteral("demo: one output directory expected, got '%1' too").arg(arguments[i]));
            return 2;
        }
    }
    if (outputDir.isEmpty()) {
        printError(QStringLiteral("demo: missing output directory (usage: reasonseg %1)").arg(synopsis()));
        return 2;
    }
    QDir dir(outputDir);
    if (!dir.mkpath(QStringLiteral("images"))) {
        printError(QStringLiteral("cannot create %1").arg(dir.filePath(QStringLiteral("images"))));
        return 1;
    }

    Annotators annotators;
    QJsonArray images, annotations, queries;
    qint64 rleBytes = 0, maskPixels = 0, roundTripFailures = 0;
    std::mt19937 rng(2026);
    for (int i = 0; i < sceneCount; ++i) {
        const DemoScene scene = DemoScene::generate(unsigned(1000 + i), kWidth, kHeight);
        const QString fileName = QStringLiteral("scene_%1.png").arg(i, 4, 10, QLatin1Char('0'));
        if (!cv::imwrite(dir.filePath(QStringLiteral("images/") + fileName).toStdString(), scene.image)) {
            printError(QStringLiteral("cannot write %1").arg(dir.filePath(QStringLiteral("images/") + fileName)));
            return 1;
        }

        std::vector<LabelMeShape> shapes, jitteredShapes;
        QList<QPolygonF> targetPolygons;
        for (int t : scene.targets) {
            const QPolygonF &polygon = scene.shapes[std::size_t(t)].polygon;
            shapes.push_back({QStringLiteral("target"), polygon});
            jitteredShapes.push_back({QStringLiteral("target"), jittered(polygon, rng)});
            targetPolygons << polygon;
        }
        if (scene.ignored >= 0) {
            const QPolygonF &polygon = scene.shapes[std::size_t(scene.ignored)].polygon;
            shapes.push_back({QStringLiteral("ignore"), polygon});
            jitteredShapes.push_back({QStringLiteral("ignore"), polygon});
        }
        const QSize size(kWidth, kHeight);
        const Expected<LabelledMask> truth = LisaRasterizer::rasterize(shapes, size);
        const Expected<LabelledMask> jitter = LisaRasterizer::rasterize(jitteredShapes, size);
        const Expected<Rle> coco = Rle::fromPolygons(targetPolygons, kHeight, kWidth);
        if (!truth || !jitter || !coco) {
            printError(QStringLiteral("scene %1: %2").arg(i).arg(truth.error() + jitter.error() + coco.error()));
            return 1;
        }
        const Mask cocoMask = coco->decode();
        const Mask &jitterMask = jitter->target();
        for (auto [metric, prediction] : {std::pair{&annotators.lisaCoco, &cocoMask}, std::pair{&annotators.lisaJitter, &jitterMask}})
            metric->add(*prediction, *truth);
        for (auto [metric, prediction] : {std::pair{&annotators.segZeroCoco, &cocoMask}, std::pair{&annotators.segZeroJitter, &jitterMask},
                                          std::pair{&annotators.reasonerCoco, &cocoMask}, std::pair{&annotators.reasonerJitter, &jitterMask}})
            metric->add(*prediction, *truth);

        // Store the ground truth as COCO compressed RLE and check it reads back pixel for pixel.
        const Rle rle = Rle::encode(truth->target());
        const QByteArray counts = rle.toString();
        const Expected<Rle> reread = Rle::fromString(counts, kHeight, kWidth);
        if (!reread || reread->decode() != truth->target())
            ++roundTripFailures;
        rleBytes += counts.size();
        maskPixels += truth->target().pixelCount();

        const int imageId = i + 1;
        images.append(QJsonObject{{"id", imageId}, {"file_name", fileName}, {"width", kWidth}, {"height", kHeight}});
        const QRectF box = rle.bbox();
        annotations.append(QJsonObject{
            {"id", imageId}, {"image_id", imageId}, {"category_id", 1}, {"iscrowd", 0},
            {"area", double(rle.area())},
            {"bbox", QJsonArray{box.x(), box.y(), box.width(), box.height()}},
            {"segmentation", QJsonObject{{"size", QJsonArray{kHeight, kWidth}}, {"counts", QString::fromLatin1(counts)}}}});
        queries.append(QJsonObject{{"image_id", imageId}, {"question", scene.question},
                                   {"targets", int(scene.targets.size())}});
    }

    QString error;
    const QJsonObject coco{{"images", images}, {"annotations", annotations},
                           {"categories", QJsonArray{QJsonObject{{"id", 1}, {"name", "target"}}}},
                           {"reasonseg_queries", queries}};
    if (!writeJson(dir.filePath(QStringLiteral("annotations.json")), coco, &error)) {
        printError(error);
        return 1;
    }

    QStringList report;
    report << QStringLiteral("ReasonSeg Studio demo: %1 synthetic scenes, ground truth = LISA's rasterisation").arg(sceneCount)
           << QString()
           << QStringLiteral("%1 %2 %3 %4 %5").arg(QStringLiteral("protocol"), -15).arg(QStringLiteral("second annotator"), -22)
                  .arg(QStringLiteral("gIoU"), 8).arg(QStringLiteral("cIoU"), 8).arg(QStringLiteral("samples"), 8);
    const auto &a = annotators;
    report << row(a.lisaCoco.protocol(), QStringLiteral("pycocotools raster"), a.lisaCoco.gIoU(), a.lisaCoco.cIoU(), a.lisaCoco.sampleCount())
           << row(a.lisaJitter.protocol(), QStringLiteral("jittered polygons"), a.lisaJitter.gIoU(), a.lisaJitter.cIoU(), a.lisaJitter.sampleCount())
           << row(a.segZeroCoco.protocol(), QStringLiteral("pycocotools raster"), a.segZeroCoco.gIoU(), a.segZeroCoco.cIoU(), a.segZeroCoco.sampleCount())
           << row(a.segZeroJitter.protocol(), QStringLiteral("jittered polygons"), a.segZeroJitter.gIoU(), a.segZeroJitter.cIoU(), a.segZeroJitter.sampleCount())
           << row(a.reasonerCoco.protocol(), QStringLiteral("pycocotools raster"), a.reasonerCoco.gIoU(), a.reasonerCoco.cIoU(), a.reasonerCoco.sampleCount())
           << row(a.reasonerJitter.protocol(), QStringLiteral("jittered polygons"), a.reasonerJitter.gIoU(), a.reasonerJitter.cIoU(), a.reasonerJitter.sampleCount())
           << QStringLiteral("(seg-zero and visionreasoner count LISA's ignore regions as foreground, as their converters do)")
           << QString()
           << QStringLiteral("COCO RLE: %1 bytes for %2 pixels (%3 bits/pixel); %4 round-trip failure(s)")
                  .arg(rleBytes).arg(maskPixels).arg(8.0 * double(rleBytes) / double(maskPixels), 0, 'f', 4).arg(roundTripFailures);
    if (!modelDir.isEmpty()) {
        const QStringList modelReport = ModelDemo::run(modelDir, modelSamples, &error);
        if (!error.isEmpty()) {
            printError(QStringLiteral("model %1: %2").arg(modelDir, error));
            return 1;
        }
        report << QString() << modelReport;
    }
    auto project = DemoProject::build(outputDir, bundledModelDir() + QStringLiteral("/heldout"), modelDir, 24);
    if (!project) {
        printError(QStringLiteral("demo project: %1").arg(project.error()));
        return 1;
    }
    report << QString() << *project;
    QSaveFile reportFile(dir.filePath(QStringLiteral("report.txt")));
    if (!reportFile.open(QIODevice::WriteOnly) || reportFile.write((report.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0
        || !reportFile.commit()) {
        printError(QStringLiteral("cannot write %1: %2").arg(reportFile.fileName(), reportFile.errorString()));
        return 1;
    }
    for (const QString &line : report)
        printLine(line);
    printLine(QString());
    printLine(QStringLiteral("Demo output is in %1 (images/, annotations.json, report.txt, %2)")
                  .arg(QDir(outputDir).absolutePath(), QLatin1String(DemoProject::kFileName)));
    return roundTripFailures == 0 ? 0 : 1;
}

} // namespace rs::cli
