#include "gui/canvas/imagepyramid.h"

#include <QtConcurrent>

#include <algorithm>

namespace rs {

namespace {

// Per-channel (a + b + c + d + 2) / 4 of four 32-bit pixels, two channels per 32-bit lane.
inline quint32 mean4(quint32 a, quint32 b, quint32 c, quint32 d)
{
    const quint32 lo = ((a & 0x00ff00ff) + (b & 0x00ff00ff) + (c & 0x00ff00ff) + (d & 0x00ff00ff) + 0x00020002) >> 2;
    const quint32 hi = (((a >> 8) & 0x00ff00ff) + ((b >> 8) & 0x00ff00ff) + ((c >> 8) & 0x00ff00ff) + ((d >> 8) & 0x00ff00ff)
                        + 0x00020002) >> 2;
    return (lo & 0x00ff00ff) | ((hi & 0x00ff00ff) << 8);
}

// Per-channel (a + b + 1) / 2.
inline quint32 mean2(quint32 a, quint32 b)
{
    const quint32 lo = ((a & 0x00ff00ff) + (b & 0x00ff00ff) + 0x00010001) >> 1;
    const quint32 hi = (((a >> 8) & 0x00ff00ff) + ((b >> 8) & 0x00ff00ff) + 0x00010001) >> 1;
    return (lo & 0x00ff00ff) | ((hi & 0x00ff00ff) << 8);
}

QImage drawableFormat(const QImage &image)
{
    if (image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32_Premultiplied)
        return image;
    return image.convertToFormat(image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
}

} // namespace

ImagePyramid::ImagePyramid(const QImage &image)
{
    if (image.isNull())
        return;
    m_levels.push_back(drawableFormat(image));
    const int count = levelCountFor(image.size());
    for (int level = 1; level < count; ++level)
        m_levels.push_back(downsample(m_levels.back()));
}

QFuture<std::shared_ptr<const ImagePyramid>> ImagePyramid::build(QImage image)
{
    return QtConcurrent::run([image = std::move(image)] { return std::make_shared<const ImagePyramid>(image); });
}

int ImagePyramid::levelCountFor(QSize size)
{
    if (size.isEmpty())
        return 0;
    int count = 1;
    while (size.width() > kTileSize || size.height() > kTileSize) {
        size = QSize((size.width() + 1) / 2, (size.height() + 1) / 2);
        ++count;
    }
    return count;
}

QSize ImagePyramid::levelSizeFor(QSize size, int level)
{
    for (int i = 0; i < level; ++i)
        size = QSize((size.width() + 1) / 2, (size.height() + 1) / 2);
    return size;
}

QImage ImagePyramid::downsample(const QImage &source)
{
    Q_ASSERT(source.depth() == 32);
    const int sw = source.width();
    const int sh = source.height();
    QImage result((sw + 1) / 2, (sh + 1) / 2, source.format());
    if (result.isNull())
        return result;
    const int full = sw / 2;  // output columns made of two source columns
    for (int y = 0; y < result.height(); ++y) {
        const auto *r0 = reinterpret_cast<const quint32 *>(source.constScanLine(2 * y));
        const auto *r1 = 2 * y + 1 < sh ? reinterpret_cast<const quint32 *>(source.constScanLine(2 * y + 1)) : nullptr;
        auto *out = reinterpret_cast<quint32 *>(result.scanLine(y));
        if (r1) {
            for (int x = 0; x < full; ++x)
                out[x] = mean4(r0[2 * x], r0[2 * x + 1], r1[2 * x], r1[2 * x + 1]);
            if (sw & 1)
                out[full] = mean2(r0[sw - 1], r1[sw - 1]);
        } else {
            for (int x = 0; x < full; ++x)
                out[x] = mean2(r0[2 * x], r0[2 * x + 1]);
            if (sw & 1)
                out[full] = r0[sw - 1];
        }
    }
    return result;
}

int ImagePyramid::columns(int level) const
{
    return (this->level(level).width() + kTileSize - 1) / kTileSize;
}

int ImagePyramid::rows(int level) const
{
    return (this->level(level).height() + kTileSize - 1) / kTileSize;
}

QRect ImagePyramid::tileRect(int level, int column, int row) const
{
    return QRect(column * kTileSize, row * kTileSize, kTileSize, kTileSize).intersected(this->level(level).rect());
}

QImage ImagePyramid::tile(int level, int column, int row) const
{
    const QImage &image = this->level(level);
    const QRect rect = tileRect(level, column, row);
    if (rect.isEmpty())
        return QImage();
    // The view keeps a reference to the level's (implicitly shared) pixels until it is destroyed.
    auto *keep = new QImage(image);
    return QImage(keep->constScanLine(rect.y()) + qsizetype(rect.x()) * 4, rect.width(), rect.height(), keep->bytesPerLine(),
                  keep->format(), [](void *info) { delete static_cast<QImage *>(info); }, keep);
}

qsizetype ImagePyramid::reducedBytes() const
{
    qsizetype bytes = 0;
    for (std::size_t i = 1; i < m_levels.size(); ++i)
        bytes += m_levels[i].sizeInBytes();
    return bytes;
}

} // namespace rs
