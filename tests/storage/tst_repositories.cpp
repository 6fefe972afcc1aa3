#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/goldrepository.h"
#include "storage/imagerepository.h"
#include "storage/proposalbatch.h"
#include "storage/proposalrepository.h"
#include "storage/reviewrepository.h"
#include "storage/runrepository.h"
#include "storage/samplebulkwriter.h"
#include "storage/samplerepository.h"

#include "storagetestdata.h"
#include "backendrows.h"
#include "testbackends.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace rs;
using namespace rs::test;

Q_DECLARE_METATYPE(std::vector<qint64>)

// Samples, images, runs, proposals, reviews and gold items: round trips, the queue and review
// listings (every filter and sort key against an in-memory model), the bulk path; on both back ends.
class TstRepositories : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void sampleRoundTrip_data() { addBackendRows(); }
    void sampleRoundTrip();
    void imagesAreSharedAndVerified_data() { addBackendRows(); }
    void imagesAreSharedAndVerified();
    void proposalRoundTrip_data() { addBackendRows(); }
    void proposalRoundTrip();
    void pageFiltersAndSorts_data();
    void pageFiltersAndSorts();
    void reviewsSetStatusAndRefuseStaleVersions_data() { addBackendRows(); }
    void reviewsSetStatusAndRefuseStaleVersions();
    void goldItems_data() { addBackendRows(); }
    void goldItems();
    void bulkWriterCommitsOrRollsBack_data() { addBackendRows(); }
    void bulkWriterCommitsOrRollsBack();
    void workersClaimDisjointBatches_data() { addBackendRows(); }
    void workersClaimDisjointBatches();

private:
    static std::unique_ptr<Database> create(const ProjectLocation &location)
    {
        auto db = Database::create(location);
        if (!db)
            qFatal("%s", qPrintable(db.error()));
        return std::move(db).value();
    }
};

void TstRepositories::sampleRoundTrip()
{
    RS_FRESH_LOCATION(location);
    auto db = create(location);
    SampleRepository samples(*db);
    Sample sample = makeSample(QStringLiteral("coco/train2014/000001.jpg"), QStringLiteral("val"),
                               QStringLiteral("it's a \"stem\"'); DROP TABLE sample; --"));
    sample.image.sha256 = QByteArray(64, 'a');
    sample.queries = {QStringLiteral("Which object keeps food cold? 冷蔵庫"),
                      QStringLiteral("the \"fridge\" \\ on the\nleft\t") + QChar(1) + QStringLiteral("/end")};
    sample.isSentence = false;
    SampleExtras extras;
    extras.dataset = QStringLiteral("ReasonSeg");
    extras.noTarget = true;
    extras.extra = QJsonObject{{QStringLiteral("coco_image_id"), 139}, {QStringLiteral("ann_id"), QJsonArray{-1}}};
    RleTarget ignore = rectTarget(QRect(0, 0, 64, 2), QStringLiteral("ignore"));
    ignore.ignore = true;
    ignore.description = QStringLiteral("border");
    const std::vector<RleTarget> targets{rectTarget(QRect(5, 6, 7, 8)), ignore};
    auto id = samples.add(sample, targets, extras);
    QVERIFY2(id, qPrintable(id.error()));

    auto read = samples.get(*id);
    QVERIFY2(read, qPrintable(read.error()));
    sample.id = *id;
    QCOMPARE(*read, sample);
    QCOMPARE(*samples.extras(*id), extras);
    QCOMPARE(*samples.targets(*id), targets);
    auto decoded = samples.targets(*id)->front().toTarget();
    QCOMPARE(decoded->mask, rectMask(QRect(5, 6, 7, 8)));
    QCOMPARE(*samples.count(SampleFilter()), 1);
    QVERIFY(!samples.get(*id + 100));
    QVERIFY(samples.get(*id + 100).error().contains(QLatin1String("no sample")));

    QVERIFY(samples.setStatus(*id, SampleStatus::Accepted));
    QCOMPARE(samples.get(*id)->status, SampleStatus::Accepted);
    QVERIFY(!samples.setStatus(*id + 100, SampleStatus::Accepted));
}

