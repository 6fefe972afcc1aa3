#include "gui/canvas/imageloader.h"

#include <QFileInfo>
#include <QImageReader>
#include <QtConcurrent>

#include <algorithm>

namespace rs {

ImageLoader::ImageLoader(QObject *parent) : QObject(parent)
{
    setMaxPixels(m_maxPixels);
}

ImageLoader::~ImageLoader()
{
    cancel();
}

void ImageLoader::setMaxPixels(qint64 pixels)
{
    m_maxPixels = std::max<qint64>(1, pixels);
    // Qt's own allocation guard (256 MB by default) would refuse a 100 MP image: our pixel limit,
    // checked before decoding, replaces it. It is process-wide, so it only ever grows, and it is
    // set here on the GUI thread, never from a decoding job.
    const qint64 megabytes = (m_maxPixels * 4) / (1024 * 1024) + 64;
    if (QImageReader::allocationLimit() != 0 && QImageReader::allocationLimit() < megabytes)
        QImageReader::setAllocationLimit(int(std::min<qint64>(megabytes, std::numeric_limits<int>::max())));
}

QString ImageLoader::tooLargeMessage(const QString &path, QSize size, qint64 maxPixels)
{
    const double megapixels = double(size.width()) * double(size.height()) / 1e6;
    return tr("%1 is %2 × %3 pixels (%4 megapixels), above the limit of %5 megapixels; it was not decoded "
              "(protection against decompression bombs).")
        .arg(QFileInfo(path).fileName())
        .arg(size.width())
        .arg(size.height())
        .arg(megapixels, 0, 'f', 1)
        .arg(double(maxPixels) / 1e6, 0, 'f', 0);
}

Expected<QImage> ImageLoader::decode(const QString &path, qint64 maxPixels)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();  // from the header: nothing is decoded yet
    if (!size.isValid()) {
        if (!QFileInfo::exists(path))
            return Error{tr("%1: no such file").arg(path)};
        return Error{tr("%1: not a readable image (%2)").arg(path, reader.errorString())};
    }
    if (qint64(size.width()) * size.height() > maxPixels)
        return Error{tooLargeMessage(path, size, maxPixels)};
    QImage image;
    if (!reader.read(&image))
        return Error{tr("%1: %2").arg(path, reader.errorString())};
    // The header may lie: check what was really decoded too.
    if (qint64(image.width()) * image.height() > maxPixels)
        return Error{tooLargeMessage(path, image.size(), maxPixels)};
    if (image.format() != QImage::Format_RGB32 && image.format() != QImage::Format_ARGB32_Premultiplied)
        image.convertTo(image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
    return image;
}

void ImageLoader::load(const QString &path)
{
    cancel();
    auto *watcher = new QFutureWatcher<Expected<QImage>>(this);
    m_watcher = watcher;
    connect(watcher, &QFutureWatcher<Expected<QImage>>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        if (watcher != m_watcher)
            return;
        m_watcher = nullptr;
        const Expected<QImage> result = watcher->result();
        if (result)
            emit loaded(*result, path);
        else
            emit failed(result.error(), path);
    });
    watcher->setFuture(QtConcurrent::run(&ImageLoader::decode, path, m_maxPixels));
}

void ImageLoader::cancel()
{
    if (!m_watcher)
        return;
    // The job runs to its end; its watcher is no longer m_watcher, so the result is dropped.
    QFutureWatcher<Expected<QImage>> *watcher = m_watcher;
    m_watcher = nullptr;
    watcher->disconnect(this);
    connect(watcher, &QFutureWatcher<Expected<QImage>>::finished, watcher, &QObject::deleteLater);
    if (watcher->isFinished())
        watcher->deleteLater();
}

} // namespace rs
