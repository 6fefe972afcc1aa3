// RefCOCO (refer API layout) import/export: refs pickles as refer reads them, getRefIds' split rules,
// getMask's segmentation forms, malformed inputs, exact round trips, and the python reference checker
// that reads our import's source and our export the way refer and LISA do.
#include "core/rle.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/picklereader.h"
#include "plugins/formats/pixeloutline.h"
#include "plugins/formats/refcocoformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"
#include "tests/formats/referfixture.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <random>

using namespace rs;
using namespace rs::test;

namespace {

const QString kImages = QStringLiteral("images/mscoco/images/train2014");

Expected<ImportReport> importFrom(const QString &source, RecordCollector &collector, const QString &split = QString())
{
    ImportOptions options;
    options.source = source;
    options.split = split;
    return DatasetImport::run(RefCocoFormat(), options, collector);
}

// Expected masks keyed "<ref_id>_<sent_id>" for the reference checker.
QList<QPair<QString, Mask>> checkerMasks(const std::vector<DatasetRecord> &records)
{
    QList<QPair<QString, Mask>> masks;
    for (const DatasetRecord &record : records)
        masks.append({QString(record.sample.sourceId).replace(QLatin1Char(':'), QLatin1Char('_')), targetUnion(record)});
    return masks;
}

using Mutation = std::function<void(ReferFixture &, QString &refsName, QByteArray &rawRefs)>;

struct MalformedCase
{
    Mutation mutate;
};

QJsonObject refAt(const ReferFixture &f, int i)
{
    return f.refs.at(i).toObject();
}

void setRef(ReferFixture &f, int i, const QJsonObject &ref)
{
    f.refs.replace(i, ref);
}

QJsonObject withSentences(QJsonObject ref, const std::function<void(QJsonObject &)> &change)
{
    QJsonArray sentences = ref.value(QStringLiteral("sentences")).toArray();
    QJsonObject first = sentences.at(0).toObject();
    change(first);
    sentences.replace(0, first);
    ref.insert(QStringLiteral("sentences"), sentences);
    return ref;
}

} // namespace

Q_DECLARE_METATYPE(Mutation)

class TestRefCocoFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsOneSamplePerSentence();
    void splitFollowsGetRefIds_data();
    void splitFollowsGetRefIds();
    void picksTheRefsFileLisaReads();
    void importsAPython2Pickle();
    void malformedInput_data();
    void malformedInput();
    void exportRoundTripsUneditedExactly();
    void exportWritesEditedMasks();
    void referenceCheckerReadsImportSourceAndExport();
    void randomMasksReadBackAsPythonReadsThem();
};

void TestRefCocoFormat::importsOneSamplePerSentence()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::refcoco();
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("refcoco"), QStringLiteral("refs(unc).p"), kImages), QString());
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("refcoco")), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples, 7);
    QCOMPARE(report->targets, 7);
    QCOMPARE(collector.samples.size(), std::size_t(7));

    // Refs in file order, sentences in ref order; ids, splits and text as the refs say.
    QStringList ids;
    for (const DatasetRecord &record : collector.samples)
        ids << record.sample.sourceId;
    QCOMPARE(ids, QStringList({"0:0", "0:1", "1:2", "2:3", "3:4", "3:5", "4:6"}));
    const DatasetRecord &first = collector.samples.front();
    QCOMPARE(first.sample.queries, QStringList{QStringLiteral("man on the left")});
    QCOMPARE(first.sample.isSentence, false);
    QCOMPARE(first.sample.split, QStringLiteral("train"));
    QCOMPARE(first.extras.dataset, QStringLiteral("refcoco"));
    QCOMPARE(first.extras.noTarget, false);
    QCOMPARE(first.sample.image.size, QSize(40, 30));
    QCOMPARE(first.sample.image.sha256.size(), 64);
    QCOMPARE(first.imageFile, dir.filePath(kImages + QStringLiteral("/COCO_train2014_000000000011.jpg")));
    const QJsonObject &extra = first.extras.extra;
    QCOMPARE(extra.value(QStringLiteral("ref_id")).toInteger(), 0);
    QCOMPARE(extra.value(QStringLiteral("ann_id")).toInteger(), 101);
    QCOMPARE(extra.value(QStringLiteral("image_id")).toInteger(), 11);
    QCOMPARE(extra.value(QStringLiteral("category_id")).toInteger(), 1);
    QCOMPARE(extra.value(QStringLiteral("sent_id")).toInteger(), 0);
    QCOMPARE(extra.value(QStringLiteral("raw")).toString(), QStringLiteral("Man on the left!"));
    QCOMPARE(extra.value(QStringLiteral("tokens")).toArray(), (QJsonArray{"man", "on", "the", "left"}));
    QCOMPARE(extra.value(QStringLiteral("file_name")).toString(), QStringLiteral("COCO_train2014_000000000011_101.jpg"));
    QCOMPARE(extra.value(QStringLiteral("split_by")).toString(), QStringLiteral("unc"));
    QCOMPARE(extra.value(QStringLiteral("annotations")).toArray(), QJsonArray{fixture.annotation(101)});

    // Masks as getMask reads them: a polygon, two polygon parts merged, a compressed RLE list, float vertices.
    QCOMPARE(first.targets.size(), std::size_t(1));
    QCOMPARE(first.targets.front().label, QStringLiteral("person"));
    QCOMPARE(targetUnion(first), ReferFixture::polygonMask(fixture.annotation(101).value(QStringLiteral("segmentation")).toArray(), 40, 30));
    QCOMPARE(targetUnion(first).area(), qsizetype(100));  // pycocotools: [2, 12) x [2, 12)
    QCOMPARE(first.targets.front().box, QRectF(2, 2, 10, 10));
    const DatasetRecord &car = collector.samples[2];
    QCOMPARE(car.targets.front().label, QStringLiteral("car"));
    QCOMPARE(targetUnion(car), ReferFixture::polygonMask(fixture.annotation(102).value(QStringLiteral("segmentation")).toArray(), 40, 30));
    QVERIFY(targetUnion(car).area() > 100);
    const DatasetRecord &dog = collector.samples[3];
    Mask blob(32, 24);
    blob.fillRect(QRect(4, 3, 12, 5), true);
    blob.fillRect(QRect(4, 8, 4, 10), true);
    QCOMPARE(targetUnion(dog), blob);
    QCOMPARE(dog.sample.image.size, QSize(32, 24));
    QCOMPARE(targetUnion(collector.samples[4]),
             ReferFixture::polygonMask(fixture.annotation(105).value(QStringLiteral("segmentation")).toArray(), 40, 30));
    QVERIFY(report->notes.join(QLatin1Char('\n')).contains(QStringLiteral("images from ") + dir.filePath(kImages)));
}

