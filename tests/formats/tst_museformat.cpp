// MUSE import/export: PixelLM's file layout and image lookup, frPyObjects-exact masks, the {seg} rule,
// malformed inputs, regrouping on export, and the python reference checker that reads our export the
// way PixelLM's loaders do.
#include "core/rle.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/museformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

const QString kImages = QStringLiteral("/refer_seg/images/mscoco/images");
const QString kTrain2014 = QStringLiteral("COCO_train2014_000000000001.jpg");

QJsonObject instance(const QJsonValue &segmentation, const QJsonArray &bbox, int categoryId, const QString &name,
                     const QString &rephrased)
{
    return QJsonObject{{QStringLiteral("segmentation"), segmentation},
                       {QStringLiteral("bbox"), bbox},
                       {QStringLiteral("category_id"), categoryId},
                       {QStringLiteral("category_name"), name},
                       {QStringLiteral("rephrased_name"), rephrased}};
}

Mask stripe(int width, int height)
{
    Mask mask(width, height);
    mask.fillRect(QRect(3, 18, 30, 4), true);
    mask.fillRect(QRect(5, 14, 2, 3), true);
    return mask;
}

Mask blob(int width, int height)
{
    Mask mask(width, height);
    mask.fillRect(QRect(4, 2, 6, 9), true);
    mask.set(0, 0, true);  // a first run of length 0 in the column-major counts
    return mask;
}

struct Fixture
{
    QString root;
    QJsonObject instA, instB, instC, instD;
    QJsonObject valRecord0, valRecord1;
};

// muse_val.json: record 0 (id 1, file_name, polygons + uncompressed RLE, one text answer with a
// wrong {seg} count), record 1 (coco_url train2017, compressed RLE, no text_answers), record 2
// (empty ann_list). muse_train.json: record 0 (id 1, one text answer with a wrong count), record 1
// (no questions).
Fixture makeFixture(const QString &root)
{
    Fixture f;
    f.root = root;
    const QString images = root + kImages;
    writeTestJpeg(images + QStringLiteral("/train2014/") + kTrain2014, 40, 30, 1);
    writeTestJpeg(images + QStringLiteral("/train2017/000000000002.jpg"), 40, 30, 2);
    writeTestJpeg(images + QStringLiteral("/val2017/000000000003.jpg"), 20, 16, 3);

    f.instA = instance(QJsonArray{QJsonArray{2, 2, 2, 12, 12, 12, 12, 2}}, {2, 2, 10, 10}, 10, QStringLiteral("bowl"),
                       QStringLiteral("the white bowl"));
    f.instB = instance(QJsonArray{QJsonArray{20, 5, 20, 15, 30, 15, 30, 5}, QJsonArray{25, 10, 25, 20, 35, 20, 35, 10}},
                       {20, 5, 15, 15}, 11, QStringLiteral("plate"), QStringLiteral("the {round} plate"));
    const Rle stripeRle = Rle::encode(stripe(40, 30));
    f.instC = instance(CocoSegmentation::uncompressed(stripeRle), CocoSegmentation::boxJson(stripeRle.bbox()), 12,
                       QStringLiteral("chair"), QStringLiteral("the wooden chair"));
    const Rle blobRle = Rle::encode(blob(40, 30));
    f.instD = instance(CocoSegmentation::compressed(blobRle), CocoSegmentation::boxJson(blobRle.bbox()), 13,
                       QStringLiteral("cat"), QStringLiteral("the sleeping cat"));

    f.valRecord0 = QJsonObject{
        {QStringLiteral("id"), 1},
        {QStringLiteral("license"), 3},
        {QStringLiteral("file_name"), kTrain2014},
        {QStringLiteral("height"), 30},
        {QStringLiteral("width"), 40},
        {QStringLiteral("ann_list"), QJsonArray{f.instA, f.instB, f.instC}},
        {QStringLiteral("questions"), QJsonArray{QStringLiteral("Which objects hold food?"), QStringLiteral("What can be sat on?")}},
        {QStringLiteral("answers"), QJsonArray{QJsonArray{f.instA, f.instB}, QJsonArray{f.instC}}},
        {QStringLiteral("text_answers"),
         QJsonArray{QStringLiteral("The bowl {seg} and the plate {seg}."), QStringLiteral("The chair {seg} and the bench {seg}.")}}};
    f.valRecord1 = QJsonObject{
        {QStringLiteral("coco_url"), QStringLiteral("http://images.cocodataset.org/train2017/000000000002.jpg")},
        {QStringLiteral("height"), 30},
        {QStringLiteral("width"), 40},
        {QStringLiteral("ann_list"), QJsonArray{f.instD}},
        {QStringLiteral("questions"), QJsonArray{QStringLiteral("Where is the cat?")}},
        {QStringLiteral("answers"), QJsonArray{QJsonArray{f.instD}}}};
    const QJsonObject valRecord2{{QStringLiteral("id"), 3},
                                 {QStringLiteral("coco_url"), QStringLiteral("http://images.cocodataset.org/val2017/000000000003.jpg")},
                                 {QStringLiteral("height"), 16},
                                 {QStringLiteral("width"), 20},
                                 {QStringLiteral("ann_list"), QJsonArray()},
                                 {QStringLiteral("questions"), QJsonArray{QStringLiteral("Anything?")}},
                                 {QStringLiteral("answers"), QJsonArray{QJsonArray()}}};
    writeFile(root + QStringLiteral("/muse_val.json"), QJsonDocument(QJsonArray{f.valRecord0, f.valRecord1, valRecord2}).toJson());

    const QJsonObject trainRecord0{{QStringLiteral("id"), 1},
                                   {QStringLiteral("file_name"), kTrain2014},
                                   {QStringLiteral("height"), 30},
                                   {QStringLiteral("width"), 40},
                                   {QStringLiteral("ann_list"), QJsonArray{f.instA, f.instB}},
                                   {QStringLiteral("questions"), QJsonArray{QStringLiteral("q zero"), QStringLiteral("q one")}},
                                   {QStringLiteral("answers"), QJsonArray{QJsonArray{f.instA}, QJsonArray{f.instA, f.instB}}},
                                   {QStringLiteral("text_answers"), QJsonArray{QStringLiteral("A bowl {seg}."), QStringLiteral("Only {seg}.")}}};
    const QJsonObject trainRecord1{{QStringLiteral("id"), 7},
                                   {QStringLiteral("file_name"), kTrain2014},
                                   {QStringLiteral("height"), 30},
                                   {QStringLiteral("width"), 40},
                                   {QStringLiteral("ann_list"), QJsonArray{f.instA}}};
    writeFile(root + QStringLiteral("/muse_train.json"), QJsonDocument(QJsonArray{trainRecord0, trainRecord1}).toJson());
    return f;
}

