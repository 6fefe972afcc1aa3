// COCO instances import/export and the coco-results export: one sample per (image, category),
// annToRLE-exact masks, malformed inputs, ids that agree between ground truth and results, and the
// python reference checker that decodes the export's RLE (§7) and compares it pixel by pixel.
#include "core/rle.h"
#include "plugins/formats/cocoformat.h"
#include "plugins/formats/cocoids.h"
#include "plugins/formats/cocoresultsformat.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
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

Mask stripe(int width, int height)
{
    Mask mask(width, height);
    mask.fillRect(QRect(3, 18, 30, 4), true);
    return mask;
}

Mask blob(int width, int height)
{
    Mask mask(width, height);
    mask.fillRect(QRect(4, 2, 6, 9), true);
    mask.set(0, 0, true);
    return mask;
}

QJsonObject annotation(int id, int imageId, int categoryId, int iscrowd, const QJsonValue &segmentation, const QJsonArray &bbox)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("image_id"), imageId},
                       {QStringLiteral("category_id"), categoryId},
                       {QStringLiteral("iscrowd"), iscrowd},
                       {QStringLiteral("segmentation"), segmentation},
                       {QStringLiteral("bbox"), bbox},
                       {QStringLiteral("area"), 1.5}};
}

struct Fixture
{
    QString file;
    QJsonObject doc;
    QJsonArray annotations;
};

// instances_val2017.json beside a.jpg (40x30, id 397), b.jpg (20x16, id 12) and c.jpg (20x16, id 50, no
// annotations). Image 397 has two persons (a crowd RLE, a compressed RLE) and two dogs (polygons).
Fixture makeFixture(const QString &dir)
{
    Fixture f;
    writeTestJpeg(dir + QStringLiteral("/a.jpg"), 40, 30, 1);
    writeTestJpeg(dir + QStringLiteral("/b.jpg"), 20, 16, 2);
    writeTestJpeg(dir + QStringLiteral("/c.jpg"), 20, 16, 3);
    const QJsonArray images{
        QJsonObject{{QStringLiteral("id"), 397}, {QStringLiteral("file_name"), QStringLiteral("a.jpg")}, {QStringLiteral("height"), 30},
                    {QStringLiteral("width"), 40}, {QStringLiteral("license"), 4}},
        QJsonObject{{QStringLiteral("id"), 12}, {QStringLiteral("file_name"), QStringLiteral("b.jpg")}, {QStringLiteral("height"), 16},
                    {QStringLiteral("width"), 20}},
        QJsonObject{{QStringLiteral("id"), 50}, {QStringLiteral("file_name"), QStringLiteral("c.jpg")}, {QStringLiteral("height"), 16},
                    {QStringLiteral("width"), 20}}};
    const QJsonArray categories{
        QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("name"), QStringLiteral("person")}, {QStringLiteral("supercategory"), QStringLiteral("human")}},
        QJsonObject{{QStringLiteral("id"), 18}, {QStringLiteral("name"), QStringLiteral("dog")}, {QStringLiteral("supercategory"), QStringLiteral("animal")}}};
    const Rle crowd = Rle::encode(stripe(40, 30));
    const Rle person = Rle::encode(blob(40, 30));
    f.annotations = QJsonArray{
        annotation(900, 397, 18, 0, QJsonArray{QJsonArray{2, 2, 2, 12, 12, 12, 12, 2}}, {2, 2, 10, 10}),
        annotation(901, 12, 1, 0, QJsonArray{QJsonArray{1, 1, 1, 5, 5, 5, 5, 1}}, {1, 1, 4, 4}),
        annotation(902, 397, 1, 1, CocoSegmentation::uncompressed(crowd), CocoSegmentation::boxJson(crowd.bbox())),
        annotation(903, 397, 18, 0, QJsonArray{QJsonArray{20, 5, 20, 15, 30, 15, 30, 5}, QJsonArray{25, 10, 25, 20, 35, 20, 35, 10}},
                   {20, 5, 15, 15}),
        annotation(904, 397, 1, 0, CocoSegmentation::compressed(person), CocoSegmentation::boxJson(person.bbox()))};
    f.doc = QJsonObject{{QStringLiteral("info"), QJsonObject{{QStringLiteral("year"), 2017}}},
                        {QStringLiteral("images"), images},
                        {QStringLiteral("annotations"), f.annotations},
                        {QStringLiteral("categories"), categories}};
    f.file = dir + QStringLiteral("/instances_val2017.json");
    writeFile(f.file, QJsonDocument(f.doc).toJson());
    return f;
}

