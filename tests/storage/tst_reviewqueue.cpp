// Review mode's queue of one chosen run on SQLite and PostgreSQL: each proposal's IoU against the
// current truth (imported targets, then the annotation that replaces them), the run's sort keys with
// keyset paging, its over-budget test, review status and tags on top, and the schema-5 backfill.
#include "backendrows.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/proposalrepository.h"
#include "storage/reviewrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"
#include "storage/schema.h"
#include "storagetestdata.h"
#include "testbackends.h"

#include <QSqlQuery>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

constexpr int kSamples = 6;

struct Project
{
    std::unique_ptr<Database> db;
    qint64 runA = 0;
    qint64 runB = 0;
    std::vector<qint64> samples;
};

Proposal proposalOf(qint64 run, qint64 sample, const QRect &rect, int tokens)
{
    Proposal proposal;
    proposal.runId = run;
    proposal.sampleId = sample;
    // top-2 margin 0.75 on every token: U = 0.25.
    proposal.chain = ReasoningChain::fromTokens(std::vector<ChainToken>(std::size_t(tokens), ChainToken { "w", 9, -0.1f, 0.2f, 0.75f }));
    proposal.targets = { rectTarget(rect) };
    return proposal;
}

// Truth of every sample: the 10 x 10 square at (10, 10), difficulty 2 (easy: budget 96 tokens).
// Run B (added first) answers samples 1-4 with the square moved 3 - i pixels right and 100 tokens;
// run A answers all six with the square moved i pixels right and 10 + i tokens, so A is the latest.
// A's IoU of sample i is (10 - i) / (10 + i).
Project makeProject(const ProjectLocation &location)
{
    Project p;
    auto db = Database::create(location);
    if (!db)
        qFatal("%s", qPrintable(db.error()));
    p.db = std::move(*db);
    ModelRun a, b;
    a.name = QStringLiteral("A");
    b.name = QStringLiteral("B");
    p.runB = *RunRepository(*p.db).add(b);
    p.runA = *RunRepository(*p.db).add(a);
    for (int i = 0; i < kSamples; ++i) {
        SampleExtras extras;
        extras.difficulty = 2.0;
        p.samples.push_back(*SampleRepository(*p.db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i), "val", QString::number(i)),
                                                         { rectTarget(QRect(10, 10, 10, 10)) }, extras));
    }
    for (int i = 0; i < 4; ++i) {
        if (const auto added = ProposalRepository(*p.db).add(proposalOf(p.runB, p.samples[std::size_t(i)], QRect(13 - i, 10, 10, 10), 100)); !added)
            qFatal("%s", qPrintable(added.error()));
    }
    for (int i = 0; i < kSamples; ++i) {
        if (const auto added = ProposalRepository(*p.db).add(proposalOf(p.runA, p.samples[std::size_t(i)], QRect(10 + i, 10, 10, 10), 10 + i)); !added)
            qFatal("%s", qPrintable(added.error()));
    }
    return p;
}

std::vector<qint64> idsOf(const Expected<std::vector<SampleRow>> &rows)
{
    std::vector<qint64> ids;
    if (rows) {
        for (const SampleRow &row : *rows)
            ids.push_back(row.id);
    }
    return ids;
}

double shiftedIou(int shift)
{
    return double(10 - shift) / double(10 + shift);
}

} // namespace

class TstReviewQueue : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void sortsByTheChosenRunsIou_data() { addBackendRows(); }
    void sortsByTheChosenRunsIou();
    void pagesByKeyset_data() { addBackendRows(); }
    void pagesByKeyset();
    void annotationReplacesTheTruth_data() { addBackendRows(); }
    void annotationReplacesTheTruth();
    void runLengthBudgetAndReviews_data() { addBackendRows(); }
    void runLengthBudgetAndReviews();
    void upgradeFillsTheKey();
};

