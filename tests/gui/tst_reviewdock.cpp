// Review mode on the demo project: two runs' proposals against the open sample's truth, the verdict
// keys, the stored review, and the queue filters that find it again.
#include "core/sampledocument.h"
#include "gui/queue/queuedock.h"
#include "gui/queue/samplequeuemodel.h"
#include "gui/canvas/canvaswidget.h"
#include "gui/tools/abstracttool.h"
#include "gui/review/reviewdock.h"
#include "gui/window/mainwindow.h"
#include "gui/session/annotationsession.h"
#include "guitestdata.h"
#include "storage/proposalrepository.h"
#include "storage/reviewrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace rs;
using namespace rs::test;

class TestReviewDock : public QObject
{
    Q_OBJECT

private slots:
    void comparesRunsAndStoresVerdicts();
    void queueFollowsTheReviewRun();
    void screenshot();
};

void TestReviewDock::comparesRunsAndStoresVerdicts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("review.rsdb"));
    QVERIFY(buildDemoProject(path));
    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("rita")));
    int row = 0;
    while (true) {  // the first sample with a target
        QVERIFY(session.openRow(row));
        if (session.document()->targetCount() > 0 && !session.document()->targetAt(0).target.ignore)
            break;
        ++row;
    }
    const Target truth = session.document()->targets().front();
    const qint64 sampleId = session.sampleId();
    {
        auto db = Database::open(ProjectLocation::sqlite(path));
        QVERIFY(db);
        for (const char *name : { "exact", "empty" }) {
            ModelRun run;
            run.name = QLatin1String(name);
            Proposal proposal;
            proposal.runId = *RunRepository(**db).add(run);
            proposal.sampleId = sampleId;
            proposal.chain = ReasoningChain::fromText(QStringLiteral("The %1 run thinks. It answers.").arg(name));
            if (QLatin1String(name) == QLatin1String("exact"))
                proposal.targets = { RleTarget::fromTarget(truth) };
            QVERIFY(ProposalRepository(**db).add(proposal));
        }
    }
    ReviewDock dock(&session);
    dock.refresh();
    QTableWidget *runs = dock.runTable();
    QCOMPARE(runs->rowCount(), 2);
    QCOMPARE(runs->item(0, ReviewDock::RunColumn)->text(), QStringLiteral("exact"));
    QCOMPARE(runs->item(0, ReviewDock::IouColumn)->data(Qt::UserRole).toDouble(), 1.0);
    QCOMPARE(runs->item(0, ReviewDock::BoundaryColumn)->data(Qt::UserRole).toDouble(), 0.0);
    QCOMPARE(runs->item(1, ReviewDock::IouColumn)->data(Qt::UserRole).toDouble(), 0.0);
    QCOMPARE(runs->item(1, ReviewDock::RemovedColumn)->data(Qt::UserRole).toDouble(), double(truth.mask.area()));
    QCOMPARE(runs->item(1, ReviewDock::AddedColumn)->data(Qt::UserRole).toDouble(), 0.0);
    QCOMPARE(dock.chainCount(), 2);

    // Selecting a run shows its masks as the canvas's proposal layer.
    runs->setCurrentCell(1, 0);
    QVERIFY(session.document()->proposal().empty());
    runs->setCurrentCell(0, 0);
    QCOMPARE(session.document()->proposal().size(), std::size_t(1));
    QCOMPARE(session.document()->proposal().front().mask, truth.mask);

    // Keyboard: Alt+Shift+2 toggles the second tag ("partial"), Alt+2 rejects.
    dock.show();
    dock.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dock));
    dock.reasonEdit()->setText(QStringLiteral("misses the handle"));
    QTest::keyClick(&dock, Qt::Key_2, Qt::AltModifier | Qt::ShiftModifier);
    QVERIFY(dock.tagBox(QStringLiteral("partial"))->isChecked());
    QTest::keyClick(&dock, Qt::Key_2, Qt::AltModifier);
    QVERIFY(!dock.tagBox(QStringLiteral("partial"))->isChecked());  // cleared for the next one
    QCOMPARE(dock.history()->count(), 1);
    if (const QByteArray shots = qgetenv("RS_SCREENSHOT_DIR"); !shots.isEmpty()) {  // docs/images/review.png
        dock.resize(560, 640);
        dock.runTable()->setCurrentCell(0, 0);
        dock.reasonEdit()->setText(QStringLiteral("the second run finds nothing"));
        dock.tagBox(QStringLiteral("no_target_missed"))->setChecked(true);
        QVERIFY(dock.grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/review.png")));
        dock.reasonEdit()->clear();
        dock.tagBox(QStringLiteral("no_target_missed"))->setChecked(false);
    }

    const auto reviews = ReviewRepository(*session.database()).forSample(sampleId);
    QCOMPARE(reviews->size(), std::size_t(1));
    const Review &stored = reviews->front();
    QCOMPARE(stored.verdict, ReviewVerdict::Reject);
    QCOMPARE(stored.reason, QStringLiteral("misses the handle"));
    QCOMPARE(stored.failureTags, QStringList({ QStringLiteral("partial") }));
    QCOMPARE(stored.reviewerId, session.annotatorId());
    QVERIFY(stored.proposalId > 0);

    // The queue's review filters find it.
    SampleRepository samples(*session.database());
    SampleFilter rejected;
    rejected.review = SampleFilter::Review::Rejected;
    QCOMPARE(*samples.count(rejected), qint64(1));
    QCOMPARE(samples.page(rejected, SampleSort(), 0, 5)->front().id, sampleId);
    SampleFilter tagged;
    tagged.failureTag = QStringLiteral("partial");
    QCOMPARE(*samples.count(tagged), qint64(1));
    tagged.failureTag = QStringLiteral("boundary");
    QCOMPARE(*samples.count(tagged), qint64(0));
    SampleFilter unreviewed;
    unreviewed.review = SampleFilter::Review::Unreviewed;
    QCOMPARE(*samples.count(unreviewed), *samples.count(SampleFilter()) - 1);

    // A later accept is the latest verdict.
    QVERIFY(dock.review(ReviewVerdict::Accept));
    QCOMPARE(*samples.count(rejected), qint64(0));
    SampleFilter accepted;
    accepted.review = SampleFilter::Review::Accepted;
    QCOMPARE(*samples.count(accepted), qint64(1));
}

