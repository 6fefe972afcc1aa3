#include "gui/queue/samplequeuemodel.h"
#include "gui/session/annotationsession.h"
#include "gui/session/documentsnapshot.h"
#include "gui/session/proposalprefetcher.h"
#include "guitestdata.h"
#include "scriptededits.h"
#include "tests/storage/testbackends.h"

#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/editjournal.h"
#include "storage/proposalrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;

namespace {

std::unique_ptr<Database> openOther(const QString &path)
{
    Database::Options options;
    options.connectionName = QStringLiteral("other-annotator-%1").arg(quintptr(&options));
    auto db = Database::open(ProjectLocation::sqlite(path), options);
    return db ? std::move(*db) : nullptr;
}

Mask rectangle(QSize size, const QRect &rect)
{
    Mask mask(size.width(), size.height());
    mask.fillRect(rect, true);
    return mask;
}

std::vector<Mask> masksOf(const std::vector<Target> &targets)
{
    std::vector<Mask> masks;
    for (const Target &t : targets)
        masks.push_back(t.mask);
    return masks;
}

} // namespace

class TstAnnotationSession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void opensSampleWithImportedTargets();
    void submitSavesAndAdvances_data();
    void submitSavesAndAdvances();
    void draftSaveStays();
    void conflictIsNeverOverwritten_data();
    void conflictIsNeverOverwritten();
    void journalRecordsEveryFinishedStep();
    void journalReencodesOnlyChangedMasks();
    void killedDuringEditRestoresJournal();
    void prefetchesOpenAndNextSamples();
    void modelRefineIsOneStep();
    void postgresProject();
    void cleanupTestCase();

private:
    QString freshProject();

    QTemporaryDir m_dir;
    QString m_template;
    int m_projects = 0;
};

void TstAnnotationSession::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);  // PostgreSQL projects' journals go to the user's data folder
    m_template = m_dir.filePath(QStringLiteral("template.rsdb"));
    auto samples = test::buildDemoProject(m_template);
    QVERIFY2(samples, qPrintable(samples.error()));
    QCOMPARE(*samples, qint64(240));
}

QString TstAnnotationSession::freshProject()
{
    const QString path = m_dir.filePath(QStringLiteral("project%1.rsdb").arg(++m_projects));
    if (!QFile::copy(m_template, path))
        return QString();
    return path;
}

void TstAnnotationSession::opensSampleWithImportedTargets()
{
    const QString path = freshProject();
    AnnotationSession session;
    QSignalSpy opened(&session, &AnnotationSession::projectOpened);
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    QCOMPARE(opened.count(), 1);
    QVERIFY(session.annotatorId() > 0);
    QCOMPARE(session.queue()->rowCount(), 240);
    QCOMPARE(session.splits(), QStringList{QStringLiteral("val")});

    QSignalSpy image(&session, &AnnotationSession::imageLoaded);
    QVERIFY(session.openRow(0));
    // The image is decoded on the pool: openRow() returns before it is there.
    QVERIFY(session.isImageLoading());
    QVERIFY(session.image().isNull());
    const qint64 id = session.sampleId();
    QCOMPARE(id, session.queue()->sampleIdAt(0));
    SampleDocument *document = session.document();
    QVERIFY(document);
    QVERIFY(!session.isModified());
    QCOMPARE(document->undoStack()->count(), 0);

    auto db = openOther(path);
    const auto stored = SampleRepository(*db).targets(id);
    QVERIFY(stored && !stored->empty());
    QCOMPARE(document->targetCount(), int(stored->size()));
    for (int i = 0; i < document->targetCount(); ++i)
        QCOMPARE(document->targetAt(i).target.mask, stored->at(std::size_t(i)).toTarget()->mask);

    QVERIFY(image.wait(10000));
    QCOMPARE(session.image().size(), session.sample().image.size);
    QVERIFY(!session.isImageLoading());
}

void TstAnnotationSession::submitSavesAndAdvances_data()
{
    QTest::addColumn<bool>("onlyNew");
    QTest::newRow("whole queue") << false;
    QTest::newRow("queue of new samples (the submitted one leaves it)") << true;
}

