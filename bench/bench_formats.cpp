// bench_formats: import and export at MUSE scale (docs/performance.md, "Formats").
//
//   bench_formats [--questions N] [--targets-per-question K] [--dir DIR] [--keep]
//
// Writes a synthetic PixelLM MUSE file (default 100000 questions, 4 targets each = 400000 target
// masks; 4 questions per image record; half of the masks COCO polygons, half compressed RLE; images
// referenced, not present), then runs the real command line on it as child processes:
//   reasonseg init; reasonseg import --format muse --allow-missing-images; reasonseg export --format muse
// and reports each step's wall time and the child's peak RSS (wait4's ru_maxrss).
#include "core/rle.h"
#include "plugins/formats/jsonstream.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace rs;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 480;
constexpr int kQuestionsPerRecord = 4;

struct ChildRun
{
    int exitCode = -1;
    double seconds = 0.0;
    double peakMiB = 0.0;
};

// Runs a program and measures its wall time and peak resident set (the child's own ru_maxrss).
ChildRun runChild(const QString &program, const QStringList &arguments)
{
    std::vector<QByteArray> storage{program.toLocal8Bit()};
    for (const QString &argument : arguments)
        storage.push_back(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &item : storage)
        argv.push_back(item.data());
    argv.push_back(nullptr);
    QElapsedTimer clock;
    clock.start();
    const pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    ChildRun run;
    run.seconds = double(clock.nsecsElapsed()) / 1e9;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.peakMiB = double(usage.ru_maxrss) / 1024.0;
    return run;
}

// A random star-shaped polygon (12 vertices) inside the image, as COCO's flat list.
QJsonArray polygon(QRandomGenerator &random, double &x0, double &y0, double &x1, double &y1)
{
    const double cx = 40 + random.bounded(kWidth - 80);
    const double cy = 40 + random.bounded(kHeight - 80);
    const double radius = 8 + random.bounded(30);
    QJsonArray flat;
    x0 = y0 = 1e9;
    x1 = y1 = -1e9;
    for (int i = 0; i < 12; ++i) {
        const double angle = 2.0 * M_PI * i / 12.0;
        const double r = radius * (0.6 + 0.4 * random.generateDouble());
        const double x = std::round((cx + r * std::cos(angle)) * 100.0) / 100.0;
        const double y = std::round((cy + r * std::sin(angle)) * 100.0) / 100.0;
        flat << x << y;
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
    }
    return flat;
}

QJsonObject instance(QRandomGenerator &random, qint64 id, bool asRle)
{
    double x0, y0, x1, y1;
    const QJsonArray flat = polygon(random, x0, y0, x1, y1);
    QJsonObject object;
    if (asRle) {
        QPolygonF points;
        for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
            points << QPointF(flat.at(i).toDouble(), flat.at(i + 1).toDouble());
        const Rle rle = *Rle::fromPolygon(points, kHeight, kWidth);
        object.insert(QStringLiteral("segmentation"), QJsonObject{{QStringLiteral("size"), QJsonArray{kHeight, kWidth}},
                                                                  {QStringLiteral("counts"), QString::fromLatin1(rle.toString())}});
    } else {
        object.insert(QStringLiteral("segmentation"), QJsonArray{flat});
    }
    object.insert(QStringLiteral("bbox"), QJsonArray{x0, y0, x1 - x0, y1 - y0});
    object.insert(QStringLiteral("category_id"), int(1 + id % 80));
    object.insert(QStringLiteral("category_name"), QStringLiteral("thing%1").arg(id % 80));
    object.insert(QStringLiteral("rephrased_name"), QStringLiteral("the thing number %1").arg(id));
    return object;
}