// The queue reviewing one run: only that run's samples, sorted by its IoU against the imported truth
// (which no annotation replaced yet), and the review dock selects that run when a sample opens.
void TestReviewDock::queueFollowsTheReviewRun()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("queue.rsdb"));
    QVERIFY(buildDemoProject(path));
    std::map<qint64, double> expected;  // sample → hand-counted IoU of the run's mask
    qint64 runId = 0;
    {
        auto db = Database::open(ProjectLocation::sqlite(path));
        QVERIFY(db);
        ModelRun other, clipped;
        other.name = QStringLiteral("other");
        clipped.name = QStringLiteral("clipped");
        const qint64 otherId = *RunRepository(**db).add(other);
        runId = *RunRepository(**db).add(clipped);
        const auto rows = SampleRepository(**db).page(SampleFilter(), SampleSort(), 0, 40);
        int chosen = 0;
        for (const SampleRow &row : *rows) {
            const auto stored = SampleRepository(**db).targets(row.id);
            if (stored->size() != 1 || stored->front().ignore)
                continue;
            // The truth with its left `chosen`/6 of the box's columns cleared: a subset, so IoU = kept / truth.
            Target target = *stored->front().toTarget();
            const QRect box = target.mask.boundingRect();
            const qint64 truthArea = target.mask.area();
            target.mask.fillRect(QRect(box.left(), box.top(), box.width() * chosen / 6, box.height()), false);
            expected[row.id] = double(target.mask.area()) / double(truthArea);
            Proposal proposal;
            proposal.runId = runId;
            proposal.sampleId = row.id;
            proposal.chain = ReasoningChain::fromText(QStringLiteral("Clipped answer %1.").arg(chosen));
            proposal.targets = { RleTarget::fromTarget(target) };
            QVERIFY(ProposalRepository(**db).add(proposal));
            proposal.runId = otherId;  // the latest proposal is another run's
            proposal.targets = {};
            QVERIFY(ProposalRepository(**db).add(proposal));
            if (++chosen == 5)
                break;
        }
        QCOMPARE(chosen, 5);
    }
    AnnotationSession session;
    QVERIFY(session.openProject(path, QStringLiteral("rita")));
    ReviewDock review(&session);
    QueueDock queue(session.queue());
    QObject::connect(&queue, &QueueDock::reviewRunChanged, &review, &ReviewDock::setReviewRun);
    queue.setRuns(review.projectRuns());
    QCOMPARE(queue.runFilter()->count(), 3);  // latest proposal, other, clipped
    queue.sortKey()->setCurrentIndex(queue.sortKey()->findData(int(SampleSortKey::ProposalIou)));
    QCOMPARE(session.queue()->rowCount(), 0);  // the latest proposal's key needs an annotation
    queue.runFilter()->setCurrentIndex(queue.runFilter()->findData(runId));
    SampleQueueModel *model = session.queue();
    QCOMPARE(model->rowCount(), 5);
    double previous = -1.0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const SampleRow sample = *model->rowAt(row);
        QVERIFY(expected.count(sample.id));
        QVERIFY2(qAbs(*sample.proposalIou - expected[sample.id]) < 1e-12, qPrintable(QString::number(sample.id)));
        QVERIFY(*sample.proposalIou >= previous);
        previous = *sample.proposalIou;
    }
    QVERIFY(previous == 1.0);  // nothing clipped from the first

    // Opening the worst sample: the review dock's row of that run, its IoU from the decoded masks.
    QVERIFY(session.openRow(0));
    QTableWidget *runs = review.runTable();
    QCOMPARE(runs->rowCount(), 2);
    const int current = runs->currentRow();
    QCOMPARE(runs->item(current, ReviewDock::RunColumn)->text(), QStringLiteral("clipped"));
    QVERIFY(qAbs(runs->item(current, ReviewDock::IouColumn)->data(Qt::UserRole).toDouble() - *model->rowAt(0)->proposalIou) < 1e-9);
    QCOMPARE(session.document()->proposal().size(), std::size_t(1));
    QCOMPARE(runs->item(current, ReviewDock::AddedColumn)->data(Qt::UserRole).toDouble(), 0.0);
}