Mask decoded(const RleTarget &target)
{
    auto rle = target.rle();
    return rle ? rle->decode() : Mask();
}

Expected<ImportReport> importInto(RecordCollector &collector, const QString &file, const QString &imageDir = QString())
{
    ImportOptions options;
    options.source = file;
    options.imageDir = imageDir;
    return DatasetImport::run(CocoFormat(), options, collector);
}

QJsonObject readObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QJsonObject();
    return QJsonDocument::fromJson(file.readAll()).object();
}

QHash<qint64, QJsonObject> byId(const QJsonArray &list)
{
    QHash<qint64, QJsonObject> out;
    for (const QJsonValue &value : list)
        out.insert(value.toObject().value(QStringLiteral("id")).toInteger(), value.toObject());
    return out;
}

Expected<ExportReport> exportTo(const DatasetFormat &format, const std::vector<DatasetRecord> &records, const QString &outDir)
{
    VectorSource source(records);
    ExportOptions options;
    options.outDir = outDir;
    return DatasetExport::run(format, source, options, ExportProvenance());
}

// A sample from another dataset: its own COCO image, categories from its labels.
DatasetRecord foreignRecord(const QString &image, qint64 id)
{
    Mask square(24, 20);
    square.fillRect(QRect(2, 3, 5, 6), true);
    DatasetRecord record = recordWithMasks(QStringLiteral("scene"), QStringLiteral("val2017"), image, {square});
    record.sample.id = id;
    record.sample.image.relativePath = QStringLiteral("reasonseg/scene.jpg");
    record.extras.dataset = QStringLiteral("ReasonSeg");
    return record;
}

} // namespace

class TestCocoFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsOneSamplePerImageAndCategory();
    void malformedInput_data();
    void malformedInput();
    void exportWritesUneditedAnnotationsBack();
    void exportEditedAndForeignSamples();
    void resultsExportMatchesGroundTruthIds();
    void referenceCheckerDecodesExportLikePycocotools();
};

void TestCocoFormat::importsOneSamplePerImageAndCategory()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path());
    RecordCollector collector;
    auto report = importInto(collector, f.file);
    QVERIFY2(report, qPrintable(report.error()));

    QStringList ids;
    for (const DatasetRecord &record : collector.samples)
        ids << record.sample.sourceId;
    // Images in file order, categories ascending, annotations in file order.
    QCOMPARE(ids, QStringList({QStringLiteral("397:1"), QStringLiteral("397:18"), QStringLiteral("12:1")}));
    QCOMPARE(report->samples, 3);
    QCOMPARE(report->targets, 5);
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("1 images have no annotations")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 iscrowd annotations were imported as ignore targets")), qPrintable(notes));

    const DatasetRecord &persons = collector.samples[0];
    QCOMPARE(persons.sample.queries, QStringList({QStringLiteral("person")}));
    QCOMPARE(persons.sample.isSentence, false);
    QCOMPARE(persons.sample.split, QStringLiteral("val2017"));
    QCOMPARE(persons.extras.dataset, QStringLiteral("COCO"));
    QCOMPARE(persons.imageFile, QDir::cleanPath(dir.path() + QStringLiteral("/a.jpg")));
    QCOMPARE(persons.sample.image.size, QSize(40, 30));
    QCOMPARE(persons.targets.size(), std::size_t(2));
    QCOMPARE(persons.targets[0].ignore, true);  // iscrowd 1
    QCOMPARE(persons.targets[0].label, QStringLiteral("person"));
    QCOMPARE(decoded(persons.targets[0]), stripe(40, 30));
    QCOMPARE(persons.targets[1].ignore, false);
    QCOMPARE(decoded(persons.targets[1]), blob(40, 30));  // compressed RLE, as annToRLE takes it
    QCOMPARE(persons.extras.extra.value(QStringLiteral("annotations")).toArray(), QJsonArray({f.annotations[2], f.annotations[4]}));
    QCOMPARE(persons.extras.extra.value(QStringLiteral("image")).toObject().value(QStringLiteral("license")).toInt(), 4);
    QCOMPARE(persons.extras.extra.value(QStringLiteral("category")).toObject().value(QStringLiteral("supercategory")).toString(),
             QStringLiteral("human"));

    const DatasetRecord &dogs = collector.samples[1];
    QCOMPARE(decoded(dogs.targets[0]).area(), qsizetype(100));  // an integer rectangle: exactly w x h pixels
    QCOMPARE(dogs.targets[0].box, QRectF(2, 2, 10, 10));
    QCOMPARE(decoded(dogs.targets[1]).area(), qsizetype(175));  // two overlapping parts, united

    // --image-dir and --split.
    QDir().mkpath(dir.path() + QStringLiteral("/imgs"));
    for (const char *name : {"a.jpg", "b.jpg", "c.jpg"})
        QVERIFY(QFile::rename(dir.path() + QLatin1Char('/') + QLatin1String(name), dir.path() + QStringLiteral("/imgs/") + QLatin1String(name)));
    RecordCollector moved;
    auto missing = importInto(moved, f.file);
    QVERIFY(!missing);
    QVERIFY2(missing.error().contains(QStringLiteral("a.jpg: image file is missing")), qPrintable(missing.error()));
    ImportOptions options;
    options.source = f.file;
    options.imageDir = dir.path() + QStringLiteral("/imgs");
    options.split = QStringLiteral("minival");
    RecordCollector given;
    auto found = DatasetImport::run(CocoFormat(), options, given);
    QVERIFY2(found, qPrintable(found.error()));
    QCOMPARE(given.samples.front().sample.split, QStringLiteral("minival"));
}