void TestRefCocoFormat::splitFollowsGetRefIds_data()
{
    QTest::addColumn<QString>("split");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QString>("error");
    QTest::newRow("all") << QString() << QStringList{"0:0", "0:1", "1:2", "2:3", "3:4", "3:5", "4:6"} << QString();
    QTest::newRow("train") << QStringLiteral("train") << QStringList{"0:0", "0:1"} << QString();
    QTest::newRow("val") << QStringLiteral("val") << QStringList{"3:4", "3:5"} << QString();
    QTest::newRow("testA takes testAB") << QStringLiteral("testA") << QStringList{"1:2", "4:6"} << QString();
    QTest::newRow("testB takes testAB") << QStringLiteral("testB") << QStringList{"2:3", "4:6"} << QString();
    QTest::newRow("test takes every test*") << QStringLiteral("test") << QStringList{"1:2", "2:3", "4:6"} << QString();
    QTest::newRow("testAB exact") << QStringLiteral("testAB") << QStringList{"4:6"} << QString();
    QTest::newRow("unknown name") << QStringLiteral("training") << QStringList()
                                  << QStringLiteral("no split 'training' (refer's getRefIds knows train, val, test, testA, testB, testC, "
                                                    "testAB, testBC, testAC; splits present: train, testA, testB, val, testAB)");
    QTest::newRow("known but empty") << QStringLiteral("testC") << QStringList()
                                     << QStringLiteral("split 'testC' selects no refs (splits present: train, testA, testB, val, testAB)");
}

void TestRefCocoFormat::splitFollowsGetRefIds()
{
    QFETCH(QString, split);
    QFETCH(QStringList, ids);
    QFETCH(QString, error);
    QTemporaryDir dir;
    QCOMPARE(ReferFixture::refcoco().write(dir.path(), QStringLiteral("refcoco"), QStringLiteral("refs(unc).p"), kImages), QString());
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("refcoco")), collector, split);
    if (!error.isEmpty()) {
        QVERIFY(!report);
        QVERIFY2(report.error().contains(error), qPrintable(report.error()));
        QVERIFY(!report.error().contains(QLatin1Char('\n')));
        return;
    }
    QVERIFY2(report, qPrintable(report.error()));
    QStringList found;
    for (const DatasetRecord &record : collector.samples)
        found << record.sample.sourceId;
    QCOMPARE(found, ids);
}

