// bench_queue: the workstation's sample queue over a million samples (docs/performance.md,
// "Workstation: queue ...").
//
//   bench_queue [--samples N]
//
// Builds an N-sample SQLite project (default 1,000,000; every 3rd sample with a proposal) through
// the bulk path, then times, on an offscreen QTableView over SampleQueueModel: the row count, the
// first paint, a jump to the last row, scrolling page by page (100 Page Down presses) and a jump to
// the middle, for the id order and the uncertainty order. Prints one table.
#include "core/rle.h"
#include "gui/queue/samplequeuemodel.h"
#include "storage/database.h"
#include "storage/runrepository.h"
#include "storage/samplebulkwriter.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace rs;

namespace {

bool build(Database &db, qint64 count)
{
    ModelRun run;
    run.name = QStringLiteral("bench");
    const auto runId = RunRepository(db).add(run);
    Mask mask(32, 24);
    mask.fillRect(QRect(4, 4, 8, 6), true);
    const RleTarget target = RleTarget::fromRle(Rle::encode(mask), QRectF(4, 4, 8, 6), QStringLiteral("thing"));
    SampleBulkWriter writer(db);
    if (!runId || !writer.begin())
        return false;
    Sample sample;
    sample.image.size = QSize(32, 24);
    for (qint64 i = 0; i < count; ++i) {
        sample.image.relativePath = QStringLiteral("images/%1.png").arg(i % 64);
        sample.split = i % 10 == 0 ? QStringLiteral("val") : QStringLiteral("train");
        sample.sourceId = QString::number(i);
        sample.queries = {QStringLiteral("question number %1 about the picture").arg(i)};
        if (!writer.add(sample, {target}))
            return false;
    }
    for (qint64 i = 0; i < count; i += 3) {
        Proposal proposal;
        proposal.runId = *runId;
        proposal.sampleId = i + 1;
        std::vector<ChainToken> tokens(std::size_t(5 + (i * 7) % 40));
        for (std::size_t t = 0; t < tokens.size(); ++t)
            tokens[t] = ChainToken{QStringLiteral("w"), 5, -0.5f, 1.0f, float(double((i * 37 + qint64(t)) % 100) / 100.0)};
        proposal.chain = ReasoningChain::fromTokens(tokens);
        if (!writer.addProposal(proposal))
            return false;
    }
    return bool(writer.commit());
}

double ms(QElapsedTimer &timer)
{
    const double value = double(timer.nsecsElapsed()) / 1e6;
    timer.restart();
    return value;
}

void paint(QTableView &view)
{
    (void)view.grab();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    qint64 count = 1'000'000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args[i] == QLatin1String("--samples"))
            count = args[i + 1].toLongLong();
    QTemporaryDir dir;
    QElapsedTimer timer;
    timer.start();
    {
        auto db = Database::create(ProjectLocation::sqlite(dir.filePath(QStringLiteral("queue.rsdb"))));
        if (!db || !build(**db, count)) {
            std::fprintf(stderr, "cannot build the project\n");
            return 1;
        }
    }
    std::printf("built %lld samples in %.1f s\n\n", count, ms(timer) / 1000.0);
    auto db = Database::open(ProjectLocation::sqlite(dir.filePath(QStringLiteral("queue.rsdb"))));
    if (!db)
        return 1;
    std::printf("| order | row count | first paint | jump to last row + paint | Page Down + paint (median / max of 100) | jump to middle + paint |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const auto &[name, sort] : {std::pair{"id", SampleSort{SampleSortKey::Id, false}},
                                     std::pair{"uncertainty, descending", SampleSort{SampleSortKey::Uncertainty, true}}}) {
        SampleQueueModel model;
        QTableView view;
        view.resize(600, 800);
        view.setModel(&model);
        view.show();
        timer.restart();
        model.setSortOrder(sort);
        model.setDatabase(db->get());
        const qsizetype rows = model.rowCount();
        const double countMs = ms(timer);
        paint(view);
        const double firstPaint = ms(timer);
        view.scrollToBottom();
        paint(view);
        const double lastMs = ms(timer);
        view.scrollToTop();
        paint(view);
        timer.restart();
        std::vector<double> pages;
        for (int i = 0; i < 100; ++i) {
            QTest::keyClick(view.viewport(), Qt::Key_PageDown);
            paint(view);
            pages.push_back(ms(timer));
        }
        std::sort(pages.begin(), pages.end());
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() / 2);
        paint(view);
        const double middleMs = ms(timer);
        std::printf("| %s (%lld rows) | %.1f ms | %.1f ms | %.1f ms | %.2f / %.2f ms | %.1f ms |\n", name, qint64(rows), countMs,
                    firstPaint, lastMs, pages[pages.size() / 2], pages.back(), middleMs);
        model.setDatabase(nullptr);
    }
    return 0;
}
