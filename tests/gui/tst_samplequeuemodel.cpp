#include "gui/queue/queuedock.h"
#include "gui/queue/samplequeuemodel.h"
#include "guitestdata.h"

#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/samplerepository.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>

#include <algorithm>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace rs;

Q_DECLARE_METATYPE(rs::SampleFilter)
Q_DECLARE_METATYPE(rs::SampleSort)

namespace {

// The million-row project. RS_QUEUE_TEST_SAMPLES overrides (a smaller N where building a million
// takes too long); docs/performance.md has the measured build time.
qint64 bigCount()
{
    const qint64 fromEnv = qEnvironmentVariableIntValue("RS_QUEUE_TEST_SAMPLES");
    return fromEnv > 0 ? fromEnv : 1'000'000;
}

constexpr qint64 kSmall = 3000;

std::vector<qint64> idsOf(const std::vector<SampleRow> &rows)
{
    std::vector<qint64> ids;
    for (const SampleRow &r : rows)
        ids.push_back(r.id);
    return ids;
}

} // namespace

class TstSampleQueueModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void countWithoutFetchingRows();
    void lastRowFetchesOnePage();
    void deepPagesByKeyset();
    void viewAsksOnlyForVisibleRows();
    void pagesAreCachedAndBounded();
    void filtersMatchStorage_data();
    void filtersMatchStorage();
    void sortsMatchStorage_data();
    void sortsMatchStorage();
    void refreshRemovesLeaversKeepingRows();
    void dockDrivesModel();

private:
    QTemporaryDir m_dir;
    QString m_bigPath;
    QString m_smallPath;
    std::unique_ptr<Database> m_big;
    std::unique_ptr<Database> m_small;
    qint64 m_annotator = 0;
};

void TstSampleQueueModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_bigPath = m_dir.filePath(QStringLiteral("big.rsdb"));
    m_smallPath = m_dir.filePath(QStringLiteral("small.rsdb"));
    QElapsedTimer timer;
    timer.start();
    auto built = test::buildQueueProject(m_bigPath, bigCount());
    QVERIFY2(built, qPrintable(built.error()));
    qInfo("built a %lld-sample project (SampleBulkWriter, a proposal for every 3rd) in %lld ms", bigCount(),
          timer.elapsed());
    built = test::buildQueueProject(m_smallPath, kSmall);
    QVERIFY2(built, qPrintable(built.error()));
    auto big = Database::open(ProjectLocation::sqlite(m_bigPath));
    auto small = Database::open(ProjectLocation::sqlite(m_smallPath));
    QVERIFY(big && small);
    m_big = std::move(*big);
    m_small = std::move(*small);

    // Some annotations in the small project: statuses, IoU against the proposal, "mine".
    m_annotator = *AnnotatorRepository(*m_small).ensure(QStringLiteral("me"));
    const qint64 other = *AnnotatorRepository(*m_small).ensure(QStringLiteral("someone else"));
    AnnotationRepository annotations(*m_small);
    for (qint64 id = 1; id <= 300; id += 7) {
        Annotation a;
        a.sampleId = id;
        a.annotatorId = id % 2 ? m_annotator : other;
        a.submitted = id % 3 == 0;
        Mask mask(32, 24);
        mask.fillRect(QRect(4, 4, 4 + int(id % 8), 6), true);
        a.targets = {Target{mask, QRectF(mask.boundingRect()), QStringLiteral("t"), QString(), false}};
        auto saved = annotations.save(a, 0);
        QVERIFY2(saved && !saved->isConflict(), qPrintable(saved.error()));
    }
}

void TstSampleQueueModel::countWithoutFetchingRows()
{
    SampleQueueModel model;
    QElapsedTimer timer;
    timer.start();
    model.setDatabase(m_big.get());
    const qint64 ms = timer.elapsed();
    QCOMPARE(model.rowCount(), int(bigCount()));
    QCOMPARE(model.pagesFetched(), 0);
    QCOMPARE(model.cachedPageCount(), 0);
    QCOMPARE(model.countQueries(), 1);
    qInfo("rowCount of %lld samples: %lld ms, no row read", bigCount(), ms);
}

