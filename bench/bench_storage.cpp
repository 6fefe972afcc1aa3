// bench_storage: the project database at scale (docs/performance.md, "Storage (storage/)").
//
//   bench_storage [--samples N] [--annotations M] [--dir DIR] [--keep] [--no-journal] [--no-proposals]
//
// Creates a project of N samples (default 100000; the recorded run used 1000000), each with one
// small-RLE target and a model proposal, through the bulk path; annotates M of them one save at a
// time (synchronous=FULL); then, in a fresh child process, opens it and reads the first page (100
// rows) for every sort key, measuring time and peak RSS. Also measures edit-journal appends of
// 16-megapixel mask deltas. Prints one table.
#include "core/mask.h"
#include "core/rle.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/editjournal.h"
#include "storage/runrepository.h"
#include "storage/samplebulkwriter.h"
#include "storage/samplerepository.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace rs;

namespace {

double ms(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// CPU time of this process in ms (the machine is shared: wall time alone overstates our cost).
double cpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Peak and current resident set size of this process, in MiB (from /proc/self/status).
std::pair<double, double> rssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    double peak = 0;
    double now = 0;
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() >= 2 && parts[0] == "VmHWM:")
                peak = parts[1].toDouble() / 1024;
            if (parts.size() >= 2 && parts[0] == "VmRSS:")
                now = parts[1].toDouble() / 1024;
        }
    }
    return {peak, now};
}

qint64 projectBytes(const QString &path)
{
    qint64 total = 0;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        total += QFileInfo(path + suffix).size();
    return total;
}

void fail(const QString &message)
{
    std::fprintf(stderr, "bench_storage: %s\n", qPrintable(message));
    std::exit(1);
}

// Phase 2 (child process): open + first page per sort key, with this process's RSS.
int openAndPage(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    auto db = Database::open(ProjectLocation::sqlite(path));
    if (!db)
        fail(db.error());
    const double openMs = ms(timer);
    std::printf("open                                 %9.2f ms\n", openMs);
    SampleRepository samples(**db);
    const std::pair<const char *, SampleSort> sorts[] = {
        {"id", SampleSort{SampleSortKey::Id, false}},
        {"uncertainty (desc)", SampleSort{SampleSortKey::Uncertainty, true}},
        {"proposal IoU (asc: worst first)", SampleSort{SampleSortKey::ProposalIou, false}},
        {"chain length (desc)", SampleSort{SampleSortKey::ChainLength, true}},
        {"difficulty (desc)", SampleSort{SampleSortKey::Difficulty, true}},
    };
    double worst = 0;
    for (const auto &[name, sort] : sorts) {
        timer.restart();
        auto rows = samples.page(SampleFilter(), sort, 0, 100);
        const double t = ms(timer);
        if (!rows)
            fail(rows.error());
        worst = std::max(worst, t);
        std::printf("first page by %-22s %9.2f ms  (%zu rows)\n", name, t, rows->size());
    }
    SampleFilter val;
    val.split = QStringLiteral("val");
    SampleFilter hard;
    hard.difficulty = DifficultyBucket::Hard;
    SampleFilter inProgress;
    inProgress.status = SampleStatus::InProgress;
    const std::tuple<const char *, SampleFilter, SampleSort> filtered[] = {
        {"split=val by uncertainty", val, SampleSort{SampleSortKey::Uncertainty, true}},
        {"status=in_progress by IoU", inProgress, SampleSort{SampleSortKey::ProposalIou, false}},
        {"difficulty=hard by chain", hard, SampleSort{SampleSortKey::ChainLength, true}},
    };
    for (const auto &[name, filter, sort] : filtered) {
        timer.restart();
        auto rows = samples.page(filter, sort, 0, 100);
        const double t = ms(timer);
        if (!rows)
            fail(rows.error());
        std::printf("page: %-31s %9.2f ms  (%zu rows)\n", name, t, rows->size());
    }
    timer.restart();
    auto deep = samples.page(SampleFilter(), SampleSort{SampleSortKey::Uncertainty, true}, 500000, 100);
    std::printf("page at offset 500000 by uncertainty %9.2f ms  (%zu rows)\n", ms(timer), deep ? deep->size() : 0);
    if (deep && !deep->empty()) {
        timer.restart();
        auto after = samples.pageAfter(SampleFilter(), SampleSort{SampleSortKey::Uncertainty, true}, deep->back(), 100);
        std::printf("next page after it (keyset)          %9.2f ms  (%zu rows)\n", ms(timer), after ? after->size() : 0);
    }
    timer.restart();
    auto count = samples.count(SampleFilter());
    std::printf("count(*)                             %9.2f ms  (%lld)\n", ms(timer), count ? *count : -1);
    const auto [peak, now] = rssMiB();
    std::printf("open + slowest first page            %9.2f ms\n", openMs + worst);
    std::printf("RSS after open + pages               %9.1f MiB (peak %.1f MiB)\n", now, peak);
    return 0;
}

