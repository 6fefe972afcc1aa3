// ReasonSeg-Diff: ReasonSeg folders plus PixelThink's difficulty list and reference chains.
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/jsonfile.h"
#include "plugins/formats/reasonsegdiffformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

const QByteArray kSample = R"({"text": ["find it"], "is_sentence": true, "shapes": [{"label": "target", "points": [[1, 1], [8, 1], [8, 8]]}]})";

QString makeDataset(const QTemporaryDir &dir, const QByteArray &difficulty, const QByteArray &reasoning)
{
    const QString root = dir.path() + QStringLiteral("/diff");
    for (const char *stem : {"a", "b"}) {
        writeTestJpeg(root + QStringLiteral("/val/%1.jpg").arg(QLatin1String(stem)), 16, 12);
        writeFile(root + QStringLiteral("/val/%1.json").arg(QLatin1String(stem)), kSample);
    }
    if (!difficulty.isNull())
        writeFile(root + QStringLiteral("/difficulty.json"), difficulty);
    if (!reasoning.isNull())
        writeFile(root + QStringLiteral("/reasoning.json"), reasoning);
    return root;
}

} // namespace

class TestReasonSegDiffFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsDifficultyAndReferences();
    void bundledHeldOutSetCarriesItsScores();
    void malformedSideFiles_data();
    void malformedSideFiles();
    void exportWritesTheSideFilesByStem();
};

void TestReasonSegDiffFormat::importsDifficultyAndReferences()
{
    QTemporaryDir dir;
    const QString root = makeDataset(dir, R"([{"image_id": "a", "difficulty_score_model": 6.5}, {"image_id": "zz", "difficulty_score_model": 2}])",
                                     R"({"a": {"short": "s", "long": "l"}, "b": "only long"})");
    ImportOptions options;
    options.source = root;
    RecordCollector collector;
    auto report = DatasetImport::run(ReasonSegDiffFormat(), options, collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.samples.size(), std::size_t(2));
    const DatasetRecord &a = collector.samples[0];
    QVERIFY(a.difficulty);
    QCOMPARE(a.difficulty->score, 6.5);
    QCOMPARE(a.difficulty->source, DifficultySource::Model);
    QCOMPARE(a.referenceShort, QStringLiteral("s"));
    QCOMPARE(a.referenceLong, QStringLiteral("l"));
    const DatasetRecord &b = collector.samples[1];
    QVERIFY(!b.difficulty);  // PixelThink would read 3.0; we keep "unrated" visible and say so
    QCOMPARE(b.referenceLong, QStringLiteral("only long"));
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("1 samples have no difficulty_score_model; PixelThink's default is 3")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 difficulty entries name no imported sample")), qPrintable(notes));
    QVERIFY2(!notes.contains(QStringLiteral("without a .jpg")), qPrintable(notes));
}

void TestReasonSegDiffFormat::bundledHeldOutSetCarriesItsScores()
{
    ImportOptions options;
    options.source = QStringLiteral(RS_TEST_DATA_DIR "/../../models/shapes/heldout");
    RecordCollector collector;
    auto report = DatasetImport::run(ReasonSegDiffFormat(), options, collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.samples.size(), std::size_t(240));
    auto list = JsonFile::read(options.source + QStringLiteral("/difficulty.json"));
    QVERIFY(list);
    QCOMPARE(collector.samples.front().difficulty->score, list->array().first().toObject().value(QStringLiteral("difficulty_score_model")).toDouble());
    for (const DatasetRecord &record : collector.samples) {
        QVERIFY(record.difficulty);
        QVERIFY(record.referenceLong.startsWith(QStringLiteral("<think>")));
    }
}

