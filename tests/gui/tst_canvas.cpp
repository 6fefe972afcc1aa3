// The canvas tools, driven by real QTest mouse/key events on an offscreen CanvasWidget: exact pixels
// of brush, eraser, polygon (with a hole), rectangle and magic wand (tolerance rows); GrabCut
// separating a synthetic object and its refinement strokes; one undo step per action and bit-exact
// undo/redo over 200 mixed operations; model refine's box request; remappable shortcuts.
#include "core/documentactions.h"
#include "gui/tools/grabcuttool.h"
#include "gui/tools/magicwandtool.h"
#include "gui/tools/modelrefinetool.h"
#include "gui/tools/polygontool.h"
#include "gui/tools/rectangletool.h"
#include "tests/gui/canvastestsupport.h"

#include <QAction>
#include <QPainterPath>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace canvastest;
using namespace rs;

class TestCanvas : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void brushStroke_data();
    void brushStroke();
    void brushSnapsToPixelGrid_data();
    void brushSnapsToPixelGrid();
    void brushSizeKeys();
    void eraser();
    void polygonWithHole();
    void polygonEditing();
    void polygonTakesEnterFromShortcuts();
    void rectangle_data();
    void rectangle();
    void grabCutSeparatesObject();
    void magicWandTolerance_data();
    void magicWandTolerance();
    void mixedOperationsUndoRedoBitExact();
    void modelRefineRequestsBox();
    void shortcutsAreRemappable();

private:
    QTemporaryDir m_settingsDir;
};

void TestCanvas::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("rs-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_canvas"));
}

void TestCanvas::brushStroke_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QList<QPoint>>("points");  // widget pixels
    QTest::addColumn<bool>("existingTarget");
    QTest::newRow("size 5, new target") << 5 << QList<QPoint>{{50, 60}, {80, 64}, {120, 90}, {121, 91}} << false;
    QTest::newRow("size 8 (even: corners), existing target") << 8 << QList<QPoint>{{300, 40}, {250, 100}, {200, 200}} << true;
    QTest::newRow("size 1 zigzag") << 1 << QList<QPoint>{{11, 11}, {41, 31}, {21, 61}, {61, 81}, {13, 13}} << false;
    QTest::newRow("size 21 across the border") << 21 << QList<QPoint>{{390, 150}, {420, 160}, {380, 290}, {380, 330}} << true;
    QTest::newRow("single dab") << 9 << QList<QPoint>{{101, 101}, {101, 101}} << false;
}

void TestCanvas::brushStroke()
{
    QFETCH(int, size);
    QFETCH(QList<QPoint>, points);
    QFETCH(bool, existingTarget);
    Fixture f;
    QCOMPARE(f.canvas.zoom(), 2.0);
    if (existingTarget) {
        DocumentActions::newTarget(f.document);
        DocumentActions::paint(f.document, 0, rectMask(QRect(10, 10, 60, 40)), true, QStringLiteral("setup"));
    }
    QVERIFY(f.tools.setActiveTool(QStringLiteral("brush")));
    QCOMPARE(f.canvas.tool(), f.tools.brushTool());
    f.tools.brushTool()->setSize(size);
    const int steps = f.steps();
    const Mask before = existingTarget ? f.mask() : emptyMask();

    Mask expected = before;
    QList<QPointF> imagePoints;
    for (const QPoint &p : points)
        imagePoints << f.imageAt(p);
    expectedStroke(expected, *f.tools.brushTool(), imagePoints, true);

    f.drag(points.first(), points.mid(1, points.size() - 2), points.last());
    QCOMPARE(f.steps(), steps + 1);  // one step, the new target included
    QCOMPARE(f.document.targetCount(), 1);
    QVERIFY(expected != before);
    QVERIFY(f.mask() == expected);
    const QByteArray after = Rle::encode(f.mask()).toString();

    f.document.undoStack()->undo();
    if (existingTarget)
        QVERIFY(f.mask() == before);
    else
        QCOMPARE(f.document.targetCount(), 0);
    f.document.undoStack()->redo();
    QCOMPARE(Rle::encode(f.mask()).toString(), after);
}

