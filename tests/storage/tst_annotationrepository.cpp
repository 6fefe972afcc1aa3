#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/proposalrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"
#include "storage/threadconnections.h"

#include "storagetestdata.h"
#include "backendrows.h"
#include "testbackends.h"

#include <QAtomicInteger>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <memory>

using namespace rs;
using namespace rs::test;

// Versioned annotation writes: what is saved reads back, stale saves are conflicts that overwrite
// nothing, the history keeps every version and restoring makes a new one; on both back ends.
class TstAnnotationRepository : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void saveAndReadBack_data() { addBackendRows(); }
    void saveAndReadBack();
    void staleBaseIsConflict_data() { addBackendRows(); }
    void staleBaseIsConflict();
    void twoAnnotatorsOnOneSample_data() { addBackendRows(); }
    void twoAnnotatorsOnOneSample();
    void concurrentThreadsNeverLoseAVersion_data() { addBackendRows(); }
    void concurrentThreadsNeverLoseAVersion();
    void historyAndRestore_data() { addBackendRows(); }
    void historyAndRestore();
    void invalidAnnotationIsRejected_data();
    void invalidAnnotationIsRejected();
    void proposalIouFollowsAnnotation_data() { addBackendRows(); }
    void proposalIouFollowsAnnotation();

private:
    struct Fixture
    {
        std::unique_ptr<Database> db;
        qint64 sampleId = 0;
        qint64 alice = 0;
        qint64 bob = 0;
        qint64 proposalId = 0;
    };
    // A project with one sample, annotators alice and bob, and one proposal (mask: columns 10..29).
    static Fixture makeFixture(const ProjectLocation &location)
    {
        Fixture f;
        auto db = Database::create(location);
        if (!db)
            qFatal("%s", qPrintable(db.error()));
        f.db = std::move(db).value();
        f.sampleId = *SampleRepository(*f.db).add(makeSample(QStringLiteral("img/a.jpg")), {});
        f.alice = *AnnotatorRepository(*f.db).ensure(QStringLiteral("alice"));
        f.bob = *AnnotatorRepository(*f.db).ensure(QStringLiteral("bob"));
        ModelRun run;
        run.name = QStringLiteral("run-1");
        const qint64 runId = *RunRepository(*f.db).add(run);
        Proposal proposal;
        proposal.runId = runId;
        proposal.sampleId = f.sampleId;
        proposal.chain = ReasoningChain::fromText(QStringLiteral("The cup holds water. It is on the left."));
        proposal.targets = {rectTarget(QRect(10, 0, 20, 10))};
        auto proposalId = ProposalRepository(*f.db).add(proposal);
        if (!proposalId)
            qFatal("%s", qPrintable(proposalId.error()));
        f.proposalId = *proposalId;
        return f;
    }
    static Annotation fullAnnotation(const Fixture &f, qint64 annotator, const QString &comment)
    {
        Annotation a;
        a.sampleId = f.sampleId;
        a.annotatorId = annotator;
        Target cup;
        cup.mask = rectMask(QRect(0, 0, 20, 10));
        cup.box = QRectF(0, 0, 20, 10);
        cup.label = QStringLiteral("cup");
        cup.description = QStringLiteral("the blue cup on the left");
        Target rim;
        rim.mask = rectMask(QRect(40, 30, 5, 5));
        rim.box = QRectF(40, 30, 5, 5);
        rim.label = QStringLiteral("ignore");
        rim.ignore = true;
        a.targets = {cup, rim};
        a.referenceShort = QStringLiteral("The cup holds water.");
        a.referenceLong = QStringLiteral("Cups hold liquids. The blue object is a cup. So the cup.");
        StepGrade good;
        good.rating = 1;
        StepGrade bad;
        bad.rating = -1;
        bad.error = StepError::WrongRelation;
        bad.replacement = QStringLiteral("It is on the right.");
        a.steps = {StepAnnotation{f.proposalId, 0, good, {0}}, StepAnnotation{f.proposalId, 1, bad, {0, 1}}};
        a.grades = {ProposalGrade{f.proposalId, RubricGrade{4, 3, 5}}};
        Difficulty d;
        d.score = 4.5;
        d.source = DifficultySource::Human;
        d.estimator = QStringLiteral("alice");
        a.difficulty = d;
        a.comment = comment;
        a.secondsSpent = 42.5;
        return a;
    }
};