Mask decoded(const RleTarget &target)
{
    auto rle = target.rle();
    return rle ? rle->decode() : Mask();
}

Expected<ImportReport> importInto(RecordCollector &collector, const QString &source, const QString &split = QString(),
                                  const QString &imageDir = QString())
{
    ImportOptions options;
    options.source = source;
    options.split = split;
    options.imageDir = imageDir;
    return DatasetImport::run(MuseFormat(), options, collector);
}

QJsonArray readList(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QJsonArray();
    return QJsonDocument::fromJson(file.readAll()).array();
}

} // namespace

class TestMuseFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsFolderAsTheLoadersRead();
    void splitsAndImageRoots();
    void segRuleHelpers_data();
    void segRuleHelpers();
    void malformedInput_data();
    void malformedInput();
    void exportWritesUneditedRecordsBack();
    void exportEditedTargetsAndTextAnswers();
    void exportOfOtherDatasetsAndDeterminism();
    void referenceCheckerReadsExportLikePixelLM();
};

void TestMuseFormat::importsFolderAsTheLoadersRead()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path());
    RecordCollector collector;
    auto report = importInto(collector, dir.path());
    QVERIFY2(report, qPrintable(report.error()));

    // train first (PixelLM's split order), one sample per kept question, in file order.
    QStringList ids;
    for (const DatasetRecord &record : collector.samples)
        ids << record.sample.sourceId;
    QCOMPARE(ids, QStringList({QStringLiteral("muse_train:1:0"), QStringLiteral("muse_val:1:0"), QStringLiteral("muse_val:1:1"),
                               QStringLiteral("muse_val:#1:0")}));
    QCOMPARE(report->samples, 4);
    QCOMPARE(report->targets, 1 + 2 + 1 + 1);
    QCOMPARE(collector.samples[0].sample.split, QStringLiteral("train"));
    QCOMPARE(collector.samples[3].sample.split, QStringLiteral("val"));

    // What the loaders skip is reported, each naming file, record and reason.
    const QString rejected = report->rejected.join(QLatin1Char('\n'));
    QCOMPARE(report->rejected.size(), 3);
    QVERIFY2(rejected.contains(QStringLiteral("muse_train.json record 0 question 1: text answer has 1 '{seg}' for 2 targets")), qPrintable(rejected));
    QVERIFY2(rejected.contains(QStringLiteral("muse_train.json record 1: no questions")), qPrintable(rejected));
    QVERIFY2(rejected.contains(QStringLiteral("muse_val.json record 2: empty ann_list")), qPrintable(rejected));
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("1 val/test questions have a text answer")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 segmentations are compressed RLE strings")), qPrintable(notes));

    // Images where the loader looks for them.
    const QString images = QDir::cleanPath(dir.path() + kImages);
    QCOMPARE(collector.samples[1].imageFile, images + QStringLiteral("/train2014/") + kTrain2014);
    QCOMPARE(collector.samples[3].imageFile, images + QStringLiteral("/train2017/000000000002.jpg"));
    QCOMPARE(collector.samples[1].sample.image.size, QSize(40, 30));
    QCOMPARE(collector.samples[1].sample.image.sha256.size(), 64);

    // Targets in answers[k] order, named by category_name, described by rephrased_name.
    const DatasetRecord &val0 = collector.samples[1];
    QCOMPARE(val0.sample.queries, QStringList({QStringLiteral("Which objects hold food?")}));
    QVERIFY(val0.sample.isSentence);
    QCOMPARE(val0.extras.dataset, QStringLiteral("MUSE"));
    QCOMPARE(val0.targets.size(), std::size_t(2));
    QCOMPARE(val0.targets[0].label, QStringLiteral("bowl"));
    QCOMPARE(val0.targets[0].description, QStringLiteral("the white bowl"));
    QCOMPARE(val0.targets[0].box, QRectF(2, 2, 10, 10));
    // frPyObjects on an integer rectangle covers exactly w x h pixels; two parts are united.
    const Mask bowl = decoded(val0.targets[0]);
    QCOMPARE(bowl.area(), qsizetype(100));
    QCOMPARE(bowl.boundingRect(), QRect(2, 2, 10, 10));
    QCOMPARE(decoded(val0.targets[1]).area(), qsizetype(100 + 100 - 25));
    // Uncompressed and compressed RLE give back the exact pixels (column-major, leading zero run).
    QCOMPARE(decoded(collector.samples[2].targets[0]), stripe(40, 30));
    QCOMPARE(decoded(collector.samples[3].targets[0]), blob(40, 30));

    // What an export needs rides along; ann_list only on the record's first sample.
    QCOMPARE(val0.extras.extra.value(QStringLiteral("answers")).toArray(), QJsonArray({f.instA, f.instB}));
    QCOMPARE(val0.extras.extra.value(QStringLiteral("text_answer")).toString(), QStringLiteral("The bowl {seg} and the plate {seg}."));
    QCOMPARE(val0.extras.extra.value(QStringLiteral("ann_list")).toArray().size(), 3);
    QVERIFY(!collector.samples[2].extras.extra.contains(QStringLiteral("ann_list")));
    QCOMPARE(val0.extras.extra.value(QStringLiteral("record_fields")).toObject().value(QStringLiteral("license")).toInt(), 3);
}

