// Predictions import/export: our JSONL, Seg-Zero/VisionReasoner raw answers and output_*.json,
// malformed lines, a byte-identical round trip, and a python reference checker that decodes the
// exported masks with its own COCO RLE decoder (formats.md §3.2, §3.4, §7).
#include "core/rle.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/formatregistry.h"
#include "plugins/formats/predictionline.h"
#include "plugins/formats/predictionsformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

Mask boxMask(int width, int height, const QRect &rect)
{
    Mask mask(width, height);
    mask.fillRect(rect, true);
    return mask;
}

QByteArray countsOf(const Mask &mask)
{
    return Rle::encode(mask).toString();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

Expected<ImportReport> importFrom(const QString &source, RecordCollector &collector, const QString &split = QString())
{
    ImportOptions options;
    options.source = source;
    options.split = split;
    return DatasetImport::run(PredictionsFormat(), options, collector);
}

ChainToken token(const QString &text, float logProb, float entropy, float margin, int id = -1)
{
    ChainToken t;
    t.text = text;
    t.logProb = logProb;
    t.entropy = entropy;
    t.top2Margin = margin;
    t.id = id;
    return t;
}

// Records with every kind of proposal content, masks before box-only targets.
std::vector<DatasetRecord> sampleRecords()
{
    std::vector<DatasetRecord> records;
    {
        DatasetRecord r;
        r.sample.sourceId = QStringLiteral("img_001");
        r.sample.split = QStringLiteral("val");
        r.extras.dataset = QStringLiteral("ReasonSeg");
        Proposal p;
        p.chain = ReasoningChain::fromTokens({token(QStringLiteral("The"), -0.25f, 1.5f, 0.75f, 17), token(QStringLiteral("cup."), -1.125f, 0.5f, 0.1f, 9),
                                              token(QStringLiteral("Left"), -0.0625f, 0.125f, 0.9f, 3)});
        p.rawResponse = QStringLiteral("<think>The cup. Left</think><answer>[SEG]</answer>");
        Mask a = boxMask(20, 12, QRect(2, 3, 5, 4));
        Mask b(20, 12);
        for (int i = 0; i < 10; ++i)
            b.set(8 + i, 1 + i / 2, true);
        RleTarget first = RleTarget::fromRle(Rle::encode(a), QRectF(a.boundingRect()), QStringLiteral("cup"));
        first.score = 0.875;
        RleTarget second = RleTarget::fromRle(Rle::encode(b), QRectF(1, 2, 30, 40), QString());  // a prompt box, not the bbox
        second.points = {QPointF(10, 4), QPointF(12.5, 6)};
        second.description = QStringLiteral("the thin line");
        p.targets = {first, second};
        p.timings.preprocessMs = 12.5;
        p.timings.decodeMs = 340.25;
        p.timings.tokensPerSecond = 41.0;
        r.proposal = p;
        records.push_back(r);
    }
    {
        DatasetRecord r;  // a text chain with custom steps, a box-only target, reported I/U
        r.sample.sourceId = QStringLiteral("img_002");
        r.sample.split = QStringLiteral("val");
        Proposal p;
        p.chain = ReasoningChain::fromText(QStringLiteral("First look left.\nThen   find the red mug! Done"));
        p.chain.setSteps({{0, 5}, {5, 7}});
        RleTarget boxOnly;
        boxOnly.box = QRectF(50, 60, -10, 20);  // inverted as the model wrote it
        boxOnly.points = {QPointF(45, 70), QPointF(47, 72)};
        RleTarget bare;
        bare.box = QRectF(1, 2, 3, 4);
        p.targets = {boxOnly, bare};
        p.reportedOverlap = OverlapCounts{120, 480};
        p.reportedBoxHit = true;
        r.proposal = p;
        records.push_back(r);
    }
    {
        DatasetRecord r;  // a parse failure: nothing but the raw text
        r.sample.sourceId = QStringLiteral("42");
        Proposal p;
        p.rawResponse = QStringLiteral("I cannot find it.");
        p.parseFailed = true;
        r.proposal = p;
        records.push_back(r);
    }
    {
        DatasetRecord r;  // no proposal: left out of the export
        r.sample.sourceId = QStringLiteral("img_004");
        records.push_back(r);
    }
    return records;
}

} // namespace