void TstAnnotationRepository::saveAndReadBack()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    AnnotationRepository repository(*f.db);
    QCOMPARE(*repository.currentVersion(f.sampleId), 0);
    QVERIFY(!*repository.current(f.sampleId));

    const Annotation written = fullAnnotation(f, f.alice, QStringLiteral("first pass; it's \"tricky\" -- '); DROP TABLE sample;"));
    auto saved = repository.save(written, 0);
    QVERIFY2(saved, qPrintable(saved.error()));
    QVERIFY(!saved->isConflict());
    QCOMPARE(saved->version, 1);

    auto read = repository.current(f.sampleId);
    QVERIFY2(read, qPrintable(read.error()));
    QVERIFY(read->has_value());
    const Annotation &a = **read;
    QVERIFY(a.sameContent(written));
    QCOMPARE(a.version, 1);
    QCOMPARE(a.basedOnVersion, 0);
    QVERIFY(a.savedAt.isValid());
    QVERIFY(qAbs(a.savedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    auto rows = SampleRepository(*f.db).page(SampleFilter(), SampleSort(), 0, 10);
    QCOMPARE(rows->size(), std::size_t(1));
    QCOMPARE(rows->front().status, SampleStatus::InProgress);
    QCOMPARE(rows->front().annotatorId, f.alice);
    QCOMPARE(rows->front().annotationVersion, 1);
    QCOMPARE(rows->front().difficulty, std::optional<double>(4.5));

    Annotation submitted = written;
    submitted.submitted = true;
    QCOMPARE(repository.save(submitted, 1)->version, 2);
    QCOMPARE(SampleRepository(*f.db).get(f.sampleId)->status, SampleStatus::Submitted);
}

void TstAnnotationRepository::staleBaseIsConflict()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    AnnotationRepository repository(*f.db);
    const Annotation first = fullAnnotation(f, f.alice, QStringLiteral("alice v1"));
    QCOMPARE(repository.save(first, 0)->version, 1);

    for (int staleBase : {0, 5}) {
        const Annotation late = fullAnnotation(f, f.bob, QStringLiteral("bob, late"));
        auto result = repository.save(late, staleBase);
        QVERIFY2(result, qPrintable(result.error()));
        QVERIFY(result->isConflict());
        QCOMPARE(result->version, 1);
        QCOMPARE(result->currentAnnotatorId, f.alice);
    }
    QCOMPARE((*repository.current(f.sampleId))->comment, QStringLiteral("alice v1"));
    QCOMPARE(repository.history(f.sampleId)->size(), std::size_t(1));
    QSqlQuery count(f.db->connection());
    QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM annotation_target")) && count.next());
    QCOMPARE(count.value(0).toInt(), 2);
}

void TstAnnotationRepository::twoAnnotatorsOnOneSample()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    QCOMPARE(AnnotationRepository(*f.db).save(fullAnnotation(f, f.alice, QStringLiteral("v1")), 0)->version, 1);
    // Two annotators, two connections (two machines on PostgreSQL), both start from version 1.
    auto aliceDb = Database::open(location);
    auto bobDb = Database::open(location);
    QVERIFY2(aliceDb && bobDb, qPrintable(aliceDb.error() + bobDb.error()));
    AnnotationRepository alice(**aliceDb);
    AnnotationRepository bob(**bobDb);
    const int aliceBase = *alice.currentVersion(f.sampleId);
    const int bobBase = *bob.currentVersion(f.sampleId);
    QCOMPARE(aliceBase, 1);
    QCOMPARE(bobBase, 1);

    auto first = alice.save(fullAnnotation(f, f.alice, QStringLiteral("alice's fix")), aliceBase);
    QVERIFY2(first, qPrintable(first.error()));
    QVERIFY(!first->isConflict());
    QCOMPARE(first->version, 2);

    auto second = bob.save(fullAnnotation(f, f.bob, QStringLiteral("bob's fix")), bobBase);
    QVERIFY2(second, qPrintable(second.error()));
    QVERIFY(second->isConflict());
    QCOMPARE(second->version, 2);
    QCOMPARE(second->currentAnnotatorId, f.alice);

    // Bob reloads, rebases and saves: version 3, alice's version 2 is still in the history.
    QCOMPARE((*bob.current(f.sampleId))->comment, QStringLiteral("alice's fix"));
    auto rebased = bob.save(fullAnnotation(f, f.bob, QStringLiteral("bob's fix")), 2);
    QCOMPARE(rebased->version, 3);
    auto history = alice.history(f.sampleId);
    QCOMPARE(history->size(), std::size_t(3));
    QCOMPARE(history->at(1).annotatorName, QStringLiteral("alice"));
    QCOMPARE(history->at(2).annotatorName, QStringLiteral("bob"));
    QCOMPARE(alice.at(f.sampleId, 2)->comment, QStringLiteral("alice's fix"));
}