void TestRefCocoFormat::picksTheRefsFileLisaReads()
{
    QTemporaryDir dir;
    ReferFixture fixture = ReferFixture::refcoco();
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("refcoco"), QStringLiteral("refs(unc).p"), kImages), QString());
    // refs(google).p holds only the first ref: which file was read shows in the sample count.
    ReferFixture google = fixture;
    google.refs = QJsonArray{fixture.refs.at(0)};
    QCOMPARE(google.write(dir.path(), QStringLiteral("refcoco"), QStringLiteral("refs(google).p"), kImages), QString());
    RecordCollector unc;
    auto report = importFrom(dir.filePath(QStringLiteral("refcoco")), unc);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(unc.samples.size(), std::size_t(7));
    QVERIFY2(report->notes.join(QLatin1Char('\n')).contains(QStringLiteral("imported refs(unc).p (splitBy unc, as LISA reads this dataset)")),
             qPrintable(report->notes.join(QLatin1Char('\n'))));

    // Naming the file picks it, and its splitBy is kept for the export.
    RecordCollector named;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("refcoco/refs(google).p")), named));
    QCOMPARE(named.samples.size(), std::size_t(2));
    QCOMPARE(named.samples.front().extras.extra.value(QStringLiteral("split_by")).toString(), QStringLiteral("google"));

    // refcocog: umd, as LISA reads it; without a umd/unc file the choice is the user's.
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("refcocog"), QStringLiteral("refs(umd).p"), kImages), QString());
    QCOMPARE(google.write(dir.path(), QStringLiteral("refcocog"), QStringLiteral("refs(google).p"), kImages), QString());
    RecordCollector umd;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("refcocog")), umd));
    QCOMPARE(umd.samples.size(), std::size_t(7));
    QCOMPARE(umd.samples.front().extras.dataset, QStringLiteral("refcocog"));
    QCOMPARE(google.write(dir.path(), QStringLiteral("refclef"), QStringLiteral("refs(google).p"), kImages), QString());
    QCOMPARE(google.write(dir.path(), QStringLiteral("refclef"), QStringLiteral("refs(berkeley).p"), kImages), QString());
    RecordCollector none;
    auto ambiguous = importFrom(dir.filePath(QStringLiteral("refclef")), none);
    QVERIFY(!ambiguous);
    QVERIFY2(ambiguous.error().contains(QStringLiteral("several refs files (refs(berkeley).p, refs(google).p): name the one to import as the source")),
             qPrintable(ambiguous.error()));
}

void TestRefCocoFormat::importsAPython2Pickle()
{
    // refs written by Python 2's cPickle (str keys, unicode and byte-string text, longs). The UTF-8
    // byte strings are the sentence (shared by raw through the memo) and a token.
    QTemporaryDir dir;
    ReferFixture fixture = ReferFixture::refcoco();
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("refcoco+"), QStringLiteral("refs(unc).json"), kImages), QString());
    QFile::remove(dir.filePath(QStringLiteral("refcoco+/refs(unc).json")));
    QVERIFY(QFile::copy(QStringLiteral(RS_TEST_DATA_DIR "/pickle/py2_refcoco_refs.p"), dir.filePath(QStringLiteral("refcoco+/refs(unc).p"))));
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("refcoco+")), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(collector.samples.size(), std::size_t(3));
    QCOMPARE(collector.samples[0].sample.query(), QStringLiteral("man on the left"));
    QCOMPARE(collector.samples[1].sample.query(), QStringLiteral("café sign"));       // py2 unicode
    QCOMPARE(collector.samples[2].sample.query(), QStringLiteral("naïve dog"));       // py2 UTF-8 str
    QCOMPARE(collector.samples[2].extras.extra.value(QStringLiteral("ref_id")).toInteger(), qint64(1) << 40);  // py2 long
    QCOMPARE(targetUnion(collector.samples[2]).area(), qsizetype(12 * 5 + 4 * 10));
    QVERIFY2(report->notes.join(QLatin1Char('\n')).contains(QStringLiteral("2 Python 2 byte strings are not ASCII")),
             qPrintable(report->notes.join(QLatin1Char('\n'))));
}

