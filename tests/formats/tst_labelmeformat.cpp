// LabelMe import/export: every shape type, LabelMe's (label, group_id) instances, image paths that
// must stay inside the dataset, malformed files, round trips, and a python reference checker that
// reads our export the way LabelMe's loader does and draws it with the stated OpenCV rule.
#include "core/rle.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/labelmeformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

// A 1-bit-per-pixel-style bitmap as LabelMe stores a "mask" shape: base64 of a grayscale PNG.
QString pngBase64(const Mask &bitmap)
{
    QImage image(bitmap.width(), bitmap.height(), QImage::Format_Grayscale8);
    for (int y = 0; y < bitmap.height(); ++y)
        for (int x = 0; x < bitmap.width(); ++x)
            image.scanLine(y)[x] = bitmap.at(x, y) ? 1 : 0;
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QString::fromLatin1(png.toBase64());
}

QJsonObject shape(const QString &label, const QJsonArray &points, const QString &type, const QJsonValue &group = QJsonValue::Null)
{
    return QJsonObject{{QStringLiteral("label"), label},
                       {QStringLiteral("points"), points},
                       {QStringLiteral("shape_type"), type},
                       {QStringLiteral("group_id"), group},
                       {QStringLiteral("flags"), QJsonObject()}};
}

QJsonArray pts(std::initializer_list<std::pair<double, double>> points)
{
    QJsonArray list;
    for (const auto &[x, y] : points)
        list.append(QJsonArray{x, y});
    return list;
}

QByteArray labelmeJson(const QJsonArray &shapes, const QString &imagePath, int width, int height)
{
    QJsonObject json{{QStringLiteral("version"), QStringLiteral("5.5.0")},
                     {QStringLiteral("flags"), QJsonObject{{QStringLiteral("reviewed"), true}}},
                     {QStringLiteral("shapes"), shapes},
                     {QStringLiteral("imagePath"), imagePath},
                     {QStringLiteral("imageData"), QJsonValue::Null},
                     {QStringLiteral("imageHeight"), height},
                     {QStringLiteral("imageWidth"), width}};
    return QJsonDocument(json).toJson();
}

Mask bitmap5x3()
{
    Mask bitmap(5, 3);
    bitmap.set(0, 0, true);
    bitmap.set(4, 2, true);
    bitmap.fillRect(QRect(1, 1, 3, 1), true);
    return bitmap;
}

// A dataset with every shape type: a.json (+ a.jpg) and sub/b.json pointing at ../a.jpg.
QString writeDataset(const QString &root)
{
    writeTestJpeg(root + QStringLiteral("/a.jpg"), 40, 30);
    QJsonArray shapes;
    shapes.append(shape(QStringLiteral("cup"), pts({{3.7, 2.2}, {12.9, 3.5}, {9.1, 11.8}}), QStringLiteral("polygon")));
    shapes.append(shape(QStringLiteral("plate"), pts({{20, 5}, {27.6, 9.9}}), QStringLiteral("rectangle")));
    shapes.append(shape(QStringLiteral("ball"), pts({{30.4, 20.2}, {33.1, 22.9}}), QStringLiteral("circle")));
    // Two pieces of one instance (same label and group_id), and a different label with the same group.
    shapes.append(shape(QStringLiteral("fork"), pts({{2, 20}, {6, 20}, {6, 24}}), QStringLiteral("polygon"), 1));
    shapes.append(shape(QStringLiteral("fork"), pts({{10, 20}, {14, 20}, {14, 26}}), QStringLiteral("polygon"), 1));
    shapes.append(shape(QStringLiteral("knife"), pts({{16, 14}, {19, 14}, {19, 17}}), QStringLiteral("polygon"), 1));
    QJsonObject mask = shape(QStringLiteral("crumb"), pts({{22.6, 24.2}, {26.9, 26.5}}), QStringLiteral("mask"));
    mask.insert(QStringLiteral("mask"), pngBase64(bitmap5x3()));
    mask.insert(QStringLiteral("description"), QStringLiteral("a small crumb"));
    shapes.append(mask);
    QJsonObject ignored = shape(QStringLiteral("glare"), pts({{35, 2}, {38, 5}}), QStringLiteral("rectangle"));
    ignored.insert(QStringLiteral("flags"), QJsonObject{{QStringLiteral("ignore"), true}});
    shapes.append(ignored);
    shapes.append(shape(QStringLiteral("tip"), pts({{5, 5}}), QStringLiteral("point")));
    shapes.append(shape(QStringLiteral("edge"), pts({{1, 1}, {8, 1}}), QStringLiteral("line")));
    QJsonObject legacy{{QStringLiteral("label"), QStringLiteral("cup")}, {QStringLiteral("points"), pts({{30, 8}, {36, 8}, {33, 13}})}};
    shapes.append(legacy);  // no shape_type: a polygon, as LabelMe reads it
    writeFile(root + QStringLiteral("/a.json"), labelmeJson(shapes, QStringLiteral("a.jpg"), 40, 30));

    QJsonObject second = QJsonDocument::fromJson(labelmeJson(QJsonArray{shape(QStringLiteral("cat"), pts({{1, 1}, {30, 2}, {15, 25}}),
                                                                                 QStringLiteral("polygon"))},
                                                               QStringLiteral("..\\a.jpg"), 40, 30))
                             .object();
    second.insert(QStringLiteral("text"), QJsonArray{QStringLiteral("what hunts mice?"), QStringLiteral("the pet")});
    writeFile(root + QStringLiteral("/sub/b.json"), QJsonDocument(second).toJson());
    writeFile(root + QStringLiteral("/classes.json"), R"({"names": ["cup", "plate"]})");
    return root;
}