class TestPredictionsFormat : public QObject
{
    Q_OBJECT

private slots:
    void isRegistered();
    void importsOurJsonl();
    void importsRawAnswers();
    void importsEvalOutputFolder();
    void splitFilterSkipsAndReports();
    void malformedInput_data();
    void malformedInput();
    void exportRoundTripIsByteIdentical();
    void referenceCheckerDecodesMasks();
};

void TestPredictionsFormat::isRegistered()
{
    const QStringList names = FormatRegistry::builtin().names();
    QVERIFY(names.contains(QStringLiteral("predictions")));
    QVERIFY(names.contains(QStringLiteral("labelme")));
    QVERIFY(names.indexOf(QStringLiteral("labelme")) < names.indexOf(QStringLiteral("predictions")));
}

void TestPredictionsFormat::importsOurJsonl()
{
    QTemporaryDir dir;
    const Mask mask = boxMask(6, 4, QRect(1, 1, 3, 2));
    QByteArray jsonl;
    jsonl += R"({"source_id": "a", "split": "val", "dataset": "ReasonSeg", "tokens": [{"text": "The", "logprob": -0.5, "entropy": 1.25, "top2_margin": 0.5, "id": 7}, {"text": "cup."}], "chain": "The cup.", "raw_response": "<think>The cup.</think>", "masks": [{"size": [4, 6], "counts": ")"
             + countsOf(mask) + R"(", "score": 0.9, "label": "cup"}], "timings": {"decode_ms": 12.5, "mask_ms": 3}})" "\n";
    jsonl += "\n";  // blank lines are allowed
    jsonl += R"({"source_id": 17, "chain": "Two  words", "boxes": [[1, 2, 11, 22], {"box": [0, 0, 4, 4], "points": [[1, 1], [2, 3]], "score": 0.5}], "intersection": 3, "union": 9, "bbox_iou": 0, "model": "x"})" "\n";
    writeFile(dir.path() + QStringLiteral("/run.jsonl"), jsonl);

    RecordCollector collector;
    auto report = importFrom(dir.path() + QStringLiteral("/run.jsonl"), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->predictions, 2);
    QVERIFY(collector.samples.empty());
    QCOMPARE(collector.predictions.size(), std::size_t(2));

    const DatasetRecord &first = collector.predictions[0];
    QCOMPARE(first.sample.sourceId, QStringLiteral("a"));
    QCOMPARE(first.sample.split, QStringLiteral("val"));
    QCOMPARE(first.extras.dataset, QStringLiteral("ReasonSeg"));
    QVERIFY(first.proposal);
    const Proposal &p = *first.proposal;
    QCOMPARE(p.chain.text(), QStringLiteral("The cup."));
    QCOMPARE(p.chain.tokenCount(), 2);
    QCOMPARE(p.chain.tokens()[0].id, 7);
    QCOMPARE(p.chain.tokens()[0].entropy, 1.25f);
    QCOMPARE(p.chain.tokens()[1].top2Margin, 1.0f);  // default: no statistics
    QCOMPARE(p.rawResponse, QStringLiteral("<think>The cup.</think>"));
    QCOMPARE(p.targets.size(), std::size_t(1));
    QVERIFY(p.targets[0].hasMask());
    QCOMPARE(p.targets[0].rle()->decode(), mask);
    QCOMPARE(p.targets[0].box, QRectF(1, 1, 3, 2));  // the RLE's bbox when no box is given
    QCOMPARE(p.targets[0].score, 0.9);
    QCOMPARE(p.targets[0].label, QStringLiteral("cup"));
    QCOMPARE(p.timings.decodeMs, 12.5);
    QCOMPARE(p.timings.maskMs, 3.0);
    QVERIFY(!p.reportedOverlap);

    const Proposal &q = *collector.predictions[1].proposal;
    QCOMPARE(collector.predictions[1].sample.sourceId, QStringLiteral("17"));
    QCOMPARE(q.chain.text(), QStringLiteral("Two  words"));  // text kept as given
    QCOMPARE(q.targets.size(), std::size_t(2));
    QVERIFY(!q.targets[0].hasMask());
    QCOMPARE(q.targets[0].box, QRectF(1, 2, 10, 20));
    QCOMPARE(q.targets[1].points, QList<QPointF>({QPointF(1, 1), QPointF(2, 3)}));
    QCOMPARE(q.targets[1].score, 0.5);
    QVERIFY(q.targets[1].rle()->decode().isNull());  // box-only: decodes to a null mask
    QCOMPARE(q.reportedOverlap, std::optional(OverlapCounts{3, 9}));
    QCOMPARE(q.reportedBoxHit, std::optional(false));
    QVERIFY2(report->notes.join(QLatin1Char('|')).contains(QStringLiteral("fields not read: model")), qPrintable(report->notes.join(QLatin1Char('|'))));
    QVERIFY(report->notes.join(QLatin1Char('|')).contains(QStringLiteral("1 outputs have boxes and points but no masks")));
}