void TestReasonSegDiffFormat::malformedSideFiles_data()
{
    QTest::addColumn<QByteArray>("difficulty");
    QTest::addColumn<QByteArray>("reasoning");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no difficulty list") << QByteArray() << QByteArray() << QStringLiteral("difficulty.json: missing");
    QTest::newRow("not a list") << QByteArray(R"({"a": 3})") << QByteArray() << QStringLiteral("must be a list of {image_id, difficulty_score_model}");
    QTest::newRow("score a string") << QByteArray(R"([{"image_id": "a", "difficulty_score_model": "hard"}])") << QByteArray()
                                    << QStringLiteral("difficulty.json entry 0: field 'difficulty_score_model' must be a number, not \"hard\"");
    QTest::newRow("score above 10") << QByteArray(R"([{"image_id": "a", "difficulty_score_model": 12}])") << QByteArray()
                                    << QStringLiteral("entry 0: difficulty_score_model 12 is outside 1–10");
    QTest::newRow("duplicate id") << QByteArray(R"([{"image_id": "a", "difficulty_score_model": 2}, {"image_id": "a", "difficulty_score_model": 3}])")
                                  << QByteArray() << QStringLiteral("entry 1: image_id 'a' is listed twice");
    QTest::newRow("reasoning not an object") << QByteArray("[]") << QByteArray("[1]") << QStringLiteral("reasoning.json: must be an object");
    QTest::newRow("reasoning entry a number") << QByteArray("[]") << QByteArray(R"({"a": 4})")
                                              << QStringLiteral("entry 'a': must be a string or {short, long}, not 4");
    QTest::newRow("truncated") << QByteArray(R"([{"image_id": "a", )") << QByteArray() << QStringLiteral("difficulty.json:1:");
}

void TestReasonSegDiffFormat::malformedSideFiles()
{
    QFETCH(QByteArray, difficulty);
    QFETCH(QByteArray, reasoning);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    ImportOptions options;
    options.source = makeDataset(dir, difficulty, reasoning);
    RecordCollector collector;
    auto report = DatasetImport::run(ReasonSegDiffFormat(), options, collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY(!report.error().contains(QLatin1Char('\n')));
    QVERIFY(collector.samples.empty());
}

void TestReasonSegDiffFormat::exportWritesTheSideFilesByStem()
{
    QTemporaryDir dir;
    const QString root = makeDataset(dir, R"([{"image_id": "a", "difficulty_score_model": 4.5}])", R"({"a": {"short": "s", "long": "l"}})");
    ImportOptions options;
    options.source = root;
    RecordCollector collector;
    QVERIFY(DatasetImport::run(ReasonSegDiffFormat(), options, collector));
    // An annotated difficulty replaces the model's in the export.
    collector.samples[1].difficulty = Difficulty{8.0, DifficultySource::Human, QStringLiteral("ann")};
    VectorSource source(collector.samples);
    ExportOptions exportOptions;
    exportOptions.outDir = dir.path() + QStringLiteral("/out");
    auto report = DatasetExport::run(ReasonSegDiffFormat(), source, exportOptions, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    auto difficulty = JsonFile::read(exportOptions.outDir + QStringLiteral("/difficulty.json"));
    QVERIFY(difficulty);
    QCOMPARE(difficulty->array(), (QJsonArray{QJsonObject{{QStringLiteral("image_id"), QStringLiteral("a")}, {QStringLiteral("difficulty_score_model"), 4.5}},
                                               QJsonObject{{QStringLiteral("image_id"), QStringLiteral("b")}, {QStringLiteral("difficulty_score_model"), 8.0}}}));
    auto reasoning = JsonFile::read(exportOptions.outDir + QStringLiteral("/reasoning.json"));
    QCOMPARE(reasoning->object().value(QStringLiteral("a")).toObject().value(QStringLiteral("short")).toString(), QStringLiteral("s"));
    QVERIFY(!reasoning->object().contains(QStringLiteral("b")));

    // Read back: the same scores and chains.
    RecordCollector again;
    ImportOptions reimport;
    reimport.source = exportOptions.outDir;
    QVERIFY(DatasetImport::run(ReasonSegDiffFormat(), reimport, again));
    QCOMPARE(again.samples[0].difficulty->score, 4.5);
    QCOMPARE(again.samples[1].difficulty->score, 8.0);
    QCOMPARE(again.samples[0].referenceLong, QStringLiteral("l"));
}

QTEST_GUILESS_MAIN(TestReasonSegDiffFormat)
#include "tst_reasonsegdiffformat.moc"
