#include "plugins/formats/imagefiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

namespace rs {

Expected<QString> ImageFiles::resolveInside(const QString &baseDir, const QString &relativePath, const QString &where)
{
    const QString cleanBase = QDir::cleanPath(QDir(baseDir).absolutePath());
    if (relativePath.isEmpty())
        return Error{QStringLiteral("%1: the image path is empty").arg(where)};
    if (QDir::isAbsolutePath(relativePath) || relativePath.startsWith(QLatin1Char('\\')))
        return Error{QStringLiteral("%1: image path '%2' is absolute; it must be inside %3")
                         .arg(where, relativePath, cleanBase)};
    const QString joined = QDir::cleanPath(cleanBase + QLatin1Char('/') + relativePath);
    if (!joined.startsWith(cleanBase + QLatin1Char('/')))
        return Error{QStringLiteral("%1: image path '%2' leaves %3").arg(where, relativePath, cleanBase)};
    return joined;
}

Expected<QSize> ImageFiles::size(const QString &path)
{
    QImageReader reader(path);
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty()) {
        if (!QFileInfo::exists(path))
            return Error{QStringLiteral("%1: image file is missing").arg(path)};
        return Error{QStringLiteral("%1: not a readable image: %2").arg(path, reader.errorString())};
    }
    return size;
}

Expected<QByteArray> ImageFiles::sha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read image: %2").arg(path, file.errorString())};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return Error{QStringLiteral("%1: cannot read image: %2").arg(path, file.errorString())};
    return hash.result().toHex();
}

Expected<bool> ImageFiles::writeAsJpeg(const QString &source, const QString &target)
{
    QImageReader reader(source);
    const QByteArray format = reader.format();
    if (format.isEmpty())
        return Error{QStringLiteral("%1: not a readable image: %2").arg(source, reader.errorString())};
    QFile::remove(target);
    if (format == "jpeg" || format == "jpg") {
        if (!QFile::copy(source, target))
            return Error{QStringLiteral("%1: cannot copy the image to %2").arg(source, target)};
        return true;
    }
    const QImage image = reader.read();
    if (image.isNull())
        return Error{QStringLiteral("%1: cannot decode the image: %2").arg(source, reader.errorString())};
    if (!image.save(target, "JPEG", 95))
        return Error{QStringLiteral("%1: cannot write the JPEG image").arg(target)};
    return true;
}

} // namespace rs