void TestRefCocoFormat::malformedInput_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("expected");

    auto refField = [](int index, const QString &key, const QJsonValue &value) {
        return Mutation([=](ReferFixture &f, QString &, QByteArray &) {
            QJsonObject ref = refAt(f, index);
            if (value.isUndefined())
                ref.remove(key);
            else
                ref.insert(key, value);
            setRef(f, index, ref);
        });
    };
    auto sentenceField = [](const QString &key, const QJsonValue &value) {
        return Mutation([=](ReferFixture &f, QString &, QByteArray &) {
            setRef(f, 0, withSentences(refAt(f, 0), [&](QJsonObject &s) {
                       if (value.isUndefined())
                           s.remove(key);
                       else
                           s.insert(key, value);
                   }));
        });
    };
    auto annotationField = [](qint64 id, const QString &key, const QJsonValue &value) {
        return Mutation([=](ReferFixture &f, QString &, QByteArray &) {
            QJsonObject ann = f.annotation(id);
            ann.insert(key, value);
            f.setAnnotation(id, ann);
        });
    };
    auto rawRefs = [](const QByteArray &bytes) { return Mutation([=](ReferFixture &, QString &, QByteArray &raw) { raw = bytes; }); };

    QTest::newRow("truncated pickle") << Mutation([](ReferFixture &f, QString &, QByteArray &raw) {
        QString error;
        raw = ReferFixture::pythonPickle(f.refs, &error);
        raw.chop(40);
    }) << QStringLiteral("refs(unc).p: byte");
    QTest::newRow("code in the pickle") << rawRefs(QByteArray("\x80\x02" "cos\nsystem\n" "X\x02\x00\x00\x00" "id\x85R.", 23))
                                        << QStringLiteral("refs(unc).p: byte 2: opcode GLOBAL is refused");
    QTest::newRow("refs not a list") << rawRefs(QByteArray("\x80\x02}.", 4)) << QStringLiteral("refs(unc).p: must be a list of refs, not {}");
    QTest::newRow("ref_id a string") << refField(0, QStringLiteral("ref_id"), QStringLiteral("a"))
                                     << QStringLiteral("refs(unc).p ref 0: field 'ref_id' must be an integer, not \"a\"");
    QTest::newRow("ann_id a list") << refField(1, QStringLiteral("ann_id"), QJsonArray{102})
                                   << QStringLiteral("refs(unc).p ref 1 (ref_id 1): field 'ann_id' must be an integer, not [102]");
    QTest::newRow("sentences missing") << refField(2, QStringLiteral("sentences"), QJsonValue(QJsonValue::Undefined))
                                       << QStringLiteral("refs(unc).p ref 2 (ref_id 2): field 'sentences' is missing");
    QTest::newRow("split missing") << refField(2, QStringLiteral("split"), QJsonValue(QJsonValue::Undefined))
                                   << QStringLiteral("refs(unc).p ref 2 (ref_id 2): field 'split' is missing");
    QTest::newRow("tokens missing") << sentenceField(QStringLiteral("tokens"), QJsonValue(QJsonValue::Undefined))
                                    << QStringLiteral("refs(unc).p ref 0 (ref_id 0) sentence 0: field 'tokens' is missing");
    QTest::newRow("token a number") << sentenceField(QStringLiteral("tokens"), QJsonArray{"a", 3})
                                    << QStringLiteral("sentence 0: field 'tokens' must be a list of strings, found 3");
    QTest::newRow("sent not a string") << sentenceField(QStringLiteral("sent"), 5)
                                       << QStringLiteral("sentence 0: field 'sent' must be a string, not 5");
    QTest::newRow("duplicate ref id") << refField(3, QStringLiteral("ref_id"), 1)
                                      << QStringLiteral("refs(unc).p ref 3: ref_id 1 repeats ref 1's");
    QTest::newRow("duplicate sent id") << sentenceField(QStringLiteral("sent_id"), 4)
                                       << QStringLiteral("refs(unc).p ref 3 (ref_id 3): sent_id 4 repeats a sentence of ref 0");
    QTest::newRow("ann not in instances") << refField(1, QStringLiteral("ann_id"), 999)
                                          << QStringLiteral("refs(unc).p ref 1 (ref_id 1): ann_id 999 is not in instances.json");
    QTest::newRow("image not in instances") << refField(0, QStringLiteral("image_id"), 77)
                                            << QStringLiteral("refs(unc).p ref 0 (ref_id 0): image_id 77 is not in instances.json");
    QTest::newRow("ann on another image") << refField(2, QStringLiteral("image_id"), 11)
                                          << QStringLiteral("ref 2 (ref_id 2): ann 103 lies on image 12, not on the ref's image 11");
    QTest::newRow("category not listed") << annotationField(101, QStringLiteral("category_id"), 42)
                                         << QStringLiteral("ref 0 (ref_id 0): ann 101 has category_id 42, which instances.json does not list");
    QTest::newRow("RLE size mismatch") << annotationField(103, QStringLiteral("segmentation"),
                                                          QJsonArray{QJsonObject{{"size", QJsonArray{30, 40}}, {"counts", "0"}}})
                                       << QStringLiteral("ann 103 segmentation: RLE 0: RLE has size [30, 40] but the image is 32x24");
    QTest::newRow("uncompressed counts in an RLE list") << annotationField(103, QStringLiteral("segmentation"),
                                                                           QJsonArray{QJsonObject{{"size", QJsonArray{24, 32}}, {"counts", QJsonArray{768}}}})
                                                        << QStringLiteral("RLE 0 'counts' must be a compressed string");
    QTest::newRow("polygon outside the image") << annotationField(101, QStringLiteral("segmentation"), QJsonArray{QJsonArray{2, 2, 90, 2, 12, 12}})
                                               << QStringLiteral("ann 101 segmentation: polygon 0 point 1 (90, 2) is outside the 40x30 image");
    QTest::newRow("flat number list") << annotationField(101, QStringLiteral("segmentation"), QJsonArray{2, 2, 12, 2, 12, 12})
                                      << QStringLiteral("ann 101 segmentation: must be a list of polygons [[x1, y1, ...], ...] or of RLE objects");
    QTest::newRow("iscrowd a string") << annotationField(101, QStringLiteral("iscrowd"), QStringLiteral("no"))
                                      << QStringLiteral("instances.json annotations[0] (ann id 101): field 'iscrowd' must be 0 or 1");
    QTest::newRow("duplicate ann id") << Mutation([](ReferFixture &f, QString &, QByteArray &) {
        QJsonArray anns = f.instances.value(QStringLiteral("annotations")).toArray();
        anns.append(f.annotation(101));
        f.instances.insert(QStringLiteral("annotations"), anns);
    }) << QStringLiteral("instances.json annotations[6] (ann id 101): ann id 101 appears twice");
    QTest::newRow("categories missing") << Mutation([](ReferFixture &f, QString &, QByteArray &) { f.instances.remove(QStringLiteral("categories")); })
                                        << QStringLiteral("instances.json: member 'categories' is missing (refer reads images, annotations and categories)");
    QTest::newRow("image height zero") << Mutation([](ReferFixture &f, QString &, QByteArray &) {
        QJsonArray images = f.instances.value(QStringLiteral("images")).toArray();
        QJsonObject image = images.at(0).toObject();
        image.insert(QStringLiteral("height"), 0);
        images.replace(0, image);
        f.instances.insert(QStringLiteral("images"), images);
    }) << QStringLiteral("instances.json images[0]: image size 40x0 is not a usable size");
    QTest::newRow("image path leaves the folder") << Mutation([](ReferFixture &f, QString &, QByteArray &) {
        QJsonArray images = f.instances.value(QStringLiteral("images")).toArray();
        QJsonObject image = images.at(0).toObject();
        image.insert(QStringLiteral("file_name"), QStringLiteral("../../x.jpg"));
        images.replace(0, image);
        f.instances.insert(QStringLiteral("images"), images);
    }) << QStringLiteral("image path '../../x.jpg' leaves");
    QTest::newRow("image size differs from the file") << Mutation([](ReferFixture &f, QString &, QByteArray &) {
        QJsonArray images = f.instances.value(QStringLiteral("images")).toArray();
        QJsonObject image = images.at(0).toObject();
        image.insert(QStringLiteral("height"), 31);
        images.replace(0, image);
        f.instances.insert(QStringLiteral("images"), images);
    }) << QStringLiteral("the image is 40x30 pixels but the dataset says 40x31");
    QTest::newRow("image file missing") << Mutation([](ReferFixture &f, QString &, QByteArray &) { f.images.removeLast(); })
                                        << QStringLiteral("COCO_train2014_000000000012.jpg: image file is missing");
    QTest::newRow("not named like a refs file") << Mutation([](ReferFixture &, QString &name, QByteArray &) { name = QStringLiteral("refs.p"); })
                                                << QStringLiteral("no refs(<splitBy>).p here");
}