Mask targetMask(const DatasetRecord &record, std::size_t index)
{
    return record.targets[index].rle()->decode();
}

Expected<ImportReport> importFrom(const QString &source, RecordCollector &collector, bool requireImages = true)
{
    ImportOptions options;
    options.source = source;
    options.split = QStringLiteral("train");
    options.requireImages = requireImages;
    return DatasetImport::run(LabelMeFormat(), options, collector);
}

} // namespace

class TestLabelMeFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsEveryShapeType();
    void importsOneFile();
    void malformedInput_data();
    void malformedInput();
    void sizeFromJsonWithoutImages();
    void exportUneditedKeepsShapes();
    void exportEditedRoundTripsAndReportsHoles();
    void referenceCheckerReadsExportLikeLabelMe();
};

void TestLabelMeFormat::importsEveryShapeType()
{
    QTemporaryDir dir;
    writeDataset(dir.path());
    RecordCollector collector;
    auto report = importFrom(dir.path(), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples, 2);
    QCOMPARE(collector.samples.size(), std::size_t(2));

    const DatasetRecord &a = collector.samples[0];
    QCOMPARE(a.sample.sourceId, QStringLiteral("a"));
    QCOMPARE(a.sample.split, QStringLiteral("train"));
    QCOMPARE(a.extras.dataset, QStringLiteral("LabelMe"));
    QCOMPARE(a.imageFile, QDir::cleanPath(dir.path() + QStringLiteral("/a.jpg")));
    QCOMPARE(a.sample.image.size, QSize(40, 30));
    QCOMPARE(a.sample.image.sha256.size(), 64);
    // No question in LabelMe: the distinct region labels, a phrase.
    QCOMPARE(a.sample.queries, QStringList({QStringLiteral("cup, plate, ball, fork, knife, crumb")}));
    QCOMPARE(a.sample.isSentence, false);
    QVERIFY(!a.extras.noTarget);
    QCOMPARE(a.extras.extra.value(QStringLiteral("shapes")).toArray().size(), 11);
    QCOMPARE(a.extras.extra.value(QStringLiteral("flags")).toObject().value(QStringLiteral("reviewed")).toBool(), true);

    // cup, plate, ball, fork (2 pieces), knife (same group, other label), crumb, glare, cup (legacy).
    QStringList labels;
    for (const RleTarget &target : a.targets)
        labels << target.label;
    QCOMPARE(labels, QStringList({QStringLiteral("cup"), QStringLiteral("plate"), QStringLiteral("ball"), QStringLiteral("fork"),
                                  QStringLiteral("knife"), QStringLiteral("crumb"), QStringLiteral("glare"), QStringLiteral("cup")}));
    // Rectangle: corners truncated to (20, 5) and (27, 9), both included.
    Mask plate(40, 30);
    plate.fillRect(QRect(QPoint(20, 5), QPoint(27, 9)), true);
    QCOMPARE(targetMask(a, 1), plate);
    QCOMPARE(a.targets[1].box, QRectF(20, 5, 8, 5));
    // Circle: centre (30, 20), radius int(hypot(2.7, 2.7) + 0.5) = 4: symmetric, 4 px each way.
    const Mask ball = targetMask(a, 2);
    QCOMPARE(ball.boundingRect(), QRect(26, 16, 9, 9));
    QVERIFY(ball.at(30, 20) && ball.at(34, 20) && ball.at(30, 24) && !ball.at(34, 24));
    // The two fork pieces are one target; the knife with the same group_id is another.
    const Mask fork = targetMask(a, 3);
    QVERIFY(fork.at(3, 20) && fork.at(13, 21));
    QVERIFY(!targetMask(a, 4).at(3, 20));
    // The mask shape: its bitmap pasted at (int(22.6), int(24.2)) = (22, 24).
    Mask crumb(40, 30);
    crumb.paste(bitmap5x3(), QPoint(22, 24));
    QCOMPARE(targetMask(a, 5), crumb);
    QCOMPARE(a.targets[5].description, QStringLiteral("a small crumb"));
    QVERIFY(a.targets[6].ignore);
    QVERIFY(!a.targets[0].ignore);
    // Polygon: the 1-px outline is part of the mask (vertices (3,2) (12,3) (9,11) included).
    const Mask cup = targetMask(a, 0);
    QVERIFY(cup.at(3, 2) && cup.at(12, 3) && cup.at(9, 11));
    QVERIFY(!cup.at(13, 3));

    const DatasetRecord &b = collector.samples[1];
    QCOMPARE(b.sample.sourceId, QStringLiteral("sub/b"));
    QCOMPARE(b.imageFile, a.imageFile);  // "..\a.jpg" from sub/, still inside the dataset
    QCOMPARE(b.sample.queries, QStringList({QStringLiteral("what hunts mice?"), QStringLiteral("the pet")}));
    QCOMPARE(b.sample.isSentence, true);

    const QString notes = report->notes.join(QLatin1Char('|'));
    QVERIFY2(notes.contains(QStringLiteral("1 .json files have no \"shapes\"")), qPrintable(notes));
    QVERIFY(notes.contains(QStringLiteral("2 point/line/linestrip shapes enclose no region")));
}