void TestPredictionsFormat::importsRawAnswers()
{
    QTemporaryDir dir;
    QByteArray jsonl;
    jsonl += R"({"image_id": "scene", "ann_id": "scene_q1", "img_width": 1000, "img_height": 750, "response": "<think>The mug is on the left.</think><answer>{'bbox': [420, 420, 839, 839], 'points_1': [101, 333], 'points_2': [500, 600]}</answer>"})" "\n";
    jsonl += R"({"source_id": "street", "split": "test", "img_width": 840, "img_height": 840, "response": "<think>Two cars.</think><answer>[{\"bbox_2d\": [10, 20, 30, 40], \"point_2d\": [15, 25]}, {\"bbox_2d\": [50, 60, 70, 80], \"point_2d\": [55, 65]}]</answer>", "timings": {"decode_ms": 900}})" "\n";
    jsonl += R"({"image_id": 7, "img_width": 640, "img_height": 480, "response": "I think it is the cat."})" "\n";
    jsonl += R"({"image_id": 8, "img_width": 640, "img_height": 480, "answer_format": "vision-reasoner", "response": "<answer>[]</answer>"})" "\n";
    writeFile(dir.path() + QStringLiteral("/answers.jsonl"), jsonl);
    RecordCollector collector;
    auto report = importFrom(dir.path() + QStringLiteral("/answers.jsonl"), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.predictions.size(), std::size_t(4));

    // Seg-Zero, single-quoted: read, rescaled by round(int(v) * W/840), noted.
    const DatasetRecord &segZero = collector.predictions[0];
    QCOMPARE(segZero.sample.sourceId, QStringLiteral("scene_q1"));  // ann_id before image_id
    const Proposal &a = *segZero.proposal;
    QVERIFY(!a.parseFailed);
    QCOMPARE(a.chain.text(), QStringLiteral("The mug is on the left."));
    QVERIFY(a.rawResponse.startsWith(QStringLiteral("<think>The mug")));
    QCOMPARE(a.targets.size(), std::size_t(1));
    QVERIFY(!a.targets[0].hasMask());
    QCOMPARE(a.targets[0].box, QRectF(500, 375, 499, 374));  // [500, 375, 999, 749]
    QCOMPARE(a.targets[0].points, QList<QPointF>({QPointF(120, 297), QPointF(595, 536)}));

    // VisionReasoner: one box-only target per object.
    const Proposal &b = *collector.predictions[1].proposal;
    QCOMPARE(collector.predictions[1].sample.split, QStringLiteral("test"));
    QCOMPARE(b.targets.size(), std::size_t(2));
    QCOMPARE(b.targets[1].box, QRectF(50, 60, 20, 20));
    QCOMPARE(b.targets[1].points, QList<QPointF>({QPointF(55, 65)}));
    QCOMPARE(b.timings.decodeMs, 900.0);

    // Unparsable: kept, flagged, no target.
    const Proposal &c = *collector.predictions[2].proposal;
    QCOMPARE(collector.predictions[2].sample.sourceId, QStringLiteral("7"));
    QVERIFY(c.parseFailed);
    QVERIFY(c.targets.empty());
    QCOMPARE(c.rawResponse, QStringLiteral("I think it is the cat."));
    // An empty VisionReasoner list is a valid answer with nothing in it.
    QVERIFY(!collector.predictions[3].proposal->parseFailed);
    QVERIFY(collector.predictions[3].proposal->targets.empty());

    const QString notes = report->notes.join(QLatin1Char('|'));
    QVERIFY2(notes.contains(QStringLiteral("4 raw model answers were parsed")), qPrintable(notes));
    QVERIFY(notes.contains(QStringLiteral("1 Seg-Zero answers were read as Python literals")));
    QVERIFY(notes.contains(QStringLiteral("1 outputs could not be parsed")));
    QVERIFY(notes.contains(QStringLiteral("2 outputs have boxes and points but no masks")));
}

