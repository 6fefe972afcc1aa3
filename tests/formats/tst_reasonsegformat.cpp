// ReasonSeg import/export: LISA's layout and rasterisation, malformed inputs, round trips, and the
// python reference checker that reads our export the way LISA's loader does.
#include "core/lisarasterizer.h"
#include "core/rle.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/reasonsegformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

QByteArray sampleJson(const QByteArray &text, const QByteArray &isSentence, const QByteArray &shapes)
{
    return "{\"text\": " + text + ", \"is_sentence\": " + isSentence + ", \"shapes\": " + shapes + "}";
}

const QByteArray kSquare = R"([{"label": "target", "points": [[2, 2], [12, 2], [12, 12], [2, 12]]}])";

} // namespace

class TestReasonSegFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsTheBundledHeldOutSet();
    void importsSplitFoldersAndExplanatory();
    void malformedInput_data();
    void malformedInput();
    void cp1252FallbackAsLisa();
    void exportRoundTripsExactMasks();
    void exportReportsHoles();
    void exportIsByteIdenticalAndStaged();
    void referenceCheckerReadsExportLikeLisa();
};

void TestReasonSegFormat::importsTheBundledHeldOutSet()
{
    ReasonSegFormat format;
    ImportOptions options;
    options.source = QStringLiteral(RS_TEST_DATA_DIR "/../../models/shapes/heldout");
    options.split = QStringLiteral("val");
    RecordCollector collector;
    auto report = DatasetImport::run(format, options, collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples, 240);
    QCOMPARE(qint64(collector.samples.size()), 240);
    const DatasetRecord &first = collector.samples.front();
    QCOMPARE(first.sample.sourceId, QStringLiteral("shapes_0000"));
    QCOMPARE(first.sample.split, QStringLiteral("val"));
    QCOMPARE(first.extras.dataset, QStringLiteral("ReasonSeg"));
    QCOMPARE(first.sample.image.sha256.size(), 64);
    QVERIFY(first.sample.image.size.isValid());
    // Every mask equals LISA's rasterisation of the file's shapes.
    for (const DatasetRecord &record : collector.samples) {
        auto shapes = LabelMeShape::listFromJson(record.extras.extra.value(QStringLiteral("shapes")).toArray());
        QVERIFY(shapes);
        auto labelled = LisaRasterizer::rasterize(*shapes, record.sample.image.size);
        QVERIFY(labelled);
        QCOMPARE(targetUnion(record), labelled->target());
        QCOMPARE(record.extras.noTarget, labelled->target().isEmpty());
    }
    // The box questions' region input (box_input) is kept for inference, as [x1, y1, x2, y2].
    const auto boxed = std::count_if(collector.samples.begin(), collector.samples.end(),
                                     [](const DatasetRecord &record) { return record.extras.regionInput().has_value(); });
    QVERIFY2(boxed >= 30, qPrintable(QString::number(boxed)));
    // Samples arrive in file-name order, as a sorted glob lists them.
    for (std::size_t i = 1; i < collector.samples.size(); ++i)
        QVERIFY(collector.samples[i - 1].sample.sourceId < collector.samples[i].sample.sourceId);
}

void TestReasonSegFormat::importsSplitFoldersAndExplanatory()
{
    QTemporaryDir dir;
    const QString root = dir.path();
    for (const char *split : {"train", "val"}) {
        writeTestJpeg(root + QStringLiteral("/%1/a.jpg").arg(split), 20, 16);
        writeFile(root + QStringLiteral("/%1/a.json").arg(split), sampleJson(R"(["q one", "q two"])", "true", kSquare));
    }
    writeFile(root + QStringLiteral("/val/orphan.json"), sampleJson(R"(["x"])", "false", "[]"));
    writeFile(root + QStringLiteral("/explanatory/train.json"),
              R"([{"image": "a.jpg", "query": "why?", "outputs": "because [SEG]"}])");
    RecordCollector collector;
    ImportOptions options;
    options.source = root;
    auto report = DatasetImport::run(ReasonSegFormat(), options, collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.samples.size(), std::size_t(2));
    QCOMPARE(collector.samples[0].sample.split, QStringLiteral("train"));
    QCOMPARE(collector.samples[1].sample.split, QStringLiteral("val"));
    QCOMPARE(collector.samples[0].sample.queries, QStringList({QStringLiteral("q one"), QStringLiteral("q two")}));
    QCOMPARE(collector.samples[0].extras.extra.value(QStringLiteral("explanatory")).toObject().value(QStringLiteral("outputs")).toString(),
             QStringLiteral("because [SEG]"));
    QVERIFY(!collector.samples[1].extras.extra.contains(QStringLiteral("explanatory")));
    QCOMPARE(targetUnion(collector.samples[0]).area(), qsizetype(11 * 11));
    QVERIFY(report->notes.join(QString()).contains(QStringLiteral("1 .json files without a .jpg")));

    // --split picks one folder; an unknown one names what exists.
    options.split = QStringLiteral("test");
    RecordCollector none;
    auto unknown = DatasetImport::run(ReasonSegFormat(), options, none);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(QStringLiteral("no split 'test' (found: train, val)")), qPrintable(unknown.error()));
}

