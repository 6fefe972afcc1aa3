// Faults from outside: `reasonseg import` killed with SIGKILL mid-way, and `reasonseg export` hitting
// a full disk (a file-size limit: writes fail with EFBIG). The project must be as it was and no
// partial export may be left behind.
#include "clirunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace rs::test;

namespace {


// A COCO file big enough that its import runs for a while: N images of 64 x 48, one polygon each.
void writeCoco(const QString &path, int images)
{
    QJsonArray imageList, annotations;
    for (int i = 1; i <= images; ++i) {
        imageList.append(QJsonObject { { "id", i }, { "file_name", QStringLiteral("%1.jpg").arg(i) }, { "width", 64 }, { "height", 48 } });
        annotations.append(QJsonObject { { "id", i }, { "image_id", i }, { "category_id", 1 }, { "iscrowd", 0 },
                                         { "segmentation", QJsonArray { QJsonArray { 2, 2, 40, 2, 40, 30, 2, 30 } } },
                                         { "bbox", QJsonArray { 2, 2, 38, 28 } }, { "area", 1064 } });
    }
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject { { "images", imageList }, { "annotations", annotations },
                                           { "categories", QJsonArray { QJsonObject { { "id", 1 }, { "name", "box" } } } } })
                   .toJson(QJsonDocument::Compact));
}

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sigkillDuringImport();
    void diskFullDuringExport();

private:
    QTemporaryDir m_dir;
    QString m_project;
};

void TestFaults::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("p.rsdb"));
    const CliRun made = makeHeldOutProject(m_project);
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
}

void TestFaults::sigkillDuringImport()
{
    const QString coco = m_dir.filePath(QStringLiteral("big.json"));
    writeCoco(coco, 60000);
    const QByteArray before = fileDigest(m_project);
    QProcess import;
    import.start(QStringLiteral(RS_CLI_PATH), { "import", m_project, "--format", "coco", "--allow-missing-images", coco });
    QVERIFY(import.waitForStarted());
    QTest::qWait(1500);  // well into the transaction (the whole import takes several seconds)
    QCOMPARE(import.state(), QProcess::Running);
    ::kill(pid_t(import.processId()), SIGKILL);
    QVERIFY(import.waitForFinished());
    QCOMPARE(import.exitStatus(), QProcess::CrashExit);

    QCOMPARE(fileDigest(m_project), before);  // the killed transaction never reached the database file
    const CliRun stats = runCli({ "stats", m_project, "--json" });
    QCOMPARE(stats.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(stats.out.toUtf8()).object().value("samples").toInt(), 240);
    QCOMPARE(runCli({ "check", "--no-hash", m_project }).exitCode, 0);
}

void TestFaults::diskFullDuringExport()
{
    const QString out = m_dir.filePath(QStringLiteral("export"));
    QProcess exporter;
    exporter.setProgram(QStringLiteral(RS_CLI_PATH));
    exporter.setArguments({ "export", m_project, "--format", "reasonseg-diff", "--out", out });
    exporter.setChildProcessModifier([] {
        // A "disk" that holds 40 KiB per file (the project opens; reasoning.json, 58 KB, does not fit): a write past it fails with EFBIG instead of killing.
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit { 40 * 1024, 40 * 1024 };
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    exporter.start();
    QVERIFY(exporter.waitForFinished(120000));
    QCOMPARE(exporter.exitCode(), 1);
    const QString err = QString::fromUtf8(exporter.readAllStandardError()).trimmed();
    QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("reasoning.json: cannot write: File too large")), qPrintable(err));
    QVERIFY(!QFileInfo::exists(out));
    const QStringList partial = QDir(m_dir.path()).entryList({ QStringLiteral("export*") });
    QVERIFY2(partial.isEmpty(), qPrintable(partial.join(QLatin1String(", "))));
    // With room again the same export succeeds.
    QCOMPARE(runCli({ "export", m_project, "--format", "reasonseg-diff", "--out", out }).exitCode, 0);
    QVERIFY(QFileInfo::exists(out + QStringLiteral("/manifest.json")));
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