void TstSampleQueueModel::lastRowFetchesOnePage()
{
    SampleQueueModel model;
    model.setDatabase(m_big.get());
    const int last = model.rowCount() - 1;
    QElapsedTimer timer;
    timer.start();
    const QVariant id = model.data(model.index(last, SampleQueueModel::IdColumn));
    const qint64 ms = timer.elapsed();
    QCOMPARE(id.toLongLong(), bigCount());  // ids in import order
    QCOMPARE(model.pagesFetched(), 1);
    QCOMPARE(model.data(model.index(last, SampleQueueModel::QueryColumn)).toString(),
             QStringLiteral("question %1").arg(bigCount() - 1));
    // The rest of that page is now cached; the row before it is on another page.
    QCOMPARE(model.data(model.index(last - 150, SampleQueueModel::IdColumn)).toLongLong(), bigCount() - 150);
    QCOMPARE(model.pagesFetched(), 1);
    qInfo("data() of row %d: one page of %d rows in %lld ms", last, SampleQueueModel::kPageSize, ms);
}

void TstSampleQueueModel::deepPagesByKeyset()
{
    SampleQueueModel model;
    model.setDatabase(m_big.get());
    const int row = int(bigCount() * 6 / 10);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(model.sampleIdAt(row), qint64(row) + 1);  // a jump: read by offset
    const qint64 offsetNs = timer.nsecsElapsed();
    timer.restart();
    const int next = (row / SampleQueueModel::kPageSize + 1) * SampleQueueModel::kPageSize;
    QCOMPARE(model.sampleIdAt(next), qint64(next) + 1);  // the page after a cached one: by keyset
    const qint64 keysetNs = timer.nsecsElapsed();
    // A jump of 50 pages from a cached one: keyset from it, skipping the rows between.
    timer.restart();
    const int jump = next + 50 * SampleQueueModel::kPageSize + 17;
    QCOMPARE(model.sampleIdAt(jump), qint64(jump) + 1);
    const qint64 nearNs = timer.nsecsElapsed();
    QCOMPARE(model.pagesFetched(), 3);
    qInfo("page at row %d: %.1f ms by offset from the start; the next page %.2f ms by keyset; 50 pages further "
          "%.2f ms (keyset + skip)", row, double(offsetNs) / 1e6, double(keysetNs) / 1e6, double(nearNs) / 1e6);
}

void TstSampleQueueModel::viewAsksOnlyForVisibleRows()
{
    SampleQueueModel model;
    model.setDatabase(m_big.get());
    QTableView view;
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(20);
    view.setModel(&model);
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QElapsedTimer timer;
    timer.start();
    view.scrollToBottom();
    view.viewport()->repaint();
    const qint64 ms = timer.elapsed();
    QVERIFY(view.indexAt(QPoint(5, 5)).row() > model.rowCount() - 40);
    QVERIFY2(model.pagesFetched() <= 3, qPrintable(QString::number(model.pagesFetched())));
    // Scrolling row by row near the end reads the pages it shows, nothing else.
    for (int i = 0; i < 30; ++i)
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->value() - 50);
    view.viewport()->repaint();
    QVERIFY(model.pagesFetched() <= 12);
    qInfo("scroll to the end of %lld rows and paint: %lld ms", bigCount(), ms);
}

void TstSampleQueueModel::pagesAreCachedAndBounded()
{
    SampleQueueModel model;
    model.setDatabase(m_big.get());
    const int pages = SampleQueueModel::kCachedPages + 6;
    for (int p = 0; p < pages; ++p)
        QCOMPARE(model.sampleIdAt(p * SampleQueueModel::kPageSize), qint64(p) * SampleQueueModel::kPageSize + 1);
    QCOMPARE(model.pagesFetched(), pages);
    QCOMPARE(model.cachedPageCount(), SampleQueueModel::kCachedPages);
    // The newest pages are still cached, the oldest were evicted.
    model.sampleIdAt((pages - 1) * SampleQueueModel::kPageSize + 3);
    QCOMPARE(model.pagesFetched(), pages);
    model.sampleIdAt(0);
    QCOMPARE(model.pagesFetched(), pages + 1);
    QCOMPARE(model.cachedPageCount(), SampleQueueModel::kCachedPages);
}

