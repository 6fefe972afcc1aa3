// Overlap assignments and independent annotations on SQLite and PostgreSQL: seeded choice,
// compare-and-set versions, exact read-back, and what AgreementData gathers from a project.
#include "backendrows.h"
#include "storage/agreementdata.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/assignmentrepository.h"
#include "storage/database.h"
#include "storage/independentannotationrepository.h"
#include "storage/proposalrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"
#include "storagetestdata.h"
#include "testbackends.h"

#include <QTest>

using namespace rs;
using namespace rs::test;

class TstOverlapStorage : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void assignAndAnswer_data() { addBackendRows(); }
    void assignAndAnswer();
    void overBudgetFilter_data() { addBackendRows(); }
    void overBudgetFilter();
};

void TstOverlapStorage::assignAndAnswer()
{
    RS_FRESH_LOCATION(location);
    auto db = Database::create(location);
    QVERIFY2(db, qPrintable(db.error()));
    for (int i = 0; i < 10; ++i)
        QVERIFY(SampleRepository(**db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i), i < 6 ? "val" : "test",
                                                      QString::number(i)), {}));
    AssignmentRepository assignments(**db);
    AssignmentRepository::OverlapPlan plan;
    plan.annotators = { "ann", "ben" };
    plan.share = 0.5;
    plan.split = QStringLiteral("val");
    const auto result = assignments.assignOverlap(plan);
    QVERIFY2(result, qPrintable(result.error()));
    QCOMPARE(result->samples, qint64(3));
    QCOMPARE(result->added, qint64(6));
    QCOMPARE(assignments.assignOverlap(plan)->added, qint64(0));  // idempotent
    const qint64 ann = **AnnotatorRepository(**db).findByName("ann");
    const qint64 ben = **AnnotatorRepository(**db).findByName("ben");
    const std::vector<qint64> chosen = *assignments.samplesOf(ann, AssignmentRepository::Kind::Overlap);
    QCOMPARE(chosen, *assignments.samplesOf(ben, AssignmentRepository::Kind::Overlap));
    QCOMPARE(chosen.size(), std::size_t(3));
    for (qint64 sample : chosen)
        QVERIFY(sample <= 6);  // split val holds samples 1-6

    IndependentAnnotationRepository repository(**db);
    IndependentAnnotation answer;
    answer.sampleId = chosen.front();
    answer.annotatorId = ann;
    answer.mask = Rle::encode(rectMask(QRect(1, 2, 8, 4)));
    answer.difficulty = 4.5;
    answer.noTarget = false;
    answer.steps = { { 0, 0, 1 }, { 0, 1, -1 } };
    answer.secondsSpent = 12.5;
    QCOMPARE(*repository.save(answer, 0), 1);
    const auto conflict = repository.save(answer, 0);
    QVERIFY(!conflict);
    QVERIFY2(conflict.error().contains(QStringLiteral("conflict, version 1 was saved since version 0")), qPrintable(conflict.error()));
    answer.difficulty = 11.0;
    QVERIFY(!repository.save(answer, 1));
    answer.difficulty = 5.0;
    QCOMPARE(*repository.save(answer, 1), 2);
    const auto stored = *repository.get(answer.sampleId, ann);
    QVERIFY(stored);
    QCOMPARE(stored->mask, answer.mask);
    QCOMPARE(stored->difficulty, std::optional<double>(5.0));
    QCOMPARE(stored->steps, answer.steps);
    QCOMPARE(stored->secondsSpent, 12.5);
    QCOMPARE(stored->version, 2);

    // The main line's current annotation of an overlap sample is one more answer.
    Annotation main;
    main.sampleId = chosen.front();
    main.annotatorId = ben;
    Target target;
    target.mask = rectMask(QRect(1, 2, 8, 4));
    main.targets = { target };
    QVERIFY(AnnotationRepository(**db).save(main, 0));
    const auto data = AgreementData::read(**db);
    QVERIFY2(data, qPrintable(data.error()));
    QCOMPARE(data->answers.size(), std::size_t(2));
    QCOMPARE(data->answers.at(0).annotator, QStringLiteral("ann"));
    QCOMPARE(data->answers.at(1).annotator, QStringLiteral("ben"));
    QCOMPARE(*data->answers.at(1).mask, answer.mask);
    QVERIFY(data->gold.empty());

    // A second answer makes the sample sortable by disagreement: 1 − IoU(8x4, 8x2 inside it) = 0.5.
    IndependentAnnotation other;
    other.sampleId = chosen.front();
    other.annotatorId = ben;
    other.mask = Rle::encode(rectMask(QRect(1, 2, 8, 2)));
    QCOMPARE(*repository.save(other, 0), 1);
    SampleSort byDisagreement;
    byDisagreement.key = SampleSortKey::Disagreement;
    const auto rows = SampleRepository(**db).page(SampleFilter(), byDisagreement, 0, 10);
    QVERIFY2(rows, qPrintable(rows.error()));
    QCOMPARE(rows->size(), std::size_t(1));
    QCOMPARE(rows->front().id, chosen.front());
    QCOMPARE(*rows->front().disagreement, 0.5);
}

// PixelThink's budget: easy 96 words, medium none, hard 256 + 25·U.
void TstOverlapStorage::overBudgetFilter()
{
    RS_FRESH_LOCATION(location);
    auto db = Database::create(location);
    QVERIFY2(db, qPrintable(db.error()));
    ModelRun run;
    run.name = QStringLiteral("r");
    const qint64 runId = *RunRepository(**db).add(run);
    struct Row { double difficulty; int tokens; bool over; };
    const Row rows[] = { { 2.0, 100, true }, { 2.0, 90, false }, { 4.0, 500, false }, { 6.0, 200, false }, { 6.0, 300, true } };
    int i = 0;
    for (const Row &row : rows) {
        SampleExtras extras;
        extras.difficulty = row.difficulty;
        const qint64 id = *SampleRepository(**db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i), "val", QString::number(i)), {}, extras);
        ++i;
        Proposal proposal;
        proposal.runId = runId;
        proposal.sampleId = id;
        // top-2 margin 0.6 on every token: U = 0.4, the hard budget 266.
        proposal.chain = ReasoningChain::fromTokens(std::vector<ChainToken>(std::size_t(row.tokens), ChainToken { "w", 9, -0.1f, 0.2f, 0.6f }));
        QVERIFY(ProposalRepository(**db).add(proposal));
    }
    SampleFilter over;
    over.overBudget = true;
    const auto listed = SampleRepository(**db).page(over, SampleSort(), 0, 10);
    QVERIFY2(listed, qPrintable(listed.error()));
    QCOMPARE(listed->size(), std::size_t(2));
    QCOMPARE(listed->at(0).id, qint64(1));
    QCOMPARE(listed->at(1).id, qint64(5));
}

QTEST_MAIN(TstOverlapStorage)
#include "tst_overlapstorage.moc"
