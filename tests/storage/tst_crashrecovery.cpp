#include "crashcontent.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/editjournal.h"
#include "storage/samplerepository.h"

#include "storagetestdata.h"
#include "testbackends.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <set>

using namespace rs;
using namespace rs::test;

// Kill -9 a process that is saving annotations, many times at seeded random moments: after each
// kill the project opens, passes PRAGMA integrity_check (SQLite), and holds every save that was
// acknowledged (with its content); the edit journal holds every acknowledged append. On PostgreSQL
// the killed process is the client: its open transaction must vanish and acknowledged ones stay.
class TstCrashRecovery : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void killDuringSaves_data();
    void killDuringSaves();
};

void TstCrashRecovery::killDuringSaves_data()
{
    QTest::addColumn<int>("backend");
    for (const auto &[name, backend] : TestBackends::all())
        QTest::newRow(name.constData()) << int(backend);
}

void TstCrashRecovery::killDuringSaves()
{
    constexpr int kSamples = 4;
    constexpr int kKills = 24;
    const quint32 seed = qEnvironmentVariableIsSet("RS_CRASH_SEED") ? qEnvironmentVariable("RS_CRASH_SEED").toUInt()
                                                                   : 20261123u;
    qInfo("seed %u", seed);
    RS_FRESH_LOCATION(location);
    const QString journalPath = TestBackends::tempDir() + QStringLiteral("/crash%1.rsdb-edits").arg(backend);
    const QString spec = location.backend == Backend::Sqlite
        ? QStringLiteral("sqlite:") + location.path
        : QStringLiteral("postgres:%1:%2:%3:%4:%5")
              .arg(location.host)
              .arg(location.port)
              .arg(location.databaseName, location.user, location.schema);
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        QVERIFY(AnnotatorRepository(**db).ensure(QStringLiteral("crash")));
        for (int i = 0; i < kSamples; ++i)
            QVERIFY(SampleRepository(**db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i)), {}));
    }
    QRandomGenerator random(seed);
    std::set<std::pair<qint64, int>> acknowledged;
    std::set<quint64> journalled;
    int killedWhileSaving = 0;
    for (int kill = 0; kill < kKills; ++kill) {
        QProcess child;
        child.setProgram(QStringLiteral(RS_CRASH_CHILD));
        child.setArguments({spec, journalPath, QString::number(kSamples), QString::number(random.generate())});
        child.start();
        QVERIFY2(child.waitForStarted(10000), qPrintable(child.errorString()));
        // Let it save for a random while, then SIGKILL (QProcess::kill() sends SIGKILL on Unix).
        QVERIFY(child.waitForReadyRead(10000));
        QTest::qSleep(int(random.bounded(5, 250)));
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QByteArray err = child.readAllStandardError();
        QVERIFY2(err.isEmpty(), err.constData());
        const QList<QByteArray> lines = child.readAllStandardOutput().split('\n');
        // The last element is the unterminated tail (possibly a half-printed line): not acknowledged.
        int acks = 0;
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            const QList<QByteArray> parts = lines[i].split(' ');
            if (parts.value(0) == "ACK" && parts.size() == 3) {
                acknowledged.insert({parts[1].toLongLong(), parts[2].toInt()});
                ++acks;
            } else if (parts.value(0) == "JACK" && parts.size() == 2) {
                journalled.insert(parts[1].toULongLong());
            }
        }
        if (acks > 0)
            ++killedWhileSaving;

        auto db = Database::open(location);
        QVERIFY2(db, qPrintable(db.error()));
        QCOMPARE(*(*db)->integrityCheck(), QStringLiteral("ok"));
        AnnotationRepository repository(**db);
        for (const auto &[sampleId, version] : acknowledged) {
            auto annotation = repository.at(sampleId, version);
            QVERIFY2(annotation, qPrintable(QStringLiteral("kill %1: acknowledged version %2 of sample %3 is lost: %4")
                                                .arg(kill).arg(version).arg(sampleId).arg(annotation.error())));
            const Annotation expected = crashAnnotation(sampleId, annotation->annotatorId, version);
            QVERIFY(annotation->sameContent(expected));
        }
        for (qint64 sampleId = 1; sampleId <= kSamples; ++sampleId) {
            auto history = repository.history(sampleId);
            for (std::size_t i = 0; i < history->size(); ++i)
                QCOMPARE(history->at(i).version, int(i) + 1);
        }
        auto scan = EditJournal::scan(journalPath);
        QVERIFY2(scan, qPrintable(scan.error()));
        std::set<quint64> inJournal;
        for (const JournalEntry &e : scan->entries)
            inJournal.insert(e.sequence);
        for (quint64 sequence : journalled)
            QVERIFY2(inJournal.count(sequence), qPrintable(QStringLiteral("journal entry %1 lost").arg(sequence)));
        QVERIFY(EditJournal::replay(journalPath));
    }
    qInfo("%d kills, %d while saving, %zu acknowledged saves, %zu journal appends", kKills, killedWhileSaving,
          acknowledged.size(), journalled.size());
    QVERIFY(killedWhileSaving >= kKills / 2);
    QVERIFY(acknowledged.size() >= std::size_t(kKills));
}

QTEST_GUILESS_MAIN(TstCrashRecovery)
#include "tst_crashrecovery.moc"