void TestRefCocoFormat::malformedInput()
{
    QFETCH(Mutation, mutate);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    ReferFixture fixture = ReferFixture::refcoco();
    QString refsName = QStringLiteral("refs(unc).p");
    QByteArray raw;
    mutate(fixture, refsName, raw);
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("refcoco"), refsName, kImages), QString());
    if (!raw.isEmpty())
        writeFile(dir.filePath(QStringLiteral("refcoco/") + refsName), raw);
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("refcoco")), collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
}

void TestRefCocoFormat::exportRoundTripsUneditedExactly()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::refcoco();
    QCOMPARE(fixture.write(dir.filePath(QStringLiteral("source")), QStringLiteral("refcoco"), QStringLiteral("refs(unc).p"), kImages), QString());
    RecordCollector imported;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("source/refcoco")), imported));

    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("first"));
    VectorSource source(imported.samples);
    auto report = DatasetExport::run(RefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY2(report->warnings.isEmpty(), qPrintable(report->warnings.join(QLatin1Char('\n'))));
    QCOMPARE(report->samples, 7);
    QVERIFY(report->files.contains(QStringLiteral("refcoco/refs(unc).p")));
    QVERIFY(report->files.contains(kImages + QStringLiteral("/COCO_train2014_000000000012.jpg")));

    // The refs come back as they were: same ids, splits, sentences (python reads them too: see the checker).
    auto refs = PickleReader::readFile(options.outDir + QStringLiteral("/refcoco/refs(unc).p"));
    QVERIFY2(refs, qPrintable(refs.error()));
    QCOMPARE(refs->toArray().size(), fixture.refs.size());
    for (qsizetype i = 0; i < fixture.refs.size(); ++i)
        QCOMPARE(refs->toArray().at(i).toObject(), fixture.refs.at(i).toObject());
    // Annotations used by refs are written back verbatim, images keep their COCO ids and names.
    QFile instancesFile(options.outDir + QStringLiteral("/refcoco/instances.json"));
    QVERIFY(instancesFile.open(QIODevice::ReadOnly));
    const QJsonObject instances = QJsonDocument::fromJson(instancesFile.readAll()).object();
    QCOMPARE(instances.value(QStringLiteral("annotations")).toArray(),
             (QJsonArray{fixture.annotation(101), fixture.annotation(102), fixture.annotation(103), fixture.annotation(105)}));
    QCOMPARE(instances.value(QStringLiteral("images")).toArray(), (QJsonArray{fixture.instances.value(QStringLiteral("images")).toArray().at(0),
                                                                              fixture.instances.value(QStringLiteral("images")).toArray().at(1)}));

    // Import of the export equals the first import, extras included.
    RecordCollector again;
    QVERIFY(importFrom(options.outDir + QStringLiteral("/refcoco"), again));
    QCOMPARE(again.samples.size(), imported.samples.size());
    for (std::size_t i = 0; i < again.samples.size(); ++i) {
        QCOMPARE(again.samples[i].sample.sourceId, imported.samples[i].sample.sourceId);
        QCOMPARE(again.samples[i].sample.split, imported.samples[i].sample.split);
        QCOMPARE(again.samples[i].sample.image.sha256, imported.samples[i].sample.image.sha256);
        QCOMPARE(again.samples[i].targets, imported.samples[i].targets);
        QCOMPARE(again.samples[i].extras, imported.samples[i].extras);
    }

    // A second export is byte-identical.
    ExportOptions second;
    second.outDir = dir.filePath(QStringLiteral("second"));
    VectorSource b(imported.samples);
    QVERIFY(DatasetExport::run(RefCocoFormat(), b, second, ExportProvenance()));
    QCOMPARE(folderBytes(options.outDir), folderBytes(second.outDir));
}