bool writeDataset(const QString &path, qint64 questions, int targetsPerQuestion)
{
    QRandomGenerator random(20261123);
    JsonListWriter writer(path);
    if (!writer.open())
        return false;
    qint64 instanceId = 0;
    for (qint64 record = 0; record * kQuestionsPerRecord < questions; ++record) {
        QJsonArray annList;
        QJsonArray questionList;
        QJsonArray answers;
        QJsonArray textAnswers;
        const qint64 inRecord = std::min<qint64>(kQuestionsPerRecord, questions - record * kQuestionsPerRecord);
        for (qint64 q = 0; q < inRecord; ++q) {
            QJsonArray answer;
            QStringList parts;
            for (int t = 0; t < targetsPerQuestion; ++t) {
                const QJsonObject object = instance(random, instanceId, instanceId % 2 == 1);
                ++instanceId;
                annList.append(object);
                answer.append(object);
                parts << object.value(QStringLiteral("rephrased_name")).toString() + QStringLiteral(" {seg}");
            }
            questionList.append(QStringLiteral("Which things in picture %1 would a cook use, question %2?").arg(record).arg(q));
            answers.append(answer);
            textAnswers.append(parts.join(QStringLiteral(", ")) + QLatin1Char('.'));
        }
        QJsonObject object{{QStringLiteral("file_name"), QStringLiteral("COCO_train2014_%1.jpg").arg(record, 12, 10, QLatin1Char('0'))},
                           {QStringLiteral("height"), kHeight},
                           {QStringLiteral("width"), kWidth},
                           {QStringLiteral("ann_list"), annList},
                           {QStringLiteral("questions"), questionList},
                           {QStringLiteral("answers"), answers},
                           {QStringLiteral("text_answers"), textAnswers}};
        if (!writer.append(object))
            return false;
    }
    return bool(writer.finish());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    qint64 questions = 100000;
    int perQuestion = 4;
    QString dir;
    bool keep = false;
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--questions") && i + 1 < args.size())
            questions = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--targets-per-question") && i + 1 < args.size())
            perQuestion = args[++i].toInt();
        else if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dir = args[++i];
        else if (args[i] == QLatin1String("--keep"))
            keep = true;
        else {
            std::fprintf(stderr, "usage: bench_formats [--questions N] [--targets-per-question K] [--dir DIR] [--keep]\n");
            return 2;
        }
    }
    QTemporaryDir temporary(dir.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench_formats-XXXXXX") : dir + QStringLiteral("/bench_formats-XXXXXX"));
    temporary.setAutoRemove(!keep);
    const QString root = temporary.path();
    const QString source = root + QStringLiteral("/muse/muse_train.json");
    QDir().mkpath(root + QStringLiteral("/muse"));

    QElapsedTimer clock;
    clock.start();
    if (!writeDataset(source, questions, perQuestion)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(source));
        return 1;
    }
    std::printf("dataset: %lld questions, %lld target masks, %.1f MB JSON, generated in %.1f s\n", questions,
                questions * perQuestion, double(QFileInfo(source).size()) / 1e6, double(clock.elapsed()) / 1000.0);

    const QString cli = QStringLiteral(RS_CLI_PATH);
    const QString project = root + QStringLiteral("/p.rsdb");
    const ChildRun init = runChild(cli, {QStringLiteral("init"), project});
    const ChildRun import = runChild(cli, {QStringLiteral("import"), project, QStringLiteral("--format"), QStringLiteral("muse"), source,
                                           QStringLiteral("--allow-missing-images"), QStringLiteral("--images"), root + QStringLiteral("/images")});
    const ChildRun exported = runChild(cli, {QStringLiteral("export"), project, QStringLiteral("--format"), QStringLiteral("muse"),
                                             QStringLiteral("--out"), root + QStringLiteral("/out")});
    std::printf("| step | exit | wall s | peak RSS MiB |\n|---|---|---|---|\n");
    for (const auto &[name, run] : {std::pair{"init", init}, std::pair{"import", import}, std::pair{"export", exported}})
        std::printf("| %s | %d | %.1f | %.1f |\n", name, run.exitCode, run.seconds, run.peakMiB);
    std::printf("project file: %.1f MB; export: %.1f MB\n", double(QFileInfo(project).size()) / 1e6,
                double(QFileInfo(root + QStringLiteral("/out/muse_train.json")).size()) / 1e6);
    if (keep)
        std::printf("kept in %s\n", qPrintable(root));
    return (init.exitCode | import.exitCode | exported.exitCode) == 0 ? 0 : 1;
}