void TstRepositories::imagesAreSharedAndVerified()
{
    RS_FRESH_LOCATION(location);
    auto db = create(location);
    const QString root = TestBackends::tempDir() + QStringLiteral("/images%1").arg(qHash(location.schema + location.path));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/sub")));
    const QByteArray bytes("not really a jpeg, but bytes with a hash");
    {
        QFile file(root + QStringLiteral("/sub/a.jpg"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    const QByteArray hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    Sample first = makeSample(QStringLiteral("sub/a.jpg"));
    first.image.sha256 = hash;
    Sample second = makeSample(QStringLiteral("sub/a.jpg"));  // another question on the same image
    SampleRepository samples(*db);
    const qint64 a = *samples.add(first, {});
    const qint64 b = *samples.add(second, {});
    auto rows = samples.page(SampleFilter(), SampleSort(), 0, 10);
    QCOMPARE(rows->size(), std::size_t(2));
    QCOMPARE(rows->at(0).imageId, rows->at(1).imageId);
    QCOMPARE(rows->at(0).id, a);
    QCOMPARE(rows->at(1).id, b);
    QCOMPARE(rows->at(0).imagePath, QStringLiteral("sub/a.jpg"));

    ImageRepository images(*db);
    const qint64 imageId = rows->at(0).imageId;
    QCOMPARE(images.get(imageId)->sha256, hash);  // the second add (no hash) kept the known hash
    QCOMPARE(*images.findByHash(hash), std::optional<qint64>(imageId));
    QVERIFY(!*images.findByHash(QByteArray(64, '0')));
    QVERIFY(images.setImageRoot(root));
    QCOMPARE(*images.imageRoot(), root);
    QCOMPARE(*images.verify(imageId, root), true);
    {
        QFile file(root + QStringLiteral("/sub/a.jpg"));
        QVERIFY(file.open(QIODevice::Append));
        file.write("changed");
    }
    QCOMPARE(*images.verify(imageId, root), false);
    QVERIFY(!images.verify(imageId, root + QStringLiteral("/moved")));
    auto absolute = images.ensure(ImageRef{QStringLiteral("/etc/passwd"), {}, {}});
    QVERIFY(!absolute);
    QVERIFY(absolute.error().contains(QLatin1String("relative")));
}

void TstRepositories::proposalRoundTrip()
{
    RS_FRESH_LOCATION(location);
    auto db = create(location);
    const qint64 sampleId = *SampleRepository(*db).add(makeSample(QStringLiteral("a.jpg")), {});
    ModelRun run;
    run.name = QStringLiteral("shapes-v1 greedy");
    run.model = QStringLiteral("shapes");
    run.version = QStringLiteral("1.0");
    run.packageHash = QStringLiteral("abc123");
    run.parameters = QJsonObject{{QStringLiteral("temperature"), 0.0}, {QStringLiteral("budget"), 256}};
    run.device = QStringLiteral("cpu");
    run.createdAt = QDateTime::fromMSecsSinceEpoch(1700000000000, Qt::UTC);
    RunRepository runs(*db);
    auto runId = runs.add(run);
    QVERIFY2(runId, qPrintable(runId.error()));
    run.id = *runId;
    QCOMPARE(*runs.get(*runId), run);
    QCOMPARE(*runs.findByName(run.name), std::optional<qint64>(*runId));
    QVERIFY(!runs.add(run));  // names are unique

    std::vector<ChainToken> tokens;
    const char *words[] = {"<think>", "The", "red", "circle", "is", "largest.", "</think>", "[SEG]"};
    for (int i = 0; i < 8; ++i)
        tokens.push_back(ChainToken{QString::fromLatin1(words[i]), 100 + i, -0.1f * float(i), 0.05f * float(i),
                                    1.0f - 0.1f * float(i)});
    Proposal proposal;
    proposal.runId = *runId;
    proposal.sampleId = sampleId;
    proposal.chain = ReasoningChain::fromTokens(tokens);
    proposal.rawResponse = QStringLiteral("<think>The red circle is largest.</think>[SEG]");
    RleTarget t = rectTarget(QRect(1, 2, 3, 4));
    t.score = 0.875;
    proposal.targets = {t, rectTarget(QRect(30, 30, 10, 10))};
    proposal.timings = ProposalTimings{1.5, 20.25, 300.0, 12.0, 26.5};
    ProposalRepository proposals(*db);
    auto id = proposals.add(proposal);
    QVERIFY2(id, qPrintable(id.error()));
    proposal.id = *id;
    QCOMPARE(*proposals.get(*id), proposal);
    QCOMPARE(proposals.get(*id)->chain.tokens(), tokens);
    QCOMPARE(**proposals.latest(sampleId), proposal);
    QCOMPARE(proposals.forSample(sampleId)->size(), std::size_t(1));
    auto again = proposals.add(proposal);
    QVERIFY(!again);
    QVERIFY2(again.error().contains(QLatin1String("already has proposal")), qPrintable(again.error()));

    // A chain imported as text keeps its text exactly.
    ModelRun other;
    other.name = QStringLiteral("imported");
    Proposal imported;
    imported.runId = *runs.add(other);
    imported.sampleId = sampleId;
    imported.chain = ReasoningChain::fromText(QStringLiteral("Line one.\n  Line two!"));
    const qint64 importedId = *proposals.add(imported);
    QCOMPARE(proposals.get(importedId)->chain, imported.chain);

    auto rows = SampleRepository(*db).page(SampleFilter(), SampleSort{SampleSortKey::ChainLength, false}, 0, 1);
    QCOMPARE(rows->front().chainLength, std::optional<int>(imported.chain.tokenCount()));  // the latest proposal
    QCOMPARE(rows->front().uncertainty, std::optional<double>(imported.chain.sequenceUncertainty()));
    QCOMPARE((*proposals.latest(sampleId))->id, importedId);
}

void TstRepositories::pageFiltersAndSorts_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("filterName");
    QTest::addColumn<int>("sortKey");
    QTest::addColumn<bool>("descending");
    const QStringList filters{QStringLiteral("none"), QStringLiteral("split val"), QStringLiteral("status submitted"),
                              QStringLiteral("annotator bob"), QStringLiteral("hard"), QStringLiteral("medium"),
                              QStringLiteral("easy"), QStringLiteral("has proposal"), QStringLiteral("no proposal"),
                              QStringLiteral("val + in_progress")};
    const QList<std::pair<const char *, SampleSortKey>> sorts{{"id", SampleSortKey::Id},
                                                              {"uncertainty", SampleSortKey::Uncertainty},
                                                              {"iou", SampleSortKey::ProposalIou},
                                                              {"chain", SampleSortKey::ChainLength},
                                                              {"difficulty", SampleSortKey::Difficulty}};
    for (const auto &[name, backend] : TestBackends::all())
        for (const QString &filter : filters)
            for (const auto &[sortName, key] : sorts)
                for (bool descending : {false, true})
                    QTest::newRow(QStringLiteral("%1: %2 by %3 %4")
                                      .arg(QString::fromLatin1(name), filter, QLatin1String(sortName),
                                           descending ? QStringLiteral("desc") : QStringLiteral("asc"))
                                      .toUtf8()
                                      .constData())
                        << int(backend) << filter << int(key) << descending;
}

void TstRepositories::pageFiltersAndSorts()
{
    QFETCH(QString, filterName);
    QFETCH(int, sortKey);
    QFETCH(bool, descending);
    QFETCH(int, backend);
    if (const auto reason = TestBackends::unavailable(Backend(backend)))
        QSKIP(qPrintable(*reason));

    // One project per back end, built once: 40 samples with every combination the filters need.
    struct Model
    {
        qint64 id;
        QString split;
        SampleStatus status;
        qint64 annotator;
        std::optional<double> difficulty, uncertainty, iou;
        std::optional<int> chain;
    };
    static std::map<int, std::pair<std::unique_ptr<Database>, std::vector<Model>>> projects;
    static qint64 bob = 0;
    auto &[db, model] = projects[backend];
    if (!db) {
        db = create(TestBackends::freshLocation(Backend(backend)));
        const qint64 alice = *AnnotatorRepository(*db).ensure(QStringLiteral("alice"));
        bob = *AnnotatorRepository(*db).ensure(QStringLiteral("bob"));
        ModelRun run;
        run.name = QStringLiteral("r");
        const qint64 runId = *RunRepository(*db).add(run);
        for (int i = 0; i < 40; ++i) {
            Model m{};
            m.split = i % 3 == 0 ? QStringLiteral("val") : QStringLiteral("train");
            m.id = *SampleRepository(*db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i % 7), m.split), {});
            m.status = SampleStatus::New;
            m.annotator = 0;
            if (i % 4 != 3) {  // a proposal: chain length and uncertainty vary, with ties
                std::vector<ChainToken> tokens(std::size_t(5 + (i * 7) % 11));
                for (std::size_t k = 0; k < tokens.size(); ++k)
                    tokens[k] = ChainToken{QStringLiteral("w"), int(k), -1.f, 1.f, float((i * 3) % 5) / 5.f};
                Proposal p;
                p.runId = runId;
                p.sampleId = m.id;
                p.chain = ReasoningChain::fromTokens(tokens);
                p.targets = {rectTarget(QRect(0, 0, 10 + i, 10))};
                QVERIFY(ProposalRepository(*db).add(p));
                m.chain = p.chain.tokenCount();
                m.uncertainty = p.chain.sequenceUncertainty();
            }
            if (i % 5 != 4) {  // annotated: difficulty 1..10 (ties), some submitted
                Annotation a;
                a.sampleId = m.id;
                a.annotatorId = i % 2 ? bob : alice;
                a.submitted = i % 3 == 1;
                Difficulty d;
                d.score = 1.0 + (i * 13) % 19 * 0.5;
                a.difficulty = d;
                Target t;
                t.mask = rectMask(QRect(0, 0, 20, 10));
                a.targets = {t};
                QVERIFY(AnnotationRepository(*db).save(a, 0));
                m.annotator = a.annotatorId;
                m.status = a.submitted ? SampleStatus::Submitted : SampleStatus::InProgress;
                m.difficulty = d.score;
                if (m.chain) {
                    const double proposed = (10 + i) * 10;
                    const double inter = std::min(proposed, 200.0);
                    m.iou = inter / (proposed + 200.0 - inter);
                }
            }
            model.push_back(m);
        }
    }

    SampleFilter filter;
    std::function<bool(const Model &)> keep = [](const Model &) { return true; };
    if (filterName == QLatin1String("split val")) {
        filter.split = QStringLiteral("val");
        keep = [](const Model &m) { return m.split == QLatin1String("val"); };
    } else if (filterName == QLatin1String("status submitted")) {
        filter.status = SampleStatus::Submitted;
        keep = [](const Model &m) { return m.status == SampleStatus::Submitted; };
    } else if (filterName == QLatin1String("annotator bob")) {
        filter.annotatorId = bob;
        keep = [](const Model &m) { return m.annotator == bob; };
    } else if (filterName == QLatin1String("hard")) {
        filter.difficulty = DifficultyBucket::Hard;
        keep = [](const Model &m) { return m.difficulty && *m.difficulty >= 5.0; };
    } else if (filterName == QLatin1String("medium")) {
        filter.difficulty = DifficultyBucket::Medium;
        keep = [](const Model &m) { return m.difficulty && *m.difficulty >= 3.5 && *m.difficulty < 5.0; };
    } else if (filterName == QLatin1String("easy")) {
        filter.difficulty = DifficultyBucket::Easy;
        keep = [](const Model &m) { return m.difficulty && *m.difficulty < 3.5; };
    } else if (filterName == QLatin1String("has proposal")) {
        filter.hasProposal = true;
        keep = [](const Model &m) { return m.chain.has_value(); };
    } else if (filterName == QLatin1String("no proposal")) {
        filter.hasProposal = false;
        keep = [](const Model &m) { return !m.chain.has_value(); };
    } else if (filterName == QLatin1String("val + in_progress")) {
        filter.split = QStringLiteral("val");
        filter.status = SampleStatus::InProgress;
        keep = [](const Model &m) { return m.split == QLatin1String("val") && m.status == SampleStatus::InProgress; };
    }
    const SampleSortKey key = SampleSortKey(sortKey);
    auto keyOf = [key](const Model &m) -> std::optional<double> {
        switch (key) {
        case SampleSortKey::Id:
            return double(m.id);
        case SampleSortKey::Uncertainty:
            return m.uncertainty;
        case SampleSortKey::ProposalIou:
            return m.iou;
        case SampleSortKey::ChainLength:
            return m.chain ? std::optional<double>(*m.chain) : std::nullopt;
        case SampleSortKey::Difficulty:
            return m.difficulty;
        case SampleSortKey::Disagreement:  // no independent answers in this model (tst_overlapstorage)
            return std::nullopt;
        }
        return std::nullopt;
    };
    std::vector<Model> expected;
    for (const Model &m : model)
        if (keep(m) && keyOf(m))
            expected.push_back(m);
    std::sort(expected.begin(), expected.end(), [&](const Model &a, const Model &b) {
        const auto ka = std::pair(*keyOf(a), a.id);
        const auto kb = std::pair(*keyOf(b), b.id);
        return descending ? kb < ka : ka < kb;
    });
    std::vector<qint64> expectedIds;
    for (const Model &m : expected)
        expectedIds.push_back(m.id);

    SampleRepository samples(*db);
    const SampleSort sort{key, descending};
    std::vector<qint64> ids;
    for (int offset = 0;; offset += 7) {  // page through in pages of 7
        auto rows = samples.page(filter, sort, offset, 7);
        QVERIFY2(rows, qPrintable(rows.error()));
        for (const SampleRow &row : *rows)
            ids.push_back(row.id);
        if (rows->size() < 7)
            break;
    }
    QCOMPARE(ids, expectedIds);
    // The same list by keyset pagination.
    std::vector<qint64> keysetIds;
    auto page = samples.page(filter, sort, 0, 5);
    QVERIFY2(page, qPrintable(page.error()));
    while (!page->empty()) {
        for (const SampleRow &row : *page)
            keysetIds.push_back(row.id);
        page = samples.pageAfter(filter, sort, page->back(), 5);
        QVERIFY2(page, qPrintable(page.error()));
    }
    QCOMPARE(keysetIds, expectedIds);
    if (key == SampleSortKey::Id)
        QCOMPARE(*samples.count(filter), qint64(expectedIds.size()));
}