void TestLabelMeFormat::importsOneFile()
{
    QTemporaryDir dir;
    writeDataset(dir.path());
    RecordCollector collector;
    auto report = importFrom(dir.path() + QStringLiteral("/sub/b.json"), collector);
    // One file: its folder is the dataset, so "../a.jpg" leaves it.
    QVERIFY(!report);
    QVERIFY2(report.error().contains(QStringLiteral("imagePath '..\\a.jpg' leads out of the dataset folder")), qPrintable(report.error()));
    RecordCollector one;
    auto single = importFrom(dir.path() + QStringLiteral("/a.json"), one);
    QVERIFY2(single, qPrintable(single.error()));
    QCOMPARE(one.samples.size(), std::size_t(1));
    QCOMPARE(one.samples[0].sample.sourceId, QStringLiteral("a"));
}

void TestLabelMeFormat::malformedInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("withImage");
    QTest::addColumn<QString>("expected");

    const auto one = [](const QJsonObject &s) { return labelmeJson(QJsonArray{s}, QStringLiteral("img.jpg"), 20, 16); };
    const QJsonObject square = shape(QStringLiteral("t"), pts({{1, 1}, {5, 1}, {5, 5}}), QStringLiteral("polygon"));

    QTest::newRow("truncated") << QByteArray(R"({"shapes": [{"label": )") << true << QStringLiteral("x.json:1:");
    QTest::newRow("not an object") << QByteArray("[1]") << true << QStringLiteral("x.json: must be a JSON object");
    QTest::newRow("shapes not a list") << QByteArray(R"({"shapes": {}, "imagePath": "img.jpg"})") << true
                                       << QStringLiteral("field 'shapes' must be a list");
    QTest::newRow("no imagePath") << QByteArray(R"({"shapes": []})") << true << QStringLiteral("x.json: field 'imagePath' is missing");
    QTest::newRow("imagePath leaves the dataset") << labelmeJson(QJsonArray{}, QStringLiteral("../img.jpg"), 20, 16) << true
                                                  << QStringLiteral("imagePath '../img.jpg' leads out of the dataset folder");
    QTest::newRow("imagePath sneaks out") << labelmeJson(QJsonArray{}, QStringLiteral("a/../../img.jpg"), 20, 16) << true
                                          << QStringLiteral("imagePath 'a/../../img.jpg' leads out");
    QTest::newRow("imagePath absolute") << labelmeJson(QJsonArray{}, QStringLiteral("/etc/img.jpg"), 20, 16) << true
                                        << QStringLiteral("imagePath '/etc/img.jpg' leads out");
    QTest::newRow("image missing") << one(square) << false << QStringLiteral("img.jpg' is missing");
    QJsonObject withData = QJsonDocument::fromJson(one(square)).object();
    withData.insert(QStringLiteral("imageData"), QStringLiteral("/9j/4AAQ"));
    QTest::newRow("image only as imageData") << QJsonDocument(withData).toJson() << false
                                             << QStringLiteral("embedded as imageData, which an import does not extract");
    QTest::newRow("label missing") << one(QJsonObject{{QStringLiteral("points"), pts({{1, 1}, {2, 2}, {3, 1}})}}) << true
                                   << QStringLiteral("x.json shapes[0]: field 'label' is missing");
    QTest::newRow("unknown shape type") << one(shape(QStringLiteral("t"), pts({{1, 1}, {2, 2}}), QStringLiteral("ellipse"))) << true
                                        << QStringLiteral("shapes[0]: shape_type 'ellipse' is not one LabelMe draws");
    QTest::newRow("polygon of two points") << one(shape(QStringLiteral("t"), pts({{1, 1}, {2, 2}}), QStringLiteral("polygon"))) << true
                                           << QStringLiteral("shapes[0]: a polygon needs at least 3 points, found 2");
    QTest::newRow("rectangle of three points") << one(shape(QStringLiteral("t"), pts({{1, 1}, {2, 2}, {3, 3}}), QStringLiteral("rectangle")))
                                               << true << QStringLiteral("a rectangle needs exactly 2 points, found 3");
    QTest::newRow("point not a pair") << one(shape(QStringLiteral("t"), QJsonArray{QJsonArray{1, 2, 3}}, QStringLiteral("point"))) << true
                                      << QStringLiteral("shapes[0]: points[0] is not an [x, y] pair of numbers");
    QTest::newRow("point outside the image") << one(shape(QStringLiteral("t"), pts({{1, 1}, {50, 2}, {3, 5}}), QStringLiteral("polygon")))
                                             << true << QStringLiteral("shapes[0] point 1: (50, 2) is outside the 20x16 image");
    QTest::newRow("group_id a string") << one(shape(QStringLiteral("t"), pts({{1, 1}, {5, 1}, {5, 5}}), QStringLiteral("polygon"), QStringLiteral("g")))
                                       << true << QStringLiteral("field 'group_id' must be an integer or null, not \"g\"");
    QJsonObject badMask = shape(QStringLiteral("t"), pts({{1, 1}, {5, 3}}), QStringLiteral("mask"));
    badMask.insert(QStringLiteral("mask"), QStringLiteral("not*base64"));
    QTest::newRow("mask not base64") << one(badMask) << true << QStringLiteral("shapes[0]: 'mask' is not base64");
    QJsonObject wrongSize = shape(QStringLiteral("t"), pts({{1, 1}, {6, 3}}), QStringLiteral("mask"));
    wrongSize.insert(QStringLiteral("mask"), pngBase64(bitmap5x3()));
    QTest::newRow("mask bitmap of another size") << one(wrongSize) << true
                                                 << QStringLiteral("the mask bitmap is 5x3 but its corners span 6x3");
    QJsonObject outside = shape(QStringLiteral("t"), pts({{17, 1}, {21, 3}}), QStringLiteral("mask"));
    outside.insert(QStringLiteral("mask"), pngBase64(bitmap5x3()));
    QTest::newRow("mask past the image edge") << one(outside) << true
                                              << QStringLiteral("mask corners (17, 1) (21, 3) are not a box inside the 20x16 image");
    QTest::newRow("imageHeight a string") << QByteArray(R"({"shapes": [], "imagePath": "img.jpg", "imageHeight": "16", "imageWidth": 20})")
                                          << true << QStringLiteral("field 'imageHeight' must be an integer");
    QTest::newRow("declared size differs from the image") << labelmeJson(QJsonArray{square}, QStringLiteral("img.jpg"), 20, 17) << true
                                                          << QStringLiteral("the image is 20x16 pixels but the dataset says 20x17");
    QTest::newRow("text has a number") << QByteArray(R"({"shapes": [], "imagePath": "img.jpg", "text": ["a", 1]})") << true
                                       << QStringLiteral("field 'text' must be a list of strings, found 1");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"shapes\": [], \"imagePath\": \"im\xff.jpg\"}") << true << QStringLiteral("x.json:1");
}

