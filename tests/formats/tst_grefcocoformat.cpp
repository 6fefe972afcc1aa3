// gRefCOCO import/export: multi-target and no-target refs, crowd annotations, grefer's exact split
// names and file choice, malformed inputs, round trips, and the python reference checker that reads
// our import's source and our export the way grefer and ReLA do.
#include "core/rle.h"
#include "plugins/formats/datasetexport.h"
#include "plugins/formats/datasetimport.h"
#include "plugins/formats/grefcocoformat.h"
#include "tests/formats/formatfixtures.h"
#include "tests/formats/recordcollector.h"
#include "tests/formats/referfixture.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

const QString kImages = QStringLiteral("images/train2014");

Expected<ImportReport> importFrom(const QString &source, RecordCollector &collector, const QString &split = QString())
{
    ImportOptions options;
    options.source = source;
    options.split = split;
    return DatasetImport::run(GRefCocoFormat(), options, collector);
}

QStringList idsOf(const std::vector<DatasetRecord> &records)
{
    QStringList ids;
    for (const DatasetRecord &record : records)
        ids << record.sample.sourceId;
    return ids;
}

// Expected masks and no-target keys for check_grefcoco.py.
void writeExpected(const QString &dir, const std::vector<DatasetRecord> &records)
{
    QList<QPair<QString, Mask>> masks;
    QJsonArray noTarget;
    for (const DatasetRecord &record : records) {
        const QString key = QString(record.sample.sourceId).replace(QLatin1Char(':'), QLatin1Char('_'));
        masks.append({key, targetUnion(record)});
        if (record.extras.noTarget)
            noTarget.append(key);
    }
    writeMasksForChecker(dir, masks);
    writeFile(dir + QStringLiteral("/no_target.json"), QJsonDocument(noTarget).toJson());
}

} // namespace

class TestGRefCocoFormat : public QObject
{
    Q_OBJECT

private slots:
    void importsMultiAndNoTargetRefs();
    void picklePreferredAndLisaImageLayout();
    void splitIsExact_data();
    void splitIsExact();
    void malformedInput_data();
    void malformedInput();
    void exportRoundTripsExactly();
    void exportWritesEditedTargets();
    void referenceCheckerReadsImportSourceAndExport();
};

void TestGRefCocoFormat::importsMultiAndNoTargetRefs()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::grefcoco();
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).json"), kImages), QString());
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("grefcoco")), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(idsOf(collector.samples), QStringList({"10:100", "10:101", "11:102", "12:103", "13:104"}));
    QCOMPARE(report->targets, 6);

    // Two targets, one per annotation, in ann_id order.
    const DatasetRecord &two = collector.samples[0];
    QCOMPARE(two.extras.dataset, QStringLiteral("grefcoco"));
    QCOMPARE(two.extras.noTarget, false);
    QCOMPARE(two.targets.size(), std::size_t(2));
    QCOMPARE(two.targets[0].rle()->decode(), ReferFixture::polygonMask(fixture.annotation(201).value(QStringLiteral("segmentation")).toArray(), 40, 30));
    QCOMPARE(two.targets[1].rle()->decode(), ReferFixture::polygonMask(fixture.annotation(202).value(QStringLiteral("segmentation")).toArray(), 40, 30));
    QCOMPARE(two.targets[1].label, QStringLiteral("person"));
    QCOMPARE(two.extras.extra.value(QStringLiteral("ann_id")).toArray(), (QJsonArray{201, 202}));
    QCOMPARE(two.imageFile, dir.filePath(kImages + QStringLiteral("/COCO_train2014_000000000011.jpg")));
    // No target: flagged, nothing to segment.
    const DatasetRecord &none = collector.samples[2];
    QCOMPARE(none.extras.noTarget, true);
    QVERIFY(none.targets.empty());
    QCOMPARE(none.sample.query(), QStringLiteral("the giraffe"));
    QCOMPARE(none.sample.split, QStringLiteral("val"));
    // A bare ann id is a one-element list.
    QCOMPARE(collector.samples[3].targets.size(), std::size_t(1));
    QCOMPARE(collector.samples[3].targets.front().label, QStringLiteral("dog"));
    // The crowd annotation is left out of the targets but kept for export.
    const DatasetRecord &crowd = collector.samples[4];
    QCOMPARE(crowd.targets.size(), std::size_t(1));
    QCOMPARE(crowd.extras.extra.value(QStringLiteral("annotations")).toArray().size(), 2);
    const QString notes = report->notes.join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QStringLiteral("1 refs are no-target expressions")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("2 refs have several target annotations")), qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("1 crowd annotations were left out of the targets")), qPrintable(notes));
}