void TstRepositories::reviewsSetStatusAndRefuseStaleVersions()
{
    RS_FRESH_LOCATION(location);
    auto db = create(location);
    const qint64 sampleId = *SampleRepository(*db).add(makeSample(QStringLiteral("a.jpg")), {});
    const qint64 alice = *AnnotatorRepository(*db).ensure(QStringLiteral("alice"));
    const qint64 rita = *AnnotatorRepository(*db).ensure(QStringLiteral("rita"), QStringLiteral("reviewer"));
    Annotation a;
    a.sampleId = sampleId;
    a.annotatorId = alice;
    a.submitted = true;
    QVERIFY(AnnotationRepository(*db).save(a, 0));

    ReviewRepository reviews(*db);
    Review reject;
    reject.sampleId = sampleId;
    reject.annotationVersion = 1;
    reject.reviewerId = rita;
    reject.verdict = ReviewVerdict::Reject;
    reject.reason = QStringLiteral("mask misses the handle");
    reject.failureTags = {QStringLiteral("wrong_object"), QStringLiteral("overthinking")};
    auto rejectId = reviews.add(reject);
    QVERIFY2(rejectId, qPrintable(rejectId.error()));
    QCOMPARE(SampleRepository(*db).get(sampleId)->status, SampleStatus::Rejected);

    QVERIFY(AnnotationRepository(*db).save(a, 1));  // alice fixes: version 2
    auto stale = reviews.add(reject);  // a review of version 1 now
    QVERIFY(!stale);
    QVERIFY2(stale.error().contains(QLatin1String("no longer the current")), qPrintable(stale.error()));
    QCOMPARE(SampleRepository(*db).get(sampleId)->status, SampleStatus::Submitted);

    Review accept = reject;
    accept.annotationVersion = 2;
    accept.verdict = ReviewVerdict::Accept;
    accept.reason.clear();
    accept.failureTags.clear();
    QVERIFY(reviews.add(accept));
    QCOMPARE(SampleRepository(*db).get(sampleId)->status, SampleStatus::Accepted);

    auto list = reviews.forSample(sampleId);
    QCOMPARE(list->size(), std::size_t(2));
    reject.id = *rejectId;
    reject.createdAt = list->at(0).createdAt;
    QCOMPARE(list->at(0), reject);
    QCOMPARE(list->at(1).verdict, ReviewVerdict::Accept);
    QCOMPARE(reviews.withTag(QStringLiteral("overthinking"), 10)->size(), std::size_t(1));
    QCOMPARE(reviews.withTag(QStringLiteral("overthink"), 10)->size(), std::size_t(0));
    Review badTag = accept;
    badTag.failureTags = {QStringLiteral("a,b")};
    QVERIFY(!reviews.add(badTag));
}