// docs/images/review.png: RS_SCREENSHOT_DIR=docs/images RS_SCREENSHOT_PROJECT=<models/shapes/heldout
// imported and inferred as run "shapes"> tst_reviewdock screenshot
void TestReviewDock::screenshot()
{
    const QByteArray dir = qgetenv("RS_SCREENSHOT_DIR"), project = qgetenv("RS_SCREENSHOT_PROJECT");
    if (dir.isEmpty() || project.isEmpty())
        QSKIP("RS_SCREENSHOT_DIR and RS_SCREENSHOT_PROJECT not set");
    QStandardPaths::setTestModeEnabled(true);
    MainWindow window;
    window.resize(1600, 940);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromLocal8Bit(project)));
    window.resizeDocks({ window.queueDock(), window.reviewDock() }, { 540, 520 }, Qt::Horizontal);
    QueueDock *queue = window.queueDock();
    queue->view()->setColumnHidden(SampleQueueModel::SplitColumn, true);
    queue->view()->setColumnWidth(SampleQueueModel::QueryColumn, 170);
    queue->runFilter()->setCurrentIndex(queue->runFilter()->findText(QStringLiteral("Run shapes")));
    queue->sortKey()->setCurrentIndex(queue->sortKey()->findData(int(SampleSortKey::ProposalIou)));
    SampleQueueModel *model = window.session()->queue();
    QVERIFY(model->rowCount() > 0);
    int row = 0;
    while (row < model->rowCount() && !(*model->rowAt(row)->proposalIou > 0.45))
        ++row;
    QVERIFY(window.session()->openRow(row));
    QTRY_COMPARE(window.canvas()->imageState(), CanvasWidget::ImageState::Ready);
    window.reviewDock()->raise();
    window.action(QStringLiteral("diffView"))->trigger();
    window.reviewDock()->reasonEdit()->setText(QStringLiteral("the chain names the star, the mask covers only the ring"));
    window.reviewDock()->tagBox(QStringLiteral("partial"))->setChecked(true);
    window.canvas()->fitToWindow();
    QTest::qWait(300);
    QVERIFY(window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/review.png")));
}

QTEST_MAIN(TestReviewDock)
#include "tst_reviewdock.moc"