void TestLabelMeFormat::malformedInput()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, withImage);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString root = dir.path() + QStringLiteral("/set");
    if (withImage)
        writeTestJpeg(root + QStringLiteral("/img.jpg"), 20, 16);
    writeTestJpeg(dir.path() + QStringLiteral("/img.jpg"), 20, 16);  // outside the dataset: must never be reached
    writeFile(root + QStringLiteral("/x.json"), json);
    RecordCollector collector;
    auto report = importFrom(root, collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
    QVERIFY(collector.samples.empty());
}

void TestLabelMeFormat::sizeFromJsonWithoutImages()
{
    QTemporaryDir dir;
    writeFile(dir.path() + QStringLiteral("/x.json"),
              labelmeJson(QJsonArray{shape(QStringLiteral("t"), pts({{1, 1}, {4, 3}}), QStringLiteral("rectangle"))}, QStringLiteral("gone.png"), 9, 7));
    RecordCollector collector;
    auto report = importFrom(dir.path(), collector, false);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.samples[0].sample.image.size, QSize(9, 7));
    QCOMPARE(collector.samples[0].targets[0].rle()->area(), qint64(12));
    // Without the image and without imageHeight/imageWidth there is no size to draw at.
    writeFile(dir.path() + QStringLiteral("/x.json"), R"({"shapes": [], "imagePath": "gone.png"})");
    RecordCollector none;
    auto failed = importFrom(dir.path(), none, false);
    QVERIFY(!failed);
    QVERIFY2(failed.error().contains(QStringLiteral("no imageHeight/imageWidth and no image file")), qPrintable(failed.error()));
}