void TestMuseFormat::splitsAndImageRoots()
{
    QTemporaryDir dir;
    makeFixture(dir.path() + QStringLiteral("/dataset"));
    const QString data = dir.path() + QStringLiteral("/dataset");

    // --split picks one file of a folder; an unknown one names what exists.
    RecordCollector val;
    auto report = importInto(val, data, QStringLiteral("val"));
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(val.samples.size(), std::size_t(3));
    RecordCollector none;
    auto unknown = importInto(none, data, QStringLiteral("test_many"));
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(QStringLiteral("no split 'test_many' (found: train, val)")), qPrintable(unknown.error()));

    // A single file: its suffix is the split, or --split names it.
    RecordCollector single;
    QVERIFY(importInto(single, data + QStringLiteral("/muse_val.json"), QStringLiteral("test_less")));
    QCOMPARE(single.samples.front().sample.split, QStringLiteral("test_less"));

    // The README's layout: dataset/muse/muse_*.json with dataset/refer_seg beside the muse folder.
    QDir().mkpath(data + QStringLiteral("/muse"));
    QVERIFY(QFile::rename(data + QStringLiteral("/muse_val.json"), data + QStringLiteral("/muse/muse_val.json")));
    RecordCollector readme;
    auto nested = importInto(readme, data + QStringLiteral("/muse"));
    QVERIFY2(nested, qPrintable(nested.error()));
    QCOMPARE(readme.samples.front().imageFile, QDir::cleanPath(data + kImages + QStringLiteral("/train2014/") + kTrain2014));

    // --image-dir replaces the guess.
    QVERIFY(QDir().rename(data + QStringLiteral("/refer_seg"), dir.path() + QStringLiteral("/elsewhere")));
    RecordCollector moved;
    auto missing = importInto(moved, data + QStringLiteral("/muse"));
    QVERIFY(!missing);
    QVERIFY2(missing.error().contains(QStringLiteral("image file is missing")), qPrintable(missing.error()));
    RecordCollector given;
    auto found = importInto(given, data + QStringLiteral("/muse"), QString(),
                            dir.path() + QStringLiteral("/elsewhere/images/mscoco/images"));
    QVERIFY2(found, qPrintable(found.error()));
    QCOMPARE(given.samples.size(), std::size_t(3));
}