void TestGRefCocoFormat::picklePreferredAndLisaImageLayout()
{
    QTemporaryDir dir;
    ReferFixture fixture = ReferFixture::grefcoco();
    // LISA's image folder only: the reader falls back to it.
    const QString lisaImages = QStringLiteral("images/mscoco/images/train2014");
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).json"), lisaImages), QString());
    ReferFixture first = fixture;
    first.refs = QJsonArray{fixture.refs.at(0)};
    QCOMPARE(first.write(dir.path(), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).p"), lisaImages), QString());
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("grefcoco")), collector);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(idsOf(collector.samples), QStringList({"10:100", "10:101"}));  // grefer opens the pickle first
    QCOMPARE(collector.samples.front().imageFile, dir.filePath(lisaImages + QStringLiteral("/COCO_train2014_000000000011.jpg")));
    // The JSON named as the source is read instead.
    RecordCollector json;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("grefcoco/grefs(unc).json")), json));
    QCOMPARE(json.samples.size(), std::size_t(5));
    // A refcoco pickle is not a gRefCOCO file.
    QVERIFY(QFile::copy(dir.filePath(QStringLiteral("grefcoco/grefs(unc).p")), dir.filePath(QStringLiteral("grefcoco/refs(unc).p"))));
    RecordCollector wrong;
    auto refused = importFrom(dir.filePath(QStringLiteral("grefcoco/refs(unc).p")), wrong);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QStringLiteral("refs(unc).p: not a refs file: the loader opens <dataset>/grefs(<splitBy>).p or grefs(<splitBy>).json")),
             qPrintable(refused.error()));
}

void TestGRefCocoFormat::splitIsExact_data()
{
    QTest::addColumn<QString>("split");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QString>("error");
    QTest::newRow("all") << QString() << QStringList{"10:100", "10:101", "11:102", "12:103", "13:104"} << QString();
    QTest::newRow("train") << QStringLiteral("train") << QStringList{"10:100", "10:101"} << QString();
    QTest::newRow("testA") << QStringLiteral("testA") << QStringList{"12:103"} << QString();
    QTest::newRow("test is not a prefix") << QStringLiteral("test") << QStringList()
                                          << QStringLiteral("no split 'test' (grefer accepts only the splits present: train, val, testA, testB)");
    QTest::newRow("unknown") << QStringLiteral("testAB") << QStringList() << QStringLiteral("no split 'testAB'");
}

void TestGRefCocoFormat::splitIsExact()
{
    QFETCH(QString, split);
    QFETCH(QStringList, ids);
    QFETCH(QString, error);
    QTemporaryDir dir;
    QCOMPARE(ReferFixture::grefcoco().write(dir.path(), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).json"), kImages), QString());
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("grefcoco")), collector, split);
    if (!error.isEmpty()) {
        QVERIFY(!report);
        QVERIFY2(report.error().contains(error), qPrintable(report.error()));
        QVERIFY(!report.error().contains(QLatin1Char('\n')));
        return;
    }
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(idsOf(collector.samples), ids);
}