void TestCocoFormat::malformedInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    const QByteArray images = R"("images": [{"id": 1, "file_name": "a.jpg", "height": 16, "width": 20}])";
    const QByteArray categories = R"("categories": [{"id": 1, "name": "cat"}])";
    auto withAnnotation = [&](const QByteArray &annotation) {
        return "{" + images + ", " + categories + R"(, "annotations": [)" + annotation + "]}";
    };
    auto withSegmentation = [&](const QByteArray &segmentation) {
        return withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 1, "iscrowd": 0, "bbox": [1, 1, 4, 4], "segmentation": )"
                              + segmentation + "}");
    };
    const QByteArray square = "[[1, 1, 1, 5, 5, 5, 5, 1]]";

    QTest::newRow("truncated") << QByteArray(R"({"images": [{"id": 1, "file_na)") << QStringLiteral("instances.json:1:");
    QTest::newRow("a list") << QByteArray("[]") << QStringLiteral("must hold a JSON object");
    QTest::newRow("no annotations") << "{" + images + ", " + categories + "}"
                                    << QStringLiteral("instances.json: has no 'annotations'");
    QTest::newRow("categories an object") << "{" + images + R"(, "categories": {}, "annotations": []})"
                                          << QStringLiteral("'categories' must be a list");
    QTest::newRow("category without name") << "{" + images + R"(, "categories": [{"id": 1}], "annotations": []})"
                                           << QStringLiteral("instances.json category 0: field 'name' is missing");
    QTest::newRow("duplicate category") << "{" + images + R"(, "categories": [{"id": 1, "name": "a"}, {"id": 1, "name": "b"}], "annotations": []})"
                                        << QStringLiteral("category 1: duplicate id 1 (also category 0)");
    QTest::newRow("image without file_name") << QByteArray(R"({"images": [{"id": 1, "height": 16, "width": 20}], )") + categories + R"(, "annotations": []})"
                                             << QStringLiteral("instances.json image 0: field 'file_name' is missing");
    QTest::newRow("image height zero") << QByteArray(R"({"images": [{"id": 1, "file_name": "a.jpg", "height": 0, "width": 20}], )") + categories
            + R"(, "annotations": []})"
                                       << QStringLiteral("image 0: field 'height' must be a positive integer, not 0");
    QTest::newRow("duplicate image")
        << QByteArray(R"({"images": [{"id": 1, "file_name": "a.jpg", "height": 16, "width": 20}, {"id": 1, "file_name": "a.jpg", "height": 16, "width": 20}], )")
            + categories + R"(, "annotations": []})"
        << QStringLiteral("image 1: duplicate id 1 (also image 0)");
    QTest::newRow("image path leaves") << QByteArray(R"({"images": [{"id": 1, "file_name": "../a.jpg", "height": 16, "width": 20}], )") + categories
            + R"(, "annotations": [{"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]}]})"
                                       << QStringLiteral("image path '../a.jpg' leaves");
    QTest::newRow("missing image") << QByteArray(R"({"images": [{"id": 1, "file_name": "zz.jpg", "height": 16, "width": 20}], )") + categories
            + R"(, "annotations": [{"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]}]})"
                                   << QStringLiteral("zz.jpg: image file is missing");
    QTest::newRow("wrong image size") << QByteArray(R"({"images": [{"id": 1, "file_name": "a.jpg", "height": 17, "width": 20}], )") + categories
            + R"(, "annotations": [{"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]}]})"
                                      << QStringLiteral("the image is 20x16 pixels but the dataset says 20x17");
    QTest::newRow("duplicate annotation")
        << withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]}, )"
                          R"({"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]})")
        << QStringLiteral("instances.json annotation 1: duplicate id 5 (also annotation 0)");
    QTest::newRow("unknown image") << withAnnotation(R"({"id": 5, "image_id": 9, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]})")
                                   << QStringLiteral("annotation 0: image_id 9 is not in 'images'");
    QTest::newRow("unknown category") << withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 3, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 1, 5, 5, 5]]})")
                                      << QStringLiteral("annotation 0: category_id 3 is not in 'categories'");
    QTest::newRow("id a string") << withAnnotation(R"({"id": "5", "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "segmentation": []})")
                                 << QStringLiteral("annotation 0: field 'id' must be an integer, not \"5\"");
    QTest::newRow("segmentation missing") << withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4]})")
                                          << QStringLiteral("annotation 0: field 'segmentation' is missing");
    QTest::newRow("bbox negative") << withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 1, -4, 4], "segmentation": )" + square + "}")
                                   << QStringLiteral("annotation 0: bbox [1,1,-4,4] has a negative width or height");
    QTest::newRow("bbox outside") << withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 1, "bbox": [-3, 1, 4, 4], "segmentation": )" + square + "}")
                                  << QStringLiteral("annotation 0: bbox [-3,1,4,4] is outside the 20x16 image");
    QTest::newRow("iscrowd 2") << withAnnotation(R"({"id": 5, "image_id": 1, "category_id": 1, "iscrowd": 2, "bbox": [1, 1, 4, 4], "segmentation": )" + square + "}")
                               << QStringLiteral("annotation 0 (id 5): field 'iscrowd' must be 0 or 1, not 2");
    QTest::newRow("rle wrong size") << withSegmentation(R"({"size": [20, 16], "counts": [320]})")
                                    << QStringLiteral("annotation 0 (id 5): segmentation RLE has size [20, 16] but the image is 20x16 (size must be [16, 20])");
    QTest::newRow("rle wrong sum") << withSegmentation(R"({"size": [16, 20], "counts": [10, 20]})") << QStringLiteral("RLE counts sum to 30 but h * w = 320");
    QTest::newRow("compressed truncated") << withSegmentation(R"({"size": [16, 20], "counts": "0000o"})") << QStringLiteral("segmentation RLE 'counts':");
    QTest::newRow("flat polygon") << withSegmentation("[1, 1, 1, 5, 5, 5]") << QStringLiteral("is a flat list of numbers; COCO's annToRLE needs a list of polygons");
    QTest::newRow("list of RLEs") << withSegmentation(R"([{"size": [16, 20], "counts": [320]}])") << QStringLiteral("is a list of RLE objects");
    QTest::newRow("polygon outside") << withSegmentation("[[1, 1, 1, 5, 30, 5]]") << QStringLiteral("segmentation polygon 0 point 2 (30, 5) is outside the 20x16 image");
    QTest::newRow("polygon of two points") << withSegmentation("[[1, 1, 5, 5, 9, 9], [1, 2, 3]]")
                                           << QStringLiteral("segmentation polygon 1: polygon has an odd number of coordinates (3)");
}