void TstAnnotationRepository::concurrentThreadsNeverLoseAVersion()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    const qint64 sampleId = f.sampleId;
    const qint64 annotators[] = {f.alice, f.bob};
    f.db.reset();

    ThreadConnections connections(location, QStringLiteral("annotators"));
    QAtomicInteger<int> saves;
    QAtomicInteger<int> conflicts;
    QAtomicInteger<int> errors;
    constexpr int kThreads = 4;
    constexpr int kAttempts = 12;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(QThread::create([&, t] {
            auto db = connections.database();
            if (!db) {
                errors.fetchAndAddRelaxed(1);
                return;
            }
            AnnotationRepository repository(**db);
            for (int i = 0; i < kAttempts; ++i) {
                const int base = *repository.currentVersion(sampleId);
                Annotation a;
                a.sampleId = sampleId;
                a.annotatorId = annotators[t % 2];
                a.comment = QStringLiteral("thread %1 attempt %2").arg(t).arg(i);
                auto result = repository.save(a, base);
                if (!result)
                    errors.fetchAndAddRelaxed(1);
                else if (result->isConflict())
                    conflicts.fetchAndAddRelaxed(1);
                else
                    saves.fetchAndAddRelaxed(1);
            }
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(120000));
    QCOMPARE(errors.loadRelaxed(), 0);
    QCOMPARE(saves.loadRelaxed() + conflicts.loadRelaxed(), kThreads * kAttempts);
    QCOMPARE(connections.openCount(), 0);  // each thread's connection closed when it finished

    auto db = Database::open(location);
    AnnotationRepository repository(**db);
    QCOMPARE(*repository.currentVersion(sampleId), saves.loadRelaxed());
    auto history = repository.history(sampleId);
    QCOMPARE(int(history->size()), saves.loadRelaxed());
    for (std::size_t i = 0; i < history->size(); ++i) {
        QCOMPARE(history->at(i).version, int(i) + 1);
        QCOMPARE(history->at(i).basedOnVersion, int(i));
    }
}

void TstAnnotationRepository::historyAndRestore()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    const qint64 carol = *AnnotatorRepository(*f.db).ensure(QStringLiteral("carol"), QStringLiteral("reviewer"));
    AnnotationRepository repository(*f.db);
    const Annotation v1 = fullAnnotation(f, f.alice, QStringLiteral("good"));
    Annotation v2 = fullAnnotation(f, f.bob, QStringLiteral("broken"));
    v2.targets.front().mask.fill(false);
    v2.difficulty.reset();
    QCOMPARE(repository.save(v1, 0)->version, 1);
    QCOMPARE(repository.save(v2, 1)->version, 2);

    auto stale = repository.restore(f.sampleId, 1, carol, 1);
    QVERIFY(stale && stale->isConflict());
    auto restored = repository.restore(f.sampleId, 1, carol, 2);
    QVERIFY2(restored, qPrintable(restored.error()));
    QCOMPARE(restored->version, 3);

    const Annotation now = **repository.current(f.sampleId);
    QCOMPARE(now.annotatorId, carol);
    QCOMPARE(now.restoredFrom, std::optional<int>(1));
    QCOMPARE(now.targets, v1.targets);
    QCOMPARE(now.steps, v1.steps);
    QCOMPARE(now.grades, v1.grades);
    QCOMPARE(now.difficulty, v1.difficulty);
    QCOMPARE(now.comment, v1.comment);
    QCOMPARE(repository.at(f.sampleId, 2)->comment, QStringLiteral("broken"));

    auto history = repository.history(f.sampleId);
    QCOMPARE(history->size(), std::size_t(3));
    QCOMPARE(history->at(0).annotatorName, QStringLiteral("alice"));
    QCOMPARE(history->at(1).annotatorName, QStringLiteral("bob"));
    QCOMPARE(history->at(2).annotatorName, QStringLiteral("carol"));
    QCOMPARE(history->at(2).restoredFrom, std::optional<int>(1));
    QCOMPARE(history->at(0).secondsSpent, 42.5);
    QVERIFY(history->at(0).savedAt <= history->at(2).savedAt);
    QVERIFY(!repository.at(f.sampleId, 9));
}