void TstAnnotationSession::submitSavesAndAdvances()
{
    QFETCH(bool, onlyNew);
    const QString path = freshProject();
    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    if (onlyNew) {
        SampleFilter filter;
        filter.status = SampleStatus::New;
        session.queue()->setFilter(filter);
    }
    QVERIFY(session.openRow(3));
    const qint64 first = session.sampleId();
    const qint64 second = session.queue()->sampleIdAt(4);
    SampleDocument *document = session.document();
    const QSize size = document->imageSize();

    // Edits through DocumentActions: a new target with a rectangle, the first target grown.
    const int added = DocumentActions::newTarget(*document, QStringLiteral("added"));
    QVERIFY(DocumentActions::paint(*document, added, rectangle(size, QRect(5, 6, 30, 20)), true, QStringLiteral("Paint")));
    QVERIFY(DocumentActions::paint(*document, 0, rectangle(size, QRect(100, 100, 12, 9)), true, QStringLiteral("Paint")));
    QVERIFY(DocumentActions::setDescription(*document, added, QStringLiteral("the added one")));
    QVERIFY(session.isModified());
    const std::vector<Target> expected = document->targets();

    QSignalSpy saved(&session, &AnnotationSession::saved);
    QSignalSpy opened(&session, &AnnotationSession::sampleOpened);
    QCOMPARE(session.submit(), AnnotationSession::SaveOutcome::Saved);
    QCOMPARE(saved.count(), 1);
    QCOMPARE(saved.first().at(1).toInt(), 1);
    QCOMPARE(saved.first().at(2).toBool(), true);

    // Stored: version 1 by alice, submitted, exactly the document's masks.
    auto db = openOther(path);
    const auto current = AnnotationRepository(*db).current(first);
    QVERIFY(current && *current);
    QCOMPARE((*current)->version, 1);
    QCOMPARE((*current)->annotatorId, session.annotatorId());
    QVERIFY((*current)->submitted);
    QCOMPARE(masksOf((*current)->targets), masksOf(expected));
    QCOMPARE((*current)->targets.back().description, QStringLiteral("the added one"));
    QCOMPARE((*current)->targets.back().box, QRectF(5, 6, 30, 20));
    QCOMPARE(SampleRepository(*db).get(first)->status, SampleStatus::Submitted);
    // The imported difficulty stays the sample's sort key.
    QVERIFY((*current)->difficulty.has_value());

    // Moved on to the next sample of the queue, which is clean.
    QCOMPARE(opened.count(), 1);
    QCOMPARE(session.sampleId(), second);
    QCOMPARE(session.currentRow(), onlyNew ? 3 : 4);
    QVERIFY(!session.isModified());
    QCOMPARE(session.queue()->rowCount(), onlyNew ? 239 : 240);
    // The journal no longer offers the saved edits.
    QVERIFY(session.recoverableEdits().empty());
}

void TstAnnotationSession::draftSaveStays()
{
    const QString path = freshProject();
    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    QVERIFY(session.openRow(0));
    const qint64 id = session.sampleId();
    QVERIFY(DocumentActions::fillHoles(*session.document(), 0) || DocumentActions::setIgnore(*session.document(), 0, true));
    QCOMPARE(session.saveDraft(), AnnotationSession::SaveOutcome::Saved);
    QCOMPARE(session.sampleId(), id);
    QVERIFY(!session.isModified());
    QCOMPARE(session.baseVersion(), 1);
    auto db = openOther(path);
    QCOMPARE(SampleRepository(*db).get(id)->status, SampleStatus::InProgress);
    QVERIFY(!(*AnnotationRepository(*db).current(id))->submitted);
    // A second save builds on the first.
    QVERIFY(DocumentActions::newTarget(*session.document()) >= 0);
    QCOMPARE(session.saveDraft(), AnnotationSession::SaveOutcome::Saved);
    QCOMPARE(*AnnotationRepository(*db).currentVersion(id), 2);
}

void TstAnnotationSession::conflictIsNeverOverwritten_data()
{
    QTest::addColumn<bool>("keepMine");
    QTest::newRow("keep mine as a new version based on theirs") << true;
    QTest::newRow("discard mine") << false;
}