void TestCocoFormat::malformedInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    writeTestJpeg(dir.path() + QStringLiteral("/a.jpg"), 20, 16);
    writeFile(dir.path() + QStringLiteral("/instances.json"), json);
    RecordCollector collector;
    auto report = importInto(collector, dir.path() + QStringLiteral("/instances.json"));
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
    QVERIFY(collector.samples.empty());
}

void TestCocoFormat::exportWritesUneditedAnnotationsBack()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path());
    RecordCollector collector;
    QVERIFY(importInto(collector, f.file));
    const QString out = dir.path() + QStringLiteral("/out");
    auto report = exportTo(CocoFormat(), collector.samples, out);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->files, QStringList({QStringLiteral("instances_val2017.json")}));
    QVERIFY(report->warnings.isEmpty());
    // The side files the annotations were streamed through are gone.
    QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden, QDir::Name),
             QStringList({QStringLiteral("README.md"), QStringLiteral("instances_val2017.json"), QStringLiteral("manifest.json")}));

    const QJsonObject doc = readObject(out + QStringLiteral("/instances_val2017.json"));
    // Every annotation as imported (ids, crowd RLE, compressed RLE, polygons, area); images that had
    // samples with their fields; categories sorted by id.
    const auto annotations = byId(doc.value(QStringLiteral("annotations")).toArray());
    QCOMPARE(annotations.size(), 5);
    for (const QJsonValue &original : f.annotations)
        QCOMPARE(annotations.value(original.toObject().value(QStringLiteral("id")).toInteger()), original.toObject());
    const QJsonArray images = doc.value(QStringLiteral("images")).toArray();
    QCOMPARE(images, QJsonArray({f.doc.value(QStringLiteral("images")).toArray().at(0), f.doc.value(QStringLiteral("images")).toArray().at(1)}));
    QCOMPARE(doc.value(QStringLiteral("categories")).toArray(), f.doc.value(QStringLiteral("categories")).toArray());

    // Read back: the same samples and masks.
    RecordCollector again;
    auto imported = importInto(again, out + QStringLiteral("/instances_val2017.json"), dir.path());
    QVERIFY2(imported, qPrintable(imported.error()));
    QCOMPARE(again.samples.size(), collector.samples.size());
    for (std::size_t i = 0; i < again.samples.size(); ++i) {
        QCOMPARE(again.samples[i].sample.sourceId, collector.samples[i].sample.sourceId);
        QCOMPARE(again.samples[i].sample.split, QStringLiteral("val2017"));
        QCOMPARE(again.samples[i].targets, collector.samples[i].targets);
    }

    // A second export of the same records is byte-identical.
    auto second = exportTo(CocoFormat(), collector.samples, dir.path() + QStringLiteral("/second"));
    QVERIFY(second);
    QCOMPARE(folderBytes(out), folderBytes(dir.path() + QStringLiteral("/second")));
}

