// Review mode on the demo project: two runs' proposals against the open sample's truth, the verdict
// keys, the stored review, and the queue filters that find it again.
#include "core/sampledocument.h"
#include "gui/review/reviewdock.h"
#include "gui/session/annotationsession.h"
#include "guitestdata.h"
#include "storage/proposalrepository.h"
#include "storage/reviewrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

class TestReviewDock : public QObject
{
    Q_OBJECT

private slots:
    void comparesRunsAndStoresVerdicts();
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

QTEST_MAIN(TestReviewDock)
#include "tst_reviewdock.moc"
