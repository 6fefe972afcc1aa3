#include "core/mask.h"
#include "core/rle.h"
#include "storage/editjournal.h"

#include "storagetestdata.h"
#include "testbackends.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace rs;
using namespace rs::test;

// The crash-recovery journal: what was appended replays, committed samples drop out, a torn or
// damaged tail is cut off at the last good record, and appends stay cheap.
class TstEditJournal : public QObject
{
    Q_OBJECT

private slots:
    void crc32KnownValues();
    void appendAndReplay();
    void committedSamplesAreDropped();
    void tornTail_data();
    void tornTail();
    void damagedRecordStopsReplay();
    void notAJournal();
    void compactKeepsPendingEntries();
    void appendOf16MegapixelMaskDeltaIsCheap();

private:
    static QString freshPath()
    {
        static int n = 0;
        return QStringLiteral("%1/journal%2.rsdb-edits").arg(TestBackends::tempDir()).arg(n++);
    }
};

void TstEditJournal::crc32KnownValues()
{
    QCOMPARE(EditJournal::crc32(0, "123456789", 9), 0xCBF43926u);
    QCOMPARE(EditJournal::crc32(0, "", 0), 0u);
    const QByteArray long_(1000, 'x');
    const quint32 whole = EditJournal::crc32(0, long_.constData(), long_.size());
    const quint32 split = EditJournal::crc32(EditJournal::crc32(0, long_.constData(), 333), long_.constData() + 333, 667);
    QCOMPARE(split, whole);
    QCOMPARE(EditJournal::pathFor(ProjectLocation::sqlite(QStringLiteral("/p/x.rsdb"))), QStringLiteral("/p/x.rsdb-edits"));
}

void TstEditJournal::appendAndReplay()
{
    const QString path = freshPath();
    {
        auto journal = EditJournal::open(path);
        QVERIFY2(journal, qPrintable(journal.error()));
        QCOMPARE(*(*journal)->append(7, 3, JournalEntry::Kind::MaskDelta, QByteArray("delta-1")), 1u);
        QCOMPARE(*(*journal)->append(8, 0, JournalEntry::Kind::Text, QByteArray("reasoning…")), 2u);
        QCOMPARE(*(*journal)->append(7, 3, JournalEntry::Kind::Other, QByteArray()), 3u);
        QVERIFY((*journal)->sync());
    }
    auto entries = EditJournal::replay(path);
    QVERIFY2(entries, qPrintable(entries.error()));
    QCOMPARE(entries->size(), std::size_t(3));
    QCOMPARE(entries->at(0).sampleId, 7);
    QCOMPARE(entries->at(0).baseVersion, 3);
    QCOMPARE(entries->at(0).kind, JournalEntry::Kind::MaskDelta);
    QCOMPARE(entries->at(0).payload, QByteArray("delta-1"));
    QCOMPARE(entries->at(1).payload, QByteArray("reasoning…"));
    QCOMPARE(entries->at(2).payload, QByteArray());
    // Reopening continues the sequence.
    auto journal = EditJournal::open(path);
    QCOMPARE(*(*journal)->append(9, 0, JournalEntry::Kind::Text, QByteArray("x")), 4u);
    QCOMPARE(EditJournal::replay(path)->size(), std::size_t(4));
    QVERIFY(EditJournal::replay(path + QStringLiteral(".none"))->empty());
}

void TstEditJournal::committedSamplesAreDropped()
{
    const QString path = freshPath();
    auto journal = EditJournal::open(path);
    (*journal)->append(1, 0, JournalEntry::Kind::MaskDelta, QByteArray("a"));
    (*journal)->append(2, 0, JournalEntry::Kind::MaskDelta, QByteArray("b"));
    (*journal)->markCommitted(1);
    (*journal)->append(1, 1, JournalEntry::Kind::MaskDelta, QByteArray("c"));
    (*journal)->markCommitted(3);
    auto entries = EditJournal::replay(path);
    QCOMPARE(entries->size(), std::size_t(2));
    QCOMPARE(entries->at(0).payload, QByteArray("b"));
    QCOMPARE(entries->at(1).payload, QByteArray("c"));
    QCOMPARE(entries->at(1).baseVersion, 1);
}

void TstEditJournal::tornTail_data()
{
    QTest::addColumn<int>("cut");  // bytes removed from the end
    QTest::newRow("1 byte of payload") << 1;
    QTest::newRow("half the payload") << 50;
    QTest::newRow("payload and part of the header") << 110;
    QTest::newRow("first header byte only left") << 100 + 36 - 1;
}

