#include "core/lisametric.h"
#include "core/lisarasterizer.h"
#include "inference/runtime/inferenceruntime.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace rs;

// The C++ runtime, run over the whole held-out set of the bundled model, must reproduce the numbers
// that models/shapes/evaluate.py wrote into metrics.json with the Python decoding loop: same images
// (OpenCV's JPEG decoder), same ground truth (LISA's rasterisation of the ReasonSeg polygons), same
// protocol (LISA gIoU/cIoU of the union of the predicted target masks).
class TstHeldOutMetrics : public QObject
{
    Q_OBJECT

private slots:
    void reproducesMetricsJson();
};

void TstHeldOutMetrics::reproducesMetricsJson()
{
    const QString modelDir = qEnvironmentVariable("RS_MODEL_DIR", QStringLiteral(RS_MODEL_DIR));
    QFile metricsFile(modelDir + QStringLiteral("/metrics.json"));
    QVERIFY2(metricsFile.open(QIODevice::ReadOnly), qPrintable(metricsFile.fileName()));
    const QJsonObject expected = QJsonDocument::fromJson(metricsFile.readAll()).object();

    InferenceRuntime runtime;
    RuntimeOptions options;
    options.device = "cpu";
    const Status loaded = runtime.load(modelDir.toStdString(), options);
    QVERIFY2(loaded.ok(), loaded.message().c_str());

    const QDir heldOut(modelDir + QStringLiteral("/heldout"));
    const QStringList jsonFiles = heldOut.entryList({QStringLiteral("shapes_*.json")}, QDir::Files, QDir::Name);
    QCOMPARE(jsonFiles.size(), expected.value(QLatin1String("n_samples")).toInt());

    LisaMetric metric;
    int noTargetSamples = 0, noTargetCorrect = 0;
    for (const QString &name : jsonFiles) {
        QFile file(heldOut.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
        const QString stem = name.chopped(5);

        cv::Mat rgb = cv::imread(heldOut.filePath(stem + QStringLiteral(".jpg")).toStdString(), cv::IMREAD_COLOR);
        QVERIFY2(!rgb.empty(), qPrintable(stem));
        cv::cvtColor(rgb, rgb, cv::COLOR_BGR2RGB);

        const Expected<std::vector<LabelMeShape>> shapes =
            LabelMeShape::listFromJson(record.value(QLatin1String("shapes")).toArray());
        QVERIFY2(shapes.hasValue(), qPrintable(shapes.error()));
        const Expected<LabelledMask> truth = LisaRasterizer::rasterize(*shapes, QSize(rgb.cols, rgb.rows));
        QVERIFY2(truth.hasValue(), qPrintable(truth.error()));

        InferenceRequest request;
        request.image = RgbImageView{rgb.data, rgb.cols, rgb.rows, int(rgb.step[0])};
        request.question = record.value(QLatin1String("text")).toArray().at(0).toString().toStdString();
        const QJsonArray box = record.value(QLatin1String("box_input")).toArray();
        if (box.size() == 4)
            request.box = std::array<float, 4>{float(box[0].toDouble()), float(box[1].toDouble()),
                                               float(box[2].toDouble()), float(box[3].toDouble())};
        InferenceResult result;
        const Status ran = runtime.run(request, GenerationOptions(), result);
        QVERIFY2(ran.ok(), ran.message().c_str());

        Mask prediction(rgb.cols, rgb.rows);
        for (const InferenceResult::Target &target : result.targets)
            prediction.unite(Mask::fromBytes(target.mask.data(), target.width, target.height, target.width));
        QVERIFY(metric.add(prediction, *truth).hasValue());

        if (truth->target().isEmpty()) {
            ++noTargetSamples;
            noTargetCorrect += result.noTarget;
        }
    }

    const double gIoU = expected.value(QLatin1String("gIoU")).toDouble();
    const double cIoU = expected.value(QLatin1String("cIoU")).toDouble();
    qInfo("C++ runtime: gIoU %.4f (metrics.json %.4f), cIoU %.4f (%.4f), no-target %d/%d", metric.gIoU(), gIoU,
          metric.cIoU(), cIoU, noTargetCorrect, noTargetSamples);
    QVERIFY2(std::abs(metric.gIoU() - gIoU) <= 0.005, qPrintable(QString::number(metric.gIoU())));
    QVERIFY2(std::abs(metric.cIoU() - cIoU) <= 0.005, qPrintable(QString::number(metric.cIoU())));
    QCOMPARE(noTargetSamples, expected.value(QLatin1String("no_target_samples")).toInt());
    QVERIFY(std::abs(double(noTargetCorrect) / noTargetSamples
                     - expected.value(QLatin1String("no_target_accuracy")).toDouble()) <= 0.005);
}

QTEST_APPLESS_MAIN(TstHeldOutMetrics)
#include "tst_heldoutmetrics.moc"
