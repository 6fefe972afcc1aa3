// The project commands of `reasonseg` (init, import, export, stats, check) run as processes: exit
// codes, one-line errors, a failed import leaving the project unchanged, deterministic exports.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"

using namespace rs::test;

namespace {

const QString kHeldOut = QStringLiteral(RS_SOURCE_DIR "/models/shapes/heldout");

QJsonObject stats(const QString &project)
{
    const CliRun run = runCli({QStringLiteral("stats"), project, QStringLiteral("--json")});
    if (run.exitCode != 0)
        qFatal("stats failed: %s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

QMap<QString, QByteArray> folderBytes(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        files.insert(QDir(root).relativeFilePath(path), file.readAll());
    }
    return files;
}

// A ReasonSeg split folder with the first `count` held-out samples.
QString copyHeldOut(const QString &dir, int count)
{
    const QString target = dir + QStringLiteral("/small/val");
    QDir().mkpath(target);
    for (int i = 0; i < count; ++i)
        for (const char *extension : {".jpg", ".json"}) {
            const QString name = QStringLiteral("shapes_%1%2").arg(i, 4, 10, QLatin1Char('0')).arg(QLatin1String(extension));
            QFile::copy(kHeldOut + QLatin1Char('/') + name, target + QLatin1Char('/') + name);
        }
    return dir + QStringLiteral("/small");
}

} // namespace

class TstCliProject : public QObject
{
    Q_OBJECT

private slots:
    void badArguments_data();
    void badArguments();
    void helpForEachCommand_data();
    void helpForEachCommand();
    void importExportRoundTrip();
    void failedImportLeavesProjectUnchanged();
    void checkFindsMissingImages();
    void inferFillsARunAndResumes();
};

void TstCliProject::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString none = QStringLiteral("/nonexistent/p.rsdb");
    QTest::newRow("init no project") << QStringList{"init"} << 2 << "init: expected PROJECT, got 0 arguments";
    QTest::newRow("init missing images dir") << QStringList{"init", "/tmp/x.rsdb", "--images", "/nonexistent"} << 1
                                             << "/nonexistent: no such folder (--images)";
    QTest::newRow("import no format") << QStringList{"import", none, kHeldOut} << 2 << "import: --format FMT is required";
    QTest::newRow("import unknown format") << QStringList{"import", none, "--format", "voc", kHeldOut} << 2
                                           << "import: unknown format 'voc' (one of reasonseg, reasonseg-diff";
    QTest::newRow("import option typo") << QStringList{"import", none, "--frmat", "reasonseg", kHeldOut} << 2
                                        << "import: unknown option '--frmat'";
    QTest::newRow("import option without value") << QStringList{"import", none, kHeldOut, "--format"} << 2
                                                 << "import: --format needs a value (FMT)";
    QTest::newRow("import missing source") << QStringList{"import", none, "--format", "reasonseg", "/nonexistent/src"} << 1
                                           << "/nonexistent/src: no such file or folder";
    QTest::newRow("import missing project") << QStringList{"import", none, "--format", "reasonseg", kHeldOut} << 1
                                            << "/nonexistent/p.rsdb: no such project file";
    QTest::newRow("import bad threads") << QStringList{"import", none, "--format", "reasonseg", kHeldOut, "--threads", "0"} << 2
                                        << "import: --threads must be a whole number from 1 to 256, not '0'";
    QTest::newRow("export no out") << QStringList{"export", none, "--format", "reasonseg"} << 2 << "export: --out DIR is required";
    QTest::newRow("export bad status") << QStringList{"export", none, "--format", "reasonseg", "--out", "/tmp/o", "--status", "done"}
                                       << 2 << "export: unknown status 'done'";
    QTest::newRow("stats missing project") << QStringList{"stats", none} << 1 << "no such project file";
    QTest::newRow("check two projects") << QStringList{"check", none, none} << 2 << "check: expected PROJECT, got 2 arguments";
}

void TstCliProject::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(run.err.startsWith(QLatin1String("reasonseg: ")), qPrintable(run.err));
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TstCliProject::helpForEachCommand_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("init") << "init" << "--images DIR";
    QTest::newRow("import") << "import" << "--dry-run";
    QTest::newRow("export") << "export" << "--status STATUS";
    QTest::newRow("stats") << "stats" << "--json";
    QTest::newRow("check") << "check" << "--no-hash";
}

void TstCliProject::helpForEachCommand()
{
    QFETCH(QString, command);
    QFETCH(QString, mentions);
    const CliRun run = runCli({command, QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("Usage: reasonseg ") + command), qPrintable(run.out));
    QVERIFY2(run.out.contains(mentions), qPrintable(run.out));
    QVERIFY(run.err.isEmpty());
}