void TstEditJournal::tornTail()
{
    QFETCH(int, cut);
    const QString path = freshPath();
    {
        auto journal = EditJournal::open(path);
        (*journal)->append(1, 0, JournalEntry::Kind::Text, QByteArray("kept"));
        (*journal)->append(1, 0, JournalEntry::Kind::Text, QByteArray(100, 'z'));  // the torn one
    }
    const qint64 full = QFileInfo(path).size();
    QVERIFY(QFile::resize(path, full - cut));
    auto entries = EditJournal::replay(path);
    QVERIFY2(entries, qPrintable(entries.error()));
    QCOMPARE(entries->size(), std::size_t(1));
    QCOMPARE(entries->front().payload, QByteArray("kept"));
    // Opening for append cuts the torn tail so that new records are readable again.
    auto journal = EditJournal::open(path);
    QVERIFY2(journal, qPrintable(journal.error()));
    QCOMPARE(*(*journal)->append(2, 0, JournalEntry::Kind::Text, QByteArray("after")), 2u);
    entries = EditJournal::replay(path);
    QCOMPARE(entries->size(), std::size_t(2));
    QCOMPARE(entries->back().payload, QByteArray("after"));
}

void TstEditJournal::damagedRecordStopsReplay()
{
    const QString path = freshPath();
    {
        auto journal = EditJournal::open(path);
        for (int i = 0; i < 3; ++i)
            (*journal)->append(1, 0, JournalEntry::Kind::Text, QByteArray(10, char('a' + i)));
    }
    QByteArray bytes = fileBytes(path);
    const int secondPayload = 8 + (36 + 10) + 36 + 4;
    QCOMPARE(bytes.at(secondPayload), 'b');
    bytes[secondPayload] = 'X';
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();
    auto entries = EditJournal::replay(path);
    QCOMPARE(entries->size(), std::size_t(1));
    auto scan = EditJournal::scan(path);
    QCOMPARE(scan->validBytes, qint64(8 + 36 + 10));
    QCOMPARE(scan->fileBytes, qint64(bytes.size()));
}

void TstEditJournal::notAJournal()
{
    const QString path = freshPath();
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is somebody's file, not a journal");
    file.close();
    const QByteArray before = fileBytes(path);
    auto entries = EditJournal::replay(path);
    QVERIFY(!entries);
    QVERIFY(entries.error().contains(QLatin1String("not an edit journal")));
    QVERIFY(!EditJournal::open(path));
    QCOMPARE(fileBytes(path), before);
}

void TstEditJournal::compactKeepsPendingEntries()
{
    const QString path = freshPath();
    auto journal = EditJournal::open(path);
    for (int i = 0; i < 50; ++i)
        (*journal)->append(1, 0, JournalEntry::Kind::MaskDelta, QByteArray(1000, 'a'));
    (*journal)->markCommitted(1);
    (*journal)->append(2, 4, JournalEntry::Kind::Text, QByteArray("pending"));
    const qint64 before = QFileInfo(path).size();
    QVERIFY((*journal)->compact());
    QVERIFY(QFileInfo(path).size() < before / 10);
    auto entries = EditJournal::replay(path);
    QCOMPARE(entries->size(), std::size_t(1));
    QCOMPARE(entries->front().payload, QByteArray("pending"));
    QCOMPARE(*(*journal)->append(2, 4, JournalEntry::Kind::Text, QByteArray("more")), 53u);
    QCOMPARE(EditJournal::replay(path)->size(), std::size_t(2));
}

void TstEditJournal::appendOf16MegapixelMaskDeltaIsCheap()
{
    // A brush stroke across a 4096 x 4096 mask: the delta is the dirty rectangle's before/after
    // patches, RLE-compressed (what the undo command keeps). bench_storage measures it precisely;
    // here a generous bound catches an accidental O(pixels) step.
    Mask after(4096, 4096);
    for (int y = 1000; y < 3000; ++y)
        after.fillRect(QRect(500 + y / 2, y, 120, 1), true);
    const QRect dirty(500, 1000, 1620, 2000);
    const QByteArray delta = Rle::encode(Mask(dirty.width(), dirty.height())).toString() + '|'
        + Rle::encode(after.copy(dirty)).toString();
    const QString path = freshPath();
    auto journal = EditJournal::open(path);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 100; ++i)
        QVERIFY((*journal)->append(1, 0, JournalEntry::Kind::MaskDelta, delta));
    const double perAppendMs = double(timer.nsecsElapsed()) / 1e6 / 100;
    QVERIFY2(perAppendMs < 10.0, qPrintable(QString::number(perAppendMs)));
    auto entries = EditJournal::replay(path);
    QCOMPARE(entries->size(), std::size_t(100));
    QCOMPARE(entries->back().payload, delta);
}

QTEST_GUILESS_MAIN(TstEditJournal)
#include "tst_editjournal.moc"
