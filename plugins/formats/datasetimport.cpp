#include "plugins/formats/datasetimport.h"

#include "core/recordsink.h"
#include "plugins/formats/imagefiles.h"

#include <QFileInfo>
#include <QFuture>
#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace rs {

namespace {

constexpr std::size_t kQueueCapacity = 256;

struct QueuedRecord
{
    DatasetRecord record;
    bool prediction = false;
};

// The reader's side of the queue: blocks when the consumer is behind, fails once it has stopped.
class QueueSink final : public RecordSink
{
public:
    Expected<bool> addSample(DatasetRecord record) override { return push({std::move(record), false}); }
    Expected<bool> addPrediction(DatasetRecord record) override { return push({std::move(record), true}); }

    Expected<bool> push(QueuedRecord item)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [this] { return m_queue.size() < kQueueCapacity || m_stopped; });
        if (m_stopped)
            return Error{QStringLiteral("import stopped")};
        m_queue.push_back(std::move(item));
        m_notEmpty.notify_one();
        return true;
    }

    // The next record, or std::nullopt once the reader has finished and the queue is empty.
    std::optional<QueuedRecord> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [this] { return !m_queue.empty() || m_finished; });
        if (m_queue.empty())
            return std::nullopt;
        QueuedRecord item = std::move(m_queue.front());
        m_queue.pop_front();
        m_notFull.notify_one();
        return item;
    }

    void finish()
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_notEmpty.notify_all();
    }

    void stop()
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_queue.clear();
        m_notFull.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<QueuedRecord> m_queue;
    bool m_finished = false;
    bool m_stopped = false;
};

// Sizes and hashes of the images of one import, each file read once. Thread-safe: records are
// probed on a pool (two threads may probe the same new file at once; both get the same answer).
class ImageProbe
{
public:
    explicit ImageProbe(bool requireImages) : m_requireImages(requireImages) {}

    Expected<bool> complete(DatasetRecord &record)
    {
        if (record.imageFile.isEmpty())
            return true;
        ImageRef &image = record.sample.image;
        std::optional<ImageRef> known;
        {
            std::lock_guard lock(m_mutex);
            const auto found = m_known.constFind(record.imageFile);
            if (found != m_known.constEnd())
                known = *found;
        }
        if (!known) {
            auto probed = probe(record.imageFile, image.size);
            if (!probed)
                return Error{probed.error()};
            known = *probed;
            std::lock_guard lock(m_mutex);
            m_known.insert(record.imageFile, *probed);
        }
        if (image.size.isValid() && known->size.isValid() && image.size != known->size)
            return Error{QStringLiteral("%1: the image is %2x%3 pixels but the dataset says %4x%5 (sample '%6')")
                             .arg(record.imageFile)
                             .arg(known->size.width())
                             .arg(known->size.height())
                             .arg(image.size.width())
                             .arg(image.size.height())
                             .arg(record.sample.sourceId)};
        if (known->size.isValid())
            image.size = known->size;
        image.sha256 = known->sha256;
        return true;
    }

private:
    Expected<ImageRef> probe(const QString &file, const QSize &datasetSize) const
    {
        ImageRef ref;
        if (!QFileInfo::exists(file)) {
            if (m_requireImages)
                return Error{QStringLiteral("%1: image file is missing").arg(file)};
            if (!datasetSize.isValid() || datasetSize.isEmpty())
                return Error{QStringLiteral("%1: image file is missing and the dataset gives no size").arg(file)};
            return ref;
        }
        auto size = ImageFiles::size(file);
        if (!size)
            return Error{size.error()};
        auto hash = ImageFiles::sha256(file);
        if (!hash)
            return Error{hash.error()};
        ref.size = *size;
        ref.sha256 = *hash;
        return ref;
    }

    bool m_requireImages;
    std::mutex m_mutex;
    QHash<QString, ImageRef> m_known;
};

// A record whose image is being probed on the pool.
struct Probing
{
    QFuture<Expected<bool>> done;
    std::shared_ptr<QueuedRecord> item;
};

} // namespace

Expected<ImportReport> DatasetImport::run(const DatasetFormat &format, const ImportOptions &options, RecordSink &sink)
{
    if (!format.canImport())
        return Error{QStringLiteral("format '%1' cannot be imported").arg(format.name())};

    QueueSink queue;
    std::optional<Expected<ImportReport>> readerResult;
    std::thread reader([&] {
        readerResult.emplace(format.read(options, queue));
        queue.finish();
    });

    // Images are probed (header read, SHA-256 of the bytes) on `threads - 1` pool threads, a window of
    // records ahead of the sink, which still receives them in the reader's order.
    ImageProbe probe(options.requireImages);
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, options.threads - 1));
    const std::size_t window = std::size_t(std::max(1, options.threads - 1)) * 8;
    std::deque<Probing> probing;
    std::optional<Error> consumerError;
    auto deliver = [&](Probing &next) {
        const Expected<bool> &probed = next.done.result();
        Expected<bool> done = probed ? Expected<bool>(true) : Expected<bool>(Error{probed.error()});
        if (done)
            done = next.item->prediction ? sink.addPrediction(std::move(next.item->record))
                                         : sink.addSample(std::move(next.item->record));
        if (!done) {
            consumerError = Error{done.error()};
            queue.stop();
        }
    };
    while (auto item = queue.pop()) {
        if (consumerError)
            continue;
        auto shared = std::make_shared<QueuedRecord>(std::move(*item));
        probing.push_back({QtConcurrent::run(&pool, [&probe, shared] { return probe.complete(shared->record); }), shared});
        while (!consumerError && (probing.size() >= window || probing.front().done.isFinished())) {
            probing.front().done.waitForFinished();
            deliver(probing.front());
            probing.pop_front();
            if (probing.empty())
                break;
        }
    }
    while (!probing.empty()) {
        probing.front().done.waitForFinished();
        if (!consumerError)
            deliver(probing.front());
        probing.pop_front();
    }
    reader.join();
    if (consumerError)
        return *consumerError;
    return std::move(*readerResult);
}

} // namespace rs