void TestCanvas::brushSnapsToPixelGrid_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QPointF>("position");
    QTest::addColumn<QPointF>("snapped");
    QTest::addColumn<qsizetype>("dabArea");  // pixels of one dab
    QTest::newRow("odd: pixel centre") << 1 << QPointF(10.9, 3.1) << QPointF(10.5, 3.5) << qsizetype(1);
    QTest::newRow("odd 3") << 3 << QPointF(10.0, 3.99) << QPointF(10.5, 3.5) << qsizetype(9);
    QTest::newRow("even: pixel corner") << 2 << QPointF(10.4, 3.6) << QPointF(10, 4) << qsizetype(4);
    QTest::newRow("even 4") << 4 << QPointF(10.6, 3.4) << QPointF(11, 3) << qsizetype(12);
}

void TestCanvas::brushSnapsToPixelGrid()
{
    QFETCH(int, size);
    QFETCH(QPointF, position);
    QFETCH(QPointF, snapped);
    QFETCH(qsizetype, dabArea);
    BrushTool brush(BrushTool::Mode::Paint);
    brush.setSize(size);
    QCOMPARE(brush.snap(position), snapped);
    // A dab has the same footprint wherever it lands.
    Mask mask = emptyMask();
    MaskPainter::dab(mask, brush.snap(position), brush.radius(), true);
    QCOMPARE(mask.area(), dabArea);
}

void TestCanvas::brushSizeKeys()
{
    Fixture f;
    BrushTool *brush = f.tools.brushTool();
    f.tools.setActiveTool(brush);
    brush->setSize(10);
    QSignalSpy sized(brush, &BrushTool::sizeChanged);
    QTest::keyClick(&f.canvas, Qt::Key_BracketRight);
    QCOMPARE(brush->size(), 12);
    QTest::keyClick(&f.canvas, Qt::Key_BracketLeft);
    QTest::keyClick(&f.canvas, Qt::Key_BracketLeft);
    QCOMPARE(brush->size(), 8);
    for (int i = 0; i < 20; ++i)
        QTest::keyClick(&f.canvas, Qt::Key_BracketLeft);
    QCOMPARE(brush->size(), BrushTool::kMinSize);
    QCOMPARE(sized.count(), 3 + 7);  // 10→12→10→8→7→6→5→4→3→2→1
}

void TestCanvas::eraser()
{
    Fixture f;
    // Without a target the eraser does nothing (and says why).
    f.tools.setActiveTool(QStringLiteral("eraser"));
    QSignalSpy status(&f.tools, &ToolManager::statusMessage);
    f.drag({40, 40}, {}, {100, 100});
    QCOMPARE(f.steps(), 0);
    QCOMPARE(f.document.targetCount(), 0);
    QCOMPARE(status.count(), 1);

    DocumentActions::newTarget(f.document);
    DocumentActions::paint(f.document, 0, rectMask(QRect(20, 20, 120, 80)), true, QStringLiteral("setup"));
    const int steps = f.steps();
    BrushTool *eraser = f.tools.eraserTool();
    eraser->setSize(7);
    const QList<QPoint> points{{30, 30}, {150, 90}, {250, 110}, {290, 200}};
    Mask expected = f.mask();
    QList<QPointF> imagePoints;
    for (const QPoint &p : points)
        imagePoints << f.imageAt(p);
    expectedStroke(expected, *eraser, imagePoints, false);
    f.drag(points.first(), points.mid(1, 2), points.last());
    QCOMPARE(f.steps(), steps + 1);
    QVERIFY(f.mask() == expected);
    QVERIFY(f.mask().area() < rectMask(QRect(20, 20, 120, 80)).area());
    f.document.undoStack()->undo();
    QVERIFY(f.mask() == rectMask(QRect(20, 20, 120, 80)));
}

