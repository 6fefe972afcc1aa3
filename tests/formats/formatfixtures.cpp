#include "tests/formats/formatfixtures.h"

#include "core/rle.h"
#include "core/rletarget.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace rs::test {

QString writeTestJpeg(const QString &path, int width, int height, int seed)
{
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb((x * 7 + seed * 31) % 256, (y * 5 + seed * 17) % 256, (x + y + seed) % 256));
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!image.save(path, "JPEG", 90))
        qFatal("cannot write test image %s", qPrintable(path));
    return path;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

DatasetRecord recordWithMasks(const QString &sourceId, const QString &split, const QString &imageFile,
                              const std::vector<Mask> &masks)
{
    DatasetRecord record;
    record.sample.sourceId = sourceId;
    record.sample.split = split;
    record.sample.queries = {QStringLiteral("segment the thing %1").arg(sourceId)};
    record.imageFile = imageFile;
    if (!masks.empty())
        record.sample.image.size = masks.front().size();
    for (std::size_t i = 0; i < masks.size(); ++i) {
        Target target;
        target.mask = masks[i];
        target.box = target.boxFromMask();
        target.label = QStringLiteral("target %1").arg(i);
        record.targets.push_back(RleTarget::fromTarget(target));
    }
    return record;
}

Mask targetUnion(const DatasetRecord &record)
{
    Mask united(record.sample.image.size.width(), record.sample.image.size.height());
    for (const RleTarget &target : record.targets)
        if (!target.ignore && target.hasMask())
            united.unite(target.rle()->decode());
    return united;
}

QMap<QString, QByteArray> folderBytes(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(path));
        files.insert(QDir(root).relativeFilePath(path), file.readAll());
    }
    return files;
}

int runReferenceChecker(const QString &script, const QStringList &arguments, QString *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(RS_PYTHON3), QStringList{QStringLiteral(RS_REFERENCE_DIR "/") + script} + arguments);
    if (!process.waitForFinished(120000)) {
        if (output)
            *output = QStringLiteral("python3 did not finish: %1").arg(process.errorString());
        return -1;
    }
    if (output)
        *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

void writeMasksForChecker(const QString &dir, const QList<QPair<QString, Mask>> &masks)
{
    QDir().mkpath(dir);
    QJsonArray keys;
    for (const auto &[key, mask] : masks) {
        QByteArray pgm = QStringLiteral("P5\n%1 %2\n255\n").arg(mask.width()).arg(mask.height()).toLatin1();
        pgm.append(reinterpret_cast<const char *>(mask.data()), mask.pixelCount());
        writeFile(dir + QLatin1Char('/') + key + QStringLiteral(".pgm"), pgm);
        keys.append(key);
    }
    writeFile(dir + QStringLiteral("/masks.json"), QJsonDocument(keys).toJson());
}

} // namespace rs::test