void TstSampleQueueModel::filtersMatchStorage_data()
{
    QTest::addColumn<SampleFilter>("filter");
    QTest::addColumn<qint64>("expected");  // -1: only compare with storage
    auto row = [](const char *name, SampleFilter f, qint64 expected) { QTest::newRow(name) << f << expected; };
    SampleFilter f;
    row("none", f, kSmall);
    f = SampleFilter();
    f.split = QStringLiteral("val");
    row("split val", f, kSmall / 10);
    f = SampleFilter();
    f.hasProposal = true;
    row("has proposal", f, (kSmall + 2) / 3);
    f.hasProposal = false;
    row("no proposal", f, kSmall - (kSmall + 2) / 3);
    f = SampleFilter();
    f.status = SampleStatus::Submitted;
    row("submitted", f, -1);
    f.status = SampleStatus::New;
    row("new", f, kSmall - 43);  // 43 samples were annotated (1, 8, ..., 295)
    for (DifficultyBucket b : {DifficultyBucket::Easy, DifficultyBucket::Medium, DifficultyBucket::Hard}) {
        f = SampleFilter();
        f.difficulty = b;
        row(qPrintable(QStringLiteral("difficulty ") + difficultyBucketName(b)), f, -1);
    }
    f = SampleFilter();
    f.split = QStringLiteral("train");
    f.hasProposal = true;
    f.difficulty = DifficultyBucket::Hard;
    row("train+proposal+hard", f, -1);
}

void TstSampleQueueModel::filtersMatchStorage()
{
    QFETCH(SampleFilter, filter);
    QFETCH(qint64, expected);
    SampleQueueModel model;
    model.setDatabase(m_small.get());
    model.setFilter(filter);
    const auto truth = SampleRepository(*m_small).page(filter, SampleSort(), 0, int(kSmall) + 1);
    QVERIFY(truth);
    if (expected >= 0)
        QCOMPARE(qint64(truth->size()), expected);
    QCOMPARE(model.rowCount(), int(truth->size()));
    QVERIFY(model.rowCount() > 0);
    std::vector<qint64> ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids.push_back(model.sampleIdAt(r));
    QCOMPARE(ids, idsOf(*truth));
    QCOMPARE(model.pagesFetched(), (model.rowCount() + SampleQueueModel::kPageSize - 1) / SampleQueueModel::kPageSize);
}

void TstSampleQueueModel::sortsMatchStorage_data()
{
    QTest::addColumn<SampleSort>("sort");
    QTest::addColumn<bool>("mine");
    for (SampleSortKey key : {SampleSortKey::Id, SampleSortKey::Uncertainty, SampleSortKey::ProposalIou,
                              SampleSortKey::ChainLength, SampleSortKey::Difficulty})
        for (bool descending : {false, true})
            QTest::addRow("%d %s", int(key), descending ? "desc" : "asc") << SampleSort{key, descending} << false;
    QTest::newRow("mine by id") << SampleSort{SampleSortKey::Id, false} << true;
}

void TstSampleQueueModel::sortsMatchStorage()
{
    QFETCH(SampleSort, sort);
    QFETCH(bool, mine);
    SampleFilter filter;
    if (mine)
        filter.annotatorId = m_annotator;
    SampleQueueModel model;
    model.setDatabase(m_small.get());
    model.setFilter(filter);
    model.setSortOrder(sort);
    const auto truth = SampleRepository(*m_small).page(filter, sort, 0, int(kSmall) + 1);
    QVERIFY(truth);
    QVERIFY(!truth->empty());
    QCOMPARE(model.rowCount(), int(truth->size()));
    // Read in order: every page after the first comes by keyset from the previous one.
    std::vector<qint64> ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids.push_back(model.sampleIdAt(r));
    QCOMPARE(ids, idsOf(*truth));
    // Read backwards from a fresh model: pages deep in the list come from the end in the reverse
    // order, and must hold the same rows.
    SampleQueueModel backwards;
    backwards.setDatabase(m_small.get());
    backwards.setFilter(filter);
    backwards.setSortOrder(sort);
    std::vector<qint64> reversedIds;
    for (int r = backwards.rowCount() - 1; r >= 0; --r)
        reversedIds.push_back(backwards.sampleIdAt(r));
    std::reverse(reversedIds.begin(), reversedIds.end());
    QCOMPARE(reversedIds, idsOf(*truth));
    if (sort.key == SampleSortKey::Uncertainty) {
        const int column = SampleQueueModel::UncertaintyColumn;
        const double first = model.data(model.index(0, column)).toDouble();
        const double last = model.data(model.index(model.rowCount() - 1, column)).toDouble();
        QVERIFY(sort.descending ? first >= last : first <= last);
    }
}