void TestPredictionsFormat::importsEvalOutputFolder()
{
    QTemporaryDir dir;
    writeFile(dir.path() + QStringLiteral("/output_1.json"),
              R"([{"image_id": "b", "ann_id": "b", "think": "second part", "intersection": 0, "union": 50, "bbox_iou": 0.0}])");
    writeFile(dir.path() + QStringLiteral("/output_0.json"),
              R"([{"image_id": "a", "ann_id": "a", "think": "it is the dog", "intersection": 30, "union": 40},
                  {"image_id": 5, "ann_id": 6, "think": "", "intersection": 0, "union": 0, "bbox_iou": 1.0}])");
    writeFile(dir.path() + QStringLiteral("/notes.txt"), "not read");
    RecordCollector collector;
    auto report = importFrom(dir.path(), collector, QStringLiteral("test"));
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.predictions.size(), std::size_t(3));
    // output_0 before output_1, as calculate_iou.py's sorted glob.
    QCOMPARE(collector.predictions[0].sample.sourceId, QStringLiteral("a"));
    QCOMPARE(collector.predictions[0].sample.split, QStringLiteral("test"));
    QCOMPARE(collector.predictions[0].proposal->chain.text(), QStringLiteral("it is the dog"));
    QCOMPARE(collector.predictions[0].proposal->reportedOverlap, std::optional(OverlapCounts{30, 40}));
    QVERIFY(!collector.predictions[0].proposal->reportedBoxHit);
    QCOMPARE(collector.predictions[1].sample.sourceId, QStringLiteral("6"));
    QCOMPARE(collector.predictions[1].proposal->reportedBoxHit, std::optional(true));
    QCOMPARE(collector.predictions[2].sample.sourceId, QStringLiteral("b"));
    QVERIFY(collector.predictions[2].proposal->targets.empty());
    QVERIFY(report->notes.join(QLatin1Char('|')).contains(QStringLiteral("3 outputs carry I and U")));

    // The same sample in two parts is an error naming both places.
    writeFile(dir.path() + QStringLiteral("/output_2.json"), R"([{"image_id": "a", "ann_id": "a", "think": "", "intersection": 1, "union": 2}])");
    RecordCollector again;
    auto duplicate = importFrom(dir.path(), again, QStringLiteral("test"));
    QVERIFY(!duplicate);
    QVERIFY2(duplicate.error().contains(QStringLiteral("output_2.json record 0: a second output for sample 'a' of split 'test' (the first is at ")),
             qPrintable(duplicate.error()));
    QVERIFY(duplicate.error().contains(QStringLiteral("output_0.json record 0")));
}

void TestPredictionsFormat::splitFilterSkipsAndReports()
{
    QTemporaryDir dir;
    writeFile(dir.path() + QStringLiteral("/p.jsonl"), R"({"source_id": "a", "split": "val", "chain": "x"}
{"source_id": "a", "split": "test", "chain": "y"}
{"source_id": "b", "chain": "z"}
)");
    RecordCollector collector;
    auto report = importFrom(dir.path() + QStringLiteral("/p.jsonl"), collector, QStringLiteral("test"));
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.predictions.size(), std::size_t(2));
    QCOMPARE(collector.predictions[0].proposal->chain.text(), QStringLiteral("y"));
    QCOMPARE(collector.predictions[1].sample.split, QStringLiteral("test"));  // no split: --split's
    QCOMPARE(report->rejected, QStringList({QStringLiteral("1 outputs of splits other than 'test' were skipped")}));
}

