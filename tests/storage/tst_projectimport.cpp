// The project side of imports and exports: ProjectImportSink (one transaction, duplicates,
// predictions matched to samples, image root), DatasetExportCursor (current truth, filters,
// proposals), ProjectStatistics and ProjectCheck; on SQLite and a real PostgreSQL server.
#include "core/rle.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/datasetexportcursor.h"
#include "storage/imagerepository.h"
#include "storage/projectcheck.h"
#include "storage/projectimportsink.h"
#include "storage/projectstatistics.h"
#include "storage/samplerepository.h"

#include "storagetestdata.h"
#include "backendrows.h"
#include "testbackends.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

QString writeImage(const QString &path, int width = 64, int height = 48)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage image(width, height, QImage::Format_RGB888);
    image.fill(Qt::darkCyan);
    if (!image.save(path, "PNG"))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

DatasetRecord record(const QString &imageFile, const QString &split, const QString &sourceId, const QRect &rect)
{
    DatasetRecord r;
    r.sample = makeSample(QString(), split, sourceId);
    r.sample.image.size = QSize(64, 48);
    r.imageFile = imageFile;
    r.extras.dataset = QStringLiteral("ReasonSeg");
    r.targets = {rectTarget(rect)};
    return r;
}

std::vector<DatasetRecord> readAll(RecordSource &source)
{
    std::vector<DatasetRecord> records;
    while (true) {
        auto next = source.next();
        if (!next)
            qFatal("%s", qPrintable(next.error()));
        if (!next->has_value())
            return records;
        records.push_back(std::move(**next));
    }
}

std::unique_ptr<Database> create(const ProjectLocation &location)
{
    auto db = Database::create(location);
    if (!db)
        qFatal("%s", qPrintable(db.error()));
    return std::move(db).value();
}

} // namespace

class TstProjectImport : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void importThenExportTheTruth_data() { addBackendRows(); }
    void importThenExportTheTruth();
    void duplicatesAndBadRecordsLeaveTheProjectUnchanged_data() { addBackendRows(); }
    void duplicatesAndBadRecordsLeaveTheProjectUnchanged();
    void predictionsMatchSamples_data() { addBackendRows(); }
    void predictionsMatchSamples();
    void statisticsAndCheck_data() { addBackendRows(); }
    void statisticsAndCheck();

};

