// The canvas's costs, measured on the real widgets (offscreen platform):
//  1. a brush stroke on a 16 MP mask: per mouse move, the tool's painting, the overlay's update
//     (mask pyramid, tile invalidation, diff masks when shown) and the repaint of the dirty widget
//     region — goal ≤ 4 ms per move;
//  2. painting a 100 MP image with masks at fit zoom, 1:1 and 32× (QWidget::render into an image
//     of the widget's size): cold (overlay tiles drawn for the first time) and warm;
//  3. memory of 1,000 brush-stroke undo steps on a 16 MP mask: the sum of MaskPatch::bytes and the
//     process's resident set — goal < 100 MB.
//
// Usage: bench_canvas [--quick]   (prints Markdown tables for docs/performance.md)
#include "core/documentactions.h"
#include "core/maskeditcommand.h"
#include "core/maskpainter.h"
#include "core/sampledocument.h"
#include "gui/canvas/canvaswidget.h"
#include "gui/canvas/imagepyramid.h"
#include "gui/canvas/maskoverlay.h"
#include "gui/canvas/maskpyramid.h"
#include "gui/tools/brushtool.h"
#include "gui/tools/toolmanager.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMouseEvent>
#include <QPainter>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace rs;

namespace {

double rssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0.0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0.0;
}

struct Stats
{
    double median = 0;
    double p95 = 0;
    double max = 0;
};

Stats stats(std::vector<double> values)
{
    Stats s;
    if (values.empty())
        return s;
    std::sort(values.begin(), values.end());
    s.median = values[values.size() / 2];
    s.p95 = values[std::min(values.size() - 1, std::size_t(double(values.size()) * 0.95))];
    s.max = values.back();
    return s;
}

void send(QWidget &widget, QEvent::Type type, QPointF position, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, position, widget.mapToGlobal(position), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(&widget, &event);
}

// Delivers the pending repaint now (what the event loop would do next).
void flushPaint(QWidget &widget)
{
    QCoreApplication::sendPostedEvents(&widget, QEvent::UpdateRequest);
    QCoreApplication::sendPostedEvents(widget.window(), QEvent::UpdateRequest);
}

QImage sceneImage(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        auto *row = reinterpret_cast<quint32 *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            row[x] = qRgb((x * 255) / size.width(), (y * 255) / size.height(), ((x ^ y) >> 4) & 0xff);
    }
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QRandomGenerator random(5);
    for (int i = 0; i < 40; ++i) {
        painter.setBrush(QColor::fromHsv(int(random.bounded(360)), 200, 230));
        painter.setPen(Qt::NoPen);
        const double r = size.width() * (0.02 + random.bounded(0.06));
        painter.drawEllipse(QPointF(random.bounded(size.width()), random.bounded(size.height())), r, r);
    }
    return image;
}

// Three targets (discs of a quarter of the image side and smaller) and a proposal.
void addTargets(SampleDocument &document)
{
    const QSize size = document.imageSize();
    const double s = size.width();
    const QPointF centres[] = {{0.3 * s, 0.35 * s}, {0.65 * s, 0.4 * s}, {0.5 * s, 0.7 * s}};
    std::vector<Target> proposal;
    for (int i = 0; i < 3; ++i) {
        Mask mask(size.width(), size.height());
        MaskPainter::dab(mask, centres[i], s * (0.12 + 0.03 * i), true);
        const int index = DocumentActions::newTarget(document);
        DocumentActions::setMask(document, index, mask, QStringLiteral("setup"));
        Target proposed;
        proposed.mask = Mask(size.width(), size.height());
        MaskPainter::dab(proposed.mask, centres[i] + QPointF(s * 0.02, 0), s * (0.12 + 0.03 * i), true);
        proposal.push_back(std::move(proposed));
    }
    document.setProposal(std::move(proposal));
    document.undoStack()->clear();
}