void TstReviewQueue::sortsByTheChosenRunsIou()
{
    RS_FRESH_LOCATION(location);
    Project p = makeProject(location);
    SampleRepository samples(*p.db);
    SampleFilter filter;
    filter.runId = p.runA;
    const SampleSort worstFirst { SampleSortKey::ProposalIou, false };
    const auto rows = samples.page(filter, worstFirst, 0, 50);
    QVERIFY2(rows, qPrintable(rows.error()));
    QCOMPARE(rows->size(), std::size_t(kSamples));
    for (int i = 0; i < kSamples; ++i) {
        const SampleRow &row = rows->at(std::size_t(i));
        const int shift = kSamples - 1 - i;
        QCOMPARE(row.id, p.samples[std::size_t(shift)]);
        QCOMPARE(*row.proposalIou, shiftedIou(shift));
        QCOMPARE(*row.chainLength, 10 + shift);
        QVERIFY(qAbs(*row.uncertainty - 0.25) < 1e-6);
    }
    QCOMPARE(*samples.count(filter, worstFirst), qint64(kSamples));

    // Run B: samples 1-4, moved 3, 2, 1, 0 pixels.
    filter.runId = p.runB;
    const auto b = samples.page(filter, SampleSort { SampleSortKey::ProposalIou, true }, 0, 50);
    QCOMPARE(idsOf(b), std::vector<qint64>({ p.samples[3], p.samples[2], p.samples[1], p.samples[0] }));
    QCOMPARE(*b->front().proposalIou, 1.0);
    QCOMPARE(*b->back().proposalIou, shiftedIou(3));
    QCOMPARE(*b->front().chainLength, 100);
    filter.hasProposal = false;
    QCOMPARE(idsOf(samples.page(filter, SampleSort(), 0, 50)), std::vector<qint64>({ p.samples[4], p.samples[5] }));
    QCOMPARE(*samples.count(filter), qint64(2));

    // Without a run the key is the latest proposal against an annotation, and none is saved yet.
    QCOMPARE(*samples.count(SampleFilter(), worstFirst), qint64(0));
}

void TstReviewQueue::pagesByKeyset()
{
    RS_FRESH_LOCATION(location);
    Project p = makeProject(location);
    SampleRepository samples(*p.db);
    SampleFilter filter;
    filter.runId = p.runA;
    for (const SampleSortKey key : { SampleSortKey::ProposalIou, SampleSortKey::ChainLength, SampleSortKey::Uncertainty }) {
        for (const bool descending : { false, true }) {
            const SampleSort sort { key, descending };
            const std::vector<qint64> whole = idsOf(samples.page(filter, sort, 0, 50));
            QCOMPARE(whole.size(), std::size_t(kSamples));
            std::vector<qint64> paged = idsOf(samples.page(filter, sort, 0, 4));
            const auto rest = samples.pageAfter(filter, sort, *samples.page(filter, sort, 3, 1)->begin(), 4, 0);
            QVERIFY2(rest, qPrintable(rest.error()));
            for (const qint64 id : idsOf(rest))
                paged.push_back(id);
            QCOMPARE(paged, whole);
        }
    }
}

void TstReviewQueue::annotationReplacesTheTruth()
{
    RS_FRESH_LOCATION(location);
    Project p = makeProject(location);
    const qint64 alice = *AnnotatorRepository(*p.db).ensure(QStringLiteral("alice"));
    Annotation a;
    a.sampleId = p.samples[1];
    a.annotatorId = alice;
    Target truth;
    truth.mask = rectMask(QRect(12, 10, 10, 10));
    a.targets = { truth };
    const auto saved = AnnotationRepository(*p.db).save(a, 0);
    QVERIFY2(saved, qPrintable(saved.error()));
    // Sample 1 now: A's square at x 11 overlaps 9 of 11 columns; B's at x 12 is exact.
    SampleRepository samples(*p.db);
    SampleFilter filter;
    filter.runId = p.runA;
    const auto a1 = samples.page(filter, SampleSort { SampleSortKey::ProposalIou, true }, 0, 1);
    QCOMPARE(idsOf(a1), std::vector<qint64>({ p.samples[0] }));
    filter.runId = p.runB;
    const auto b = samples.page(filter, SampleSort { SampleSortKey::ProposalIou, true }, 0, 2);
    QCOMPARE(idsOf(b), std::vector<qint64>({ p.samples[3], p.samples[1] }));
    QCOMPARE(*b->at(1).proposalIou, 1.0);
    filter.runId = p.runA;
    const auto all = samples.page(filter, SampleSort(), 0, 50);
    QCOMPARE(*all->at(1).proposalIou, shiftedIou(1));
    // The latest proposal's key against the annotation (the sample-level column) agrees.
    const auto latest = samples.page(SampleFilter(), SampleSort { SampleSortKey::ProposalIou, false }, 0, 50);
    QCOMPARE(idsOf(latest), std::vector<qint64>({ p.samples[1] }));
    QCOMPARE(*latest->front().proposalIou, shiftedIou(1));
}