void TstRepositories::goldItems()
{
    RS_FRESH_LOCATION(location);
    auto db = create(location);
    const qint64 sampleId = *SampleRepository(*db).add(makeSample(QStringLiteral("a.jpg")), {});
    Annotation a;
    a.sampleId = sampleId;
    a.annotatorId = *AnnotatorRepository(*db).ensure(QStringLiteral("expert"));
    QVERIFY(AnnotationRepository(*db).save(a, 0));
    GoldRepository gold(*db);
    auto missing = gold.mark(GoldItem{sampleId, 2, QString()});
    QVERIFY(!missing);
    QVERIFY(missing.error().contains(QLatin1String("no annotation version 2")));
    QVERIFY(!*gold.find(sampleId));
    QVERIFY(gold.mark(GoldItem{sampleId, 1, QStringLiteral("QC item")}));
    QCOMPARE(**gold.find(sampleId), (GoldItem{sampleId, 1, QStringLiteral("QC item")}));
    QVERIFY(AnnotationRepository(*db).save(a, 1));
    QVERIFY(gold.mark(GoldItem{sampleId, 2, QStringLiteral("updated")}));
    QCOMPARE(*gold.all(), (std::vector<GoldItem>{GoldItem{sampleId, 2, QStringLiteral("updated")}}));
    QCOMPARE(*gold.unmark(sampleId), true);
    QCOMPARE(*gold.unmark(sampleId), false);
    QVERIFY(gold.all()->empty());
}