void TestRefCocoFormat::exportWritesEditedMasks()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::refcoco();
    QCOMPARE(fixture.write(dir.filePath(QStringLiteral("source")), QStringLiteral("refcoco"), QStringLiteral("refs(unc).p"), kImages), QString());
    RecordCollector imported;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("source/refcoco")), imported));
    std::vector<DatasetRecord> records = imported.samples;

    // 0:0 edited but unchanged: keeps ann 101 and ref 0.
    records[0].targetsAnnotated = true;
    // 0:1 edited to a concave shape with a diagonal step: a new annotation, exact as polygons.
    Mask step(40, 30);
    step.fillRect(QRect(3, 4, 10, 7), true);
    step.fillRect(QRect(8, 10, 3, 9), true);
    step.set(11, 19, true);  // touches the shape only at a corner
    records[1].targets = {RleTarget::fromRle(Rle::encode(step), QRectF(step.boundingRect()), QStringLiteral("person"))};
    records[1].targetsAnnotated = true;
    // 1:2 edited to a ring: the hole cannot be a polygon; reported with its IoU.
    Mask ring(40, 30);
    ring.fillRect(QRect(5, 5, 20, 20), true);
    ring.fillRect(QRect(10, 10, 10, 10), false);
    records[2].targets = {RleTarget::fromRle(Rle::encode(ring), QRectF(ring.boundingRect()), QStringLiteral("truck"))};
    records[2].targetsAnnotated = true;
    // 2:3 gets an ignore region besides its target.
    Mask ignore(32, 24);
    ignore.fillRect(QRect(20, 0, 5, 5), true);
    RleTarget ignored = RleTarget::fromRle(Rle::encode(ignore), QRectF(ignore.boundingRect()), QStringLiteral("ignore"));
    ignored.ignore = true;
    records[3].targets.push_back(ignored);
    records[3].targetsAnnotated = true;
    // 3:4 edited to an empty mask: no object, and a RefCOCO ref needs one.
    records[4].targets = {RleTarget::fromRle(Rle::encode(Mask(40, 30)), QRectF(), QStringLiteral("dog"))};
    records[4].targetsAnnotated = true;
    // A sample from another dataset with two targets and a rephrasing.
    Mask a(40, 30), b(40, 30);
    a.fillRect(QRect(0, 0, 4, 4), true);
    b.fillRect(QRect(36, 26, 4, 4), true);
    DatasetRecord other = recordWithMasks(QStringLiteral("scene_1"), QStringLiteral("val"), records[0].imageFile, {a, b});
    other.sample.queries << QStringLiteral("a rephrasing");
    records.push_back(other);

    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("out"));
    VectorSource source(records);
    auto report = DatasetExport::run(RefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    const QString warnings = report->warnings.join(QLatin1Char('\n'));
    QCOMPARE(report->warnings.size(), 3);
    QVERIFY2(warnings.contains(QStringLiteral("testA/1:2: mask written as polygons reads back with IoU 0.7500")), qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("testB/2:3: 1 ignore regions dropped")), qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("val/3:4: not written: it has no target")), qPrintable(warnings));
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("1 samples had several targets, merged into one annotation")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("2 edited samples still match their imported annotations")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 rephrasings were not written")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 targets with an empty mask were left out")), qPrintable(notes));
    QCOMPARE(report->samples, 7);

    RecordCollector back;
    auto reimported = importFrom(options.outDir + QStringLiteral("/refcoco"), back);
    QVERIFY2(reimported, qPrintable(reimported.error()));
    QCOMPARE(back.samples.size(), std::size_t(7));
    QHash<QString, const DatasetRecord *> bySent;
    for (const DatasetRecord &record : back.samples)
        bySent.insert(record.sample.sourceId.section(QLatin1Char(':'), 1), &record);
    // Unchanged: same ref, same ann, same mask.
    QCOMPARE(bySent.value(QStringLiteral("0"))->sample.sourceId, QStringLiteral("0:0"));
    QCOMPARE(bySent.value(QStringLiteral("0"))->extras.extra.value(QStringLiteral("ann_id")).toInteger(), 101);
    // Changed: a new ref (ref 0 is taken by its sibling) and ann above the largest, the mask exact.
    const DatasetRecord *edited = bySent.value(QStringLiteral("1"));
    QCOMPARE(edited->sample.sourceId, QStringLiteral("5:1"));
    QCOMPARE(edited->extras.extra.value(QStringLiteral("ann_id")).toInteger(), 106);
    QCOMPARE(targetUnion(*edited), step);
    QCOMPARE(edited->extras.extra.value(QStringLiteral("tokens")).toArray(), (QJsonArray{"left", "guy"}));
    // The ring comes back filled, under a new category "truck".
    const DatasetRecord *filled = bySent.value(QStringLiteral("2"));
    QCOMPARE(targetUnion(*filled), ring.filledHoles());
    QCOMPARE(filled->targets.front().label, QStringLiteral("truck"));
    QCOMPARE(filled->extras.extra.value(QStringLiteral("category_id")).toInteger(), 6);  // above person, car, dog
    // The ignore region is gone, the target kept.
    QCOMPARE(bySent.value(QStringLiteral("3"))->targets.size(), std::size_t(1));
    QVERIFY(!bySent.contains(QStringLiteral("4")));
    // The foreign sample: both targets merged into one annotation, a sentence with fresh ids.
    const DatasetRecord *foreign = bySent.value(QStringLiteral("7"));
    QVERIFY(foreign);
    QCOMPARE(foreign->sample.query(), QStringLiteral("segment the thing scene_1"));
    QCOMPARE(targetUnion(*foreign), a.united(b));
    QCOMPARE(foreign->extras.extra.value(QStringLiteral("tokens")).toArray(), (QJsonArray{"segment", "the", "thing", "scene_1"}));
    QCOMPARE(foreign->sample.split, QStringLiteral("val"));
}