void TestMuseFormat::segRuleHelpers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("formats");

    QTest::newRow("two") << QStringLiteral("a {seg} and b {seg}.") << 2 << true;
    QTest::newRow("none") << QStringLiteral("nothing here") << 0 << true;
    QTest::newRow("doubled braces") << QStringLiteral("{{x}} {seg}") << 1 << true;
    QTest::newRow("doubled around seg") << QStringLiteral("{{seg}}") << 1 << true;
    QTest::newRow("other field") << QStringLiteral("{name} {seg}") << 1 << false;
    QTest::newRow("positional") << QStringLiteral("{} {seg}") << 1 << false;
    QTest::newRow("coordinates") << QStringLiteral("at {12, 30} {seg}") << 1 << false;
    QTest::newRow("lone close") << QStringLiteral("a } {seg}") << 1 << false;
    QTest::newRow("unclosed") << QStringLiteral("{seg} {") << 1 << false;
    QTest::newRow("conversion") << QStringLiteral("{seg!r}") << 0 << true;
}

void TestMuseFormat::segRuleHelpers()
{
    QFETCH(QString, text);
    QFETCH(int, count);
    QFETCH(bool, formats);
    QCOMPARE(MuseFormat::segCount(text), count);
    QCOMPARE(MuseFormat::formatsWithSeg(text), formats);

    const QString generated = MuseFormat::generatedTextAnswer({QStringLiteral("a"), text, QStringLiteral("c")});
    // Whatever a description holds, a generated answer has one '{seg}' per target and formats.
    QCOMPARE(MuseFormat::segCount(generated), 3);
    QVERIFY(MuseFormat::formatsWithSeg(generated));
    QCOMPARE(MuseFormat::generatedTextAnswer({QStringLiteral("x"), QStringLiteral("y")}), QStringLiteral("x {seg} and y {seg}."));
    QCOMPARE(MuseFormat::generatedTextAnswer({QStringLiteral("the {round} plate")}), QStringLiteral("the (round) plate {seg}."));
    QCOMPARE(MuseFormat::segCount(MuseFormat::generatedTextAnswer({})), 0);
}