void TstAnnotationSession::conflictIsNeverOverwritten()
{
    QFETCH(bool, keepMine);
    const QString path = freshProject();
    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    QVERIFY(session.openRow(2));
    const qint64 id = session.sampleId();
    SampleDocument *document = session.document();
    const QSize size = document->imageSize();
    QCOMPARE(session.baseVersion(), 0);

    // Bob saves version 1 from another connection while alice edits.
    auto other = openOther(path);
    QVERIFY(other);
    Annotation theirs;
    theirs.sampleId = id;
    theirs.annotatorId = *AnnotatorRepository(*other).ensure(QStringLiteral("bob"));
    theirs.submitted = true;
    theirs.targets = {Target{rectangle(size, QRect(1, 1, 7, 7)), QRectF(1, 1, 7, 7), QStringLiteral("bob's"), QString(), false}};
    auto bobSaved = AnnotationRepository(*other).save(theirs, 0);
    QVERIFY(bobSaved && !bobSaved->isConflict());

    QVERIFY(DocumentActions::paint(*document, 0, rectangle(size, QRect(40, 40, 20, 20)), true, QStringLiteral("Paint")));
    const std::vector<Target> mine = document->targets();
    QSignalSpy conflicts(&session, &AnnotationSession::conflictDetected);
    QCOMPARE(session.submit(), AnnotationSession::SaveOutcome::Conflict);
    QCOMPARE(conflicts.count(), 1);

    // Nothing of alice's was written; bob's version is intact; alice still has her edits.
    QCOMPARE(*AnnotationRepository(*other).currentVersion(id), 1);
    QCOMPARE(masksOf((*AnnotationRepository(*other).current(id))->targets), masksOf(theirs.targets));
    QCOMPARE(AnnotationRepository(*other).history(id)->size(), std::size_t(1));
    QCOMPARE(session.sampleId(), id);
    QVERIFY(session.isModified());
    QVERIFY(session.conflict());
    const SaveConflict &conflict = *session.conflict();
    QCOMPARE(conflict.theirVersion, 1);
    QCOMPARE(conflict.theirAnnotator, QStringLiteral("bob"));
    QCOMPARE(masksOf(conflict.theirs->targets), masksOf(theirs.targets));
    QCOMPARE(masksOf(conflict.mine.targets), masksOf(mine));
    QCOMPARE(conflict.mineBasedOn, 0);

    if (keepMine) {
        QCOMPARE(session.resolveConflict(AnnotationSession::ConflictChoice::KeepMine), AnnotationSession::SaveOutcome::Saved);
        const auto history = AnnotationRepository(*other).history(id);
        QCOMPARE(history->size(), std::size_t(2));
        QCOMPARE(history->back().version, 2);
        QCOMPARE(history->back().basedOnVersion, 1);
        QCOMPARE(masksOf((*AnnotationRepository(*other).current(id))->targets), masksOf(mine));
        QVERIFY(session.sampleId() != id);  // it was a submit: on to the next sample
    } else {
        QCOMPARE(session.resolveConflict(AnnotationSession::ConflictChoice::DiscardMine), AnnotationSession::SaveOutcome::Saved);
        QCOMPARE(session.sampleId(), id);
        QVERIFY(!session.isModified());
        QCOMPARE(session.baseVersion(), 1);
        QCOMPARE(masksOf(session.document()->targets()), masksOf(theirs.targets));
        QCOMPARE(*AnnotationRepository(*other).currentVersion(id), 1);
        QVERIFY(!session.recoverableEditFor(id));
    }
    QVERIFY(!session.conflict());
}

