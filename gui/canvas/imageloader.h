#pragma once

#include "core/expected.h"

#include <QFutureWatcher>
#include <QImage>
#include <QObject>

namespace rs {

// Decodes image files on the thread pool (QImageReader) and hands the image to the GUI thread.
// Before decoding, the size in the file's header is checked against a pixel limit, so a
// "decompression bomb" (a small file claiming a huge image) is refused with a clear message instead
// of exhausting memory. Delivered images are RGB32 or ARGB32_Premultiplied (what the canvas draws
// fastest), converted on the pool as well.
//
// Thread: the object lives in the GUI thread; loaded()/failed() are emitted there. A new load()
// supersedes the previous one, whose result is dropped.
class ImageLoader : public QObject
{
    Q_OBJECT

public:
    // 120 megapixels: the 100 MP images the canvas is built for, with room to spare.
    static constexpr qint64 kDefaultMaxPixels = 120'000'000;

    explicit ImageLoader(QObject *parent = nullptr);
    ~ImageLoader() override;

    qint64 maxPixels() const { return m_maxPixels; }
    void setMaxPixels(qint64 pixels);

    void load(const QString &path);
    // Drops the running load's result (decoding itself cannot be interrupted).
    void cancel();
    bool isLoading() const { return m_watcher != nullptr; }

    // The same work, synchronously, on the calling thread (any thread).
    static Expected<QImage> decode(const QString &path, qint64 maxPixels);
    // The refusal message for an image of `size` above `maxPixels`.
    static QString tooLargeMessage(const QString &path, QSize size, qint64 maxPixels);

signals:
    void loaded(const QImage &image, const QString &path);
    void failed(const QString &message, const QString &path);

private:
    qint64 m_maxPixels = kDefaultMaxPixels;
    QFutureWatcher<Expected<QImage>> *m_watcher = nullptr;
};

} // namespace rs