void TstAnnotationRepository::invalidAnnotationIsRejected_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("expected");
    for (const auto &[name, backend] : TestBackends::all()) {
        for (const auto &[problem, expected] :
             {std::pair{QStringLiteral("difficulty 11"), QStringLiteral("outside 1–10")},
              std::pair{QStringLiteral("link to missing target"), QStringLiteral("does not exist")},
              std::pair{QStringLiteral("rubric 9"), QStringLiteral("invalid rubric")},
              std::pair{QStringLiteral("step rating 2"), QStringLiteral("invalid grade")},
              std::pair{QStringLiteral("no such sample"), QStringLiteral("no such sample")},
              std::pair{QStringLiteral("unknown annotator"), QStringLiteral("rule of the project schema")},
              std::pair{QStringLiteral("negative base"), QStringLiteral("invalid base version")}})
            QTest::newRow((name + ": " + problem.toUtf8()).constData()) << int(backend) << problem << expected;
    }
}

void TstAnnotationRepository::invalidAnnotationIsRejected()
{
    QFETCH(QString, problem);
    QFETCH(QString, expected);
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);
    Annotation a = fullAnnotation(f, f.alice, QStringLiteral("x"));
    int base = 0;
    if (problem == QLatin1String("difficulty 11"))
        a.difficulty->score = 11;
    else if (problem == QLatin1String("link to missing target"))
        a.steps.front().targetIndexes = {7};
    else if (problem == QLatin1String("rubric 9"))
        a.grades.front().rubric.grounding = 9;
    else if (problem == QLatin1String("step rating 2"))
        a.steps.front().grade.rating = 2;
    else if (problem == QLatin1String("no such sample"))
        a.sampleId = 999;
    else if (problem == QLatin1String("unknown annotator"))
        a.annotatorId = 999;
    else if (problem == QLatin1String("negative base"))
        base = -1;
    auto result = AnnotationRepository(*f.db).save(a, base);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(expected), qPrintable(result.error()));
    QCOMPARE(*AnnotationRepository(*f.db).currentVersion(f.sampleId), 0);
    QSqlQuery count(f.db->connection());
    QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM annotation")) && count.next());
    QCOMPARE(count.value(0).toInt(), 0);
    QCOMPARE(SampleRepository(*f.db).get(f.sampleId)->status, SampleStatus::New);
}

void TstAnnotationRepository::proposalIouFollowsAnnotation()
{
    RS_FRESH_LOCATION(location);
    Fixture f = makeFixture(location);  // proposal: x 10..29, y 0..9 (200 px)
    AnnotationRepository repository(*f.db);
    auto iouNow = [&] {
        auto rows = SampleRepository(*f.db).page(SampleFilter(), SampleSort{SampleSortKey::ProposalIou, false}, 0, 5);
        return rows->empty() ? std::optional<double>() : rows->front().proposalIou;
    };
    QCOMPARE(iouNow(), std::optional<double>());  // no annotation yet: not listed by IoU
    Annotation a = fullAnnotation(f, f.alice, QStringLiteral("half"));  // cup x 0..19 (+ an ignore target)
    QVERIFY(repository.save(a, 0));
    QCOMPARE(iouNow(), std::optional<double>(100.0 / 300.0));
    a.targets.front().mask = rectMask(QRect(10, 0, 20, 10));
    QVERIFY(repository.save(a, 1));
    QCOMPARE(iouNow(), std::optional<double>(1.0));
}

QTEST_GUILESS_MAIN(TstAnnotationRepository)
#include "tst_annotationrepository.moc"