void TestPredictionsFormat::malformedInput_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");

    const Mask mask = boxMask(4, 4, QRect(0, 0, 2, 2));
    const QByteArray counts = countsOf(mask);
    const QByteArray good = R"({"source_id": "a", "chain": "ok"})" "\n";
    const QString jsonl = QStringLiteral("p.jsonl");

    QTest::newRow("invalid JSON on line 2") << jsonl << good + R"({"source_id": "b", "chain": )" "\n" << QStringLiteral("p.jsonl:2:");
    QTest::newRow("truncated line reports the parser") << jsonl << QByteArray(R"({"source_id": "b")") << QStringLiteral("p.jsonl:1:18: invalid JSON");
    QTest::newRow("line is a list") << jsonl << QByteArray("[1, 2]\n") << QStringLiteral("p.jsonl:1: a line must be a JSON object");
    QTest::newRow("missing source id") << jsonl << QByteArray(R"({"chain": "x"})") << QStringLiteral("p.jsonl:1: no sample id: field 'source_id' is missing");
    QTest::newRow("source id wrong type") << jsonl << QByteArray(R"({"source_id": 1.5})")
                                          << QStringLiteral("field 'source_id' must be a non-empty string or an integer, not 1.5");
    QTest::newRow("empty source id") << jsonl << QByteArray(R"({"source_id": ""})") << QStringLiteral("field 'source_id' must be a non-empty string");
    QTest::newRow("duplicate source id") << jsonl << good + good << QStringLiteral("p.jsonl:2: a second output for sample 'a' (the first is at ");
    QTest::newRow("RLE size mismatch") << jsonl << QByteArray(R"({"source_id": "a", "masks": [{"size": [5, 4], "counts": ")" + counts + "\"}]}")
                                       << QStringLiteral("p.jsonl:1: masks[0]: field 'counts' (size [5, 4]): RLE counts sum to 16 but h * w = 20");
    QTest::newRow("bad counts character") << jsonl << QByteArray(R"({"source_id": "a", "masks": [{"size": [4, 4], "counts": "0 p"}]})")
                                          << QStringLiteral("masks[0]: field 'counts' (size [4, 4]): RLE string has an invalid character");
    QTest::newRow("uncompressed counts") << jsonl << QByteArray(R"({"source_id": "a", "masks": [{"size": [4, 4], "counts": [16]}]})")
                                         << QStringLiteral("masks[0]: field 'counts' must be a compressed RLE string");
    QTest::newRow("size not a pair") << jsonl << QByteArray(R"({"source_id": "a", "masks": [{"size": [4], "counts": "0"}]})")
                                     << QStringLiteral("masks[0]: field 'size' must be [height, width] of positive integers, not [4]");
    QTest::newRow("masks of two sizes") << jsonl
                                        << QByteArray(R"({"source_id": "a", "masks": [{"size": [4, 4], "counts": ")" + counts
                                                      + R"("}, {"size": [2, 8], "counts": ")" + counts + "\"}]}")
                                        << QStringLiteral("p.jsonl:1: masks[1].size [2, 8] differs from masks[0].size [4, 4]");
    QTest::newRow("mask not an object") << jsonl << QByteArray(R"({"source_id": "a", "masks": ["x"]})")
                                        << QStringLiteral("masks[0] must be an object {size, counts, ...}, not \"x\"");
    QTest::newRow("token without text") << jsonl << QByteArray(R"({"source_id": "a", "tokens": [{"text": "a"}, {"logprob": -1}]})")
                                        << QStringLiteral("p.jsonl:1: tokens[1]: field 'text' is missing");
    QTest::newRow("top2 margin outside [0, 1]") << jsonl << QByteArray(R"({"source_id": "a", "tokens": [{"text": "a", "top2_margin": 1.5}]})")
                                                << QStringLiteral("tokens[0]: field 'top2_margin' = 1.5 is not p1 - p2 in [0, 1]");
    QTest::newRow("chain differs from tokens") << jsonl << QByteArray(R"({"source_id": "a", "chain": "a  b", "tokens": [{"text": "a"}, {"text": "b"}]})")
                                               << QStringLiteral("field 'chain' is not the tokens' text joined by single spaces");
    QTest::newRow("steps out of range") << jsonl << QByteArray(R"({"source_id": "a", "chain": "a b", "steps": [[0, 3]]})")
                                        << QStringLiteral("field 'steps' is not a split of the chain's 2 tokens");
    QTest::newRow("box of three numbers") << jsonl << QByteArray(R"({"source_id": "a", "boxes": [[1, 2, 3]]})")
                                          << QStringLiteral("boxes[0] must be [x1, y1, x2, y2], not [1,2,3]");
    QTest::newRow("box value a string") << jsonl << QByteArray(R"({"source_id": "a", "boxes": [[1, "2", 3, 4]]})")
                                        << QStringLiteral("boxes[0][1] must be a number, not \"2\"");
    QTest::newRow("point not a pair") << jsonl << QByteArray(R"({"source_id": "a", "boxes": [{"box": [1, 2, 3, 4], "points": [[1]]}]})")
                                      << QStringLiteral("boxes[0].points[0] must be an [x, y] pair, not [1]");
    QTest::newRow("negative timing") << jsonl << QByteArray(R"({"source_id": "a", "timings": {"decode_ms": -1}})")
                                     << QStringLiteral("p.jsonl:1: timings: field 'decode_ms' = -1 is negative");
    QTest::newRow("unknown timing") << jsonl << QByteArray(R"({"source_id": "a", "timings": {"decode": 1}})")
                                    << QStringLiteral("timings: unknown field 'decode'");
    QTest::newRow("intersection above union") << jsonl << QByteArray(R"({"source_id": "a", "intersection": 5, "union": 4})")
                                              << QStringLiteral("intersection 5 and union 4 are not 0 <= I <= U");
    QTest::newRow("union without intersection") << jsonl << QByteArray(R"({"source_id": "a", "union": 4})")
                                                << QStringLiteral("field 'intersection' is missing");
    QTest::newRow("bbox_iou not 0 or 1") << jsonl << QByteArray(R"({"source_id": "a", "bbox_iou": 0.5})")
                                         << QStringLiteral("field 'bbox_iou' must be 0 or 1");
    QTest::newRow("answer without image size") << jsonl << QByteArray(R"({"image_id": "a", "img_height": 10, "response": "x"})")
                                               << QStringLiteral("p.jsonl:1: field 'img_width' is missing");
    QTest::newRow("answer without id") << jsonl << QByteArray(R"({"img_width": 10, "img_height": 10, "response": "x"})")
                                       << QStringLiteral("field 'source_id' / 'ann_id' / 'image_id' is missing");
    QTest::newRow("answer with masks") << jsonl << QByteArray(R"({"image_id": "a", "img_width": 10, "img_height": 10, "response": "x", "masks": []})")
                                       << QStringLiteral("field 'masks' cannot go with 'response'");
    QTest::newRow("answer format unknown, multi-line value")
        << jsonl << QByteArray(R"({"image_id": "a", "img_width": 10, "img_height": 10, "response": "x", "answer_format": "li\nsa"})")
        << QStringLiteral("field 'answer_format' must be \"seg-zero\" or \"vision-reasoner\", not \"li sa\"");
    QTest::newRow("answer image size zero") << jsonl << QByteArray(R"({"image_id": "a", "img_width": 0, "img_height": 10, "response": "x"})")
                                            << QStringLiteral("img_width x img_height = 0 x 10 is not an image size");
    QTest::newRow("eval record not an object") << QStringLiteral("output_0.json") << QByteArray("[3]")
                                               << QStringLiteral("output_0.json record 0: must be an object");
    QTest::newRow("eval record without union") << QStringLiteral("output_0.json")
                                               << QByteArray(R"([{"image_id": "a", "ann_id": "a", "think": "", "intersection": 1, "union": 1}, {"image_id": "b", "intersection": 1}])")
                                               << QStringLiteral("output_0.json record 1: field 'union' is missing");
    QTest::newRow("eval record negative intersection") << QStringLiteral("output_0.json")
                                                       << QByteArray(R"([{"image_id": "a", "intersection": -1, "union": 1}])")
                                                       << QStringLiteral("intersection -1 and union 1 are not 0 <= I <= U");
    QTest::newRow("eval file not a list") << QStringLiteral("output_0.json") << QByteArray(R"({"a": 1})") << QStringLiteral("output_0.json:1:1: the file must hold a JSON list");
    QTest::newRow("unknown extension") << QStringLiteral("p.txt") << good << QStringLiteral("a predictions file is .jsonl");
}