void TestCanvas::polygonWithHole()
{
    Fixture f;
    f.tools.setActiveTool(QStringLiteral("polygon"));
    const QList<QPoint> outer{{40, 40}, {360, 40}, {360, 260}, {40, 260}};
    for (int i = 0; i < 3; ++i)
        QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, outer[i]);
    QCOMPARE(f.tools.polygonTool()->points().size(), 3);
    QCOMPARE(f.steps(), 0);
    // The last vertex by a double click, which closes the polygon.
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, outer[3]);
    QTest::mouseDClick(&f.canvas, Qt::LeftButton, {}, outer[3]);
    QTest::mouseRelease(&f.canvas, Qt::LeftButton, {}, outer[3]);
    QCOMPARE(f.steps(), 1);
    QCOMPARE(f.document.targetCount(), 1);
    QPolygonF outerImage;
    for (const QPoint &p : outer)
        outerImage << f.imageAt(p);
    Mask expected = emptyMask();
    MaskPainter::polygon(expected, outerImage, true);
    QVERIFY(f.mask() == expected);
    const Mask filled = expected;

    // A hole: Shift at the first click makes a subtracting polygon; Enter closes it.
    const QList<QPoint> inner{{120, 100}, {280, 100}, {200, 200}};
    QTest::mouseClick(&f.canvas, Qt::LeftButton, Qt::ShiftModifier, inner[0]);
    QVERIFY(f.tools.polygonTool()->isSubtracting());
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, inner[1]);
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, inner[2]);
    QTest::keyClick(&f.canvas, Qt::Key_Return);
    QCOMPARE(f.steps(), 2);
    QPolygonF innerImage;
    for (const QPoint &p : inner)
        innerImage << f.imageAt(p);
    MaskPainter::polygon(expected, innerImage, false);
    QVERIFY(f.mask() == expected);
    QVERIFY(!f.mask().at(100, 70));  // inside the hole
    QVERIFY(f.mask().at(25, 25));    // the ring
    QCOMPARE(f.mask().filledHoles(), filled);

    f.document.undoStack()->undo();
    QVERIFY(f.mask() == filled);
    f.document.undoStack()->undo();
    QCOMPARE(f.document.targetCount(), 0);
}

void TestCanvas::polygonEditing()
{
    Fixture f;
    f.tools.setActiveTool(QStringLiteral("polygon"));
    PolygonTool *polygon = f.tools.polygonTool();
    // Escape cancels.
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {40, 40});
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {100, 40});
    QTest::keyClick(&f.canvas, Qt::Key_Escape);
    QVERIFY(polygon->points().isEmpty());
    QCOMPARE(f.steps(), 0);

    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {40, 40});
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {360, 40});
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {360, 260});
    // Drag the third vertex (the press lands within the handle radius).
    f.drag({358, 262}, {{300, 262}}, {200, 260});
    QCOMPARE(polygon->points().size(), 3);
    QCOMPARE(polygon->points()[2], f.imageAt({200, 260}));
    // A fourth point, taken back with Backspace.
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {100, 200});
    QCOMPARE(polygon->points().size(), 4);
    QTest::keyClick(&f.canvas, Qt::Key_Backspace);
    QCOMPARE(polygon->points().size(), 3);
    QCOMPARE(f.steps(), 0);
    // Clicking the first vertex closes.
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, {41, 41});
    QCOMPARE(f.steps(), 1);
    Mask expected = emptyMask();
    MaskPainter::polygon(expected, QPolygonF{f.imageAt({40, 40}), f.imageAt({360, 40}), f.imageAt({200, 260})}, true);
    QVERIFY(f.mask() == expected);
}

void TestCanvas::polygonTakesEnterFromShortcuts()
{
    Fixture f;
    QAction submit(QStringLiteral("Submit"));
    submit.setShortcut(Qt::Key_Return);
    f.canvas.addAction(&submit);
    QSignalSpy submitted(&submit, &QAction::triggered);
    f.tools.setActiveTool(QStringLiteral("polygon"));
    for (const QPoint &p : {QPoint(40, 40), QPoint(300, 60), QPoint(200, 250)})
        QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, p);
    QTest::keyClick(&f.canvas, Qt::Key_Return);  // closes the polygon, not the window's Submit
    QCOMPARE(submitted.count(), 0);
    QCOMPARE(f.steps(), 1);
    QTest::keyClick(&f.canvas, Qt::Key_Return);  // no polygon open: the shortcut gets it
    QCOMPARE(submitted.count(), 1);
}