void TestRefCocoFormat::referenceCheckerReadsImportSourceAndExport()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::refcoco();
    QCOMPARE(fixture.write(dir.filePath(QStringLiteral("source")), QStringLiteral("refcoco"), QStringLiteral("refs(unc).p"), kImages), QString());

    // 1. Our import of the source equals what refer/LISA read from it, for every split rule.
    for (const QString &split : {QString(), QStringLiteral("testA"), QStringLiteral("test")}) {
        RecordCollector imported;
        QVERIFY(importFrom(dir.filePath(QStringLiteral("source/refcoco")), imported, split));
        const QString expectedDir = dir.filePath(QStringLiteral("expected-source-") + (split.isEmpty() ? QStringLiteral("all") : split));
        writeMasksForChecker(expectedDir, checkerMasks(imported.samples));
        QString output;
        const int code = runReferenceChecker(QStringLiteral("check_refcoco.py"),
                                             {dir.filePath(QStringLiteral("source")), QStringLiteral("refcoco"), QStringLiteral("unc"), expectedDir, split},
                                             &output);
        QVERIFY2(code == 0, qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("%1 samples match").arg(imported.samples.size())), qPrintable(output));
    }

    // 2. Our export, with edited masks, reads back in python as our import reads it.
    RecordCollector imported;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("source/refcoco")), imported));
    std::vector<DatasetRecord> records = imported.samples;
    for (std::size_t i = 1; i < records.size(); i += 2) {
        Mask mask = records[i].targets.front().rle()->decode();
        const QSize size = mask.size();
        Mask blob(size.width(), size.height());
        blob.fillRect(QRect(1 + int(i), 2, 6, 5 + int(i)), true);
        blob.fillRect(QRect(3 + int(i), 6, 9, 3), true);
        records[i].targets = {RleTarget::fromRle(Rle::encode(blob), QRectF(blob.boundingRect()), QStringLiteral("edited"))};
        records[i].targetsAnnotated = true;
    }
    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("export"));
    VectorSource source(records);
    auto report = DatasetExport::run(RefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY2(report->warnings.isEmpty(), qPrintable(report->warnings.join(QLatin1Char('\n'))));
    RecordCollector back;
    QVERIFY(importFrom(options.outDir + QStringLiteral("/refcoco"), back));
    QCOMPARE(back.samples.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i)
        QCOMPARE(targetUnion(back.samples[i]), targetUnion(records[i]));
    writeMasksForChecker(dir.filePath(QStringLiteral("expected-export")), checkerMasks(back.samples));
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_refcoco.py"),
                                         {options.outDir, QStringLiteral("refcoco"), QStringLiteral("unc"), dir.filePath(QStringLiteral("expected-export"))},
                                         &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("7 samples match")), qPrintable(output));
}

