// `reasonseg eval` as a process on the bundled model's held-out set: the numbers the model's own
// Python evaluation wrote into models/shapes/metrics.json come back through import → infer → eval.
#include "clirunner.h"

#include <QFile>
#include <QImage>
#include <QSet>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs::test;

class TestCliEval : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void heldOutRunReproducesMetricsJson();
    void bucketsMatchMetricsJson();
    void protocolsReadTheSameRun();
    void tableNamesProtocolAndTruth();
    void htmlReportWithPlots();
    void errors_data();
    void errors();

private:
    QJsonObject evalJson(const QStringList &extra);

    QTemporaryDir m_dir;
    QString m_project;
    QJsonObject m_metrics;
};

void TestCliEval::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile metrics(QStringLiteral(RS_SOURCE_DIR "/models/shapes/metrics.json"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    m_metrics = QJsonDocument::fromJson(metrics.readAll()).object();
    m_project = m_dir.filePath(QStringLiteral("heldout.rsdb"));
    CliRun run = makeHeldOutProject(m_project);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = runCli({ "infer", m_project, "--model", QStringLiteral(RS_SOURCE_DIR "/models/shapes"), "--run", "shapes",
                   "--device", "cpu" });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

QJsonObject TestCliEval::evalJson(const QStringList &extra)
{
    const CliRun run = runCli(QStringList { "eval", m_project, "--run", "shapes", "--json" } + extra);
    if (run.exitCode != 0)
        qWarning("%s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

void TestCliEval::heldOutRunReproducesMetricsJson()
{
    const QJsonObject json = evalJson({ "--samples" });
    QCOMPARE(json.value("protocol").toString(), QStringLiteral("lisa"));
    QCOMPARE(json.value("run").toString(), QStringLiteral("shapes"));
    const QJsonObject metrics = json.value("overall").toObject().value("metrics").toObject();
    // metrics.json rounds to 4 decimals.
    QCOMPARE(qRound(metrics.value("gIoU").toDouble() * 10000), qRound(m_metrics.value("gIoU").toDouble() * 10000));
    QCOMPARE(qRound(metrics.value("cIoU").toDouble() * 10000), qRound(m_metrics.value("cIoU").toDouble() * 10000));
    QCOMPARE(json.value("overall").toObject().value("samples").toInt(), m_metrics.value("n_samples").toInt());
    QCOMPARE(json.value("samples").toArray().size(), m_metrics.value("n_samples").toInt());
    const QJsonObject reasoning = json.value("reasoning").toObject();
    QCOMPARE(reasoning.value("samples_with_token_stats").toInt(), 240);
    QVERIFY(reasoning.value("mean_uncertainty_pixelthink").toDouble() > 0.0);
}

void TestCliEval::bucketsMatchMetricsJson()
{
    const QJsonObject json = evalJson({ "--by", "difficulty" });
    const QJsonObject groups = json.value("groups").toObject();
    const QJsonObject expected = m_metrics.value("buckets").toObject();
    QCOMPARE(groups.keys(), expected.keys());
    for (const QString &bucket : expected.keys()) {
        const QJsonObject group = groups.value(bucket).toObject();
        QCOMPARE(group.value("samples").toInt(), expected.value(bucket).toObject().value("n").toInt());
        QCOMPARE(qRound(group.value("metrics").toObject().value("gIoU").toDouble() * 10000),
                 qRound(expected.value(bucket).toObject().value("gIoU").toDouble() * 10000));
    }
}

// The same proposals under other benchmarks' rules: Seg-Zero skips empty-on-empty samples, GRES
// counts a proposal without targets as a no-target answer (metrics.json's no_target_accuracy).
void TestCliEval::protocolsReadTheSameRun()
{
    const QJsonObject segZero = evalJson({ "--protocol", "seg-zero" }).value("overall").toObject().value("metrics").toObject();
    QCOMPARE(segZero.value("samples").toInt() + segZero.value("skipped").toInt(), 240);
    QVERIFY(segZero.value("skipped").toInt() > 0);
    const QJsonObject gres = evalJson({ "--protocol", "gres" }).value("overall").toObject().value("metrics").toObject();
    QCOMPARE(qRound(gres.value("N_acc").toDouble() * 10000), qRound(m_metrics.value("no_target_accuracy").toDouble() * 10000));
    const QJsonObject vr = evalJson({ "--protocol", "visionreasoner" }).value("overall").toObject().value("metrics").toObject();
    QCOMPARE(vr.value("samples").toInt(), 240);
    QVERIFY(vr.contains("bbox_AP"));
    QCOMPARE(vr.value("box_samples").toInt(), 213);  // samples with a ground-truth box
    const QJsonObject nextChat = evalJson({ "--protocol", "next-chat" }).value("overall").toObject().value("metrics").toObject();
    QVERIFY(nextChat.value("cIoU").toDouble() > 0.0);
}

void TestCliEval::tableNamesProtocolAndTruth()
{
    const CliRun run = runCli({ "eval", m_project, "--run", "shapes", "--by", "is_sentence" });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("run shapes · protocol lisa · truth: targets · 240 samples")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("gIoU")));
    QVERIFY(run.out.contains(QStringLiteral("overthinking, ours")));
    QVERIFY(run.err.isEmpty());
}

void TestCliEval::htmlReportWithPlots()
{
    const QString dir = m_dir.filePath(QStringLiteral("report"));
    const CliRun run = runCli({ "eval", m_project, "--run", "shapes", "--report", dir });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QVERIFY(run.out.contains(QStringLiteral("\neasy")));  // --report implies the difficulty groups
    QFile index(dir + QStringLiteral("/index.html"));
    QVERIFY(index.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(index.readAll());
    QVERIFY(html.contains(QStringLiteral("Protocol <b>lisa</b>")));
    QVERIFY(html.contains(QString::number(m_metrics.value("gIoU").toDouble(), 'f', 4)));
    for (const char *name : { "iou-vs-length.png", "giou-by-difficulty.png", "calibration.png", "difficulty.png" }) {
        QVERIFY2(html.contains(QLatin1String(name)), name);
        const QImage image(dir + QLatin1Char('/') + QLatin1String(name));
        QCOMPARE(image.size(), QSize(900, 560));
        // A drawn plot, not a blank canvas: many distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        }
        QVERIFY2(colours.size() > 8, name);
    }
    const CliRun unwritable = runCli({ "eval", m_project, "--run", "shapes", "--report", "/proc/reasonseg-report" });
    QCOMPARE(unwritable.exitCode, 1);
    QVERIFY2(unwritable.err.contains(QStringLiteral("/proc/reasonseg-report: cannot create the report folder")),
             qPrintable(unwritable.err));
}

void TestCliEval::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no run") << QStringList { "eval", "@PROJECT@" } << 2 << "eval: --run NAME is required";
    QTest::newRow("unknown run") << QStringList { "eval", "@PROJECT@", "--run", "other" } << 1
                                 << "eval: no model run named 'other' in the project";
    QTest::newRow("unknown protocol") << QStringList { "eval", "@PROJECT@", "--run", "shapes", "--protocol", "coco" } << 2
                                      << "eval: unknown protocol 'coco' (one of lisa, seg-zero, visionreasoner, gres, next-chat)";
    QTest::newRow("unknown breakdown") << QStringList { "eval", "@PROJECT@", "--run", "shapes", "--by", "colour" } << 2
                                       << "eval: unknown --by 'colour' (one of difficulty, is_sentence, targets, split)";
    QTest::newRow("unknown truth") << QStringList { "eval", "@PROJECT@", "--run", "shapes", "--against", "gold" } << 2
                                   << "eval: unknown --against 'gold' (annotations or targets)";
    QTest::newRow("nothing annotated") << QStringList { "eval", "@PROJECT@", "--run", "shapes", "--against", "annotations" }
                                       << 1 << "eval: run 'shapes' has no proposal for an annotated sample";
    QTest::newRow("not a project") << QStringList { "eval", "@DIR@/missing.rsdb", "--run", "shapes" } << 1 << "missing.rsdb";
}

void TestCliEval::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    arguments.replaceInStrings(QStringLiteral("@PROJECT@"), m_project);
    arguments.replaceInStrings(QStringLiteral("@DIR@"), m_dir.path());
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0);
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliEval)
#include "tst_clieval.moc"
