// DatasetImport: the reader thread, the bounded queue, image probing and error propagation, driven by
// a small format defined here that emits records from a list.
#include "core/recordsink.h"
#include "plugins/formats/datasetimport.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace rs;
using namespace rs::test;

namespace {

// Emits `count` records whose image files are `files[i % files.size()]`.
class ListFormat final : public DatasetFormat
{
public:
    ListFormat(QStringList files, int count, QSize declaredSize = QSize())
        : m_files(std::move(files)), m_count(count), m_declaredSize(declaredSize)
    {
    }
    QString name() const override { return QStringLiteral("list"); }
    QString summary() const override { return QStringLiteral("test records"); }
    Expected<ImportReport> read(const ImportOptions &, RecordSink &sink) const override
    {
        ImportReport report;
        for (int i = 0; i < m_count; ++i) {
            DatasetRecord record;
            record.sample.sourceId = QString::number(i);
            record.imageFile = m_files.at(i % m_files.size());
            record.sample.image.size = m_declaredSize;
            auto added = sink.addSample(std::move(record));
            if (!added)
                return Error{added.error()};
            ++report.samples;
            ++emitted;
        }
        return report;
    }
    Expected<ExportReport> write(RecordSource &, const ExportOptions &) const override { return ExportReport(); }

    mutable std::atomic<int> emitted{0};

private:
    QStringList m_files;
    int m_count;
    QSize m_declaredSize;
};

// Fails at the n-th record.
class FailingSink final : public RecordSink
{
public:
    explicit FailingSink(int failAt) : m_failAt(failAt) {}
    Expected<bool> addSample(DatasetRecord) override
    {
        if (++m_seen == m_failAt)
            return Error{QStringLiteral("disk full at record %1").arg(m_seen)};
        return true;
    }
    Expected<bool> addPrediction(DatasetRecord) override { return true; }
    int seen() const { return m_seen; }

private:
    int m_failAt;
    int m_seen = 0;
};

} // namespace

class TestDatasetImport : public QObject
{
    Q_OBJECT

private slots:
    void recordsArriveInOrderWithProbedImages_data();
    void recordsArriveInOrderWithProbedImages();
    void missingImages_data();
    void missingImages();
    void declaredSizeMustMatchTheFile();
    void sinkErrorStopsTheReaderWithoutDeadlock();
};

void TestDatasetImport::recordsArriveInOrderWithProbedImages_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("1 thread") << 1;
    QTest::newRow("2 threads") << 2;
    QTest::newRow("5 threads") << 5;
}

void TestDatasetImport::recordsArriveInOrderWithProbedImages()
{
    QFETCH(int, threads);
    QTemporaryDir dir;
    const QString a = writeTestJpeg(dir.path() + QStringLiteral("/a.jpg"), 30, 20, 1);
    const QString b = writeTestJpeg(dir.path() + QStringLiteral("/b.jpg"), 12, 40, 2);
    ListFormat format({a, b}, 1000);  // far more than the queue holds
    RecordCollector collector;
    ImportOptions options;
    options.threads = threads;
    auto report = DatasetImport::run(format, options, collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples, 1000);
    QCOMPARE(collector.samples.size(), std::size_t(1000));
    for (int i = 0; i < 1000; ++i) {
        const DatasetRecord &record = collector.samples[std::size_t(i)];
        QCOMPARE(record.sample.sourceId, QString::number(i));
        QCOMPARE(record.sample.image.size, i % 2 == 0 ? QSize(30, 20) : QSize(12, 40));
        QCOMPARE(record.sample.image.sha256.size(), 64);
    }
    QVERIFY(collector.samples[0].sample.image.sha256 != collector.samples[1].sample.image.sha256);
}

void TestDatasetImport::missingImages_data()
{
    QTest::addColumn<bool>("require");
    QTest::addColumn<QSize>("declared");
    QTest::addColumn<QString>("error");
    QTest::newRow("required") << true << QSize(10, 10) << QStringLiteral("nowhere.jpg: image file is missing");
    QTest::newRow("allowed, size given") << false << QSize(10, 10) << QString();
    QTest::newRow("allowed, no size") << false << QSize() << QStringLiteral("image file is missing and the dataset gives no size");
}

void TestDatasetImport::missingImages()
{
    QFETCH(bool, require);
    QFETCH(QSize, declared);
    QFETCH(QString, error);
    QTemporaryDir dir;
    ListFormat format({dir.path() + QStringLiteral("/nowhere.jpg")}, 3, declared);
    ImportOptions options;
    options.requireImages = require;
    RecordCollector collector;
    auto report = DatasetImport::run(format, options, collector);
    if (error.isEmpty()) {
        QVERIFY2(report, qPrintable(report.error()));
        QCOMPARE(collector.samples.size(), std::size_t(3));
        QCOMPARE(collector.samples.front().sample.image.size, declared);
        QVERIFY(collector.samples.front().sample.image.sha256.isEmpty());
    } else {
        QVERIFY(!report);
        QVERIFY2(report.error().contains(error), qPrintable(report.error()));
        QVERIFY(collector.samples.empty());
    }
}

void TestDatasetImport::declaredSizeMustMatchTheFile()
{
    QTemporaryDir dir;
    const QString a = writeTestJpeg(dir.path() + QStringLiteral("/a.jpg"), 30, 20);
    ListFormat format({a}, 2, QSize(640, 480));
    RecordCollector collector;
    auto report = DatasetImport::run(format, ImportOptions(), collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(QStringLiteral("a.jpg: the image is 30x20 pixels but the dataset says 640x480 (sample '0')")),
             qPrintable(report.error()));
}

void TestDatasetImport::sinkErrorStopsTheReaderWithoutDeadlock()
{
    QTemporaryDir dir;
    const QString a = writeTestJpeg(dir.path() + QStringLiteral("/a.jpg"), 8, 8);
    ListFormat format({a}, 100000);
    FailingSink sink(5);
    auto report = DatasetImport::run(format, ImportOptions(), sink);
    QVERIFY(!report);
    QCOMPARE(report.error(), QStringLiteral("disk full at record 5"));
    QCOMPARE(sink.seen(), 5);
    // The reader stopped soon after: at most a queue's worth of records beyond the failure.
    QVERIFY2(format.emitted < 5 + 300, qPrintable(QString::number(format.emitted)));
}

QTEST_GUILESS_MAIN(TestDatasetImport)
#include "tst_datasetimport.moc"