void TstProjectImport::importThenExportTheTruth()
{
    RS_FRESH_LOCATION(location);
    QTemporaryDir images;
    auto db = create(location);
    const QString a = writeImage(images.path() + QStringLiteral("/val/a.png"));
    const QString b = writeImage(images.path() + QStringLiteral("/train/b.png"));

    DatasetRecord first = record(a, QStringLiteral("val"), QStringLiteral("a"), QRect(1, 2, 10, 5));
    first.difficulty = Difficulty{6.5, DifficultySource::Model, QStringLiteral("difficulty_score_model")};
    first.referenceShort = QStringLiteral("short chain");
    first.referenceLong = QStringLiteral("a long chain");
    RleTarget ignored = rectTarget(QRect(30, 30, 4, 4), QStringLiteral("ignore"));
    ignored.ignore = true;
    first.targets.push_back(ignored);
    DatasetRecord second = record(b, QStringLiteral("train"), QStringLiteral("b"), QRect(5, 5, 3, 3));

    ProjectImportSink sink(*db, {images.path(), {}});
    QVERIFY(sink.begin());
    QVERIFY(sink.addSample(first));
    QVERIFY(sink.addSample(second));
    QVERIFY(sink.commit());
    QCOMPARE(*ImageRepository(*db).imageRoot(), QDir::cleanPath(images.path()));

    auto cursor = DatasetExportCursor::open(*db, {});
    QVERIFY2(cursor, qPrintable(cursor.error()));
    QCOMPARE((*cursor)->count(), 2);
    auto records = readAll(**cursor);
    QCOMPARE(records.size(), std::size_t(2));
    const DatasetRecord &out = records.front();
    QCOMPARE(out.sample.sourceId, QStringLiteral("a"));
    QCOMPARE(out.sample.image.relativePath, QStringLiteral("val/a.png"));
    QCOMPARE(out.imageFile, QDir::cleanPath(a));
    QCOMPARE(out.sample.queries, first.sample.queries);
    QCOMPARE(out.targets, first.targets);
    QCOMPARE(out.targetsAnnotated, false);
    QVERIFY(out.difficulty);
    QCOMPARE(out.difficulty->score, 6.5);
    QCOMPARE(out.referenceShort, first.referenceShort);
    QCOMPARE(out.referenceLong, first.referenceLong);
    QCOMPARE(out.sample.image.sha256.size(), 0);  // the sink stores what the import probed (here: nothing)

    // The split filter, then an annotation that becomes the truth.
    auto val = DatasetExportCursor::open(*db, {QStringLiteral("val"), std::nullopt, QString()});
    QCOMPARE((*val)->count(), 1);
    auto annotator = AnnotatorRepository(*db).ensure(QStringLiteral("ann"));
    Annotation annotation;
    annotation.sampleId = out.sample.id;
    annotation.annotatorId = *annotator;
    annotation.submitted = true;
    Target fixed;
    fixed.mask = rectMask(QRect(2, 2, 20, 20));
    fixed.box = fixed.boxFromMask();
    fixed.label = QStringLiteral("fixed");
    annotation.targets = {fixed};
    annotation.difficulty = Difficulty{2.0, DifficultySource::Human, QStringLiteral("ann")};
    annotation.referenceLong = QStringLiteral("human chain");
    QVERIFY(AnnotationRepository(*db).save(annotation, 0));
    auto submitted = DatasetExportCursor::open(*db, {QString(), SampleStatus::Submitted, QString()});
    QCOMPARE((*submitted)->count(), 1);
    auto annotated = readAll(**submitted);
    QCOMPARE(annotated.front().targetsAnnotated, true);
    QCOMPARE(annotated.front().targets, std::vector<RleTarget>{RleTarget::fromTarget(fixed)});
    QCOMPARE(annotated.front().difficulty->score, 2.0);
    QCOMPARE(annotated.front().difficulty->source, DifficultySource::Human);
    QCOMPARE(annotated.front().referenceLong, QStringLiteral("human chain"));
    QCOMPARE(annotated.front().referenceShort, QStringLiteral("short chain"));  // not annotated: the imported one

    // The revision changes with the data.
    auto before = DatasetExportCursor::projectRevision(*db);
    QVERIFY(SampleRepository(*db).setStatus(out.sample.id, SampleStatus::Accepted));
    QVERIFY(*DatasetExportCursor::projectRevision(*db) != *before);
}

void TstProjectImport::duplicatesAndBadRecordsLeaveTheProjectUnchanged()
{
    RS_FRESH_LOCATION(location);
    QTemporaryDir images;
    auto db = create(location);
    const QString a = writeImage(images.path() + QStringLiteral("/a.png"));
    {
        ProjectImportSink sink(*db, {images.path(), {}});
        QVERIFY(sink.begin());
        QVERIFY(sink.addSample(record(a, QStringLiteral("val"), QStringLiteral("a"), QRect(1, 1, 4, 4))));
        QVERIFY(sink.commit());
    }
    struct Case
    {
        DatasetRecord bad;
        QString message;
    };
    DatasetRecord wrongSize = record(a, QStringLiteral("val"), QStringLiteral("c"), QRect(1, 1, 4, 4));
    wrongSize.targets.front() = RleTarget::fromRle(Rle::encode(Mask(10, 10)), QRectF(), QStringLiteral("x"));
    DatasetRecord badDifficulty = record(a, QStringLiteral("val"), QStringLiteral("d"), QRect(1, 1, 4, 4));
    badDifficulty.difficulty = Difficulty{11.0, DifficultySource::Model, QString()};
    const Case cases[] = {
        {record(a, QStringLiteral("val"), QStringLiteral("a"), QRect(0, 0, 2, 2)), QStringLiteral("duplicate sample 'a' (dataset ReasonSeg, split val)")},
        {wrongSize, QStringLiteral("sample 'c': a 10x10 mask on the 64x48 image")},
        {badDifficulty, QStringLiteral("sample 'd': difficulty 11 is outside 1–10")},
    };
    for (const Case &c : cases) {
        ProjectImportSink sink(*db, {images.path(), {}});
        QVERIFY(sink.begin());
        QVERIFY(sink.addSample(record(a, QStringLiteral("test"), QStringLiteral("fresh"), QRect(1, 1, 4, 4))));
        auto added = sink.addSample(c.bad);
        QVERIFY(!added);
        QVERIFY2(added.error().contains(c.message), qPrintable(added.error()));
        // The sink goes out of scope without commit: "fresh" must not be there either.
    }
    QCOMPARE(*SampleRepository(*db).count({}), 1);
}

