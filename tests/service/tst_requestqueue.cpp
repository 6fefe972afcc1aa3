#include "inference/service/requestqueue.h"

#include <QTest>

using namespace rs;

namespace {

RequestQueue::Entry entry(quint64 id, RequestPriority priority, quint64 generation = 1)
{
    RequestQueue::Entry e;
    e.id = id;
    e.generation = generation;
    e.request.priority = priority;
    return e;
}

std::vector<quint64> drain(RequestQueue &queue)
{
    std::vector<quint64> ids;
    while (auto e = queue.takeNext())
        ids.push_back(e->id);
    return ids;
}

} // namespace

class TstRequestQueue : public QObject
{
    Q_OBJECT

private slots:
    void mostUrgentFirstThenOldest();
    void setPriorityMovesPendingRequest();
    void cancelPendingRemovesIt();
    void cancelRunningMarksIt();
    void cancelAllCoversEveryIssuedId();
    void newGenerationCancelsOlderOnes();
};

void TstRequestQueue::mostUrgentFirstThenOldest()
{
    RequestQueue queue;
    queue.push(entry(1, RequestPriority::Prefetch));
    queue.push(entry(2, RequestPriority::Background));
    queue.push(entry(3, RequestPriority::Visible));
    queue.push(entry(4, RequestPriority::Prefetch));
    queue.push(entry(5, RequestPriority::Visible));
    QCOMPARE(queue.size(), 5);
    QCOMPARE(drain(queue), (std::vector<quint64>{3, 5, 1, 4, 2}));
    QVERIFY(!queue.takeNext());
}

void TstRequestQueue::setPriorityMovesPendingRequest()
{
    RequestQueue queue;
    queue.push(entry(1, RequestPriority::Prefetch));
    queue.push(entry(2, RequestPriority::Prefetch));
    queue.push(entry(3, RequestPriority::Visible));
    QVERIFY(queue.setPriority(2, RequestPriority::Visible)); // the user opened the prefetched sample 2
    QVERIFY(!queue.setPriority(99, RequestPriority::Visible));
    // 2 became visible but arrived before 3: it runs first.
    QCOMPARE(drain(queue), (std::vector<quint64>{2, 3, 1}));
}

void TstRequestQueue::cancelPendingRemovesIt()
{
    RequestQueue queue;
    queue.push(entry(1, RequestPriority::Visible));
    queue.push(entry(2, RequestPriority::Visible));
    QVERIFY(queue.cancel(1));
    QCOMPARE(drain(queue), (std::vector<quint64>{2}));
}

void TstRequestQueue::cancelRunningMarksIt()
{
    RequestQueue queue;
    queue.push(entry(1, RequestPriority::Visible));
    const auto running = queue.takeNext(); // the worker took it
    QVERIFY(running);
    QVERIFY(!queue.isCancelled(*running));
    QVERIFY(!queue.cancel(1)); // not pending any more: marked instead
    QVERIFY(queue.isCancelled(*running));
    queue.forget(1);
    QVERIFY(!queue.isCancelled(*running));
    // A finished (or unknown) id leaves no mark behind.
    QVERIFY(!queue.cancel(1));
    QVERIFY(!queue.isCancelled(*running));
    QVERIFY(!queue.cancel(42));
    QVERIFY(!queue.isCancelled(entry(42, RequestPriority::Visible)));
}

void TstRequestQueue::cancelAllCoversEveryIssuedId()
{
    RequestQueue queue;
    queue.push(entry(1, RequestPriority::Visible));
    queue.push(entry(2, RequestPriority::Prefetch));
    const auto running = queue.takeNext();
    QCOMPARE(running->id, quint64(1));
    queue.push(entry(3, RequestPriority::Visible));
    const std::vector<quint64> removed = queue.cancelAll(3);
    QCOMPARE(removed, (std::vector<quint64>{2, 3}));
    QCOMPARE(queue.size(), 0);
    QVERIFY(queue.isCancelled(*running));
    QVERIFY(!queue.isCancelled(entry(4, RequestPriority::Visible))); // issued later
}

void TstRequestQueue::newGenerationCancelsOlderOnes()
{
    RequestQueue queue;
    queue.push(entry(1, RequestPriority::Visible, 1));
    const auto running = queue.takeNext();
    queue.push(entry(2, RequestPriority::Visible, 1));
    queue.startGeneration(2);
    QCOMPARE(queue.size(), 0);
    QVERIFY(queue.isCancelled(*running));
    QVERIFY(!queue.isCancelled(entry(3, RequestPriority::Visible, 2)));
}

QTEST_APPLESS_MAIN(TstRequestQueue)
#include "tst_requestqueue.moc"