void TestGRefCocoFormat::malformedInput_data()
{
    QTest::addColumn<int>("ref");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("rawRefs");
    QTest::addColumn<QString>("expected");

    QTest::newRow("-1 mixed with ids") << 0 << QStringLiteral("ann_id") << QJsonValue(QJsonArray{201, -1}) << QByteArray()
                                       << QStringLiteral("grefs(unc).json ref 0 (ref_id 10): field 'ann_id' mixes -1 (no target) with ann ids: [201,-1]");
    QTest::newRow("empty ann_id list") << 0 << QStringLiteral("ann_id") << QJsonValue(QJsonArray()) << QByteArray()
                                       << QStringLiteral("field 'ann_id' must be an integer or a non-empty list of integers, not []");
    QTest::newRow("ann_id of strings") << 0 << QStringLiteral("ann_id") << QJsonValue(QJsonArray{"201"}) << QByteArray()
                                       << QStringLiteral("field 'ann_id' must be an integer or a non-empty list of integers, not [\"201\"]");
    QTest::newRow("category_id a string") << 2 << QStringLiteral("category_id") << QJsonValue(QStringLiteral("dog")) << QByteArray()
                                          << QStringLiteral("ref 2 (ref_id 12): field 'category_id' must be an integer or a non-empty list of integers");
    QTest::newRow("category_id missing") << 1 << QStringLiteral("category_id") << QJsonValue(QJsonValue::Undefined) << QByteArray()
                                         << QStringLiteral("grefs(unc).json ref 1 (ref_id 11): field 'category_id' is missing");
    QTest::newRow("one ann missing") << 0 << QStringLiteral("ann_id") << QJsonValue(QJsonArray{201, 999}) << QByteArray()
                                     << QStringLiteral("grefs(unc).json ref 0 (ref_id 10): ann_id 999 is not in instances.json");
    QTest::newRow("ann on another image") << 2 << QStringLiteral("ann_id") << QJsonValue(QJsonArray{204, 201}) << QByteArray()
                                          << QStringLiteral("ann 201 lies on image 11, not on the ref's image 12");
    QTest::newRow("duplicate ref id") << 1 << QStringLiteral("ref_id") << QJsonValue(10) << QByteArray()
                                      << QStringLiteral("grefs(unc).json ref 1: ref_id 10 repeats ref 0's");
    QTest::newRow("truncated JSON") << -1 << QString() << QJsonValue() << QByteArray("[{\"ref_id\": 10, \"sentences\": [")
                                    << QStringLiteral("grefs(unc).json:1:");
    QTest::newRow("refs an object") << -1 << QString() << QJsonValue() << QByteArray("{\"refs\": []}")
                                    << QStringLiteral("grefs(unc).json: must be a list of refs");
}

void TestGRefCocoFormat::malformedInput()
{
    QFETCH(int, ref);
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, rawRefs);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    ReferFixture fixture = ReferFixture::grefcoco();
    if (ref >= 0) {
        QJsonObject object = fixture.refs.at(ref).toObject();
        if (value.isUndefined())
            object.remove(key);
        else
            object.insert(key, value);
        fixture.refs.replace(ref, object);
    }
    QCOMPARE(fixture.write(dir.path(), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).json"), kImages), QString());
    if (!rawRefs.isEmpty())
        writeFile(dir.filePath(QStringLiteral("grefcoco/grefs(unc).json")), rawRefs);
    RecordCollector collector;
    auto report = importFrom(dir.filePath(QStringLiteral("grefcoco")), collector);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(expected), qPrintable(report.error()));
    QVERIFY2(!report.error().contains(QLatin1Char('\n')), "errors are one line");
}

void TestGRefCocoFormat::exportRoundTripsExactly()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::grefcoco();
    QCOMPARE(fixture.write(dir.filePath(QStringLiteral("source")), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).json"), kImages), QString());
    RecordCollector imported;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("source/grefcoco")), imported));

    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("first"));
    VectorSource source(imported.samples);
    auto report = DatasetExport::run(GRefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY2(report->warnings.isEmpty(), qPrintable(report->warnings.join(QLatin1Char('\n'))));
    QVERIFY(report->files.contains(QStringLiteral("grefcoco/grefs(unc).json")));
    QVERIFY(report->files.contains(kImages + QStringLiteral("/COCO_train2014_000000000011.jpg")));

    // The refs file equals the source's, the no-target and bare-int refs included.
    QFile refsFile(options.outDir + QStringLiteral("/grefcoco/grefs(unc).json"));
    QVERIFY(refsFile.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(refsFile.readAll()).array(), fixture.refs);
    QFile instancesFile(options.outDir + QStringLiteral("/grefcoco/instances.json"));
    QVERIFY(instancesFile.open(QIODevice::ReadOnly));
    const QJsonObject instances = QJsonDocument::fromJson(instancesFile.readAll()).object();
    QCOMPARE(instances.value(QStringLiteral("annotations")).toArray(),
             (QJsonArray{fixture.annotation(201), fixture.annotation(202), fixture.annotation(204), fixture.annotation(203)}));

    RecordCollector again;
    QVERIFY(importFrom(options.outDir + QStringLiteral("/grefcoco"), again));
    QCOMPARE(again.samples.size(), imported.samples.size());
    for (std::size_t i = 0; i < again.samples.size(); ++i) {
        QCOMPARE(again.samples[i].sample.sourceId, imported.samples[i].sample.sourceId);
        QCOMPARE(again.samples[i].targets, imported.samples[i].targets);
        QCOMPARE(again.samples[i].extras, imported.samples[i].extras);
    }
    ExportOptions second;
    second.outDir = dir.filePath(QStringLiteral("second"));
    VectorSource b(imported.samples);
    QVERIFY(DatasetExport::run(GRefCocoFormat(), b, second, ExportProvenance()));
    QCOMPARE(folderBytes(options.outDir), folderBytes(second.outDir));
}