void TestReasonSegFormat::malformedInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("withJson");
    QTest::addColumn<QString>("expected");

    QTest::newRow("truncated") << QByteArray(R"({"text": ["a"], "is_sen)") << true << QStringLiteral("a.json:1:");
    QTest::newRow("not an object") << QByteArray("[1, 2]") << true << QStringLiteral("must be a JSON object");
    QTest::newRow("text is a string") << sampleJson(R"("a")", "true", kSquare) << true
                                      << QStringLiteral("field 'text' must be a list, not \"a\"");
    QTest::newRow("text empty") << sampleJson("[]", "true", kSquare) << true << QStringLiteral("field 'text' is empty");
    QTest::newRow("text has a number") << sampleJson("[\"a\", 3]", "true", kSquare) << true
                                       << QStringLiteral("must be a list of strings, found 3");
    QTest::newRow("is_sentence missing") << QByteArray(R"({"text": ["a"], "shapes": []})") << true
                                         << QStringLiteral("field 'is_sentence' is missing");
    QTest::newRow("is_sentence a string") << sampleJson(R"(["a"])", "\"yes\"", kSquare) << true
                                          << QStringLiteral("field 'is_sentence' must be true or false, not \"yes\"");
    QTest::newRow("shapes not a list") << sampleJson(R"(["a"])", "true", "{}") << true
                                       << QStringLiteral("field 'shapes' must be a list");
    QTest::newRow("point not a pair") << sampleJson(R"(["a"])", "true", R"([{"label": "t", "points": [[1, 2, 3]]}])") << true
                                      << QStringLiteral("shapes[0].points[0] is not an [x, y] pair of numbers");
    QTest::newRow("point outside image") << sampleJson(R"(["a"])", "true", R"([{"label": "t", "points": [[1, 2], [90, 3], [4, 5]]}])")
                                         << true << QStringLiteral("shape 0 point 1: (90, 3) is outside the 20x16 image");
    QTest::newRow("box_input not four numbers")
        << QByteArray(R"({"text": ["a"], "is_sentence": false, "shapes": [], "box_input": [1, 2, 3]})") << true
        << QStringLiteral("'box_input' must be null or [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2");
    QTest::newRow("box_input inverted")
        << QByteArray(R"({"text": ["a"], "is_sentence": false, "shapes": [], "box_input": [5, 2, 3, 4]})") << true
        << QStringLiteral("a.json: 'box_input' must be null");
    QTest::newRow("missing json") << QByteArray() << false << QStringLiteral("a.json: missing (LISA's loader reads it for a.jpg)");
    QTest::newRow("invalid in utf-8 and cp1252") << QByteArray("{\"text\": [\"a\x81\"], \"is_sentence\": true, \"shapes\": []}")
                                                 << true << QStringLiteral("a.json:1: neither UTF-8 nor cp1252 (byte 0x81)");
}

void TestReasonSegFormat::malformedInput()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, withJson);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    writeTestJpeg(dir.path() + QStringLiteral("/val/a.jpg"), 20, 16);
    if (withJson)
        writeFile(dir.path() + QStringLiteral("/val/a.json"), json);
    RecordCollector collector;
    ImportOptions options;
    options.source = dir.path();
    auto report = DatasetImport::run(ReasonSegFormat(), options, collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
    QVERIFY(collector.samples.empty());
}