void TestLabelMeFormat::exportUneditedKeepsShapes()
{
    QTemporaryDir dir;
    writeDataset(dir.path() + QStringLiteral("/in"));
    RecordCollector collector;
    QVERIFY(importFrom(dir.path() + QStringLiteral("/in"), collector));

    ExportOptions first;
    first.outDir = dir.path() + QStringLiteral("/first");
    VectorSource a(collector.samples);
    auto report = DatasetExport::run(LabelMeFormat(), a, first, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY(report->warnings.isEmpty());
    QVERIFY(report->notes.join(QLatin1Char('|')).contains(QStringLiteral("LabelMe has no splits: the samples of train share one folder")));
    QCOMPARE(report->files, QStringList({QStringLiteral("a.jpg"), QStringLiteral("a.json"), QStringLiteral("sub/b.jpg"), QStringLiteral("sub/b.json")}));
    const auto bytes = folderBytes(first.outDir);
    QCOMPARE(bytes.value(QStringLiteral("a.jpg")), folderBytes(dir.path() + QStringLiteral("/in")).value(QStringLiteral("a.jpg")));
    const QJsonObject json = QJsonDocument::fromJson(bytes.value(QStringLiteral("a.json"))).object();
    const QJsonObject source = QJsonDocument::fromJson(folderBytes(dir.path() + QStringLiteral("/in")).value(QStringLiteral("a.json"))).object();
    QCOMPARE(json.value(QStringLiteral("shapes")), source.value(QStringLiteral("shapes")));
    QCOMPARE(json.value(QStringLiteral("version")), source.value(QStringLiteral("version")));
    QCOMPARE(json.value(QStringLiteral("flags")), source.value(QStringLiteral("flags")));
    QCOMPARE(json.value(QStringLiteral("imagePath")).toString(), QStringLiteral("a.jpg"));
    QVERIFY(json.value(QStringLiteral("imageData")).isNull());
    QCOMPARE(QJsonDocument::fromJson(bytes.value(QStringLiteral("sub/b.json"))).object().value(QStringLiteral("imagePath")).toString(),
             QStringLiteral("b.jpg"));

    // Import of the export gives the same samples; a second export the same bytes.
    RecordCollector back;
    QVERIFY(importFrom(first.outDir, back));
    QCOMPARE(back.samples.size(), collector.samples.size());
    for (std::size_t i = 0; i < back.samples.size(); ++i) {
        QCOMPARE(back.samples[i].sample.sourceId, collector.samples[i].sample.sourceId);
        QCOMPARE(back.samples[i].sample.queries, collector.samples[i].sample.queries);
        QCOMPARE(back.samples[i].targets, collector.samples[i].targets);
    }
    ExportOptions second;
    second.outDir = dir.path() + QStringLiteral("/second");
    VectorSource b(back.samples);
    QVERIFY(DatasetExport::run(LabelMeFormat(), b, second, ExportProvenance()));
    QCOMPARE(folderBytes(second.outDir), bytes);
}

void TestLabelMeFormat::exportEditedRoundTripsAndReportsHoles()
{
    QTemporaryDir dir;
    const QString image = writeTestJpeg(dir.path() + QStringLiteral("/img.png.jpg"), 40, 30);
    Mask blob(40, 30);
    blob.fillRect(QRect(3, 4, 10, 7), true);
    blob.fillRect(QRect(8, 10, 3, 9), true);  // an L shape: concave
    Mask pieces(40, 30);
    pieces.fillRect(QRect(20, 2, 4, 4), true);
    pieces.fillRect(QRect(30, 20, 5, 3), true);
    pieces.set(38, 28, true);  // a single pixel: a degenerate polygon
    Mask ring(40, 30);
    ring.fillRect(QRect(15, 12, 10, 10), true);
    ring.fillRect(QRect(18, 15, 4, 4), false);
    DatasetRecord record = recordWithMasks(QStringLiteral("../escape/me"), QString(), image, {blob, pieces, ring});
    record.sample.id = 9;
    record.targetsAnnotated = true;
    record.targets[1].ignore = true;
    record.targets[1].description = QStringLiteral("three bits");
    VectorSource source({record});
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    auto report = DatasetExport::run(LabelMeFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    // An unsafe source id gets a plain stem; only the ring loses pixels (16 of 100: IoU 0.84).
    QCOMPARE(report->files, QStringList({QStringLiteral("sample_9.jpg"), QStringLiteral("sample_9.json")}));
    QCOMPARE(report->warnings.size(), 1);
    QVERIFY2(report->warnings.front().contains(QStringLiteral("sample_9: target 2 ('target 2') reads back with IoU 0.8400")),
             qPrintable(report->warnings.front()));

    RecordCollector back;
    QVERIFY(importFrom(options.outDir, back));
    const DatasetRecord &read = back.samples.front();
    QCOMPARE(read.targets.size(), std::size_t(3));
    QCOMPARE(targetMask(read, 0), blob);
    QCOMPARE(targetMask(read, 1), pieces);  // three polygons, one group_id: one target
    QVERIFY(read.targets[1].ignore);
    QCOMPARE(read.targets[1].description, QStringLiteral("three bits"));
    QCOMPARE(targetMask(read, 2), ring.filledHoles());
    QCOMPARE(read.sample.queries, record.sample.queries);
    QCOMPARE(read.sample.isSentence, record.sample.isSentence);
}

void TestLabelMeFormat::referenceCheckerReadsExportLikeLabelMe()
{
    QTemporaryDir dir;
    writeDataset(dir.path() + QStringLiteral("/in"));
    RecordCollector collector;
    QVERIFY(importFrom(dir.path() + QStringLiteral("/in"), collector));
    // Traced copies of the same samples, as if annotated.
    for (std::size_t i = 0; i < 2; ++i) {
        DatasetRecord edited = collector.samples[i];
        edited.sample.sourceId = QStringLiteral("edited/") + edited.sample.sourceId.replace(QLatin1Char('/'), QLatin1Char('_'));
        edited.targetsAnnotated = true;
        collector.samples.push_back(edited);
    }
    ExportOptions options;
    options.outDir = dir.path() + QStringLiteral("/out");
    VectorSource source(collector.samples);
    QVERIFY(DatasetExport::run(LabelMeFormat(), source, options, ExportProvenance()));

    // What our C++ reads back from the export, instance by instance.
    RecordCollector back;
    QVERIFY(importFrom(options.outDir, back));
    QCOMPARE(back.samples.size(), std::size_t(4));
    QList<QPair<QString, Mask>> expected;
    for (const DatasetRecord &record : back.samples)
        for (std::size_t t = 0; t < record.targets.size(); ++t)
            expected.append({QString(record.sample.sourceId).replace(QLatin1Char('/'), QStringLiteral("__")) + QStringLiteral("__%1").arg(t),
                             targetMask(record, t)});
    QVERIFY(expected.size() > 15);
    writeMasksForChecker(dir.path() + QStringLiteral("/expected"), expected);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_labelme.py"), {options.outDir, dir.path() + QStringLiteral("/expected")}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("%1 samples match").arg(expected.size())), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestLabelMeFormat)
#include "tst_labelmeformat.moc"