void TestCocoFormat::exportEditedAndForeignSamples()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path());
    RecordCollector collector;
    QVERIFY(importInto(collector, f.file));
    // 397:18 — the first dog untouched, the second redrawn, a cat added, an empty target.
    DatasetRecord &dogs = collector.samples[1];
    dogs.targetsAnnotated = true;
    Target redrawn;
    redrawn.mask = stripe(40, 30);
    redrawn.label = QStringLiteral("dog");
    dogs.targets[1] = RleTarget::fromTarget(redrawn);
    Target cat;
    cat.mask = blob(40, 30);
    cat.label = QStringLiteral("cat");
    dogs.targets.push_back(RleTarget::fromTarget(cat));
    Target empty;
    empty.mask = Mask(40, 30);
    empty.label = QStringLiteral("dog");
    dogs.targets.push_back(RleTarget::fromTarget(empty));
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/reasonseg/scene.jpg"), 24, 20);
    collector.samples.push_back(foreignRecord(image, 77));

    const QString out = dir.path() + QStringLiteral("/out");
    auto report = exportTo(CocoFormat(), collector.samples, out);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->warnings.size(), 1);
    QVERIFY2(report->warnings.front().contains(QStringLiteral("'397:18') target 3: empty mask left out")), qPrintable(report->warnings.front()));

    const QJsonObject doc = readObject(out + QStringLiteral("/instances_val2017.json"));
    const auto annotations = byId(doc.value(QStringLiteral("annotations")).toArray());
    QCOMPARE(annotations.value(900), f.annotations[0].toObject());  // same pixels: kept as it was
    const QJsonObject dog = annotations.value(903);
    QCOMPARE(dog.value(QStringLiteral("segmentation")).toObject(), CocoSegmentation::uncompressed(Rle::encode(stripe(40, 30))));
    QCOMPARE(dog.value(QStringLiteral("iscrowd")).toInt(), 0);
    QCOMPARE(dog.value(QStringLiteral("area")).toInt(), 120);
    QCOMPARE(dog.value(QStringLiteral("bbox")).toArray(), QJsonArray({3, 18, 30, 4}));
    QCOMPARE(dog.value(QStringLiteral("category_id")).toInt(), 18);
    // New annotations take the first free ids; labels that are no COCO category get stable ids.
    const QJsonObject added = annotations.value(1);
    QCOMPARE(added.value(QStringLiteral("category_id")).toInteger(), CocoIds::labelId(QStringLiteral("cat")));
    QCOMPARE(added.value(QStringLiteral("image_id")).toInt(), 397);
    const QJsonObject foreign = annotations.value(2);
    QCOMPARE(foreign.value(QStringLiteral("image_id")).toInt(), 77);
    QCOMPARE(foreign.value(QStringLiteral("category_id")).toInteger(), CocoIds::labelId(QStringLiteral("target 0")));
    QCOMPARE(annotations.size(), 7);

    const auto images = byId(doc.value(QStringLiteral("images")).toArray());
    QCOMPARE(images.value(77), QJsonObject({{QStringLiteral("id"), 77}, {QStringLiteral("file_name"), QStringLiteral("reasonseg/scene.jpg")},
                                            {QStringLiteral("height"), 20}, {QStringLiteral("width"), 24}}));
    const auto categories = byId(doc.value(QStringLiteral("categories")).toArray());
    QCOMPARE(categories.size(), 4);
    QCOMPARE(categories.value(CocoIds::labelId(QStringLiteral("cat"))).value(QStringLiteral("name")).toString(), QStringLiteral("cat"));
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("2 categories come from target labels")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("4 kept their original segmentation, 3 edited masks were written as uncompressed RLE")), qPrintable(notes));

    // Read back the edited masks.
    RecordCollector again;
    auto imported = importInto(again, out + QStringLiteral("/instances_val2017.json"), dir.path());
    QVERIFY2(imported, qPrintable(imported.error()));
    QCOMPARE(decoded(again.samples[1].targets[1]), stripe(40, 30));
    QCOMPARE(again.samples[1].sample.sourceId, QStringLiteral("397:18"));
    QCOMPARE(again.samples.back().sample.sourceId, QStringLiteral("77:%1").arg(CocoIds::labelId(QStringLiteral("target 0"))));

    // A sample whose storage id equals a COCO image id of a different image cannot share the id.
    DatasetRecord clash = foreignRecord(image, 397);
    auto refused = exportTo(CocoFormat(), {collector.samples[0], clash}, dir.path() + QStringLiteral("/clash"));
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QStringLiteral("COCO image id 397 stands for both")), qPrintable(refused.error()));
    QVERIFY(!refused.error().contains(QLatin1Char('\n')));
}

