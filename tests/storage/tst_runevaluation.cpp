// RunEvaluation on a real project (SQLite and PostgreSQL): which samples and which truth it reads,
// the counts it gives the protocol, and the grades annotators gave the run's chains.
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/proposalrepository.h"
#include "storage/runevaluation.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"
#include "storagetestdata.h"
#include "backendrows.h"
#include "testbackends.h"

#include <QTest>

using namespace rs;
using namespace rs::test;

class TstRunEvaluation : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void importedTruth_data() { addBackendRows(); }
    void importedTruth();
    void annotatedTruthAndGrades_data() { addBackendRows(); }
    void annotatedTruthAndGrades();
    void errors_data() { addBackendRows(); }
    void errors();

private:
    struct Fixture
    {
        std::unique_ptr<Database> db;
        std::vector<qint64> samples;
        std::vector<qint64> proposals;
    };
    // Three samples whose imported truth is a 10 x 10 square at x 0; run "r" proposes for the
    // first two: an exact copy (IoU 1) and a square shifted by 5 (I 50, U 150). The third has none.
    static Fixture makeFixture(const ProjectLocation &location)
    {
        Fixture f;
        auto db = Database::create(location);
        if (!db)
            qFatal("%s", qPrintable(db.error()));
        f.db = std::move(db).value();
        ModelRun run;
        run.name = QStringLiteral("r");
        const qint64 runId = *RunRepository(*f.db).add(run);
        for (int i = 0; i < 3; ++i) {
            Sample sample = makeSample(QStringLiteral("img/%1.jpg").arg(i), QStringLiteral("val"), QString::number(i));
            const qint64 id = *SampleRepository(*f.db).add(sample, { rectTarget(QRect(0, 0, 10, 10)) });
            f.samples.push_back(id);
            if (i == 2)
                continue;
            Proposal proposal;
            proposal.runId = runId;
            proposal.sampleId = id;
            proposal.chain = ReasoningChain::fromText(QStringLiteral("The square is red. It is on the left. So it."));
            proposal.targets = { rectTarget(QRect(i * 5, 0, 10, 10)) };
            auto added = ProposalRepository(*f.db).add(proposal);
            if (!added)
                qFatal("%s", qPrintable(added.error()));
            f.proposals.push_back(*added);
        }
        return f;
    }
};

void TstRunEvaluation::importedTruth()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    RunEvaluation::Options options;
    options.run = QStringLiteral("r");
    options.protocol = ProtocolScorer::Protocol::SegZero;
    const Expected<EvaluationReport> report = RunEvaluation::evaluate(*f.db, options);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples.size(), std::size_t(2));
    QCOMPARE(report->samples.at(0).sampleId, f.samples.at(0));
    QCOMPARE(report->samples.at(0).iou, 1.0);
    QCOMPARE(report->samples.at(1).iou, 50.0 / 150.0);
    QCOMPARE(report->overall.metrics.at(0).value, (1.0 + 50.0 / 150.0) / 2);  // gIoU
    QCOMPARE(report->overall.metrics.at(1).value, 150.0 / 250.0);             // cIoU
    QCOMPARE(report->reasoning.meanWords, 11.0);
    QCOMPARE(report->reasoning.samplesWithTokenStats, qint64(0));              // chains imported as text
    QVERIFY(!report->grades);
}

void TstRunEvaluation::annotatedTruthAndGrades()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    const qint64 alice = *AnnotatorRepository(*f.db).ensure(QStringLiteral("alice"));
    // Alice moves the second sample's truth onto the proposal's square and grades its chain.
    Annotation a;
    a.sampleId = f.samples.at(1);
    a.annotatorId = alice;
    Target square;
    square.mask = rectMask(QRect(5, 0, 10, 10));
    square.box = QRectF(5, 0, 10, 10);
    a.targets = { square };
    StepGrade useful, wrong, unsure;
    useful.rating = 1;
    wrong.rating = -1;
    wrong.error = StepError::WrongRelation;
    unsure.rating = 0;
    unsure.flagged = true;
    a.steps = { StepAnnotation { f.proposals.at(1), 0, useful, {} }, StepAnnotation { f.proposals.at(1), 1, wrong, {} },
                StepAnnotation { f.proposals.at(1), 2, unsure, {} } };
    a.grades = { ProposalGrade { f.proposals.at(1), RubricGrade { 2, 4, 5 } } };
    auto saved = AnnotationRepository(*f.db).save(a, 0);
    QVERIFY2(saved, qPrintable(saved.error()));

    RunEvaluation::Options options;
    options.run = QStringLiteral("r");
    options.against = RunEvaluation::Against::Annotations;
    const Expected<EvaluationReport> report = RunEvaluation::evaluate(*f.db, options);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->samples.size(), std::size_t(1));
    QCOMPARE(report->samples.at(0).sampleId, f.samples.at(1));
    QCOMPARE(report->samples.at(0).iou, double(100.0f / (100.0f + 1e-5f)));  // LISA, exact match now
    QVERIFY(report->grades);
    QCOMPARE(report->grades->gradedSamples, qint64(1));
    QCOMPARE(report->grades->steps, qint64(2));
    QCOMPARE(report->grades->flagged, qint64(1));
    QCOMPARE(report->grades->correct, qint64(1));
    QCOMPARE(report->grades->useful, qint64(1));
    QCOMPARE(report->grades->rubricGrades, qint64(1));
    QCOMPARE(report->grades->meanCorrectness, 2.0);
    QCOMPARE(report->grades->meanConciseness, 5.0);

    // Against the imported targets, the annotation does not count.
    options.against = RunEvaluation::Against::Targets;
    const Expected<EvaluationReport> imported = RunEvaluation::evaluate(*f.db, options);
    QVERIFY(imported);
    QCOMPARE(imported->samples.at(1).iou, double(50.0f / (150.0f + 1e-5f)));
}

void TstRunEvaluation::errors()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    RunEvaluation::Options options;
    options.run = QStringLiteral("nope");
    Expected<EvaluationReport> report = RunEvaluation::evaluate(*f.db, options);
    QVERIFY(!report);
    QCOMPARE(report.error(), QStringLiteral("no model run named 'nope' in the project"));

    options.run = QStringLiteral("r");
    options.against = RunEvaluation::Against::Annotations;
    report = RunEvaluation::evaluate(*f.db, options);
    QVERIFY(!report);
    QCOMPARE(report.error(), QStringLiteral("run 'r' has no proposal for an annotated sample"));

    options.against = RunEvaluation::Against::Targets;
    options.split = QStringLiteral("test");
    report = RunEvaluation::evaluate(*f.db, options);
    QVERIFY(!report);
    QCOMPARE(report.error(), QStringLiteral("run 'r' has no proposal in split 'test'"));
}

QTEST_MAIN(TstRunEvaluation)
#include "tst_runevaluation.moc"