void TstRepositories::bulkWriterCommitsOrRollsBack()
{
    RS_FRESH_LOCATION(location);
    auto db = create(location);
    const RleTarget target = rectTarget(QRect(3, 3, 5, 5));
    {
        SampleBulkWriter writer(*db);
        QVERIFY(writer.begin());
        for (int i = 0; i < 300; ++i)
            QVERIFY(writer.add(makeSample(QStringLiteral("img/%1.jpg").arg(i / 3)), {target}));
        QCOMPARE(writer.added(), 300);
    }  // destroyed without commit
    QCOMPARE(*SampleRepository(*db).count(SampleFilter()), 0);
    SampleBulkWriter writer(*db);
    QVERIFY(writer.begin());
    QVERIFY(!SampleBulkWriter(*db).begin());  // one write transaction per connection
    for (int i = 0; i < 300; ++i)
        QVERIFY(writer.add(makeSample(QStringLiteral("img/%1.jpg").arg(i / 3)), {target}));
    QVERIFY(writer.commit());
    QCOMPARE(*SampleRepository(*db).count(SampleFilter()), 300);
    auto rows = SampleRepository(*db).page(SampleFilter(), SampleSort{SampleSortKey::Id, true}, 0, 3);
    QCOMPARE(rows->size(), std::size_t(3));
    QCOMPARE(rows->at(0).imageId, rows->at(2).imageId);  // three questions per image
    QCOMPARE(*SampleRepository(*db).targets(rows->at(0).id), std::vector<RleTarget>{target});

    // A model run imported with its samples: proposals refer to samples added in the same import.
    ModelRun run;
    run.name = QStringLiteral("imported run");
    const qint64 runId = *RunRepository(*db).add(run);
    SampleBulkWriter more(*db);
    QVERIFY(more.begin());
    Sample tricky = makeSample(QStringLiteral("img/new.jpg"));
    tricky.queries = {QStringLiteral("a \"quoted\" \\ query\n"), QString(), QStringLiteral("ü") + QChar(31)};
    auto sampleId = more.add(tricky, {target});
    QVERIFY2(sampleId, qPrintable(sampleId.error()));
    Proposal proposal;
    proposal.runId = runId;
    proposal.sampleId = *sampleId;
    proposal.chain = ReasoningChain::fromText(QStringLiteral("one two three"));
    proposal.targets = {target};
    auto proposalId = more.addProposal(proposal);
    QVERIFY2(proposalId, qPrintable(proposalId.error()));
    auto bad = more.add(makeSample(QStringLiteral("/absolute/path.jpg")), {});
    QVERIFY(!bad);
    QVERIFY(bad.error().contains(QLatin1String("relative")));
    QVERIFY(more.commit());
    QCOMPARE(*SampleRepository(*db).count(SampleFilter()), 301);
    QCOMPARE((*ProposalRepository(*db).latest(*sampleId))->id, *proposalId);
    QCOMPARE(SampleRepository(*db).get(*sampleId)->queries, tricky.queries);
    auto byLength = SampleRepository(*db).page(SampleFilter(), SampleSort{SampleSortKey::ChainLength, true}, 0, 5);
    QCOMPARE(byLength->size(), std::size_t(1));
    QCOMPARE(byLength->front().chainLength, std::optional<int>(3));

    // Ids continue after the existing rows, and a rolled-back import leaves nothing behind.
    {
        SampleBulkWriter rolledBack(*db);
        QVERIFY(rolledBack.begin());
        auto id = rolledBack.add(makeSample(QStringLiteral("img/gone.jpg")), {target});
        QVERIFY(id && *id > *sampleId);
    }
    QCOMPARE(*SampleRepository(*db).count(SampleFilter()), 301);
    QVERIFY(!*ImageRepository(*db).findByHash(QByteArray("none")));

    // A write that fails inside the bulk path (SQLite: the disk is full) is an error naming the table,
    // and the import leaves nothing behind.
    if (location.backend == Backend::Sqlite) {
        QSqlQuery pages = db->prepare(QStringLiteral("PRAGMA page_count"));
        QVERIFY(pages.exec() && pages.next());
        QVERIFY(db->exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages.value(0).toInt() + 2), QStringLiteral("test")));
        SampleBulkWriter full(*db);
        QVERIFY(full.begin());
        QString error;
        for (int i = 0; i < 20000 && error.isEmpty(); ++i) {
            auto added = full.add(makeSample(QStringLiteral("img/full/%1.jpg").arg(i)), {target});
            if (!added)
                error = added.error();
        }
        if (error.isEmpty()) {
            auto committed = full.commit();
            QVERIFY(!committed);
            error = committed.error();
        }
        QVERIFY2(error.contains(QLatin1String("full")), qPrintable(error));
    }
    QCOMPARE(*SampleRepository(*db).count(SampleFilter()), 301);
}