void TestMuseFormat::malformedInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    const QByteArray inst = R"({"segmentation": [[1, 1, 1, 5, 5, 5, 5, 1]], "bbox": [1, 1, 4, 4], "category_id": 1, "category_name": "a"})";
    auto record = [&](const QByteArray &head, const QByteArray &answer, const QByteArray &tail = QByteArray()) {
        return "[{" + head + R"("height": 16, "width": 20, "ann_list": [)" + inst + R"(], "questions": ["q"], "answers": [[)" + answer
            + "]]" + tail + "}]";
    };
    const QByteArray image = R"("file_name": "a.jpg", )";
    auto withSegmentation = [&](const QByteArray &segmentation) {
        return record(image, R"({"segmentation": )" + segmentation + R"(, "bbox": [1, 1, 4, 4], "category_name": "a"})");
    };

    QTest::newRow("truncated") << QByteArray(R"([{"height": 16, "wid)") << QStringLiteral("muse_val.json:1:2: invalid JSON");
    QTest::newRow("not a list") << QByteArray(R"({"height": 16})") << QStringLiteral("must hold a JSON list");
    QTest::newRow("record not an object") << QByteArray("[3]") << QStringLiteral("muse_val.json record 0: must be an object, not 3");
    QTest::newRow("height a string") << QByteArray(R"([{"height": "16", "width": 20}])")
                                     << QStringLiteral("record 0: field 'height' must be an integer, not \"16\"");
    QTest::newRow("no image locator") << record(QByteArray(), inst) << QStringLiteral("record 0: needs 'file_name' or 'coco_url'");
    QTest::newRow("path leaves the folder") << record(R"("file_name": "../../x.jpg", )", inst) << QStringLiteral("image path '../../x.jpg' leaves");
    QTest::newRow("coco_url without a name") << record(R"("coco_url": "http://x/val2017/", )", inst)
                                             << QStringLiteral("field 'coco_url' has no file name after its last '/'");
    QTest::newRow("missing image") << record(R"("file_name": "nothere.jpg", )", inst) << QStringLiteral("nothere.jpg: image file is missing");
    QTest::newRow("wrong image size") << QByteArray(record(image, inst)).replace("\"height\": 16", "\"height\": 17")
                                      << QStringLiteral("the image is 20x16 pixels but the dataset says 20x17");
    QTest::newRow("answers shorter") << QByteArray(record(image, inst)).replace(R"("questions": ["q"])", R"("questions": ["q", "r"])")
                                     << QStringLiteral("'questions' has 2 entries but 'answers' has 1");
    QTest::newRow("question a number") << QByteArray(record(image, inst)).replace(R"("questions": ["q"])", R"("questions": [5])")
                                       << QStringLiteral("questions[0] must be a string, not 5");
    QTest::newRow("text answers a string") << record(image, inst, R"(, "text_answers": "x {seg}")")
                                           << QStringLiteral("field 'text_answers' must be a list");
    QTest::newRow("text answers too many") << record(image, inst, R"(, "text_answers": ["a {seg}", "b"])")
                                           << QStringLiteral("'questions' has 1 entries but 'text_answers' has 2");
    QTest::newRow("ann_list missing") << QByteArray(R"([{"file_name": "a.jpg", "height": 16, "width": 20, "questions": []}])")
                                      << QStringLiteral("record 0: field 'ann_list' is missing");
    QTest::newRow("ann_list without category_id")
        << QByteArray(record(image, inst)).replace(R"("ann_list": [{"segmentation": [[1, 1, 1, 5, 5, 5, 5, 1]], "bbox": [1, 1, 4, 4], "category_id": 1,)",
                                                   R"("ann_list": [{"segmentation": [], "bbox": [1, 1, 4, 4],)")
        << QStringLiteral("record 0 ann_list[0]: field 'category_id' is missing");
    QTest::newRow("instance not an object") << record(image, "7") << QStringLiteral("record 0 answers[0][0]: must be an instance object, not 7");
    QTest::newRow("segmentation missing") << record(image, R"({"bbox": [1, 1, 4, 4]})")
                                          << QStringLiteral("answers[0][0]: field 'segmentation' is missing");
    QTest::newRow("segmentation empty") << withSegmentation("[]") << QStringLiteral("answers[0][0]: segmentation is an empty list");
    QTest::newRow("polygon odd") << withSegmentation("[[1, 1, 5, 1, 5, 5, 1]]")
                                 << QStringLiteral("segmentation polygon 0: polygon has an odd number of coordinates (7)");
    QTest::newRow("polygon too short") << withSegmentation("[[1, 1, 5]]") << QStringLiteral("polygon 0 has 3 numbers; pycocotools needs more than 4");
    QTest::newRow("polygon outside") << withSegmentation("[[1, 1, 50, 1, 5, 5]]")
                                     << QStringLiteral("segmentation polygon 0 point 1 (50, 1) is outside the 20x16 image");
    QTest::newRow("polygon with text") << withSegmentation(R"([[1, 1, "5", 1, 5, 5]])") << QStringLiteral("polygon 0[2] must be a number, not \"5\"");
    QTest::newRow("box then polygon") << withSegmentation("[[1, 1, 4, 4], [1, 1, 5, 1, 5, 5]]")
                                      << QStringLiteral("box 1 has 6 numbers; pycocotools reads every part as a box");
    QTest::newRow("rle wrong size") << withSegmentation(R"({"size": [10, 10], "counts": [100]})")
                                    << QStringLiteral("segmentation RLE has size [10, 10] but the image is 20x16 (size must be [16, 20])");
    QTest::newRow("rle wrong sum") << withSegmentation(R"({"size": [16, 20], "counts": [100, 3]})")
                                   << QStringLiteral("RLE counts sum to 103 but h * w = 320");
    QTest::newRow("rle negative count") << withSegmentation(R"({"size": [16, 20], "counts": [-1, 321]})")
                                        << QStringLiteral("RLE counts[0] must be a non-negative integer, not -1");
    QTest::newRow("rle bad string") << withSegmentation(R"({"size": [16, 20], "counts": "!!"})") << QStringLiteral("segmentation RLE 'counts':");
    QTest::newRow("rle without size") << withSegmentation(R"({"counts": [320]})") << QStringLiteral("RLE must have 'size' and 'counts'");
    QTest::newRow("compressed inside a list") << withSegmentation(R"([{"size": [16, 20], "counts": "PQ"}])")
                                              << QStringLiteral("RLE 0 has compressed 'counts' in a list of RLEs");
    QTest::newRow("bbox negative") << record(image, R"({"segmentation": [[1, 1, 1, 5, 5, 5]], "bbox": [1, 1, -4, 4]})")
                                   << QStringLiteral("answers[0][0]: bbox [1,1,-4,4] has a negative width or height");
    QTest::newRow("bbox outside") << record(image, R"({"segmentation": [[1, 1, 1, 5, 5, 5]], "bbox": [10, 1, 40, 4]})")
                                  << QStringLiteral("bbox [10,1,40,4] is outside the 20x16 image");
    QTest::newRow("bbox three numbers") << record(image, R"({"segmentation": [[1, 1, 1, 5, 5, 5]], "bbox": [1, 1, 4]})")
                                        << QStringLiteral("bbox must be [x, y, w, h], not [1,1,4]");
    QTest::newRow("category_name a number") << record(image, R"({"segmentation": [[1, 1, 1, 5, 5, 5]], "bbox": [1, 1, 4, 4], "category_name": 4})")
                                            << QStringLiteral("field 'category_name' must be a string, not 4");
}

