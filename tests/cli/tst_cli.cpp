#include "core/rle.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"

using namespace rs;
using namespace rs::test;

class TstCli : public QObject
{
    Q_OBJECT

private slots:
    void badArguments_data();
    void badArguments();
    void version();
    void demoWritesReadableCocoRle();
    void demoIntoAFileFails();
    void demoWithABrokenModelFails();
};

void TstCli::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList() << 2 << QString();
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command 'frobnicate'";
    QTest::newRow("demo without dir") << QStringList{"demo"} << 2 << "demo: missing output directory";
    QTest::newRow("scenes zero") << QStringList{"demo", "/tmp/x", "--scenes", "0"} << 2 << "--scenes: expected a number from 1 to 10000, got '0'";
    QTest::newRow("scenes text") << QStringList{"demo", "/tmp/x", "--scenes", "many"} << 2 << "got 'many'";
    QTest::newRow("unknown option") << QStringList{"demo", "/tmp/x", "--colour"} << 2 << "unknown option '--colour'";
    QTest::newRow("two dirs") << QStringList{"demo", "/tmp/x", "/tmp/y"} << 2 << "one output directory expected";
}

void TstCli::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    if (message.isEmpty())
        return; // usage goes to stdout
    // One line on stderr, naming the problem.
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(run.err.startsWith(QLatin1String("reasonseg: ")), qPrintable(run.err));
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TstCli::version()
{
    const CliRun run = runCli({QStringLiteral("--version")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(QLatin1String("reasonseg 0.")), qPrintable(run.out));
}

void TstCli::demoWritesReadableCocoRle()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const CliRun run = runCli({QStringLiteral("demo"), dir.path(), QStringLiteral("--scenes"), QStringLiteral("5")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("0 round-trip failure(s)")), qPrintable(run.out));
    for (const char *protocol : {"lisa ", "seg-zero ", "visionreasoner "})
        QVERIFY2(run.out.contains(QLatin1String(protocol)), protocol);
    // The bundled model ran through the C++ runtime and was scored.
    QVERIFY2(run.out.contains(QLatin1String("Model on 40 held-out samples (LISA protocol): gIoU 0.")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("chain:    <think>")), qPrintable(run.out));
    // The ready project: the held-out set and a model run over its first 24 samples.
    const CliRun stats = runCli({QStringLiteral("stats"), dir.filePath(QStringLiteral("demo.rsdb")), QStringLiteral("--json")});
    QCOMPARE(stats.exitCode, 0);
    const QJsonObject project = QJsonDocument::fromJson(stats.out.toUtf8()).object();
    QCOMPARE(project.value(QLatin1String("samples")).toInt(), 240);
    QCOMPARE(project.value(QLatin1String("by_difficulty")).toObject().value(QLatin1String("unrated")).toInt(), 0);
    const QJsonObject demoRun = project.value(QLatin1String("runs")).toArray().first().toObject();
    QCOMPARE(demoRun.value(QLatin1String("name")).toString(), QStringLiteral("shapes"));
    QCOMPARE(demoRun.value(QLatin1String("proposals")).toInt(), 24);

    QFile file(dir.filePath(QStringLiteral("annotations.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject coco = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray images = coco.value(QLatin1String("images")).toArray();
    const QJsonArray annotations = coco.value(QLatin1String("annotations")).toArray();
    QCOMPARE(images.size(), 5);
    QCOMPARE(annotations.size(), 5);
    for (const QJsonValue &value : annotations) {
        const QJsonObject annotation = value.toObject();
        const QJsonObject segmentation = annotation.value(QLatin1String("segmentation")).toObject();
        const QJsonArray size = segmentation.value(QLatin1String("size")).toArray();
        const Expected<Rle> rle = Rle::fromString(segmentation.value(QLatin1String("counts")).toString().toLatin1(),
                                                  size.at(0).toInt(), size.at(1).toInt());
        QVERIFY2(rle.hasValue(), qPrintable(rle.error()));
        // The written area and box are those of the written mask.
        QCOMPARE(double(rle->area()), annotation.value(QLatin1String("area")).toDouble());
        QVERIFY(rle->area() > 0);
        const QJsonArray bbox = annotation.value(QLatin1String("bbox")).toArray();
        QCOMPARE(QRectF(bbox.at(0).toDouble(), bbox.at(1).toDouble(), bbox.at(2).toDouble(), bbox.at(3).toDouble()),
                 rle->bbox());
        const QString image = images.at(annotation.value(QLatin1String("image_id")).toInt() - 1)
                                  .toObject().value(QLatin1String("file_name")).toString();
        QVERIFY2(QFile::exists(dir.filePath(QStringLiteral("images/") + image)), qPrintable(image));
    }
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("report.txt"))));
}

void TstCli::demoIntoAFileFails()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("not-a-dir"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const CliRun run = runCli({QStringLiteral("demo"), path});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("cannot create")), qPrintable(run.err));
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
}

void TstCli::demoWithABrokenModelFails()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("no-such-model"));
    const CliRun run = runCli({QStringLiteral("demo"), dir.filePath(QStringLiteral("out")), QStringLiteral("--scenes"),
                            QStringLiteral("1"), QStringLiteral("--model"), missing});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(run.err.contains(QLatin1String("not a directory")), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