void TestReasonSegFormat::cp1252FallbackAsLisa()
{
    QTemporaryDir dir;
    writeTestJpeg(dir.path() + QStringLiteral("/val/a.jpg"), 20, 16);
    // "caf\xe9 \x93quoted\x94" is cp1252 for café “quoted”, invalid as UTF-8.
    writeFile(dir.path() + QStringLiteral("/val/a.json"), sampleJson("[\"caf\xe9 \x93quoted\x94\"]", "false", kSquare));
    RecordCollector collector;
    ImportOptions options;
    options.source = dir.path();
    auto report = DatasetImport::run(ReasonSegFormat(), options, collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.samples.front().sample.query(), QStringLiteral("café “quoted”"));
    QCOMPARE(collector.samples.front().sample.isSentence, false);
}

void TestReasonSegFormat::exportRoundTripsExactMasks()
{
    QTemporaryDir dir;
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/img.jpg"), 40, 30);
    Mask blob(40, 30);
    blob.fillRect(QRect(3, 4, 10, 7), true);
    blob.fillRect(QRect(8, 10, 3, 9), true);  // an L shape: concave
    Mask second(40, 30);
    for (int y = 5; y < 25; ++y)  // a diagonal band
        for (int x = 20; x < 39; ++x)
            if (std::abs((x - 20) - (y - 5)) < 3)
                second.set(x, y, true);
    DatasetRecord record = recordWithMasks(QStringLiteral("scene_1"), QStringLiteral("val"), image, {blob, second});
    record.sample.id = 7;
    record.targetsAnnotated = true;
    Mask ignore(40, 30);
    ignore.fillRect(QRect(30, 0, 6, 4), true);
    RleTarget ignored = RleTarget::fromRle(Rle::encode(ignore), QRectF(ignore.boundingRect()), QStringLiteral("ignore"));
    ignored.ignore = true;
    record.targets.push_back(ignored);

    VectorSource source({record});
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    auto report = DatasetExport::run(ReasonSegFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY2(report->warnings.isEmpty(), qPrintable(report->warnings.join(QLatin1Char('\n'))));
    QVERIFY(report->notes.join(QString()).contains(QStringLiteral("1 samples had several targets")));
    QVERIFY(QFile::exists(options.outDir + QStringLiteral("/val/scene_1.jpg")));
    QVERIFY(QFile::exists(options.outDir + QStringLiteral("/manifest.json")));

    RecordCollector collector;
    ImportOptions importOptions;
    importOptions.source = options.outDir;
    auto imported = DatasetImport::run(ReasonSegFormat(), importOptions, collector);
    QVERIFY2(imported, qPrintable(imported.error()));
    QCOMPARE(collector.samples.size(), std::size_t(1));
    QCOMPARE(targetUnion(collector.samples.front()), blob.united(second));
    QCOMPARE(collector.samples.front().targets.back().ignore, true);
    QCOMPARE(collector.samples.front().targets.back().rle()->decode(), ignore);
}

void TestReasonSegFormat::exportReportsHoles()
{
    QTemporaryDir dir;
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/img.jpg"), 30, 30);
    Mask ring(30, 30);
    ring.fillRect(QRect(5, 5, 20, 20), true);
    ring.fillRect(QRect(10, 10, 10, 10), false);
    DatasetRecord record = recordWithMasks(QStringLiteral("ring"), QStringLiteral("val"), image, {ring});
    record.targetsAnnotated = true;
    VectorSource source({record});
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    auto report = DatasetExport::run(ReasonSegFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->warnings.size(), 1);
    // 300 ring pixels come back as 400: IoU 0.75.
    QVERIFY2(report->warnings.front().contains(QStringLiteral("val/ring: target mask reads back with IoU 0.7500")),
             qPrintable(report->warnings.front()));
    QFile readme(options.outDir + QStringLiteral("/README.md"));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    QVERIFY(readme.readAll().contains("IoU 0.7500"));
}

void TestReasonSegFormat::exportIsByteIdenticalAndStaged()
{
    QTemporaryDir dir;
    ImportOptions importOptions;
    importOptions.source = QStringLiteral(RS_TEST_DATA_DIR "/../../models/shapes/heldout");
    RecordCollector collector;
    QVERIFY(DatasetImport::run(ReasonSegFormat(), importOptions, collector));
    collector.samples.resize(12);

    ExportOptions first;
    first.outDir = dir.path() + QStringLiteral("/first");
    VectorSource a(collector.samples);
    QVERIFY(DatasetExport::run(ReasonSegFormat(), a, first, ExportProvenance()));
    ExportOptions second;
    second.outDir = dir.path() + QStringLiteral("/second");
    VectorSource b(collector.samples);
    QVERIFY(DatasetExport::run(ReasonSegFormat(), b, second, ExportProvenance()));
    const auto left = folderBytes(first.outDir);
    QCOMPARE(left.size(), 12 * 2 + 2);
    QCOMPARE(left, folderBytes(second.outDir));
    // Unedited shapes go back as they came, so the JSON's shapes equal the source's.
    auto json = QJsonDocument::fromJson(left.value(QStringLiteral("heldout/shapes_0000.json")));
    QFile sourceJson(importOptions.source + QStringLiteral("/shapes_0000.json"));
    QVERIFY(sourceJson.open(QIODevice::ReadOnly));
    QCOMPARE(json.object().value(QStringLiteral("shapes")), QJsonDocument::fromJson(sourceJson.readAll()).object().value(QStringLiteral("shapes")));

    // A non-empty target folder is refused and left alone; a failing export leaves nothing behind.
    VectorSource c(collector.samples);
    auto refused = DatasetExport::run(ReasonSegFormat(), c, first, ExportProvenance());
    QVERIFY(!refused);
    QVERIFY(refused.error().contains(QStringLiteral("not empty")));
    DatasetRecord broken = collector.samples.front();
    broken.imageFile = dir.path() + QStringLiteral("/nowhere.jpg");
    VectorSource d({collector.samples[1], broken});
    ExportOptions third;
    third.outDir = dir.path() + QStringLiteral("/third");
    auto failed = DatasetExport::run(ReasonSegFormat(), d, third, ExportProvenance());
    QVERIFY(!failed);
    QVERIFY2(failed.error().contains(QStringLiteral("nowhere.jpg")), qPrintable(failed.error()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList({QStringLiteral("first"), QStringLiteral("second")}));
}

void TestReasonSegFormat::referenceCheckerReadsExportLikeLisa()
{
    QTemporaryDir dir;
    ImportOptions importOptions;
    importOptions.source = QStringLiteral(RS_TEST_DATA_DIR "/../../models/shapes/heldout");
    importOptions.split = QStringLiteral("val");
    RecordCollector collector;
    QVERIFY(DatasetImport::run(ReasonSegFormat(), importOptions, collector));
    collector.samples.resize(30);
    // Half of them as if annotated, so that their polygons are traced from the masks.
    for (std::size_t i = 0; i < collector.samples.size(); i += 2)
        collector.samples[i].targetsAnnotated = true;
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/ReasonSeg");
    VectorSource source(collector.samples);
    auto report = DatasetExport::run(ReasonSegFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));

    // What our C++ reads back from the export: the stored mask wherever no loss was reported.
    RecordCollector readBack;
    ImportOptions again;
    again.source = options.outDir;
    QVERIFY(DatasetImport::run(ReasonSegFormat(), again, readBack));
    QCOMPARE(readBack.samples.size(), collector.samples.size());
    QList<QPair<QString, Mask>> expected;
    int changed = 0;
    for (std::size_t i = 0; i < readBack.samples.size(); ++i) {
        const DatasetRecord &record = readBack.samples[i];
        expected.append({QStringLiteral("val__") + record.sample.sourceId, targetUnion(record)});
        if (targetUnion(record) != targetUnion(collector.samples[i])) {
            ++changed;
            QVERIFY(report->warnings.join(QLatin1Char('\n')).contains(QStringLiteral("val/") + record.sample.sourceId + QLatin1Char(':')));
        }
    }
    QCOMPARE(report->warnings.size(), changed);
    writeMasksForChecker(dir.path() + QStringLiteral("/expected"), expected);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_reasonseg.py"),
                                         {options.outDir, dir.path() + QStringLiteral("/expected")}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("30 samples match")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestReasonSegFormat)
#include "tst_reasonsegformat.moc"