void TestMuseFormat::malformedInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    writeTestJpeg(dir.path() + kImages + QStringLiteral("/train2014/a.jpg"), 20, 16);
    writeFile(dir.path() + QStringLiteral("/muse_val.json"), json);
    RecordCollector collector;
    auto report = importInto(collector, dir.path() + QStringLiteral("/muse_val.json"));
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
    QVERIFY(collector.samples.empty());
}

void TestMuseFormat::exportWritesUneditedRecordsBack()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path() + QStringLiteral("/in"));
    RecordCollector collector;
    QVERIFY(importInto(collector, f.root));
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    VectorSource source(collector.samples);
    auto report = DatasetExport::run(MuseFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->files, QStringList({QStringLiteral("muse_train.json"), QStringLiteral("muse_val.json")}));
    QCOMPARE(report->samples, 4);

    // val record 0 comes back whole, but for the text answer the loader would reject: it is
    // regenerated with one {seg} per target (and said so).
    const QJsonArray val = readList(options.outDir + QStringLiteral("/muse_val.json"));
    QCOMPARE(val.size(), 2);
    QJsonObject expected0 = f.valRecord0;
    expected0.insert(QStringLiteral("text_answers"),
                     QJsonArray{QStringLiteral("The bowl {seg} and the plate {seg}."), QStringLiteral("the wooden chair {seg}.")});
    QCOMPARE(val.at(0).toObject(), expected0);
    QCOMPARE(report->warnings.size(), 1);
    QVERIFY2(report->warnings.front().contains(QStringLiteral("'muse_val:1:1'): text answer has 2 '{seg}' for 1 targets")),
             qPrintable(report->warnings.front()));
    // The compressed RLE (unreadable by frPyObjects) is written uncompressed; nothing else changes;
    // the record had no text_answers and still has none.
    QJsonObject expected1 = f.valRecord1;
    QJsonObject instD = f.instD;
    instD.insert(QStringLiteral("segmentation"), CocoSegmentation::uncompressed(Rle::encode(blob(40, 30))));
    expected1.insert(QStringLiteral("answers"), QJsonArray{QJsonArray{instD}});
    QCOMPARE(val.at(1).toObject(), expected1);
    // The rejected question stays out of the train record.
    const QJsonArray train = readList(options.outDir + QStringLiteral("/muse_train.json"));
    QCOMPARE(train.size(), 1);
    QCOMPARE(train.at(0).toObject().value(QStringLiteral("questions")).toArray(), QJsonArray{QStringLiteral("q zero")});
    QCOMPARE(train.at(0).toObject().value(QStringLiteral("text_answers")).toArray(), QJsonArray{QStringLiteral("A bowl {seg}.")});
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("1 compressed-RLE segmentations were rewritten uncompressed")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("refer_seg/images/mscoco/images/train2014/<file_name>")), qPrintable(notes));

    // Read back: same samples, ids and masks.
    QVERIFY(QDir().rename(f.root + QStringLiteral("/refer_seg"), options.outDir + QStringLiteral("/refer_seg")));
    RecordCollector again;
    auto imported = importInto(again, options.outDir);
    QVERIFY2(imported, qPrintable(imported.error()));
    QVERIFY(imported->rejected.isEmpty());
    QCOMPARE(again.samples.size(), collector.samples.size());
    for (std::size_t i = 0; i < again.samples.size(); ++i) {
        QCOMPARE(again.samples[i].sample.sourceId, collector.samples[i].sample.sourceId);
        QCOMPARE(again.samples[i].targets.size(), collector.samples[i].targets.size());
        for (std::size_t t = 0; t < again.samples[i].targets.size(); ++t)
            QCOMPARE(decoded(again.samples[i].targets[t]), decoded(collector.samples[i].targets[t]));
    }
}

