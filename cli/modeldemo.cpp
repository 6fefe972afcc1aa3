#include "cli/modeldemo.h"

#include "core/lisametric.h"
#include "core/lisarasterizer.h"
#include "inference/runtime/inferenceruntime.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rs::cli {


QStringList ModelDemo::run(const QString &packageDirectory, int samples, QString *error)
{
    InferenceRuntime runtime;
    const Status loaded = runtime.load(packageDirectory.toStdString());
    if (!loaded.ok()) {
        *error = QString::fromStdString(loaded.message());
        return {};
    }
    const QDir heldOut(packageDirectory + QStringLiteral("/heldout"));
    const QStringList files = heldOut.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)
                                  .filter(QStringLiteral("_")).mid(0, samples);
    QStringList report;
    LisaMetric metric;
    QElapsedTimer timer;
    timer.start();
    for (const QString &name : files) {
        QFile file(heldOut.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1").arg(file.fileName());
            return {};
        }
        const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
        const QString imagePath = heldOut.filePath(name.chopped(5) + QStringLiteral(".jpg"));
        cv::Mat rgb = cv::imread(imagePath.toStdString(), cv::IMREAD_COLOR);
        if (rgb.empty()) {
            *error = QStringLiteral("cannot decode %1").arg(imagePath);
            return {};
        }
        cv::cvtColor(rgb, rgb, cv::COLOR_BGR2RGB);
        const Expected<std::vector<LabelMeShape>> shapes =
            LabelMeShape::listFromJson(record.value(QLatin1String("shapes")).toArray());
        if (!shapes) {
            *error = QStringLiteral("%1: %2").arg(name, shapes.error());
            return {};
        }
        const Expected<LabelledMask> truth = LisaRasterizer::rasterize(*shapes, QSize(rgb.cols, rgb.rows));
        if (!truth) {
            *error = QStringLiteral("%1: %2").arg(name, truth.error());
            return {};
        }

        InferenceRequest request;
        request.image = RgbImageView{rgb.data, rgb.cols, rgb.rows, int(rgb.step[0])};
        const QString question = record.value(QLatin1String("text")).toArray().at(0).toString();
        request.question = question.toStdString();
        const QJsonArray box = record.value(QLatin1String("box_input")).toArray();
        if (box.size() == 4)
            request.box = std::array<float, 4>{float(box[0].toDouble()), float(box[1].toDouble()),
                                               float(box[2].toDouble()), float(box[3].toDouble())};
        InferenceResult result;
        const Status ran = runtime.run(request, GenerationOptions(), result);
        if (!ran.ok()) {
            *error = QStringLiteral("%1: %2").arg(name, QString::fromStdString(ran.message()));
            return {};
        }
        Mask prediction(rgb.cols, rgb.rows);
        for (const InferenceResult::Target &target : result.targets)
            prediction.unite(Mask::fromBytes(target.mask.data(), target.width, target.height, target.width));
        const Expected<OverlapCounts> counts = metric.add(prediction, *truth);
        if (report.isEmpty()) {
            report << QStringLiteral("Model %1 on %2 (%3):").arg(QString::fromStdString(runtime.package().name()),
                                                               QString::fromStdString(runtime.device()), name)
                   << QStringLiteral("  question: %1").arg(question)
                   << QStringLiteral("  chain:    %1").arg(QString::fromStdString(result.text))
                   << QStringLiteral("  %1 target(s), uncertainty U = %2, %3 tokens, %4 ms")
                          .arg(result.targets.size()).arg(double(result.uncertainty), 0, 'f', 3)
                          .arg(result.tokens.size()).arg(result.timings.totalMs, 0, 'f', 1);
        }
    }
    report << QStringLiteral("Model on %1 held-out samples (LISA protocol): gIoU %2, cIoU %3, %4 ms per sample")
                  .arg(metric.sampleCount()).arg(metric.gIoU(), 0, 'f', 4).arg(metric.cIoU(), 0, 'f', 4)
                  .arg(double(timer.elapsed()) / std::max<qint64>(1, metric.sampleCount()), 0, 'f', 1);
    return report;
}

} // namespace rs::cli