void TestPredictionsFormat::malformedInput()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    writeFile(dir.path() + QLatin1Char('/') + fileName, content);
    RecordCollector collector;
    auto report = importFrom(dir.path() + QLatin1Char('/') + fileName, collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
}

void TestPredictionsFormat::exportRoundTripIsByteIdentical()
{
    QTemporaryDir dir;
    const std::vector<DatasetRecord> records = sampleRecords();
    VectorSource source(records);
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/first");
    auto report = DatasetExport::run(PredictionsFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples, 3);
    QCOMPARE(report->files, QStringList({QStringLiteral("predictions.jsonl")}));
    QVERIFY(report->notes.join(QLatin1Char('|')).contains(QStringLiteral("1 samples have no model output and were left out")));
    const QByteArray first = fileBytes(options.outDir + QStringLiteral("/predictions.jsonl"));
    QCOMPARE(first.count('\n'), 3);

    // Import gives back the same proposals, keys included.
    RecordCollector collector;
    auto imported = importFrom(options.outDir + QStringLiteral("/predictions.jsonl"), collector);
    QVERIFY2(imported, qPrintable(imported.error()));
    QCOMPARE(collector.predictions.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(collector.predictions[i].sample.sourceId, records[i].sample.sourceId);
        QCOMPARE(collector.predictions[i].sample.split, records[i].sample.split);
        QCOMPARE(collector.predictions[i].extras.dataset, records[i].extras.dataset);
        const Proposal &back = *collector.predictions[i].proposal;
        const Proposal &original = *records[i].proposal;
        QCOMPARE(back.chain.text(), original.chain.text());
        QCOMPARE(back.chain.tokens(), original.chain.tokens());
        QCOMPARE(back.chain.steps(), original.chain.steps());
        QCOMPARE(back.targets, original.targets);
        QCOMPARE(back.timings, original.timings);
        QVERIFY(back == original);
    }

    // Exporting what came back gives the same bytes.
    VectorSource again(collector.predictions);
    ExportOptions second;
    second.outDir = dir.path() + QStringLiteral("/second");
    QVERIFY(DatasetExport::run(PredictionsFormat(), again, second, ExportProvenance()));
    QCOMPARE(fileBytes(second.outDir + QStringLiteral("/predictions.jsonl")), first);

    // A chain whose text is not its tokens joined cannot be written without losing one of them.
    DatasetRecord bad;
    bad.sample.sourceId = QStringLiteral("x");
    bad.proposal = Proposal();
    QVERIFY(PredictionLine::toJson(bad));
    bad.sample.sourceId.clear();
    QVERIFY(!PredictionLine::toJson(bad));
}