void TstAnnotationSession::journalRecordsEveryFinishedStep()
{
    const QString path = freshProject();
    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    QVERIFY(session.openRow(1));
    SampleDocument *document = session.document();
    const qint64 before = session.journal()->recordsWritten();
    test::applyScriptedEdits(*document);  // four steps
    QCOMPARE(session.journal()->recordsWritten() - before, qint64(4));
    document->undoStack()->undo();         // an undo is a step too
    QCOMPARE(session.journal()->recordsWritten() - before, qint64(5));
    QVERIFY(DocumentActions::splitComponents(*document, 0) || DocumentActions::newTarget(*document) >= 0);  // a macro: one record
    QCOMPARE(session.journal()->recordsWritten() - before, qint64(6));

    const std::optional<RecoverableEdit> edit = session.recoverableEditFor(session.sampleId());
    QVERIFY(edit);
    QCOMPARE(edit->steps, 6);
    QCOMPARE(edit->baseVersion, 0);
    const auto snapshot = DocumentSnapshot::fromBytes(edit->snapshot, document->imageSize());
    QVERIFY2(snapshot, qPrintable(snapshot.error()));
    QVERIFY(*snapshot == DocumentSnapshot::of(*document));
}

void TstAnnotationSession::journalReencodesOnlyChangedMasks()
{
    // Three 16-megapixel targets: a step that changes one mask re-encodes that one only.
    const QSize size(4000, 4000);
    SampleDocument document(size);
    for (int i = 0; i < 3; ++i) {
        DocumentTarget target;
        target.target.mask = rectangle(size, QRect(100 + 300 * i, 200, 2500, 3000 - 500 * i));
        target.color = SampleDocument::colorFor(i);
        document.insertTarget(i, target);
    }
    auto journal = SessionJournal::open(ProjectLocation::sqlite(m_dir.filePath(QStringLiteral("big16mp.rsdb"))));
    QVERIFY2(journal, qPrintable(journal.error()));
    (*journal)->watch(&document, 77, 0);
    QElapsedTimer timer;
    timer.start();
    QVERIFY((*journal)->record());
    const qint64 allNs = timer.nsecsElapsed();
    Mask dab = rectangle(size, QRect(1000, 1000, 40, 40));
    timer.restart();
    QVERIFY(DocumentActions::paint(document, 1, dab, false, QStringLiteral("Erase")));  // the step records itself
    const qint64 stepNs = timer.nsecsElapsed();
    timer.restart();
    document.maskEdited(1, QRect(1000, 1000, 40, 40));
    QVERIFY((*journal)->record());
    const qint64 oneNs = timer.nsecsElapsed();
    const auto edits = (*journal)->recoverable();
    QVERIFY(edits && edits->size() == 1);
    const auto restored = DocumentSnapshot::fromBytes(edits->front().snapshot, size);
    QVERIFY(restored);
    QVERIFY(*restored == DocumentSnapshot::of(document));
    qInfo("journal on 3 x 16 MP masks: first snapshot %.1f ms, one changed mask %.1f ms (%lld bytes/record); "
          "a whole erase step incl. DocumentActions %.1f ms",
          double(allNs) / 1e6, double(oneNs) / 1e6, (*journal)->bytesWritten() / (*journal)->recordsWritten(),
          double(stepNs) / 1e6);
    (*journal)->watch(nullptr, 0, 0);
}

void TstAnnotationSession::killedDuringEditRestoresJournal()
{
    const QString path = freshProject();
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(env);
    child.start(QStringLiteral(RS_CRASH_CHILD), {path, QStringLiteral("5")});
    QVERIFY(child.waitForStarted());
    QByteArray output;
    while (!output.contains("READY\n")) {
        QVERIFY2(child.waitForReadyRead(30000), child.readAllStandardError().constData());
        output += child.readAllStandardOutput();
    }
    child.kill();  // SIGKILL: no destructor, no flush, no save
    QVERIFY(child.waitForFinished());
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    qint64 sampleId = 0;
    QStringList expected;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("SAMPLE "))
            sampleId = line.mid(7).toLongLong();
        else if (line.startsWith("TARGET "))
            expected << QString::fromUtf8(line.mid(7));
    }
    QVERIFY(sampleId > 0);
    QVERIFY(expected.size() >= 2);

    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("crash")));
    // Nothing reached the database...
    QCOMPARE(*AnnotationRepository(*session.database()).currentVersion(sampleId), 0);
    // ...but the journal holds the four steps.
    const std::vector<RecoverableEdit> edits = session.recoverableEdits();
    QCOMPARE(edits.size(), std::size_t(1));
    QCOMPARE(edits.front().sampleId, sampleId);
    QCOMPARE(edits.front().steps, 4);
    QVERIFY(session.restoreEdits(edits.front()));
    QCOMPARE(session.sampleId(), sampleId);
    QCOMPARE(test::describeTargets(*session.document()), expected);
    // Restored as one undo step on top of the stored state.
    QVERIFY(session.isModified());
    QCOMPARE(session.document()->undoStack()->count(), 1);
    session.document()->undoStack()->undo();
    QVERIFY(test::describeTargets(*session.document()) != expected);
    session.document()->undoStack()->redo();
    QCOMPARE(test::describeTargets(*session.document()), expected);

    QCOMPARE(session.submit(), AnnotationSession::SaveOutcome::Saved);
    const auto saved = AnnotationRepository(*session.database()).current(sampleId);
    QCOMPARE((*saved)->targets.size(), std::size_t(expected.size()));
    session.closeProject();
    QVERIFY(session.openProject(path, QStringLiteral("crash")));
    QVERIFY(session.recoverableEdits().empty());
}