void TestCanvas::rectangle_data()
{
    QTest::addColumn<QPoint>("from");
    QTest::addColumn<QPoint>("to");
    QTest::addColumn<bool>("subtract");
    QTest::addColumn<bool>("existingTarget");
    QTest::addColumn<bool>("changes");
    QTest::newRow("add, new target") << QPoint(40, 40) << QPoint(200, 160) << false << false << true;
    QTest::newRow("add, dragged up-left") << QPoint(301, 251) << QPoint(101, 31) << false << true << true;
    QTest::newRow("subtract") << QPoint(60, 60) << QPoint(100, 100) << true << true << true;
    QTest::newRow("subtract without a target") << QPoint(60, 60) << QPoint(100, 100) << true << false << false;
    QTest::newRow("past the image edge") << QPoint(300, 200) << QPoint(500, 400) << false << true << true;
    QTest::newRow("too thin for a pixel centre") << QPoint(40, 40) << QPoint(41, 200) << false << false << false;
}

void TestCanvas::rectangle()
{
    QFETCH(QPoint, from);
    QFETCH(QPoint, to);
    QFETCH(bool, subtract);
    QFETCH(bool, existingTarget);
    QFETCH(bool, changes);
    Fixture f;
    if (existingTarget) {
        DocumentActions::newTarget(f.document);
        DocumentActions::paint(f.document, 0, rectMask(QRect(10, 10, 100, 100)), true, QStringLiteral("setup"));
    }
    f.tools.setActiveTool(QStringLiteral("rectangle"));
    const int steps = f.steps();
    Mask expected = existingTarget ? f.mask() : emptyMask();
    MaskPainter::rectangle(expected, QRectF(f.imageAt(from), f.imageAt(to)), !subtract);
    f.drag(from, {(from + to) / 2}, to, subtract ? Qt::ShiftModifier : Qt::NoModifier);
    QCOMPARE(f.steps(), steps + (changes ? 1 : 0));
    if (changes)
        QVERIFY(f.mask() == expected);
    else
        QCOMPARE(f.document.targetCount(), existingTarget ? 1 : 0);
}