void waitForPyramid(CanvasWidget &canvas)
{
    if (canvas.isPyramidReady())
        return;
    QSignalSpy ready(&canvas, &CanvasWidget::pyramidReady);
    ready.wait(60000);
}

// 1. Per-move cost of a brush stroke on a 16 MP mask.
void benchStroke(bool quick)
{
    const QSize imageSize(4000, 4000);
    const QImage image = sceneImage(imageSize);
    std::printf("\n### Brush stroke on a 16 MP mask (4000 × 4000), per mouse move\n\n");
    std::printf("Widget 1600 × 1000; 3 targets + a proposal shown; moves of 6 widget pixels; the time covers the\n"
                "tool (MaskPainter::segment), the overlay update and the repaint of the dirty widget region.\n\n");
    std::printf("| view | brush | diff view | moves | median ms | p95 ms | max ms | without the repaint: median / p95 ms | overlay px redrawn / move |\n"
                "|---|---|---|---|---|---|---|---|---|\n");
    struct Config
    {
        const char *view;
        double zoom;  // 0: fit
        int size;
        bool diff;
    };
    const Config configs[] = {{"fit (0.25×, level 2)", 0, 30, false}, {"fit (0.25×, level 2)", 0, 120, false},
                              {"1:1 (level 0)", 1.0, 30, false},       {"1:1 (level 0)", 1.0, 120, false},
                              {"1:1 (level 0)", 1.0, 30, true},        {"8× (line outlines)", 8.0, 8, false}};
    QStringList coldPaints;
    for (const Config &config : configs) {
        SampleDocument document(imageSize);
        addTargets(document);
        document.setCurrentTarget(1);
        CanvasWidget canvas;
        canvas.resize(1600, 1000);
        canvas.setDocument(&document);
        canvas.setImage(image);
        ToolManager tools;
        tools.brushTool()->setSize(config.size);
        canvas.setTool(tools.brushTool());
        waitForPyramid(canvas);
        if (config.zoom > 0) {
            canvas.setZoom(config.zoom);
            canvas.centerOn(QPointF(2600, 1600));
        }
        canvas.setDiffView(config.diff);
        // The first paint (not shown yet: nothing was drawn before): every visible tile drawn, the
        // mask levels and the diff masks built.
        QImage firstPaint(canvas.size(), QImage::Format_ARGB32_Premultiplied);
        QElapsedTimer first;
        first.start();
        canvas.render(&firstPaint);
        const double firstMs = double(first.nsecsElapsed()) / 1e6;
        canvas.show();
        if (!QTest::qWaitForWindowExposed(&canvas))
            std::fprintf(stderr, "bench_canvas: the canvas was not exposed\n");
        canvas.repaint();
        flushPaint(canvas);
        coldPaints << QStringLiteral("%1%2: %3 ms").arg(QString::fromUtf8(config.view)).arg(config.diff ? QStringLiteral(" (diff view)") : QString())
                          .arg(firstMs, 0, 'f', 1);
        const int moves = quick ? 60 : 300;
        std::vector<double> ms;
        std::vector<double> toolMs;  // the move event alone: tool + document + overlay update, no painting
        const qint64 renderedBefore = canvas.overlay()->renderedPixels();
        QPointF p(200, 500);
        send(canvas, QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton);
        flushPaint(canvas);
        for (int i = 0; i < moves; ++i) {
            p = QPointF(200 + 4.0 * i, 500 + 200 * std::sin(i / 15.0));
            if (p.x() > 1500)
                p.setX(1500 - (p.x() - 1500));
            QElapsedTimer timer;
            timer.start();
            send(canvas, QEvent::MouseMove, p, Qt::NoButton, Qt::LeftButton);
            toolMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            flushPaint(canvas);
            ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        send(canvas, QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton);
        const Stats s = stats(ms);
        const Stats t = stats(toolMs);
        std::printf("| %s | %d px | %s | %d | %.2f | %.2f | %.2f | %.2f / %.2f | %.0f |\n", config.view, config.size,
                    config.diff ? "on" : "off", moves, s.median, s.p95, s.max, t.median, t.p95,
                    double(canvas.overlay()->renderedPixels() - renderedBefore) / moves);
        std::fflush(stdout);
    }
    std::printf("\nFirst (cold) paint of the whole 1600 × 1000 widget before each stroke (overlay tiles and mask levels built): %s\n",
                qPrintable(coldPaints.join(QStringLiteral("; "))));
}

// 2. Painting a 100 MP image.
void benchPaint(bool quick)
{
    const QSize imageSize(10000, 10000);
    std::printf("\n### Painting a 100 MP image (10000 × 10000) with 3 targets + a proposal, widget 1920 × 1080\n\n");
    QElapsedTimer timer;
    timer.start();
    const QImage image = sceneImage(imageSize);
    const double makeMs = double(timer.elapsed());
    timer.restart();
    const ImagePyramid pyramid(image);
    const double pyramidMs = double(timer.nsecsElapsed()) / 1e6;
    SampleDocument document(imageSize);
    addTargets(document);
    timer.restart();
    {
        // What the overlay's first zoomed-out paint builds: each layer's coverage levels.
        MaskPyramid levels;
        levels.ensure(document.targetAt(0).target.mask);
    }
    const double maskPyramidMs = double(timer.nsecsElapsed()) / 1e6;
    const double rssDocument = rssMiB();
    CanvasWidget canvas;
    canvas.resize(1920, 1080);
    canvas.setDocument(&document);
    canvas.show();
    QImage target(canvas.size(), QImage::Format_ARGB32_Premultiplied);
    timer.restart();
    canvas.setImage(image);
    for (const char *overlay : {"cold", "warm"}) {
        // Before the pyramid is ready (no events processed here): the image itself, sampled where the widget shows it.
        QElapsedTimer paint;
        paint.start();
        QPainter painter(&target);
        canvas.render(&painter);
        painter.end();
        std::printf("Paint at fit before the pyramid is ready (level 0 sampled, overlay %s): %.1f ms\n", overlay,
                    double(paint.nsecsElapsed()) / 1e6);
    }
    waitForPyramid(canvas);
    std::printf("ImagePyramid of the image (6 reduced levels, built on the pool by the canvas): %.0f ms; MaskPyramid of one "
                "100 MP mask: %.0f ms (scene made in %.0f ms)\n",
                pyramidMs, maskPyramidMs, makeMs);
    std::printf("RSS: %.0f MiB with image + 3 masks (%.0f MiB before the canvas)\n\n", rssMiB(), rssDocument);
    std::printf("| view | level | cold paint ms | warm median ms | warm max ms | tiles cached |\n|---|---|---|---|---|---|\n");
    struct View
    {
        const char *name;
        double zoom;
    };
    for (const View &view : {View{"fit (0.108×)", 0}, View{"1:1", 1.0}, View{"32×", 32.0}, View{"1/4×", 0.25}}) {
        if (view.zoom == 0)
            canvas.fitToWindow();
        else {
            canvas.setZoom(view.zoom);
            canvas.centerOn(QPointF(3000, 3500));
        }
        auto paintOnce = [&] {
            QElapsedTimer paint;
            paint.start();
            QPainter painter(&target);
            canvas.render(&painter);
            painter.end();
            return double(paint.nsecsElapsed()) / 1e6;
        };
        const double cold = paintOnce();
        std::vector<double> warm;
        for (int i = 0; i < (quick ? 5 : 15); ++i)
            warm.push_back(paintOnce());
        const Stats s = stats(warm);
        std::printf("| %s | %d | %.1f | %.1f | %.1f | %d |\n", view.name, canvas.viewport().pyramidLevel(7), cold, s.median, s.max,
                    canvas.overlay()->cachedTiles());
        std::fflush(stdout);
    }
    std::printf("\nRSS after painting: %.0f MiB\n", rssMiB());
}

// 3. Memory of 1,000 undo steps.
void benchUndoMemory(bool quick)
{
    const QSize imageSize(4000, 4000);
    SampleDocument document(imageSize);
    const int target = DocumentActions::newTarget(document);
    document.setCurrentTarget(target);
    CanvasWidget canvas;
    canvas.resize(1600, 1000);
    canvas.setDocument(&document);
    canvas.setImage(sceneImage(imageSize));
    ToolManager tools;
    canvas.setTool(tools.brushTool());
    canvas.show();
    waitForPyramid(canvas);
    canvas.repaint();
    const int steps = quick ? 200 : 1000;
    const double rssBefore = rssMiB();
    double rssWarm = 0;  // after the first strokes: the tools' "before" copies and the overlay's tiles exist
    QRandomGenerator random(1);
    std::vector<double> strokeMs;
    while (document.undoStack()->count() < steps + 1) {  // + the new target's step
        if (document.undoStack()->count() == 20 && rssWarm == 0)
            rssWarm = rssMiB();
        BrushTool *tool = random.bounded(4) == 0 ? tools.eraserTool() : tools.brushTool();
        tool->setSize(5 + int(random.bounded(56)));
        canvas.setTool(tool);
        QPointF p(random.bounded(1500.0) + 50, random.bounded(900.0) + 50);
        QElapsedTimer timer;
        timer.start();
        send(canvas, QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton);
        for (int m = 0; m < 8; ++m) {
            p += QPointF(random.bounded(30.0) - 15, random.bounded(30.0) - 15);
            send(canvas, QEvent::MouseMove, p, Qt::NoButton, Qt::LeftButton);
        }
        send(canvas, QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton);
        strokeMs.push_back(double(timer.nsecsElapsed()) / 1e6);
        flushPaint(canvas);
    }
    qsizetype patchBytes = 0;
    int commands = 0;
    const QUndoStack *stack = document.undoStack();
    for (int i = 0; i < stack->count(); ++i)
        if (const auto *edit = dynamic_cast<const MaskEditCommand *>(stack->command(i))) {
            patchBytes += edit->patch().bytes();
            ++commands;
        }
    const double rssAfter = rssMiB();
    const Stats s = stats(strokeMs);
    std::printf("\n### %d brush/eraser strokes as undo steps on a 16 MP mask (4000 × 4000)\n\n", steps);
    std::printf("| undo steps | MaskPatch bytes (sum) | per step | RSS before | RSS after 20 steps | RSS after all | growth 20 → all | stroke (press…release) median / max ms |\n"
                "|---|---|---|---|---|---|---|---|\n");
    std::printf("| %d | %.2f MiB | %.0f B | %.0f MiB | %.0f MiB | %.0f MiB | %.1f MiB | %.2f / %.2f |\n", commands,
                double(patchBytes) / 1048576.0, double(patchBytes) / std::max(1, commands), rssBefore, rssWarm, rssAfter,
                rssAfter - rssWarm, s.median, s.max);
    // Undo and redo everything once: the patches are all that is needed.
    QElapsedTimer timer;
    timer.start();
    while (document.undoStack()->canUndo())
        document.undoStack()->undo();
    const double undoMs = double(timer.elapsed());
    timer.restart();
    while (document.undoStack()->canRedo())
        document.undoStack()->redo();
    std::printf("\nUndo all %d steps: %.0f ms; redo all: %.0f ms\n", commands, undoMs, double(timer.elapsed()));
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const QStringList only = app.arguments().filter(QStringLiteral("--only="));
    const QString which = only.isEmpty() ? QString() : only.first().mid(7);
    if (which.isEmpty() || which == QLatin1String("stroke"))
        benchStroke(quick);
    if (which.isEmpty() || which == QLatin1String("undo"))
        benchUndoMemory(quick);
    if (which.isEmpty() || which == QLatin1String("paint"))
        benchPaint(quick);
    return 0;
}