void TestMuseFormat::exportEditedTargetsAndTextAnswers()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path() + QStringLiteral("/in"));
    RecordCollector collector;
    QVERIFY(importInto(collector, f.root));
    // muse_val:1:0 — the plate is redrawn, the bowl untouched; muse_train:1:0 gains a target.
    DatasetRecord &val0 = collector.samples[1];
    val0.targetsAnnotated = true;
    Target plate;
    plate.mask = stripe(40, 30);
    plate.box = plate.boxFromMask();
    plate.label = QStringLiteral("plate");
    plate.description = QStringLiteral("the long plate");
    val0.targets[1] = RleTarget::fromTarget(plate);
    DatasetRecord &train0 = collector.samples[0];
    train0.targetsAnnotated = true;
    Target spoon;
    spoon.mask = blob(40, 30);
    spoon.label = QStringLiteral("spoon");
    train0.targets.push_back(RleTarget::fromTarget(spoon));

    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    VectorSource source(collector.samples);
    auto report = DatasetExport::run(MuseFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));

    const QJsonObject val = readList(options.outDir + QStringLiteral("/muse_val.json")).at(0).toObject();
    const QJsonArray answer = val.value(QStringLiteral("answers")).toArray().at(0).toArray();
    QCOMPARE(answer.at(0).toObject(), f.instA);  // same pixels: the original polygon stays
    const QJsonObject redrawn = answer.at(1).toObject();
    QCOMPARE(redrawn.value(QStringLiteral("segmentation")).toObject(), CocoSegmentation::uncompressed(Rle::encode(stripe(40, 30))));
    QCOMPARE(redrawn.value(QStringLiteral("bbox")).toArray(), QJsonArray({3, 14, 30, 8}));
    QCOMPARE(redrawn.value(QStringLiteral("rephrased_name")).toString(), QStringLiteral("the long plate"));
    QCOMPARE(redrawn.value(QStringLiteral("category_id")).toInt(), 11);
    // The redrawn instance joins ann_list, so the val prompt lists it.
    QVERIFY(val.value(QStringLiteral("ann_list")).toArray().contains(redrawn));
    // Two targets, two {seg}: the imported text answer still fits.
    QCOMPARE(val.value(QStringLiteral("text_answers")).toArray().at(0).toString(), QStringLiteral("The bowl {seg} and the plate {seg}."));

    const QJsonObject train = readList(options.outDir + QStringLiteral("/muse_train.json")).at(0).toObject();
    const QJsonArray trainAnswer = train.value(QStringLiteral("answers")).toArray().at(0).toArray();
    QCOMPARE(trainAnswer.size(), 2);
    QCOMPARE(trainAnswer.at(1).toObject().value(QStringLiteral("category_id")).toInt(), -1);  // "spoon" is no known category
    QCOMPARE(train.value(QStringLiteral("text_answers")).toArray().at(0).toString(), QStringLiteral("the white bowl {seg} and spoon {seg}."));
    const QString warnings = report->warnings.join(QLatin1Char('\n'));
    QVERIFY2(warnings.contains(QStringLiteral("'muse_train:1:0'): text answer has 1 '{seg}' for 2 targets; replaced")), qPrintable(warnings));
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("2 edited targets kept their original polygons (same pixels), 2 were written as RLE")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 instances have a label unknown to the data and category_id -1")), qPrintable(notes));

    // Read back: the edited masks.
    QVERIFY(QDir().rename(f.root + QStringLiteral("/refer_seg"), options.outDir + QStringLiteral("/refer_seg")));
    RecordCollector again;
    auto imported = importInto(again, options.outDir);
    QVERIFY2(imported, qPrintable(imported.error()));
    QCOMPARE(decoded(again.samples[1].targets[1]), stripe(40, 30));
    QCOMPARE(decoded(again.samples[0].targets[1]), blob(40, 30));
    QCOMPARE(again.samples[0].targets[1].label, QStringLiteral("spoon"));
}