void TestCanvas::grabCutSeparatesObject()
{
    QRect ellipse;
    QImage image = objectImage(&ellipse);
    const QRect box = ellipse.adjusted(-12, -12, 12, 12);
    // A yellow distractor in the box's corner, outside the object.
    const QRect distractor(box.left() + 2, box.top() + 2, 8, 8);
    QPainter(&image).fillRect(distractor, QColor(240, 220, 40));
    Fixture f(image);
    f.tools.setActiveTool(QStringLiteral("grabcut"));
    GrabCutTool *grabCut = f.tools.grabCutTool();
    QSignalSpy busy(grabCut, &GrabCutTool::busyChanged);
    // Refining before any box does nothing.
    f.drag(f.widgetAt(QPointF(20.5, 20.5)), {}, f.widgetAt(QPointF(30.5, 20.5)), Qt::ControlModifier);
    QCOMPARE(f.steps(), 0);
    QCOMPARE(busy.count(), 0);

    f.drag(f.widgetAt(box.topLeft()), {f.widgetAt(box.center())}, f.widgetAt(box.bottomRight() + QPoint(1, 1)));
    QTRY_COMPARE_WITH_TIMEOUT(f.steps(), 1, 30000);
    QVERIFY(!grabCut->isBusy());
    QCOMPARE(busy.count(), 2);
    QCOMPARE(f.document.targetCount(), 1);

    Mask truth = emptyMask();
    QPainterPath path;
    path.addEllipse(QRectF(ellipse));
    for (int y = 0; y < truth.height(); ++y)
        for (int x = 0; x < truth.width(); ++x)
            truth.set(x, y, path.contains(QPointF(x + 0.5, y + 0.5)));
    auto iou = [&](const Mask &mask) { return double(mask.intersectionArea(truth)) / double(mask.united(truth).area()); };
    const Mask segmented = f.mask();
    QVERIFY2(iou(segmented.subtracted(rectMask(distractor))) > 0.9, qPrintable(QString::number(iou(segmented))));
    QVERIFY(box.contains(segmented.boundingRect()));  // nothing outside the box

    // Alt-drag over the distractor: sure background — one more step, the object stays.
    QVERIFY(grabCut->canRefine());
    f.drag(f.widgetAt(QPointF(distractor.left() + 0.5, distractor.center().y() + 0.5)), {f.widgetAt(QPointF(distractor.center()) + QPointF(0.5, 0.5))},
           f.widgetAt(QPointF(distractor.right() + 0.5, distractor.center().y() + 0.5)), Qt::AltModifier);
    QTRY_COMPARE_WITH_TIMEOUT(f.steps(), 2, 30000);
    const Mask refined = f.mask();
    QCOMPARE(refined.intersectionArea(rectMask(distractor)), qsizetype(0));
    QVERIFY2(iou(refined) > 0.9, qPrintable(QString::number(iou(refined))));

    // Ctrl-drag: sure foreground — the stroke's pixels join, one more step.
    const QPoint a = f.widgetAt(QPointF(box.right() - 6.5, box.bottom() - 3.5));
    const QPoint b = f.widgetAt(QPointF(box.right() - 2.5, box.bottom() - 3.5));
    f.drag(a, {}, b, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(f.steps(), 3, 30000);
    QVERIFY(f.mask().at(box.right() - 4, box.bottom() - 4));

    f.document.undoStack()->undo();
    QVERIFY(f.mask() == refined);
    f.document.undoStack()->undo();
    QVERIFY(f.mask() == segmented);
    f.document.undoStack()->undo();
    QCOMPARE(f.document.targetCount(), 0);
    // After an undo the refinement no longer applies.
    QVERIFY(!grabCut->canRefine());
}

void TestCanvas::magicWandTolerance_data()
{
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<QString>("keys");  // '[' and ']' typed after setting the tolerance
    QTest::addColumn<QPoint>("click");  // image pixel
    QTest::addColumn<qsizetype>("area");
    QTest::newRow("5: one band") << 5 << QString() << QPoint(25, 75) << qsizetype(50 * 150);
    QTest::newRow("10: two bands") << 10 << QString() << QPoint(25, 75) << qsizetype(100 * 150);
    QTest::newRow("29: still two") << 29 << QString() << QPoint(25, 75) << qsizetype(100 * 150);
    QTest::newRow("30: three bands") << 30 << QString() << QPoint(25, 75) << qsizetype(150 * 150);
    QTest::newRow("100: all") << 100 << QString() << QPoint(25, 75) << qsizetype(200 * 150);
    QTest::newRow("0 from the middle band") << 0 << QString() << QPoint(75, 10) << qsizetype(50 * 150);
    QTest::newRow("2 + ]] = 10") << 2 << QStringLiteral("]]") << QPoint(25, 75) << qsizetype(100 * 150);
    QTest::newRow("12 + [ = 8") << 12 << QStringLiteral("[") << QPoint(25, 75) << qsizetype(50 * 150);
}

void TestCanvas::magicWandTolerance()
{
    QFETCH(int, tolerance);
    QFETCH(QString, keys);
    QFETCH(QPoint, click);
    QFETCH(qsizetype, area);
    Fixture f(bandImage());
    f.tools.setActiveTool(QStringLiteral("magicwand"));
    MagicWandTool *wand = f.tools.magicWandTool();
    wand->setTolerance(tolerance);
    for (QChar key : keys)
        QTest::keyClick(&f.canvas, key == QLatin1Char('[') ? Qt::Key_BracketLeft : Qt::Key_BracketRight);
    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, f.widgetAt(QPointF(click) + QPointF(0.5, 0.5)));
    QTRY_COMPARE_WITH_TIMEOUT(f.steps(), 1, 10000);
    QCOMPARE(f.mask().area(), area);
    QVERIFY(f.mask().at(click.x(), click.y()));
    // Every selected pixel is within the tolerance of the seed, per channel.
    const int seed = qRed(bandImage().pixel(click));
    for (int x = 0; x < 200; x += 10)
        if (f.mask().at(x, 0))
            QVERIFY(std::abs(qRed(bandImage().pixel(x, 0)) - seed) <= wand->tolerance());

    // Shift-click removes: at tolerance 10 from the second band (110) the region is bands 1 and 2.
    const Mask before = f.mask();
    wand->setTolerance(10);
    QTest::mouseClick(&f.canvas, Qt::LeftButton, Qt::ShiftModifier, f.widgetAt(QPointF(75.5, 75.5)));
    QTRY_COMPARE_WITH_TIMEOUT(f.steps(), 2, 10000);
    QCOMPARE(f.mask(), before.subtracted(rectMask(QRect(0, 0, 100, 150))));
}