void TestCocoFormat::resultsExportMatchesGroundTruthIds()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path());
    RecordCollector collector;
    QVERIFY(importInto(collector, f.file));
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/scene.jpg"), 24, 20);
    collector.samples.push_back(foreignRecord(image, 77));
    // Proposals for 397:1 (labelled as models do) and for the foreign sample; 397:18 and 12:1 have none.
    Proposal persons;
    RleTarget first = RleTarget::fromRle(Rle::encode(blob(40, 30)), QRectF(), QStringLiteral("target"));
    first.score = 0.875;
    RleTarget second = RleTarget::fromRle(Rle::encode(stripe(40, 30)), QRectF(), QStringLiteral("target"));
    second.score = 0.25;
    persons.targets = {first, second};
    collector.samples[0].proposal = persons;
    Mask guess(24, 20);
    guess.fillRect(QRect(1, 1, 8, 8), true);
    Proposal foreign;
    foreign.targets = {RleTarget::fromRle(Rle::encode(guess), QRectF(), QStringLiteral("whatever"))};
    foreign.targets[0].score = 0.5;
    collector.samples.back().proposal = foreign;

    QVERIFY(!CocoResultsFormat().canImport());
    const QString out = dir.path() + QStringLiteral("/results");
    auto report = exportTo(CocoResultsFormat(), collector.samples, out);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->files, QStringList({QStringLiteral("results_val2017.json")}));
    QCOMPARE(report->samples, 2);
    QCOMPARE(report->targets, 3);
    QVERIFY(report->notes.join(QString()).contains(QStringLiteral("2 samples have no proposal of this run")));
    QFile file(out + QStringLiteral("/results_val2017.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray items = QJsonDocument::fromJson(file.readAll()).array();
    QCOMPARE(items.size(), 3);
    const QJsonObject top = items.at(0).toObject();
    QCOMPARE(top.keys(), QStringList({QStringLiteral("category_id"), QStringLiteral("image_id"), QStringLiteral("score"), QStringLiteral("segmentation")}));
    QCOMPARE(top.value(QStringLiteral("image_id")).toInt(), 397);
    QCOMPARE(top.value(QStringLiteral("category_id")).toInt(), 1);  // the sample's category, not the model's label
    QCOMPARE(top.value(QStringLiteral("score")).toDouble(), 0.875);
    QCOMPARE(top.value(QStringLiteral("segmentation")).toObject(), CocoSegmentation::compressed(Rle::encode(blob(40, 30))));
    const QJsonObject other = items.at(2).toObject();
    QCOMPARE(other.value(QStringLiteral("image_id")).toInt(), 77);
    // The foreign sample's predictions are scored under its first target's category.
    QCOMPARE(other.value(QStringLiteral("category_id")).toInteger(), CocoIds::labelId(QStringLiteral("target 0")));

    // The import side says it cannot read results.
    RecordCollector none;
    ImportOptions options;
    options.source = out + QStringLiteral("/results_val2017.json");
    auto refused = DatasetImport::run(CocoResultsFormat(), options, none);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QStringLiteral("cannot be imported")), qPrintable(refused.error()));
}