void TstCliProject::importExportRoundTrip()
{
    QTemporaryDir dir;
    const QString project = dir.path() + QStringLiteral("/p.rsdb");
    QCOMPARE(runCli({QStringLiteral("init"), project}).exitCode, 0);
    const CliRun again = runCli({QStringLiteral("init"), project});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains(QStringLiteral("already exists")));

    const CliRun dry = runCli({QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("reasonseg-diff"), kHeldOut,
                            QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--dry-run")});
    QCOMPARE(dry.exitCode, 0);
    QVERIFY2(dry.out.contains(QStringLiteral("dry run: would import 240 samples")), qPrintable(dry.out));
    QCOMPARE(stats(project).value(QStringLiteral("samples")).toInt(), 0);

    const CliRun imported = runCli({QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("reasonseg-diff"), kHeldOut,
                                 QStringLiteral("--split"), QStringLiteral("val")});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY2(imported.out.contains(QStringLiteral("imported 240 samples")), qPrintable(imported.out));
    const QJsonObject counts = stats(project);
    QCOMPARE(counts.value(QStringLiteral("samples")).toInt(), 240);
    QCOMPARE(counts.value(QStringLiteral("by_split")).toObject().value(QStringLiteral("val")).toObject().value(QStringLiteral("new")).toInt(), 240);
    const QJsonObject buckets = counts.value(QStringLiteral("by_difficulty")).toObject();
    QCOMPARE(buckets.value(QStringLiteral("easy")).toInt() + buckets.value(QStringLiteral("medium")).toInt()
                 + buckets.value(QStringLiteral("hard")).toInt(),
             240);

    const CliRun duplicate = runCli({QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("reasonseg"), kHeldOut,
                                  QStringLiteral("--split"), QStringLiteral("val")});
    QCOMPARE(duplicate.exitCode, 1);
    QVERIFY2(duplicate.err.contains(QStringLiteral("duplicate sample 'shapes_0000'")), qPrintable(duplicate.err));
    QCOMPARE(stats(project).value(QStringLiteral("samples")).toInt(), 240);

    const CliRun checked = runCli({QStringLiteral("check"), project});
    QVERIFY2(checked.exitCode == 0, qPrintable(checked.out + checked.err));
    QVERIFY(checked.out.contains(QStringLiteral("checked 240 images, 240 samples")));

    const QString first = dir.path() + QStringLiteral("/first");
    const QString second = dir.path() + QStringLiteral("/second");
    for (const QString &out : {first, second}) {
        const CliRun exported = runCli({QStringLiteral("export"), project, QStringLiteral("--format"), QStringLiteral("reasonseg-diff"),
                                     QStringLiteral("--out"), out});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY(exported.out.contains(QStringLiteral("exported 240 samples")));
    }
    QCOMPARE(folderBytes(first), folderBytes(second));
    const QJsonObject manifest = QJsonDocument::fromJson(folderBytes(first).value(QStringLiteral("manifest.json"))).object();
    QCOMPARE(manifest.value(QStringLiteral("format")).toString(), QStringLiteral("reasonseg-diff"));
    QCOMPARE(manifest.value(QStringLiteral("samples")).toInt(), 240);
    QCOMPARE(manifest.value(QStringLiteral("schema_version")).toInt(), 5);

    const CliRun refused = runCli({QStringLiteral("export"), project, QStringLiteral("--format"), QStringLiteral("reasonseg"),
                                QStringLiteral("--out"), first});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY(refused.err.contains(QStringLiteral("the output folder is not empty")));

    // The export reads back into a new project with the same content.
    const QString copy = dir.path() + QStringLiteral("/copy.rsdb");
    QCOMPARE(runCli({QStringLiteral("init"), copy}).exitCode, 0);
    const CliRun reimported = runCli({QStringLiteral("import"), copy, QStringLiteral("--format"), QStringLiteral("reasonseg-diff"), first});
    QVERIFY2(reimported.exitCode == 0, qPrintable(reimported.err));
    QJsonObject a = stats(project);
    QJsonObject b = stats(copy);
    QCOMPARE(b.value(QStringLiteral("targets")), a.value(QStringLiteral("targets")));
    QCOMPARE(b.value(QStringLiteral("by_difficulty")), a.value(QStringLiteral("by_difficulty")));
    QCOMPARE(b.value(QStringLiteral("no_target_samples")), a.value(QStringLiteral("no_target_samples")));

    const CliRun filtered = runCli({QStringLiteral("export"), project, QStringLiteral("--format"), QStringLiteral("reasonseg"),
                                 QStringLiteral("--out"), dir.path() + QStringLiteral("/none"), QStringLiteral("--status"),
                                 QStringLiteral("accepted")});
    QCOMPARE(filtered.exitCode, 0);
    QVERIFY2(filtered.out.contains(QStringLiteral("exported 0 samples")), qPrintable(filtered.out));
}

void TstCliProject::failedImportLeavesProjectUnchanged()
{
    QTemporaryDir dir;
    const QString source = copyHeldOut(dir.path(), 6);
    QFile broken(source + QStringLiteral("/val/shapes_0004.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"text\": [\"which one\"], \"is_sentence\": tru");
    broken.close();
    const QString project = dir.path() + QStringLiteral("/p.rsdb");
    QCOMPARE(runCli({QStringLiteral("init"), project}).exitCode, 0);
    const CliRun run = runCli({QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("reasonseg"), source});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(run.err.contains(QStringLiteral("shapes_0004.json:1:")), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
    const QJsonObject counts = stats(project);
    QCOMPARE(counts.value(QStringLiteral("samples")).toInt(), 0);
    QCOMPARE(counts.value(QStringLiteral("images")).toInt(), 0);
}

void TstCliProject::checkFindsMissingImages()
{
    QTemporaryDir dir;
    const QString source = copyHeldOut(dir.path(), 3);
    const QString project = dir.path() + QStringLiteral("/p.rsdb");
    QCOMPARE(runCli({QStringLiteral("init"), project}).exitCode, 0);
    QCOMPARE(runCli({QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("reasonseg"), source}).exitCode, 0);
    QVERIFY(QFile::remove(source + QStringLiteral("/val/shapes_0001.jpg")));
    QFile changed(source + QStringLiteral("/val/shapes_0002.jpg"));
    QVERIFY(changed.open(QIODevice::Append));
    changed.write("x");
    changed.close();
    const CliRun run = runCli({QStringLiteral("check"), project});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains(QStringLiteral("missing image: ") + source + QStringLiteral("/val/shapes_0001.jpg")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("image content changed: ") + source + QStringLiteral("/val/shapes_0002.jpg")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral(": 2 problems")));
    const CliRun quick = runCli({QStringLiteral("check"), project, QStringLiteral("--no-hash")});
    QVERIFY(quick.out.contains(QStringLiteral(": 1 problems")));
}

void TstCliProject::inferFillsARunAndResumes()
{
    QTemporaryDir dir;
    const QString source = copyHeldOut(dir.path(), 5);
    const QString project = dir.path() + QStringLiteral("/p.rsdb");
    const QString model = QStringLiteral(RS_SOURCE_DIR "/models/shapes");
    QCOMPARE(runCli({QStringLiteral("init"), project}).exitCode, 0);
    QCOMPARE(runCli({QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("reasonseg"), source}).exitCode, 0);

    const CliRun bad = runCli({QStringLiteral("infer"), project, QStringLiteral("--model"), dir.path()});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QStringLiteral("model.json")), qPrintable(bad.err));
    const CliRun device = runCli({QStringLiteral("infer"), project, QStringLiteral("--model"), model, QStringLiteral("--device"), QStringLiteral("tpu")});
    QCOMPARE(device.exitCode, 2);
    QVERIFY(device.err.contains(QStringLiteral("--device must be auto, cpu or cuda, not 'tpu'")));

    const CliRun first = runCli({QStringLiteral("infer"), project, QStringLiteral("--model"), model, QStringLiteral("--limit"), QStringLiteral("3"),
                              QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--device"), QStringLiteral("cpu")});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.out.contains(QStringLiteral("run 'shapes': 3 proposals on cpu")), qPrintable(first.out));
    QVERIFY2(first.out.contains(QStringLiteral("2 samples left without one")), qPrintable(first.out));
    const CliRun second = runCli({QStringLiteral("infer"), project, QStringLiteral("--model"), model, QStringLiteral("--device"), QStringLiteral("cpu")});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY2(second.out.contains(QStringLiteral("run 'shapes': 2 proposals")), qPrintable(second.out));
    QVERIFY2(second.out.contains(QStringLiteral("0 samples left")), qPrintable(second.out));

    const QJsonArray runs = stats(project).value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("shapes"));
    QCOMPARE(runs.first().toObject().value(QStringLiteral("proposals")).toInt(), 5);
    QVERIFY(runs.first().toObject().value(QStringLiteral("mean_tokens")).toDouble() > 5.0);
}

QTEST_GUILESS_MAIN(TstCliProject)
#include "tst_cliproject.moc"