void TestCanvas::mixedOperationsUndoRedoBitExact()
{
    // Blocks of grey levels, so the magic wand picks regions of many shapes.
    QImage image(kImageSize, QImage::Format_RGB32);
    QRandomGenerator blocks(21);
    for (int by = 0; by < 15; ++by)
        for (int bx = 0; bx < 20; ++bx) {
            const int v = int(blocks.bounded(6)) * 40;
            for (int y = by * 10; y < by * 10 + 10; ++y)
                for (int x = bx * 10; x < bx * 10 + 10; ++x)
                    image.setPixel(x, y, qRgb(v, v, v));
        }
    Fixture f(image);
    QRandomGenerator random(42);
    auto point = [&] { return QPoint(int(random.bounded(kWidgetSize.width() + 40)) - 20, int(random.bounded(kWidgetSize.height() + 40)) - 20); };
    QList<QStringList> states{snapshot(f.document)};
    int operations = 0;
    int kinds[8] = {};
    while (operations < 200) {
        const int kind = int(random.bounded(8));
        const int steps = f.steps();
        switch (kind) {
        case 0:
        case 1: {  // brush / eraser stroke
            f.tools.setActiveTool(kind == 0 ? QStringLiteral("brush") : QStringLiteral("eraser"));
            static_cast<BrushTool *>(f.canvas.tool())->setSize(1 + int(random.bounded(24)));
            QList<QPoint> via;
            for (int i = int(random.bounded(4)); i > 0; --i)
                via << point();
            f.drag(point(), via, point());
            break;
        }
        case 2: {  // polygon, sometimes a hole
            f.tools.setActiveTool(QStringLiteral("polygon"));
            const bool hole = random.bounded(3) == 0;
            const QPoint first = point();
            QTest::mouseClick(&f.canvas, Qt::LeftButton, hole ? Qt::ShiftModifier : Qt::NoModifier, first);
            for (int i = 1 + int(random.bounded(4)); i > 0; --i) {
                const QPoint p = point();
                if ((p - first).manhattanLength() > 20)
                    QTest::mouseClick(&f.canvas, Qt::LeftButton, {}, p);
            }
            QTest::keyClick(&f.canvas, Qt::Key_Return);
            QTest::keyClick(&f.canvas, Qt::Key_Escape);  // drops a polygon of fewer than 3 points
            break;
        }
        case 3:  // rectangle, sometimes subtracting
            f.tools.setActiveTool(QStringLiteral("rectangle"));
            f.drag(point(), {}, point(), random.bounded(3) == 0 ? Qt::ShiftModifier : Qt::NoModifier);
            break;
        case 4: {  // magic wand
            f.tools.setActiveTool(QStringLiteral("magicwand"));
            f.tools.magicWandTool()->setTolerance(int(random.bounded(60)));
            QTest::mouseClick(&f.canvas, Qt::LeftButton, random.bounded(3) == 0 ? Qt::ShiftModifier : Qt::NoModifier, point());
            QTRY_VERIFY(!f.tools.magicWandTool()->isBusy());
            break;
        }
        case 5:  // select another target, or none (the next adding tool makes one)
            f.document.setCurrentTarget(int(random.bounded(f.document.targetCount() + 1)) - 1);
            break;
        case 6:  // target operations from the docks
            if (f.document.targetCount() > 3 && random.bounded(2) == 0)
                DocumentActions::deleteTarget(f.document, int(random.bounded(f.document.targetCount())));
            else if (f.document.targetCount() > 0)
                DocumentActions::fillHoles(f.document, int(random.bounded(f.document.targetCount())));
            break;
        case 7:
            if (operations % 5 == 0) {  // GrabCut (slower: every few operations)
                f.tools.setActiveTool(QStringLiteral("grabcut"));
                const QPoint a = point();
                f.drag(a, {}, a + QPoint(40 + int(random.bounded(120)), 40 + int(random.bounded(120))));
                QTRY_VERIFY_WITH_TIMEOUT(!f.tools.grabCutTool()->isBusy(), 30000);
            }
            break;
        }
        QVERIFY(f.steps() - steps <= 1);  // never more than one step per action
        if (f.steps() > steps) {
            ++operations;
            ++kinds[kind];
            states << snapshot(f.document);
            QCOMPARE(f.document.undoStack()->index(), f.steps());
        }
    }
    for (int kind = 0; kind < 8; ++kind)
        if (kind != 5)
            QVERIFY2(kinds[kind] > 0, qPrintable(QString::number(kind)));
    QUndoStack *stack = f.document.undoStack();
    for (int i = stack->count() - 1; i >= 0; --i) {
        stack->undo();
        QCOMPARE(snapshot(f.document), states[i]);
    }
    for (int i = 1; i <= stack->count(); ++i) {
        stack->redo();
        QCOMPARE(snapshot(f.document), states[i]);
    }
}