void TestCocoFormat::referenceCheckerDecodesExportLikePycocotools()
{
    QTemporaryDir dir;
    const Fixture f = makeFixture(dir.path());
    RecordCollector collector;
    QVERIFY(importInto(collector, f.file));
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/scene.jpg"), 24, 20);
    collector.samples.push_back(foreignRecord(image, 77));
    // Edit every sample: masks shifted one pixel right (so every annotation is written as RLE), and a
    // proposal per sample with masks of irregular shape (long runs, so compressed counts use several
    // characters and the delta coding).
    QList<QPair<QString, Mask>> expected;
    for (DatasetRecord &record : collector.samples) {
        record.targetsAnnotated = true;
        Proposal proposal;
        for (RleTarget &target : record.targets) {
            Mask mask = decoded(target);
            Mask shifted(mask.width(), mask.height());
            shifted.paste(mask, QPoint(1, 0));
            const bool ignore = target.ignore;
            target = RleTarget::fromRle(Rle::encode(shifted), QRectF(shifted.boundingRect()), target.label);
            target.ignore = ignore;
            Mask guess(mask.width(), mask.height());
            for (int y = 0; y < guess.height(); ++y)
                for (int x = 0; x < guess.width(); ++x)
                    guess.set(x, y, (x * 7 + y * 3 + x * y) % 5 < 2 || (x > 10 && y > 4));
            RleTarget predicted = RleTarget::fromRle(Rle::encode(guess), QRectF(), QStringLiteral("target"));
            predicted.score = 0.5;
            proposal.targets.push_back(predicted);
        }
        record.proposal = proposal;
    }
    const QString out = dir.path() + QStringLiteral("/export");
    QVERIFY(exportTo(CocoFormat(), collector.samples, out + QStringLiteral("/gt")));
    QVERIFY(exportTo(CocoResultsFormat(), collector.samples, out + QStringLiteral("/res")));
    QVERIFY(QFile::rename(out + QStringLiteral("/res/results_val2017.json"), out + QStringLiteral("/gt/results_val2017.json")));

    // Ground truth by annotation id (the file says which id each target got), results by position.
    const QJsonObject doc = readObject(out + QStringLiteral("/gt/instances_val2017.json"));
    const QJsonArray annotations = doc.value(QStringLiteral("annotations")).toArray();
    int index = 0;
    int result = 0;
    for (const DatasetRecord &record : collector.samples)
        for (std::size_t t = 0; t < record.targets.size(); ++t) {
            const qint64 id = annotations.at(index++).toObject().value(QStringLiteral("id")).toInteger();
            expected.append({QStringLiteral("gt__val2017__%1").arg(id), decoded(record.targets[t])});
            expected.append({QStringLiteral("res__val2017__%1").arg(result++), decoded(record.proposal->targets[t])});
        }
    QCOMPARE(index, 6);
    writeMasksForChecker(dir.path() + QStringLiteral("/expected"), expected);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_coco.py"), {out + QStringLiteral("/gt"), dir.path() + QStringLiteral("/expected")}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("12 samples match")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("6 results, 0 polygon annotations not rasterised")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestCocoFormat)
#include "tst_cocoformat.moc"