void TstReviewQueue::runLengthBudgetAndReviews()
{
    RS_FRESH_LOCATION(location);
    Project p = makeProject(location);
    SampleRepository samples(*p.db);
    SampleFilter over;
    over.overBudget = true;
    QCOMPARE(*samples.count(over), qint64(0));  // the latest proposals (A) are short
    over.runId = p.runB;
    QCOMPARE(*samples.count(over), qint64(4));  // B's 100 tokens are over the easy budget of 96
    over.runId = p.runA;
    QCOMPARE(*samples.count(over), qint64(0));

    const qint64 rita = *AnnotatorRepository(*p.db).ensure(QStringLiteral("rita"), QStringLiteral("reviewer"));
    Review review;
    review.sampleId = p.samples[2];
    review.reviewerId = rita;
    review.verdict = ReviewVerdict::Reject;
    review.reason = QStringLiteral("misses the left edge");
    review.failureTags = { QStringLiteral("partial"), QStringLiteral("boundary") };
    const auto added = ReviewRepository(*p.db).add(review);
    QVERIFY2(added, qPrintable(added.error()));
    SampleFilter filter;
    filter.runId = p.runB;
    filter.review = SampleFilter::Review::Rejected;
    QCOMPARE(idsOf(samples.page(filter, SampleSort { SampleSortKey::ChainLength, true }, 0, 50)), std::vector<qint64>({ p.samples[2] }));
    filter.review = SampleFilter::Review::Unreviewed;
    QCOMPARE(*samples.count(filter), qint64(3));
    filter.review.reset();
    filter.failureTag = QStringLiteral("boundary");
    filter.runId = p.runA;
    QCOMPARE(idsOf(samples.page(filter, SampleSort { SampleSortKey::ProposalIou, false }, 0, 50)), std::vector<qint64>({ p.samples[2] }));
}

// A schema-4 project (before the per-run key) gets every proposal's IoU when it is opened.
void TstReviewQueue::upgradeFillsTheKey()
{
    const ProjectLocation location = TestBackends::freshLocation(Backend::Sqlite);
    {
        Project p = makeProject(location);
        for (const char *sql : { "DROP INDEX proposal_run_truth_iou", "ALTER TABLE proposal DROP COLUMN truth_iou",
                                 "PRAGMA user_version = 4" })
            QVERIFY(p.db->exec(QString::fromLatin1(sql), QStringLiteral("making a schema-4 project")));
    }
    auto db = Database::open(location);
    QVERIFY2(db, qPrintable(db.error()));
    QCOMPARE((*db)->schemaVersion(), Schema::kCurrentVersion);
    QSqlQuery query = (*db)->prepare(QStringLiteral("SELECT count(*), sum(truth_iou) FROM proposal"));
    QVERIFY(query.exec() && query.next());
    QCOMPARE(query.value(0).toInt(), 10);
    double expected = 1.0 + shiftedIou(1) + shiftedIou(2) + shiftedIou(3);  // B
    for (int i = 0; i < kSamples; ++i)
        expected += shiftedIou(i);
    QVERIFY(qAbs(query.value(1).toDouble() - expected) < 1e-12);
}

QTEST_MAIN(TstReviewQueue)
#include "tst_reviewqueue.moc"