void TestCanvas::modelRefineRequestsBox()
{
    Fixture f;
    f.tools.setActiveTool(QStringLiteral("modelrefine"));
    ModelRefineTool *tool = f.tools.modelRefineTool();
    QSignalSpy requested(tool, &ModelRefineTool::boxRequested);
    f.drag({40, 40}, {{100, 100}}, {200, 160});
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().at(0).toRectF(), QRectF(20, 20, 80, 60));
    QVERIFY(tool->isPending());
    QCOMPARE(f.steps(), 0);
    tool->requestFinished();
    QVERIFY(!tool->isPending());
    tool->setAvailable(false);
    f.drag({40, 40}, {}, {200, 160});
    QCOMPARE(requested.count(), 1);
}

void TestCanvas::shortcutsAreRemappable()
{
    QSettings().clear();
    {
        ToolManager tools;
        QCOMPARE(tools.shortcut(QStringLiteral("brush")), QKeySequence(Qt::Key_B));
        QCOMPARE(tools.shortcut(QStringLiteral("polygon")), QKeySequence(Qt::Key_P));
        QCOMPARE(tools.actions().size(), 7);
        tools.setShortcut(QStringLiteral("polygon"), QKeySequence(Qt::CTRL | Qt::Key_9));
        QCOMPARE(QSettings().value(QStringLiteral("shortcuts/polygon")).toString(), QStringLiteral("Ctrl+9"));
    }
    Fixture f;  // a new manager reads the remapped shortcut
    QCOMPARE(f.tools.shortcut(QStringLiteral("polygon")), QKeySequence(Qt::CTRL | Qt::Key_9));
    f.canvas.addActions(f.tools.actions());
    QSignalSpy changed(&f.tools, &ToolManager::activeToolChanged);
    QTest::keyClick(&f.canvas, Qt::Key_9, Qt::ControlModifier);
    QCOMPARE(f.tools.activeTool(), f.tools.polygonTool());
    QCOMPARE(f.canvas.tool(), f.tools.polygonTool());
    QTest::keyClick(&f.canvas, Qt::Key_R);
    QCOMPARE(f.canvas.tool(), f.tools.rectangleTool());
    QVERIFY(f.tools.action(QStringLiteral("rectangle"))->isChecked());
    QCOMPARE(changed.count(), 2);
    f.tools.resetShortcuts();
    QCOMPARE(f.tools.shortcut(QStringLiteral("polygon")), QKeySequence(Qt::Key_P));
    QVERIFY(!QSettings().contains(QStringLiteral("shortcuts/polygon")));
}

QTEST_MAIN(TestCanvas)
#include "tst_canvas.moc"