void TstProjectImport::predictionsMatchSamples()
{
    RS_FRESH_LOCATION(location);
    QTemporaryDir images;
    auto db = create(location);
    const QString a = writeImage(images.path() + QStringLiteral("/a.png"));
    {
        ProjectImportSink sink(*db, {images.path(), {}});
        QVERIFY(sink.begin());
        QVERIFY(sink.addSample(record(a, QStringLiteral("val"), QStringLiteral("a"), QRect(1, 1, 4, 4))));
        QVERIFY(sink.addSample(record(a, QStringLiteral("val"), QStringLiteral("b"), QRect(1, 1, 4, 4))));
        QVERIFY(sink.addSample(record(a, QStringLiteral("test"), QStringLiteral("b"), QRect(1, 1, 4, 4))));
        QVERIFY(sink.commit());
    }
    auto prediction = [](const QString &split, const QString &id) {
        DatasetRecord r;
        r.sample.split = split;
        r.sample.sourceId = id;
        Proposal proposal;
        proposal.chain = ReasoningChain::fromText(QStringLiteral("the cup is left . [SEG]"));
        proposal.targets = {rectTarget(QRect(2, 2, 3, 3))};
        // A box-only target with prompt points (a Seg-Zero answer), and what its eval script reported.
        RleTarget boxOnly;
        boxOnly.box = QRectF(1, 2, 30.5, 20);
        boxOnly.points = {QPointF(10.25, 12), QPointF(0.1, 47.9)};
        proposal.targets.push_back(boxOnly);
        proposal.reportedOverlap = OverlapCounts{120, 400};
        proposal.reportedBoxHit = true;
        r.proposal = proposal;
        return r;
    };
    ModelRun run;
    run.name = QStringLiteral("run-1");
    run.model = QStringLiteral("shapes");
    {
        ProjectImportSink sink(*db, {QString(), run});
        QVERIFY(sink.begin());
        QVERIFY(sink.addPrediction(prediction(QString(), QStringLiteral("a"))));
        QVERIFY(sink.addPrediction(prediction(QStringLiteral("test"), QStringLiteral("b"))));
        auto ambiguous = sink.addPrediction(prediction(QString(), QStringLiteral("b")));
        QVERIFY(!ambiguous);
        QVERIFY2(ambiguous.error().contains(QStringLiteral("several samples have that id")), qPrintable(ambiguous.error()));
        QVERIFY(sink.commit());
    }
    {
        ProjectImportSink sink(*db, {QString(), run});
        auto again = sink.begin();
        QVERIFY(!again);
        QVERIFY(again.error().contains(QStringLiteral("a model run named 'run-1' already exists")));
    }
    {
        run.name = QStringLiteral("run-2");
        ProjectImportSink sink(*db, {QString(), run});
        QVERIFY(sink.begin());
        auto unknown = sink.addPrediction(prediction(QStringLiteral("val"), QStringLiteral("zzz")));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error(), QStringLiteral("prediction for 'zzz': no sample of split 'val' has that id"));
    }
    auto cursor = DatasetExportCursor::open(*db, {QString(), std::nullopt, QStringLiteral("run-1")});
    QVERIFY(cursor);
    auto records = readAll(**cursor);
    QCOMPARE(records.size(), std::size_t(2));
    QCOMPARE(records[0].sample.sourceId, QStringLiteral("a"));
    QCOMPARE(records[1].sample.split, QStringLiteral("test"));
    QVERIFY(records[0].proposal);
    QCOMPARE(records[0].proposal->chain.text(), QStringLiteral("the cup is left . [SEG]"));
    QCOMPARE(records[0].proposal->targets.front().counts, rectTarget(QRect(2, 2, 3, 3)).counts);
    QCOMPARE(records[0].proposal->targets.size(), std::size_t(2));
    const RleTarget &boxOnly = records[0].proposal->targets.back();
    QVERIFY(!boxOnly.hasMask());
    QCOMPARE(boxOnly.box, QRectF(1, 2, 30.5, 20));
    QCOMPARE(boxOnly.points, (QList<QPointF>{QPointF(10.25, 12), QPointF(0.1, 47.9)}));
    QCOMPARE(records[0].proposal->reportedOverlap, std::optional<OverlapCounts>(OverlapCounts{120, 400}));
    QCOMPARE(records[0].proposal->reportedBoxHit, std::optional<bool>(true));
    auto missingRun = DatasetExportCursor::open(*db, {QString(), std::nullopt, QStringLiteral("run-2")});
    QVERIFY(!missingRun);
    QCOMPARE(missingRun.error(), QStringLiteral("no model run named 'run-2' in the project"));
}

