// libFuzzer target: the JSON importers, through the same driver `reasonseg import` uses
// (DatasetImport). The first byte picks the format; the rest is written as the dataset file into a
// scratch folder, with images not required. Any input must end in records or an Error.
#include "core/recordsink.h"
#include "plugins/formats/cocoformat.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/labelmeformat.h"
#include "plugins/formats/museformat.h"
#include "plugins/formats/predictionsformat.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <memory>

namespace {

class DiscardingSink final : public rs::RecordSink
{
public:
    rs::Expected<bool> addSample(rs::DatasetRecord) override { return true; }
    rs::Expected<bool> addPrediction(rs::DatasetRecord) override { return true; }
};

QTemporaryDir &scratch()
{
    static QTemporaryDir dir;
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_importers";
    static char *argv[] = { name, nullptr };
    static QCoreApplication app(argc, argv);
    if (size < 1)
        return 0;
    std::unique_ptr<rs::DatasetFormat> format;
    QString file;
    switch (data[0] % 4) {
    case 0: format = std::make_unique<rs::CocoFormat>(), file = QStringLiteral("instances.json"); break;
    case 1: format = std::make_unique<rs::MuseFormat>(), file = QStringLiteral("muse.json"); break;
    case 2: format = std::make_unique<rs::PredictionsFormat>(), file = QStringLiteral("predictions.jsonl"); break;
    default: format = std::make_unique<rs::LabelMeFormat>(), file = QStringLiteral("labelme/a.json"); break;
    }
    const QString path = scratch().filePath(file);
    QDir().mkpath(QFileInfo(path).path());
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return 0;
    out.write(reinterpret_cast<const char *>(data + 1), qint64(size - 1));
    out.close();
    rs::ImportOptions options;
    options.source = file.startsWith(QLatin1String("labelme")) ? QFileInfo(path).path() : path;
    options.requireImages = false;
    options.threads = 1;
    DiscardingSink sink;
    (void)rs::DatasetImport::run(*format, options, sink);
    return 0;
}
