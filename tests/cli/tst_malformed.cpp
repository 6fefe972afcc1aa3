// The malformed-input corpus (tests/data/malformed/cases.tsv) through the real command line: every
// case exits with its code and one line naming the problem, and the project is byte-for-byte as it was.
#include "clirunner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace rs::test;

namespace {

const QString kCorpus = QStringLiteral(RS_SOURCE_DIR "/tests/data/malformed");


} // namespace

class TestMalformed : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void corpus_data();
    void corpus();

private:
    QTemporaryDir m_dir;
    QString m_base;
};

// A real project to damage: the bundled model's held-out set, 240 samples.
void TestMalformed::initTestCase()
{
    m_base = m_dir.filePath(QStringLiteral("base.rsdb"));
    const CliRun made = makeHeldOutProject(m_base);
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
}

void TestMalformed::corpus_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QFile cases(kCorpus + QStringLiteral("/cases.tsv"));
    QVERIFY(cases.open(QIODevice::ReadOnly | QIODevice::Text));
    int rows = 0;
    while (!cases.atEnd()) {
        const QString line = QString::fromUtf8(cases.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList fields = line.split(QLatin1Char('\t'));
        QCOMPARE(fields.size(), 4);
        QTest::newRow(qPrintable(fields[0])) << fields[1].split(QLatin1Char(' '), Qt::SkipEmptyParts) << fields[2].toInt()
                                            << fields[3];
        ++rows;
    }
    QVERIFY(rows >= 20);
}

void TestMalformed::corpus()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString project = m_dir.filePath(QStringLiteral("project.rsdb"));
    QFile::remove(project);
    QVERIFY(QFile::copy(m_base, project));
    const QByteArray before = fileDigest(project);
    const QByteArray corpusBefore = fileDigest(kCorpus + QStringLiteral("/cases.tsv"));
    arguments.replaceInStrings(QStringLiteral("@PROJECT@"), project);
    arguments.replaceInStrings(QStringLiteral("@CASE@"), kCorpus);

    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0);
    QCOMPARE(fileDigest(project), before);
    QVERIFY(!QFileInfo::exists(project + QStringLiteral("-journal")));
    QCOMPARE(fileDigest(kCorpus + QStringLiteral("/cases.tsv")), corpusBefore);
    // Still a sound project with everything in it.
    const CliRun stats = runCli({ "check", "--no-hash", project });
    QVERIFY2(stats.exitCode == 0, qPrintable(stats.out + stats.err));
}

QTEST_GUILESS_MAIN(TestMalformed)
#include "tst_malformed.moc"
