#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/threadconnections.h"

#include "testbackends.h"

#include <QSqlDatabase>
#include <QTest>
#include <QThread>

using namespace rs;
using namespace rs::test;

// A connection per thread: each thread gets its own named connection, the same one on every call,
// and it is closed when the thread finishes.
class TstThreadConnections : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void oneConnectionPerThread_data();
    void oneConnectionPerThread();
    void openErrorIsReported();
};

void TstThreadConnections::oneConnectionPerThread_data()
{
    QTest::addColumn<int>("backend");
    for (const auto &[name, backend] : TestBackends::all())
        QTest::newRow(name.constData()) << int(backend);
}

void TstThreadConnections::oneConnectionPerThread()
{
    RS_FRESH_LOCATION(location);
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
    }
    ThreadConnections connections(location, QStringLiteral("workers"));
    auto mine = connections.database();
    QVERIFY2(mine, qPrintable(mine.error()));
    QCOMPARE(*connections.database(), *mine);
    QVERIFY((*mine)->connectionName().startsWith(QLatin1String("workers@")));
    QVERIFY(AnnotatorRepository(**mine).ensure(QStringLiteral("main")));

    QString workerName;
    bool workerSaw = false;
    bool sameTwice = false;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        auto db = connections.database();
        if (!db)
            return;
        sameTwice = *connections.database() == *db;
        workerName = (*db)->connectionName();
        // Committed writes of another thread's connection are visible here.
        workerSaw = AnnotatorRepository(**db).findByName(QStringLiteral("main"))->has_value();
    }));
    worker->start();
    QVERIFY(worker->wait(30000));
    QVERIFY(workerSaw);
    QVERIFY(sameTwice);
    QVERIFY(!workerName.isEmpty());
    QVERIFY(workerName != (*mine)->connectionName());
    QVERIFY(!QSqlDatabase::contains(workerName));  // closed when the thread finished
    QCOMPARE(connections.openCount(), 1);
    const QString mainName = (*mine)->connectionName();
    connections.release();
    QCOMPARE(connections.openCount(), 0);
    QVERIFY(!QSqlDatabase::contains(mainName));
}

void TstThreadConnections::openErrorIsReported()
{
    ThreadConnections connections(ProjectLocation::sqlite(TestBackends::tempDir() + QStringLiteral("/missing.rsdb")));
    auto db = connections.database();
    QVERIFY(!db);
    QVERIFY(db.error().contains(QLatin1String("no such file")));
    QCOMPARE(connections.openCount(), 0);
}

QTEST_GUILESS_MAIN(TstThreadConnections)
#include "tst_threadconnections.moc"