void TestGRefCocoFormat::exportWritesEditedTargets()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::grefcoco();
    QCOMPARE(fixture.write(dir.filePath(QStringLiteral("source")), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).json"), kImages), QString());
    RecordCollector imported;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("source/grefcoco")), imported));
    std::vector<DatasetRecord> records = imported.samples;

    // 10:101 loses its second target: ann 201 is kept, the sentence becomes its own ref.
    records[1].targets.pop_back();
    records[1].targetsAnnotated = true;
    // 11:102 (no target) gets one: a new annotation, exact as polygons.
    Mask added(40, 30);
    added.fillRect(QRect(30, 20, 6, 7), true);
    added.fillRect(QRect(36, 26, 1, 1), true);
    records[2].targets = {RleTarget::fromRle(Rle::encode(added), QRectF(added.boundingRect()), QStringLiteral("giraffe"))};
    records[2].targetsAnnotated = true;
    records[2].extras.noTarget = false;
    // 12:103 edited to nothing: a no-target ref.
    records[3].targets.clear();
    records[3].targetsAnnotated = true;
    // A sample from elsewhere with two targets stays multi-target.
    Mask a(32, 24), b(32, 24);
    a.fillRect(QRect(0, 0, 3, 3), true);
    b.fillRect(QRect(20, 10, 5, 5), true);
    records.push_back(recordWithMasks(QStringLiteral("other"), QStringLiteral("val"), records[3].imageFile, {a, b}));

    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("out"));
    VectorSource source(records);
    auto report = DatasetExport::run(GRefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY2(report->warnings.isEmpty(), qPrintable(report->warnings.join(QLatin1Char('\n'))));
    QCOMPARE(report->samples, 6);

    QFile refsFile(options.outDir + QStringLiteral("/grefcoco/grefs(unc).json"));
    QVERIFY(refsFile.open(QIODevice::ReadOnly));
    const QJsonArray refs = QJsonDocument::fromJson(refsFile.readAll()).array();
    QCOMPARE(refs.size(), 6);
    QHash<qint64, QJsonObject> bySent;
    for (const QJsonValue &value : refs)
        for (const QJsonValue &sentence : value.toObject().value(QStringLiteral("sentences")).toArray())
            bySent.insert(sentence.toObject().value(QStringLiteral("sent_id")).toInteger(), value.toObject());
    QCOMPARE(bySent.value(100).value(QStringLiteral("ref_id")).toInteger(), 10);
    QCOMPARE(bySent.value(100).value(QStringLiteral("ann_id")).toArray(), (QJsonArray{201, 202}));
    QCOMPARE(bySent.value(101).value(QStringLiteral("ann_id")).toArray(), QJsonArray{201});
    QCOMPARE(bySent.value(101).value(QStringLiteral("category_id")).toArray(), QJsonArray{1});
    QCOMPARE(bySent.value(101).value(QStringLiteral("ref_id")).toInteger(), 14);  // 10 is its sibling's
    QCOMPARE(bySent.value(102).value(QStringLiteral("ann_id")).toArray(), QJsonArray{204});  // above the written 201-203
    QCOMPARE(bySent.value(102).value(QStringLiteral("category_id")).toArray(), QJsonArray{6});  // new "giraffe"
    QCOMPARE(bySent.value(103).value(QStringLiteral("ann_id")).toArray(), QJsonArray{-1});
    QCOMPARE(bySent.value(103).value(QStringLiteral("category_id")).toArray(), QJsonArray{-1});
    QCOMPARE(bySent.value(105).value(QStringLiteral("ann_id")).toArray(), (QJsonArray{205, 206}));
    QCOMPARE(bySent.value(105).value(QStringLiteral("category_id")).toArray(), (QJsonArray{7, 8}));  // "target 0", "target 1"

    RecordCollector back;
    auto reimported = importFrom(options.outDir + QStringLiteral("/grefcoco"), back);
    QVERIFY2(reimported, qPrintable(reimported.error()));
    QHash<QString, const DatasetRecord *> byId;
    for (const DatasetRecord &record : back.samples)
        byId.insert(record.sample.sourceId, &record);
    QCOMPARE(byId.value(QStringLiteral("14:101"))->targets.size(), std::size_t(1));
    QCOMPARE(targetUnion(*byId.value(QStringLiteral("14:101"))), targetUnion(records[1]));
    QCOMPARE(targetUnion(*byId.value(QStringLiteral("11:102"))), added);
    QCOMPARE(byId.value(QStringLiteral("11:102"))->extras.noTarget, false);
    QCOMPARE(byId.value(QStringLiteral("12:103"))->extras.noTarget, true);
    const DatasetRecord *other = byId.value(QStringLiteral("15:105"));
    QVERIFY(other);
    QCOMPARE(other->targets.size(), std::size_t(2));
    QCOMPARE(other->targets[0].rle()->decode(), a);
    QCOMPARE(other->targets[1].rle()->decode(), b);
}