void TestRefCocoFormat::randomMasksReadBackAsPythonReadsThem()
{
    // Blobs of rectangles and speckle: concave outlines, pixels touching only at corners, holes.
    QTemporaryDir dir;
    const QString image = writeTestJpeg(dir.filePath(QStringLiteral("scene.jpg")), 48, 36);
    std::mt19937 random(20240611);
    std::vector<DatasetRecord> records;
    std::vector<Mask> masks;
    int holed = 0;
    for (int i = 0; i < 40; ++i) {
        Mask mask(48, 36);
        for (int r = 0; r < 1 + int(random() % 4); ++r)
            mask.fillRect(QRect(int(random() % 40), int(random() % 28), 2 + int(random() % 12), 2 + int(random() % 10)), true);
        for (int p = 0; p < int(random() % 30); ++p)
            mask.set(int(random() % 48), int(random() % 36), random() % 3 != 0);
        if (mask.isEmpty())
            mask.set(0, 0, true);
        // Read back as pycocotools rasterises the outline: the mask, at most with its holes filled.
        QList<QPolygonF> polygons;
        for (const QList<int> &flat : PixelOutline::outerFlat(mask)) {
            QVERIFY(flat.size() >= 8);
            QPolygonF polygon;
            for (qsizetype k = 0; k < flat.size(); k += 2)
                polygon << QPointF(flat[k], flat[k + 1]);
            polygons << polygon;
        }
        const Mask readBack = Rle::fromPolygons(polygons, 36, 48)->decode();
        QCOMPARE(readBack.intersected(mask), mask);
        QVERIFY(readBack.subtracted(mask.filledHoles()).isEmpty());
        if (mask.filledHoles() == mask)
            QCOMPARE(readBack, mask);
        if (readBack != mask)
            ++holed;
        masks.push_back(mask);
        records.push_back(recordWithMasks(QStringLiteral("blob_%1").arg(i), QStringLiteral("val"), image, {mask}));
    }
    QVERIFY(holed > 0);
    QVERIFY(holed < 40);

    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("out"));
    VectorSource source(records);
    auto report = DatasetExport::run(RefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->warnings.size(), holed);
    RecordCollector back;
    QVERIFY(importFrom(options.outDir + QStringLiteral("/refcoco"), back));
    QCOMPARE(back.samples.size(), masks.size());
    for (std::size_t i = 0; i < masks.size(); ++i) {
        const Mask found = targetUnion(back.samples[i]);
        QCOMPARE(found.intersected(masks[i]), masks[i]);
        QVERIFY(found.subtracted(masks[i].filledHoles()).isEmpty());
    }
    writeMasksForChecker(dir.filePath(QStringLiteral("expected")), checkerMasks(back.samples));
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_refcoco.py"),
                                         {options.outDir, QStringLiteral("refcoco"), QStringLiteral("unc"), dir.filePath(QStringLiteral("expected"))},
                                         &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("40 samples match")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestRefCocoFormat)
#include "tst_refcocoformat.moc"