void TstRepositories::workersClaimDisjointBatches()
{
    RS_FRESH_LOCATION(location);
    std::vector<qint64> samples;
    qint64 runId = 0;
    {
        auto db = create(location);
        for (int i = 0; i < 5; ++i)
            samples.push_back(*SampleRepository(*db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i)), {}));
        ModelRun run;
        run.name = QStringLiteral("batch run");
        runId = *RunRepository(*db).add(run);
    }
    Database::Options impatient;
    impatient.busyTimeoutMs = 200;
    auto first = Database::open(location, impatient);
    auto second = Database::open(location, impatient);
    QVERIFY2(first && second, qPrintable(first.error() + second.error()));
    auto proposalFor = [runId](qint64 sampleId) {
        Proposal p;
        p.runId = runId;
        p.sampleId = sampleId;
        p.chain = ReasoningChain::fromText(QStringLiteral("worker output"));
        return p;
    };
    {
        auto a = ProposalBatch::claim(**first, runId, 3);
        QVERIFY2(a, qPrintable(a.error()));
        QCOMPARE((*a)->sampleIds(), (std::vector<qint64>{samples[0], samples[1], samples[2]}));
        auto b = ProposalBatch::claim(**second, runId, 3);
        if (location.backend == Backend::Postgres) {
            // Another machine's worker skips the locked rows.
            QVERIFY2(b, qPrintable(b.error()));
            QCOMPARE((*b)->sampleIds(), (std::vector<qint64>{samples[3], samples[4]}));
            QVERIFY((*b)->add(proposalFor(samples[3])));
            QVERIFY((*b)->commit());
        } else {
            // SQLite: one worker at a time.
            QVERIFY(!b);
            QVERIFY2(b.error().contains(QLatin1String("locked")), qPrintable(b.error()));
        }
        QVERIFY((*a)->add(proposalFor(samples[0])));
        auto outside = (*a)->add(proposalFor(samples[4]));
        QVERIFY(!outside);
        QVERIFY(outside.error().contains(QLatin1String("not in this batch")));
    }  // the worker died: its batch rolls back and is claimable again
    QVERIFY(!*ProposalRepository(**first).latest(samples[0]));
    auto again = ProposalBatch::claim(**first, runId, 10);
    QVERIFY2(again, qPrintable(again.error()));
    std::vector<qint64> expected{samples[0], samples[1], samples[2], samples[4]};
    if (location.backend == Backend::Sqlite)
        expected = samples;
    QCOMPARE((*again)->sampleIds(), expected);
    for (qint64 id : (*again)->sampleIds())
        QVERIFY((*again)->add(proposalFor(id)));
    QVERIFY((*again)->commit());
    QVERIFY(!(*again)->commit());
    auto none = ProposalBatch::claim(**second, runId, 10);
    QVERIFY2(none, qPrintable(none.error()));
    QVERIFY((*none)->sampleIds().empty());
    SampleFilter withProposal;
    withProposal.hasProposal = true;
    QCOMPARE(*SampleRepository(**second).count(withProposal), 5);
}

QTEST_GUILESS_MAIN(TstRepositories)
#include "tst_repositories.moc"