void TestMuseFormat::exportOfOtherDatasetsAndDeterminism()
{
    QTemporaryDir dir;
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/img/scene.jpg"), 24, 20);
    Mask square(24, 20);
    square.fillRect(QRect(2, 3, 5, 6), true);
    Mask ignore(24, 20);
    ignore.fillRect(QRect(10, 10, 2, 2), true);
    DatasetRecord a = recordWithMasks(QStringLiteral("scene"), QStringLiteral("val"), image, {square});
    a.sample.id = 5;
    a.sample.image.relativePath = QStringLiteral("reasonseg/scene.jpg");
    a.extras.dataset = QStringLiteral("ReasonSeg");
    RleTarget ignored = RleTarget::fromRle(Rle::encode(ignore), QRectF(ignore.boundingRect()), QStringLiteral("ignore"));
    ignored.ignore = true;
    a.targets.push_back(ignored);
    DatasetRecord b = a;  // a second question on the same image: still its own record
    b.sample.id = 6;
    b.targets.resize(1);

    ExportOptions first;
    first.outDir = dir.path() + QStringLiteral("/first");
    VectorSource one({a, b});
    auto report = DatasetExport::run(MuseFormat(), one, first, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    const QJsonArray records = readList(first.outDir + QStringLiteral("/muse_val.json"));
    QCOMPARE(records.size(), 2);
    const QJsonObject record = records.at(0).toObject();
    QCOMPARE(record.value(QStringLiteral("file_name")).toString(), QStringLiteral("reasonseg/scene.jpg"));
    QCOMPARE(record.value(QStringLiteral("height")).toInt(), 20);
    QVERIFY(!record.contains(QStringLiteral("text_answers")));  // the loader composes answers from the names
    QCOMPARE(record.value(QStringLiteral("ann_list")).toArray(), record.value(QStringLiteral("answers")).toArray().at(0).toArray());
    QCOMPARE(report->warnings.size(), 1);
    QVERIFY2(report->warnings.front().contains(QStringLiteral("1 ignore regions left out")), qPrintable(report->warnings.front()));
    QVERIFY(report->notes.join(QString()).contains(QStringLiteral("2 records from other datasets name their image by file_name")));

    ExportOptions second;
    second.outDir = dir.path() + QStringLiteral("/second");
    VectorSource two({a, b});
    QVERIFY(DatasetExport::run(MuseFormat(), two, second, ExportProvenance()));
    QCOMPARE(folderBytes(first.outDir), folderBytes(second.outDir));
}

void TestMuseFormat::referenceCheckerReadsExportLikePixelLM()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path() + QStringLiteral("/in"));
    RecordCollector collector;
    QVERIFY(importInto(collector, f.root));
    // Every target redrawn (shifted by one pixel), so every mask is written as RLE and checked.
    for (DatasetRecord &record : collector.samples) {
        record.targetsAnnotated = true;
        for (RleTarget &target : record.targets) {
            Mask mask = decoded(target);
            Mask shifted(mask.width(), mask.height());
            shifted.paste(mask, QPoint(1, 0));
            shifted.set(0, 0, true);
            target = RleTarget::fromRle(Rle::encode(shifted), QRectF(shifted.boundingRect()), target.label);
        }
    }
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/dataset");
    VectorSource source(collector.samples);
    auto report = DatasetExport::run(MuseFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));

    // Keys "<split>__<record>__<question>__<target>" in the order the export groups them.
    QList<QPair<QString, Mask>> expected;
    auto add = [&](const QString &split, int record, int question, const DatasetRecord &sample) {
        for (std::size_t t = 0; t < sample.targets.size(); ++t)
            expected.append({QStringLiteral("%1__%2__%3__%4").arg(split).arg(record).arg(question).arg(t), decoded(sample.targets[t])});
    };
    add(QStringLiteral("train"), 0, 0, collector.samples[0]);
    add(QStringLiteral("val"), 0, 0, collector.samples[1]);
    add(QStringLiteral("val"), 0, 1, collector.samples[2]);
    add(QStringLiteral("val"), 1, 0, collector.samples[3]);
    writeMasksForChecker(dir.path() + QStringLiteral("/expected"), expected);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_muse.py"),
                                         {options.outDir, f.root, dir.path() + QStringLiteral("/expected")}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("5 samples match")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("4 questions, 0 polygon masks not rasterised")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestMuseFormat)
#include "tst_museformat.moc"