void TstProjectImport::statisticsAndCheck()
{
    RS_FRESH_LOCATION(location);
    QTemporaryDir images;
    auto db = create(location);
    const QString a = writeImage(images.path() + QStringLiteral("/a.png"));
    const QString b = writeImage(images.path() + QStringLiteral("/b.png"));
    const QString c = writeImage(images.path() + QStringLiteral("/c.png"));
    {
        ProjectImportSink sink(*db, {images.path(), {}});
        QVERIFY(sink.begin());
        DatasetRecord withHash = record(a, QStringLiteral("val"), QStringLiteral("a"), QRect(1, 1, 4, 4));
        withHash.sample.image.sha256 = QByteArray(64, '0');  // not the file's hash: "content changed"
        QVERIFY(sink.addSample(withHash));
        DatasetRecord emptyTarget = record(b, QStringLiteral("val"), QStringLiteral("b"), QRect());
        emptyTarget.difficulty = Difficulty{7.0, DifficultySource::Model, QString()};
        QVERIFY(sink.addSample(emptyTarget));
        DatasetRecord noText = record(c, QStringLiteral("test"), QStringLiteral("c"), QRect(2, 2, 2, 2));
        noText.sample.queries = {QString()};
        QVERIFY(sink.addSample(noText));
        QVERIFY(sink.commit());
    }
    QVERIFY(QFile::remove(c));

    auto stats = ProjectStatistics::read(*db);
    QVERIFY2(stats, qPrintable(stats.error()));
    QCOMPARE(stats->samples, 3);
    QCOMPARE(stats->images, 3);
    QCOMPARE(stats->targets, 3);
    QCOMPARE(stats->bySplitAndStatus.value(QStringLiteral("val")).value(QStringLiteral("new")), 2);
    QCOMPARE(stats->byDifficulty.value(QStringLiteral("hard")), 1);
    QCOMPARE(stats->byDifficulty.value(QStringLiteral("unrated")), 2);
    QCOMPARE(stats->toJson().value(QStringLiteral("samples")).toInt(), 3);

    auto result = ProjectCheck::run(*db, {});
    QVERIFY2(result, qPrintable(result.error()));
    const QString problems = result->problems.join(QLatin1Char('\n'));
    QCOMPARE(result->problems.size(), 4);
    QVERIFY2(problems.contains(QStringLiteral("image content changed: ") + QDir::cleanPath(a)), qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("missing image: ") + QDir::cleanPath(c)), qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("empty target: sample 2 (b) target 0 has no pixels")), qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("no query text: sample 3 (c)")), qPrintable(problems));
    auto withoutHashes = ProjectCheck::run(*db, {false, nullptr});
    QCOMPARE(withoutHashes->problems.size(), 3);
}

QTEST_GUILESS_MAIN(TstProjectImport)
#include "tst_projectimport.moc"