void journalBench(const QString &dir)
{
    // 4096 x 4096 = 16.8 MP. (a) A brush stroke's delta: the dirty rectangle's before/after patches,
    // RLE-compressed, as the undo command keeps them. (b) A whole-mask change (fill, model refine) of
    // a mask with many edges, RLE-compressed. (c) The same 16 MB uncompressed, for scale.
    Mask after(4096, 4096);
    for (int y = 1000; y < 3000; ++y)
        after.fillRect(QRect(500 + y / 2, y, 120, 1), true);
    const QRect dirty(500, 1000, 1620, 2000);
    const QByteArray stroke = Rle::encode(Mask(dirty.width(), dirty.height())).toString() + '|'
        + Rle::encode(after.copy(dirty)).toString();
    Mask busy(4096, 4096);
    QRandomGenerator random(7);
    for (int i = 0; i < 3000; ++i)
        busy.fillRect(QRect(int(random.bounded(4000)), int(random.bounded(4000)), int(random.bounded(5, 90)),
                            int(random.bounded(5, 90))),
                      true);
    QElapsedTimer encodeTimer;
    encodeTimer.start();
    const QByteArray whole = Rle::encode(busy).toString();
    const double encodeMs = ms(encodeTimer);
    const QByteArray raw(reinterpret_cast<const char *>(busy.data()), busy.pixelCount());

    auto journal = EditJournal::open(dir + QStringLiteral("/bench.rsdb-edits"));
    if (!journal)
        fail(journal.error());
    const std::pair<const char *, const QByteArray *> cases[] = {
        {"stroke delta, RLE", &stroke}, {"whole 16 MP mask, RLE", &whole}, {"whole 16 MP mask, raw bytes", &raw}};
    for (const auto &[name, payload] : cases) {
        std::vector<double> times;
        const int appends = payload == &raw ? 20 : 200;  // 20 × 16 MB is enough to see the cost
        for (int i = 0; i < appends; ++i) {
            QElapsedTimer timer;
            timer.start();
            if (!(*journal)->append(1, 0, JournalEntry::Kind::MaskDelta, *payload))
                fail(QStringLiteral("journal append failed"));
            times.push_back(ms(timer));
        }
        std::sort(times.begin(), times.end());
        std::printf("journal append: %-28s %8.3f ms median, %8.3f ms p99  (%lld bytes, %d appends)\n", name,
                    times[times.size() / 2], times[times.size() * 99 / 100], static_cast<long long>(payload->size()),
                    appends);
    }
    std::printf("(RLE-encoding the whole 16 MP mask, done by the editor before appending: %.1f ms)\n", encodeMs);
    QElapsedTimer timer;
    timer.start();
    (*journal)->sync();
    std::printf("journal fdatasync after 420 appends: %.2f ms\n", ms(timer));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    if (args.size() == 3 && args[1] == QLatin1String("--open"))
        return openAndPage(args[2]);
    qint64 samplesWanted = 100000;
    int annotationsWanted = 2000;
    QString dirArg;
    bool keep = false;
    bool journal = true;
    bool proposals = true;
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--samples") && i + 1 < args.size())
            samplesWanted = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--annotations") && i + 1 < args.size())
            annotationsWanted = args[++i].toInt();
        else if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dirArg = args[++i];
        else if (args[i] == QLatin1String("--keep"))
            keep = true;
        else if (args[i] == QLatin1String("--no-journal"))
            journal = false;
        else if (args[i] == QLatin1String("--no-proposals"))
            proposals = false;
        else
            fail(QStringLiteral("usage: bench_storage [--samples N] [--annotations M] [--dir DIR] [--keep] [--no-journal] [--no-proposals]"));
    }
    QTemporaryDir temp(dirArg.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench-storage-XXXXXX")
                                        : dirArg + QStringLiteral("/bench-storage-XXXXXX"));
    temp.setAutoRemove(!keep);
    const QString path = temp.path() + QStringLiteral("/bench.rsdb");
    std::printf("bench_storage: %lld samples, %d annotation saves, %s\n", static_cast<long long>(samplesWanted),
                annotationsWanted, qPrintable(path));

    // Small masks (COCO RLE strings of 640 x 480 masks with one blob) made once.
    std::vector<RleTarget> shapes;
    for (int i = 0; i < 64; ++i) {
        Mask m(640, 480);
        m.fillRect(QRect(10 * i % 600, 7 * i % 440, 8 + i % 30, 8 + (i * 3) % 30), true);
        RleTarget t = RleTarget::fromRle(Rle::encode(m), QRectF(m.boundingRect()), QStringLiteral("object"));
        t.score = 0.5 + i / 128.0;
        shapes.push_back(t);
    }

    QElapsedTimer total;
    total.start();
    auto created = Database::create(ProjectLocation::sqlite(path));
    if (!created)
        fail(created.error());
    Database &db = **created;
    ModelRun run;
    run.name = QStringLiteral("bench");
    const qint64 runId = *RunRepository(db).add(run);

    QElapsedTimer timer;
    timer.start();
    double cpu = cpuMs();
    {
        SampleBulkWriter writer(db);
        if (auto begun = writer.begin(); !begun)
            fail(begun.error());
        Sample sample;
        sample.queries = {QStringLiteral("segment the object that would keep the tea warm")};
        sample.image.size = QSize(640, 480);
        for (qint64 i = 0; i < samplesWanted; ++i) {
            if (i % 2 == 0)
                sample.image.relativePath = QStringLiteral("images/") + QString::number(i / 2) + QStringLiteral(".jpg");
            sample.split = i % 10 == 0 ? QStringLiteral("val") : QStringLiteral("train");
            sample.sourceId = QString::number(i);
            auto id = writer.add(sample, {shapes[std::size_t(i % 64)]});
            if (!id)
                fail(id.error());
        }
        const double samplesMs = ms(timer);
        const double samplesCpu = cpuMs() - cpu;
        std::printf("bulk insert samples + targets        %9.0f ms  (%.0f samples/s; CPU %.0f ms = %.0f samples/CPU-s)\n",
                    samplesMs, double(samplesWanted) / samplesMs * 1000, samplesCpu,
                    double(samplesWanted) / samplesCpu * 1000);
        timer.restart();
        cpu = cpuMs();
        QRandomGenerator random(42);
        std::vector<ChainToken> tokens;
        for (qint64 i = 0; proposals && i < samplesWanted; ++i) {
            tokens.resize(std::size_t(20 + random.bounded(80)));
            for (ChainToken &t : tokens)
                t = ChainToken{QStringLiteral("w"), 5, -0.5f, 1.2f, float(random.generateDouble())};
            Proposal p;
            p.runId = runId;
            p.sampleId = i + 1;
            p.chain = ReasoningChain::fromTokens(tokens);
            p.targets = {shapes[std::size_t((i + 1) % 64)]};
            auto id = writer.addProposal(p);
            if (!id)
                fail(id.error());
        }
        const double proposalsMs = ms(timer);
        if (proposals)
            std::printf("bulk insert proposals (+ targets)    %9.0f ms  (%.0f proposals/s; CPU %.0f ms)\n", proposalsMs,
                        double(samplesWanted) / proposalsMs * 1000, cpuMs() - cpu);
        timer.restart();
        if (auto committed = writer.commit(); !committed)
            fail(committed.error());
        std::printf("commit                               %9.0f ms\n", ms(timer));
    }
    const qint64 annotator = *AnnotatorRepository(db).ensure(QStringLiteral("bench"));
    std::vector<double> saves;
    AnnotationRepository annotations(db);
    for (int i = 0; i < annotationsWanted; ++i) {
        Annotation a;
        a.sampleId = 1 + qint64(i) * std::max<qint64>(1, samplesWanted / std::max(1, annotationsWanted));
        a.annotatorId = annotator;
        Difficulty d;
        d.score = 1.0 + (i % 19) * 0.5;
        a.difficulty = d;
        auto target = shapes[std::size_t(i % 64)].toTarget();
        a.targets = {*target};
        timer.restart();
        auto saved = annotations.save(a, 0);
        saves.push_back(ms(timer));
        if (!saved || saved->isConflict())
            fail(saved ? QStringLiteral("conflict") : saved.error());
    }
    std::sort(saves.begin(), saves.end());
    if (!saves.empty())
        std::printf("annotation save (synchronous=FULL)   %9.2f ms median, %.2f ms p99\n", saves[saves.size() / 2],
                    saves[saves.size() * 99 / 100]);
    const auto [createPeak, createNow] = rssMiB();
    created = Error{QString()};  // close: checkpoints the WAL into the file
    std::printf("create total                         %9.0f ms\n", ms(total));
    std::printf("file size                            %9.1f MiB (%.0f bytes/sample)\n",
                double(projectBytes(path)) / (1024 * 1024), double(projectBytes(path)) / double(samplesWanted));
    std::printf("peak RSS while creating              %9.1f MiB\n", createPeak);
    std::fflush(stdout);

    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--open"), path});
    child.waitForFinished(-1);
    if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
        fail(QStringLiteral("the open/page child failed (%1, exit code %2)").arg(child.errorString()).arg(child.exitCode()));
    if (journal)
        journalBench(temp.path());
    return 0;
}
