#include "storage/projectcheck.h"

#include "core/progress.h"
#include "core/rle.h"
#include "storage/database.h"
#include "storage/imagerepository.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace rs {

namespace {

Expected<bool> checkImages(Database &db, const ProjectCheck::Options &options, ProjectCheck::Result &result)
{
    auto root = ImageRepository(db).imageRoot();
    if (!root)
        return Error{root.error()};
    QSqlQuery query = db.prepare(QStringLiteral("SELECT relative_path, sha256, width, height FROM image ORDER BY id"));
    query.setForwardOnly(true);
    if (!query.exec())
        return db.error(query, QStringLiteral("reading the images"));
    while (query.next()) {
        if (options.progress && options.progress->isCancelled())
            return Error{QStringLiteral("check cancelled")};
        const QString relative = query.value(0).toString();
        const QString path = QDir(*root).absoluteFilePath(relative);
        ++result.imagesChecked;
        if (options.progress)
            options.progress->advance();
        if (!QFileInfo::exists(path)) {
            result.problems << QStringLiteral("missing image: %1").arg(path);
            continue;
        }
        const QSize size = QImageReader(path).size();
        const QSize stored(query.value(2).toInt(), query.value(3).toInt());
        if (!size.isValid())
            result.problems << QStringLiteral("unreadable image: %1").arg(path);
        else if (stored.isValid() && !stored.isEmpty() && size != stored)
            result.problems << QStringLiteral("image size changed: %1 is %2x%3, was %4x%5 at import")
                                   .arg(path)
                                   .arg(size.width())
                                   .arg(size.height())
                                   .arg(stored.width())
                                   .arg(stored.height());
        const QByteArray storedHash = query.value(1).toString().toLatin1();
        if (options.hashes && !storedHash.isEmpty()) {
            QFile file(path);
            QCryptographicHash hash(QCryptographicHash::Sha256);
            if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
                result.problems << QStringLiteral("unreadable image: %1").arg(path);
            else if (hash.result().toHex() != storedHash)
                result.problems << QStringLiteral("image content changed: %1 (SHA-256 differs from the one recorded at import)").arg(path);
        }
    }
    return true;
}

// Targets of one table (sample targets, or annotation targets) against their image's size.
Expected<bool> checkTargets(Database &db, const QString &sql, const QString &what, ProjectCheck::Result &result)
{
    QSqlQuery query = db.prepare(sql);
    query.setForwardOnly(true);
    if (!query.exec())
        return db.error(query, QStringLiteral("reading the %1").arg(what));
    while (query.next()) {
        ++result.targetsChecked;
        const qint64 sampleId = query.value(0).toLongLong();
        const int index = query.value(1).toInt();
        const int height = query.value(3).toInt();
        const int width = query.value(4).toInt();
        const QSize image(query.value(5).toInt(), query.value(6).toInt());
        const QString name = QStringLiteral("sample %1 (%2) %3 %4").arg(sampleId).arg(query.value(7).toString(), what).arg(index);
        if (image.isValid() && !image.isEmpty() && (width != image.width() || height != image.height())) {
            result.problems << QStringLiteral("mask out of bounds: %1 is %2x%3 on a %4x%5 image")
                                   .arg(name)
                                   .arg(width)
                                   .arg(height)
                                   .arg(image.width())
                                   .arg(image.height());
            continue;
        }
        auto rle = Rle::fromString(query.value(2).toString().toLatin1(), height, width);
        if (!rle)
            result.problems << QStringLiteral("broken mask: %1: %2").arg(name, rle.error());
        else if (rle->area() == 0 && query.value(8).toInt() == 0)
            result.problems << QStringLiteral("empty target: %1 has no pixels").arg(name);
    }
    return true;
}

} // namespace

Expected<ProjectCheck::Result> ProjectCheck::run(Database &db, const Options &options)
{
    Result result;
    auto integrity = db.integrityCheck();
    if (!integrity)
        return Error{integrity.error()};
    if (*integrity != QLatin1String("ok"))
        result.problems << QStringLiteral("database damaged: %1").arg(integrity->simplified());

    if (options.progress) {
        QSqlQuery count = db.prepare(QStringLiteral("SELECT count(*) FROM image"));
        if (count.exec() && count.next())
            options.progress->setTotal(count.value(0).toLongLong());
    }
    auto images = checkImages(db, options, result);
    if (!images)
        return Error{images.error()};

    auto sampleTargets = checkTargets(db, QStringLiteral(
        "SELECT t.sample_id, t.idx, t.rle, t.height, t.width, i.width, i.height, s.source_id, t.is_ignore"
        " FROM target t JOIN sample s ON s.id = t.sample_id JOIN image i ON i.id = s.image_id ORDER BY t.sample_id, t.idx"),
                                      QStringLiteral("target"), result);
    if (!sampleTargets)
        return Error{sampleTargets.error()};
    auto annotated = checkTargets(db, QStringLiteral(
        "SELECT a.sample_id, t.idx, t.rle, t.height, t.width, i.width, i.height, s.source_id, t.is_ignore"
        " FROM annotation_target t JOIN annotation a ON a.id = t.annotation_id JOIN sample s ON s.id = a.sample_id"
        " JOIN image i ON i.id = s.image_id WHERE a.version = s.annotation_version ORDER BY a.sample_id, t.idx"),
                                  QStringLiteral("annotated target"), result);
    if (!annotated)
        return Error{annotated.error()};

    QSqlQuery samples = db.prepare(QStringLiteral("SELECT id, source_id, queries FROM sample ORDER BY id"));
    samples.setForwardOnly(true);
    if (!samples.exec())
        return db.error(samples, QStringLiteral("reading the samples"));
    while (samples.next()) {
        ++result.samplesChecked;
        const QJsonArray queries = QJsonDocument::fromJson(samples.value(2).toString().toUtf8()).array();
        if (queries.isEmpty() || queries.first().toString().trimmed().isEmpty())
            result.problems << QStringLiteral("no query text: sample %1 (%2)").arg(samples.value(0).toLongLong()).arg(samples.value(1).toString());
    }
    return result;
}

} // namespace rs