void TstAnnotationSession::prefetchesOpenAndNextSamples()
{
    const QString path = freshProject();
    AnnotationSession session;
    session.setPrefetchCount(2);
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    ProposalPrefetcher *prefetcher = session.prefetcher();
    QStringList states;
    QObject receiver;  // destroyed before `states`
    connect(prefetcher, &ProposalPrefetcher::stateChanged, &receiver, [&] { states << prefetcher->stateText(); });
    session.loadModel(QStringLiteral(RS_MODEL_DIR));
    QCOMPARE(prefetcher->state(), ProposalPrefetcher::State::Loading);
    QTRY_VERIFY_WITH_TIMEOUT(prefetcher->isModelLoaded(), 60000);
    QVERIFY(!prefetcher->device().isEmpty());

    QSignalSpy arrived(&session, &AnnotationSession::proposalArrived);
    QVERIFY(session.openRow(0));
    const qint64 open = session.sampleId();
    const qint64 next1 = session.queue()->sampleIdAt(1);
    const qint64 next2 = session.queue()->sampleIdAt(2);
    QVERIFY(session.document()->proposal().empty());
    // Once the image is decoded: the open sample at Visible priority, the next two at Prefetch.
    QTRY_VERIFY_WITH_TIMEOUT(!prefetcher->pending().isEmpty() || arrived.count() > 0, 10000);
    const QHash<qint64, RequestPriority> pending = prefetcher->pending();
    if (pending.contains(open))
        QCOMPARE(pending.value(open), RequestPriority::Visible);
    QVERIFY(pending.contains(next2));
    QCOMPARE(pending.value(next2), RequestPriority::Prefetch);

    auto arrivedFor = [&](qint64 id) {
        for (const QList<QVariant> &signal : arrived)
            if (signal.at(0).toLongLong() == id)
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(arrivedFor(open) && arrivedFor(next1) && arrivedFor(next2), 120000);
    QVERIFY(arrived.at(0).at(0).toLongLong() == open);  // the visible one first
    // Stored in the model's run and shown on the open sample.
    auto db = openOther(path);
    const auto latest = ProposalRepository(*db).latest(open);
    QVERIFY(latest && *latest);
    QCOMPARE((*latest)->runId, prefetcher->runId());
    QCOMPARE(RunRepository(*db).get(prefetcher->runId())->name, prefetcher->modelName());
    QCOMPARE(session.document()->proposal().size(), (*latest)->targets.size());
    QVERIFY(states.filter(QStringLiteral("generating")).size() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(prefetcher->state(), ProposalPrefetcher::State::Idle, 60000);

    // Submitting opens the next sample with its prefetched proposal already there.
    QCOMPARE(session.submit(), AnnotationSession::SaveOutcome::Saved);
    QCOMPARE(session.sampleId(), next1);
    const auto nextProposal = ProposalRepository(*db).latest(next1);
    QCOMPARE(session.document()->proposal().size(), (*nextProposal)->targets.size());
}

void TstAnnotationSession::modelRefineIsOneStep()
{
    const QString path = freshProject();
    AnnotationSession session;
    session.setPrefetchCount(0);
    QVERIFY(session.openProject(path, QStringLiteral("alice")));
    QVERIFY(!session.refineWithBox(QRectF(0, 0, 10, 10)));  // nothing open
    session.loadModel(QStringLiteral(RS_MODEL_DIR));
    QTRY_VERIFY_WITH_TIMEOUT(session.prefetcher()->isModelLoaded(), 60000);
    QVERIFY(session.openRow(6));  // "segment the shape in this box."
    QTRY_VERIFY_WITH_TIMEOUT(!session.image().isNull(), 10000);
    SampleDocument *document = session.document();
    const int steps = document->undoStack()->count();
    const Target &truth = document->targetAt(0).target;
    const QRectF box = truth.boxFromMask().adjusted(-2, -2, 2, 2);
    const Mask before = truth.mask;
    // On an empty target: the model's answer becomes its mask.
    DocumentActions::setMask(*document, 0, Mask(before.width(), before.height()), QStringLiteral("Clear"));
    QSignalSpy finished(&session, &AnnotationSession::refineFinished);
    QVERIFY(session.refineWithBox(box));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(document->undoStack()->count(), steps + 2);  // the clear, then one refine step
    QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Model Refine"));
    const Mask &refined = document->targetAt(0).target.mask;
    QVERIFY(refined.area() > 0);
    // The model finds the boxed shape: most of its answer lies on the true mask.
    QVERIFY2(double(refined.intersectionArea(before)) > 0.5 * double(refined.area()),
             qPrintable(QStringLiteral("%1 of %2").arg(refined.intersectionArea(before)).arg(refined.area())));
}

void TstAnnotationSession::postgresProject()
{
    if (const auto reason = test::TestBackends::unavailable(Backend::Postgres))
        QSKIP(qPrintable(*reason));
    const ProjectLocation location = test::TestBackends::freshLocation(Backend::Postgres);
    QVERIFY(test::buildDemoProject(location));
    // The same PROJECT argument as the command line's.
    const QString url = QStringLiteral("postgresql://%1@%2:%3/%4?schema=%5")
                            .arg(location.user, location.host)
                            .arg(location.port)
                            .arg(location.databaseName, location.schema);
    AnnotationSession session;
    QVERIFY2(session.openProject(url, QStringLiteral("alice")), qPrintable(session.projectName()));
    QCOMPARE(session.queue()->rowCount(), 240);
    QVERIFY(session.openRow(0));
    const qint64 first = session.sampleId();
    const QSize size = session.document()->imageSize();
    QVERIFY(DocumentActions::paint(*session.document(), 0, rectangle(size, QRect(2, 2, 9, 9)), true, QStringLiteral("Paint")));
    const std::vector<Target> expected = session.document()->targets();
    QVERIFY(session.recoverableEditFor(first));  // the journal lives in the user's data folder
    QCOMPARE(session.submit(), AnnotationSession::SaveOutcome::Saved);
    QCOMPARE(session.currentRow(), 1);

    auto other = Database::open(location);
    QVERIFY(other);
    QCOMPARE(masksOf((*AnnotationRepository(**other).current(first))->targets), masksOf(expected));
    // Someone else saves the open sample first: a conflict, nothing overwritten.
    Annotation theirs;
    theirs.sampleId = session.sampleId();
    theirs.annotatorId = *AnnotatorRepository(**other).ensure(QStringLiteral("bob"));
    theirs.targets = {Target{rectangle(size, QRect(0, 0, 4, 4)), QRectF(0, 0, 4, 4), QStringLiteral("bob"), QString(), false}};
    QVERIFY(AnnotationRepository(**other).save(theirs, 0));
    QVERIFY(DocumentActions::newTarget(*session.document()) >= 0);
    QCOMPARE(session.saveDraft(), AnnotationSession::SaveOutcome::Conflict);
    QCOMPARE(masksOf((*AnnotationRepository(**other).current(theirs.sampleId))->targets), masksOf(theirs.targets));
    QCOMPARE(session.conflict()->theirAnnotator, QStringLiteral("bob"));
}

void TstAnnotationSession::cleanupTestCase()
{
    test::TestBackends::shutdown();
}

QTEST_MAIN(TstAnnotationSession)
#include "tst_annotationsession.moc"