void TestPredictionsFormat::referenceCheckerDecodesMasks()
{
    QTemporaryDir dir;
    std::vector<DatasetRecord> records;
    QList<QPair<QString, Mask>> expected;
    for (int s = 0; s < 12; ++s) {
        const int width = 17 + s * 3;
        const int height = 11 + s * 2;
        DatasetRecord record;
        record.sample.sourceId = QStringLiteral("s%1").arg(s);
        Proposal proposal;
        proposal.chain = ReasoningChain::fromText(QStringLiteral("sample %1").arg(s));
        for (int t = 0; t < 1 + s % 3; ++t) {
            Mask mask(width, height);
            // Blobs, stripes, full columns, an empty mask and a full one: runs of every length.
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    mask.set(x, y, s == 5 ? false : s == 7 ? true : ((x * (t + 2) + y * (s + 1)) % (7 + t)) < 3 + (x > width / 2));
            proposal.targets.push_back(RleTarget::fromRle(Rle::encode(mask), QRectF(mask.boundingRect()), QStringLiteral("t%1").arg(t)));
            expected.append({QStringLiteral("s%1__%2").arg(s).arg(t), mask});
        }
        RleTarget boxOnly;
        boxOnly.box = QRectF(1, 1, 2, 2);
        proposal.targets.push_back(boxOnly);
        record.proposal = proposal;
        records.push_back(record);
    }
    VectorSource source(records);
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    QVERIFY(DatasetExport::run(PredictionsFormat(), source, options, ExportProvenance()));
    writeMasksForChecker(dir.path() + QStringLiteral("/expected"), expected);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_predictions.py"),
                                         {QStringLiteral("masks"), options.outDir + QStringLiteral("/predictions.jsonl"),
                                          dir.path() + QStringLiteral("/expected")},
                                         &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("%1 samples match").arg(expected.size())), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestPredictionsFormat)
#include "tst_predictionsformat.moc"