void TestGRefCocoFormat::referenceCheckerReadsImportSourceAndExport()
{
    QTemporaryDir dir;
    const ReferFixture fixture = ReferFixture::grefcoco();
    QCOMPARE(fixture.write(dir.filePath(QStringLiteral("source")), QStringLiteral("grefcoco"), QStringLiteral("grefs(unc).p"), kImages), QString());
    for (const QString &split : {QString(), QStringLiteral("val"), QStringLiteral("testB")}) {
        RecordCollector imported;
        QVERIFY(importFrom(dir.filePath(QStringLiteral("source/grefcoco")), imported, split));
        const QString expected = dir.filePath(QStringLiteral("expected-") + (split.isEmpty() ? QStringLiteral("all") : split));
        writeExpected(expected, imported.samples);
        QString output;
        const int code = runReferenceChecker(QStringLiteral("check_grefcoco.py"), {dir.filePath(QStringLiteral("source")), expected, split}, &output);
        QVERIFY2(code == 0, qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("%1 samples match").arg(imported.samples.size())), qPrintable(output));
    }

    RecordCollector imported;
    QVERIFY(importFrom(dir.filePath(QStringLiteral("source/grefcoco")), imported));
    std::vector<DatasetRecord> records = imported.samples;
    Mask blob(40, 30);
    blob.fillRect(QRect(5, 5, 8, 12), true);
    blob.fillRect(QRect(13, 14, 6, 3), true);
    records[1].targets.push_back(RleTarget::fromRle(Rle::encode(blob), QRectF(blob.boundingRect()), QStringLiteral("person")));
    records[1].targetsAnnotated = true;
    records[3].targets.clear();
    records[3].targetsAnnotated = true;
    ExportOptions options;
    options.outDir = dir.filePath(QStringLiteral("export"));
    VectorSource source(records);
    auto report = DatasetExport::run(GRefCocoFormat(), source, options, ExportProvenance());
    QVERIFY2(report, qPrintable(report.error()));
    RecordCollector back;
    QVERIFY(importFrom(options.outDir + QStringLiteral("/grefcoco"), back));
    QCOMPARE(back.samples.size(), records.size());
    writeExpected(dir.filePath(QStringLiteral("expected-export")), back.samples);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_grefcoco.py"), {options.outDir, dir.filePath(QStringLiteral("expected-export"))}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("5 samples match")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("2 no-target")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestGRefCocoFormat)
#include "tst_grefcocoformat.moc"