void TstSampleQueueModel::refreshRemovesLeaversKeepingRows()
{
    auto db = Database::open(ProjectLocation::sqlite(m_smallPath));
    QVERIFY(db);
    SampleQueueModel model;
    model.setDatabase(db->get());
    SampleFilter filter;
    filter.status = SampleStatus::New;
    model.setFilter(filter);
    const int before = model.rowCount();
    const qint64 leaving = model.sampleIdAt(5);
    const qint64 following = model.sampleIdAt(6);
    Annotation a;
    a.sampleId = leaving;
    a.annotatorId = m_annotator;
    a.submitted = true;
    a.targets = {Target{Mask(32, 24), QRectF(), QStringLiteral("t"), QString(), false}};
    auto saved = AnnotationRepository(**db).save(a, 0);
    QVERIFY(saved && !saved->isConflict());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.refresh();
    QCOMPARE(resets.count(), 0);  // the view keeps its scroll position
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), before - 1);
    QCOMPARE(model.sampleIdAt(5), following);
}

void TstSampleQueueModel::dockDrivesModel()
{
    SampleQueueModel model;
    model.setDatabase(m_small.get());
    QueueDock dock(&model);
    dock.setSplits({QStringLiteral("train"), QStringLiteral("val")});
    dock.setAnnotatorId(m_annotator);
    dock.resize(700, 500);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));

    dock.splitFilter()->setCurrentIndex(dock.splitFilter()->findData(QStringLiteral("val")));
    QCOMPARE(model.filter().split, QStringLiteral("val"));
    QCOMPARE(model.rowCount(), int(kSmall / 10));
    dock.proposalFilter()->setCurrentIndex(1);
    QCOMPARE(model.filter().hasProposal, std::optional<bool>(true));
    dock.mineFilter()->setChecked(true);
    QCOMPARE(model.filter().annotatorId, std::optional<qint64>(m_annotator));
    dock.mineFilter()->setChecked(false);
    dock.proposalFilter()->setCurrentIndex(0);

    // Clicking the uncertainty header sorts by it, a second click reverses; the controls follow.
    QHeaderView *header = dock.view()->horizontalHeader();
    const int column = SampleQueueModel::UncertaintyColumn;
    const QPoint centre(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(model.sortOrder().key, SampleSortKey::Uncertainty);
    QCOMPARE(model.sortOrder().descending, false);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(model.sortOrder().descending, true);
    QCOMPARE(dock.sortKey()->currentData().toInt(), int(SampleSortKey::Uncertainty));
    QVERIFY(dock.sortDescending()->isChecked());
    // The query column has no sort key: clicking it changes nothing.
    const int query = SampleQueueModel::QueryColumn;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(query) + 5, header->height() / 2));
    QCOMPARE(model.sortOrder().key, SampleSortKey::Uncertainty);

    // Clicking a row asks for its sample.
    QSignalSpy activated(&dock, &QueueDock::sampleActivated);
    const QRect second = dock.view()->visualRect(model.index(1, SampleQueueModel::QueryColumn));
    QTest::mouseClick(dock.view()->viewport(), Qt::LeftButton, {}, second.center());
    QVERIFY(activated.count() >= 1);
    QCOMPARE(activated.last().at(0).toLongLong(), model.sampleIdAt(1));
    QCOMPARE(activated.last().at(1).toInt(), 1);
}

QTEST_MAIN(TstSampleQueueModel)
#include "tst_samplequeuemodel.moc"
