// The canvas as a view, on an offscreen CanvasWidget: wheel zoom keeps the pixel under the mouse,
// panning, fit and 1:1, the overlay redrawn only inside the dirty rectangle, the diff view's colours
// and incremental diff masks, the decompression-bomb limit's message, and the screenshot for the docs.
#include "core/documentactions.h"
#include "gui/canvas/imageloader.h"
#include "gui/canvas/maskoverlay.h"
#include "tests/gui/canvastestsupport.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWheelEvent>

#include <cmath>

using namespace canvastest;
using namespace rs;

class TestCanvasView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void strokeRedrawsOnlyItsRectangle();
    void wheelZoomKeepsPixelUnderMouse_data();
    void wheelZoomKeepsPixelUnderMouse();
    void panAndCursorPixel();
    void fitAndOneToOne();
    void diffView();
    void decompressionBombLimit_data();
    void decompressionBombLimit();
    void screenshot();

private:
    QTemporaryDir m_settingsDir;
};

void TestCanvasView::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("rs-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_canvasview"));
}

void TestCanvasView::strokeRedrawsOnlyItsRectangle()
{
    Fixture f;
    DocumentActions::newTarget(f.document);
    DocumentActions::paint(f.document, 0, rectMask(QRect(0, 0, 200, 150)), true, QStringLiteral("setup"));
    f.canvas.grab();  // every visible overlay tile drawn once
    MaskOverlay *overlay = f.canvas.overlay();
    const qint64 first = overlay->renderedPixels();
    QCOMPARE(first, qint64(200) * 150);
    f.tools.setActiveTool(QStringLiteral("eraser"));
    f.tools.eraserTool()->setSize(5);
    QSignalSpy changed(&f.document, &SampleDocument::maskChanged);
    f.drag({100, 100}, {{110, 104}}, {120, 110});
    QRect dirty;
    for (const QList<QVariant> &args : changed)
        dirty |= args.at(1).toRect();
    QVERIFY(!dirty.isEmpty());
    f.canvas.grab();
    // Redrawn: the dirty rectangle grown by one pixel for outlines, nothing else.
    const qint64 redrawn = overlay->renderedPixels() - first;
    QVERIFY2(redrawn > 0 && redrawn <= qint64(dirty.width() + 2) * (dirty.height() + 2),
             qPrintable(QStringLiteral("%1 pixels for a %2x%3 rectangle").arg(redrawn).arg(dirty.width()).arg(dirty.height())));
}

void TestCanvasView::wheelZoomKeepsPixelUnderMouse_data()
{
    QTest::addColumn<QPoint>("position");
    QTest::addColumn<int>("delta");
    QTest::addColumn<int>("notches");
    QTest::addColumn<double>("zoom");
    QTest::newRow("one notch in") << QPoint(101, 77) << 120 << 1 << 2.0 * std::pow(2.0, 0.25);
    QTest::newRow("one notch out") << QPoint(301, 201) << -120 << 1 << 2.0 * std::pow(2.0, -0.25);
    QTest::newRow("12 notches in at a corner") << QPoint(3, 5) << 120 << 12 << 16.0;
    QTest::newRow("stops at 32x") << QPoint(251, 149) << 120 << 20 << 32.0;
    QTest::newRow("far out") << QPoint(199, 151) << -120 << 16 << 2.0 / 16.0;
    QTest::newRow("fine trackpad steps") << QPoint(123, 45) << 15 << 8 << 2.0 * std::pow(2.0, 0.25);
}

void TestCanvasView::wheelZoomKeepsPixelUnderMouse()
{
    QFETCH(QPoint, position);
    QFETCH(int, delta);
    QFETCH(int, notches);
    QFETCH(double, zoom);
    Fixture f;
    QSignalSpy zoomed(&f.canvas, &CanvasWidget::zoomChanged);
    const QPointF before = f.imageAt(position);
    for (int i = 0; i < notches; ++i) {
        QWheelEvent wheel(QPointF(position), f.canvas.mapToGlobal(QPointF(position)), QPoint(), QPoint(0, delta), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&f.canvas, &wheel);
    }
    QVERIFY(std::abs(f.canvas.zoom() - zoom) < 1e-9);
    QVERIFY(!zoomed.isEmpty());
    QCOMPARE(zoomed.last().at(0).toDouble(), f.canvas.zoom());
    QVERIFY(!f.canvas.isFitMode());
    // The image point under the mouse stays there, through any number of steps.
    const QPointF after = f.imageAt(position);
    QVERIFY2(std::abs(after.x() - before.x()) < 1e-9 && std::abs(after.y() - before.y()) < 1e-9,
             qPrintable(QStringLiteral("(%1, %2) -> (%3, %4)").arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
    // ...and so does the pixel the status bar shows.
    QMouseEvent move(QEvent::MouseMove, QPointF(position), f.canvas.mapToGlobal(QPointF(position)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QSignalSpy pixels(&f.canvas, &CanvasWidget::cursorPixelChanged);
    QApplication::sendEvent(&f.canvas, &move);
    const QPoint pixel(int(std::floor(before.x())), int(std::floor(before.y())));
    QVERIFY(pixels.isEmpty() || pixels.last().at(0).toPoint() == pixel);
}

void TestCanvasView::panAndCursorPixel()
{
    Fixture f;
    f.tools.setActiveTool(QStringLiteral("brush"));
    QSignalSpy pixels(&f.canvas, &CanvasWidget::cursorPixelChanged);
    QMouseEvent move(QEvent::MouseMove, QPointF(61, 41), f.canvas.mapToGlobal(QPointF(61, 41)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&f.canvas, &move);
    QCOMPARE(pixels.last().at(0).toPoint(), QPoint(30, 20));
    // Middle-button drag pans by the mouse's movement.
    const QPointF origin = f.canvas.viewport().origin();
    f.drag({100, 100}, {}, {140, 80}, {}, Qt::MiddleButton);
    QCOMPARE(f.canvas.viewport().origin(), origin - QPointF(40, -20) / 2.0);
    // Space + left drag pans too, and paints nothing.
    QTest::keyPress(&f.canvas, Qt::Key_Space);
    f.drag({100, 100}, {{120, 100}}, {160, 100});
    QTest::keyRelease(&f.canvas, Qt::Key_Space);
    QCOMPARE(f.canvas.viewport().origin(), origin - QPointF(40, -20) / 2.0 - QPointF(60, 0) / 2.0);
    QCOMPARE(f.steps(), 0);
    // Outside the image.
    QMouseEvent outside(QEvent::MouseMove, QPointF(2, 2), f.canvas.mapToGlobal(QPointF(2, 2)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&f.canvas, &outside);
    QCOMPARE(pixels.last().at(0).toPoint(), QPoint(-1, -1));
}

void TestCanvasView::fitAndOneToOne()
{
    Fixture f;
    QCOMPARE(f.canvas.zoom(), 2.0);
    QVERIFY(f.canvas.isFitMode());
    f.canvas.resize(200, 300);  // follows the size while in fit mode
    QCOMPARE(f.canvas.zoom(), 1.0);
    f.canvas.zoomOneToOne();
    QCOMPARE(f.canvas.zoom(), 1.0);
    QVERIFY(!f.canvas.isFitMode());
    f.canvas.setZoom(100.0);
    QCOMPARE(f.canvas.zoom(), Viewport::kMaxZoom);
    f.canvas.resize(kWidgetSize);
    QCOMPARE(f.canvas.zoom(), Viewport::kMaxZoom);  // not in fit mode: the zoom stays
    f.canvas.fitToWindow();
    QCOMPARE(f.canvas.zoom(), 2.0);
}

void TestCanvasView::diffView()
{
    Fixture f;
    Target proposed;
    proposed.mask = rectMask(QRect(20, 20, 80, 80));
    f.document.setProposal({proposed});
    DocumentActions::newTarget(f.document);
    DocumentActions::paint(f.document, 0, rectMask(QRect(60, 20, 80, 80)), true, QStringLiteral("setup"));
    f.canvas.setShowOutlines(false);
    f.canvas.setDiffView(true);
    QVERIFY(f.canvas.diffView());
    MaskOverlay *overlay = f.canvas.overlay();
    QCOMPARE(overlay->addedMask(), rectMask(QRect(100, 20, 40, 80)));
    QCOMPARE(overlay->removedMask(), rectMask(QRect(20, 20, 40, 80)));
    const QImage shown = f.canvas.grab().toImage();
    auto at = [&](QPointF image) { return QColor(shown.pixel(f.widgetAt(image))); };
    QVERIFY(at({120.5, 50.5}).green() > at({120.5, 50.5}).red() + 40);  // added: green
    QVERIFY(at({30.5, 50.5}).red() > at({30.5, 50.5}).green() + 40);    // removed: red
    QCOMPARE(at({80.5, 50.5}), QColor(128, 128, 128));                  // agreed: no fill in the diff view
    QCOMPARE(at({180.5, 130.5}), QColor(128, 128, 128));                // neither

    // Erasing agreed pixels makes them "removed", updated in the stroke's rectangle only.
    f.tools.setActiveTool(QStringLiteral("eraser"));
    f.tools.eraserTool()->setSize(9);
    f.drag(f.widgetAt({70.5, 60.5}), {}, f.widgetAt({90.5, 60.5}));
    Mask expectedRemoved = proposed.mask.subtracted(f.mask());
    QCOMPARE(overlay->removedMask(), expectedRemoved);
    QVERIFY(QColor(f.canvas.grab().toImage().pixel(f.widgetAt({80.5, 60.5}))).red() > 160);
    // Off again: the target is filled in its colour.
    f.canvas.setDiffView(false);
    const QColor filled = QColor(f.canvas.grab().toImage().pixel(f.widgetAt({120.5, 50.5})));
    QVERIFY(filled != QColor(128, 128, 128));
}

void TestCanvasView::decompressionBombLimit_data()
{
    QTest::addColumn<QSize>("size");       // as the file claims
    QTest::addColumn<qint64>("maxPixels");
    QTest::addColumn<bool>("bomb");        // a crafted header (no real pixels) or a real image
    QTest::addColumn<bool>("loads");
    QTest::newRow("50000 x 50000 bomb") << QSize(50000, 50000) << ImageLoader::kDefaultMaxPixels << true << false;
    QTest::newRow("12000 x 11000 bomb") << QSize(12000, 11000) << ImageLoader::kDefaultMaxPixels << true << false;
    QTest::newRow("20x20 under a 400 px limit") << QSize(20, 20) << qint64(400) << false << true;
    QTest::newRow("20x21 over a 400 px limit") << QSize(20, 21) << qint64(400) << false << false;
}

void TestCanvasView::decompressionBombLimit()
{
    QFETCH(QSize, size);
    QFETCH(qint64, maxPixels);
    QFETCH(bool, bomb);
    QFETCH(bool, loads);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("image.png"));
    if (bomb) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bombPng(quint32(size.width()), quint32(size.height())));
    } else {
        QImage image(size, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        QVERIFY(image.save(path));
    }
    Fixture f;
    f.canvas.imageLoader()->setMaxPixels(maxPixels);
    QSignalSpy failed(&f.canvas, &CanvasWidget::imageFailed);
    QSignalSpy loaded(&f.canvas, &CanvasWidget::imageLoaded);
    f.canvas.loadImage(path);
    QCOMPARE(f.canvas.imageState(), CanvasWidget::ImageState::Loading);
    QTRY_VERIFY(!failed.isEmpty() || !loaded.isEmpty());
    if (loads) {
        QCOMPARE(f.canvas.imageState(), CanvasWidget::ImageState::Ready);
        QCOMPARE(f.canvas.image().size(), size);
        return;
    }
    QCOMPARE(f.canvas.imageState(), CanvasWidget::ImageState::Failed);
    QVERIFY(f.canvas.image().isNull());
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("%1 × %2 pixels").arg(size.width()).arg(size.height())), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("above the limit")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("decompression bomb")), qPrintable(message));
    QCOMPARE(f.canvas.imageMessage(), message);
    // The synchronous path says the same, without decoding.
    QCOMPARE(ImageLoader::decode(path, maxPixels).error(), message);
}

void TestCanvasView::screenshot()
{
    // The demo's first held-out image with its targets, a proposal that differs, and a polygon in progress.
    const QString dir = QStringLiteral(RS_SOURCE_DIR "/models/shapes/heldout");
    QImage image(dir + QStringLiteral("/shapes_0003.jpg"));
    QVERIFY(!image.isNull());
    image = image.convertToFormat(QImage::Format_RGB32);
    SampleDocument document(image.size());
    CanvasWidget canvas;
    canvas.resize(900, 640);
    canvas.setDocument(&document);
    canvas.setImage(image);
    QSignalSpy ready(&canvas, &CanvasWidget::pyramidReady);
    QVERIFY(ready.wait());
    QFile json(dir + QStringLiteral("/shapes_0003.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonArray shapes = QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("shapes")).toArray();
    QVERIFY(!shapes.isEmpty());
    std::vector<Target> proposal;
    for (const QJsonValue &shape : shapes) {
        QPolygonF polygon;
        for (const QJsonValue &p : shape.toObject().value(QStringLiteral("points")).toArray())
            polygon << QPointF(p.toArray().at(0).toDouble() + 0.5, p.toArray().at(1).toDouble() + 0.5);
        Mask mask(image.width(), image.height());
        MaskPainter::polygon(mask, polygon, true);
        const int index = DocumentActions::newTarget(document, shape.toObject().value(QStringLiteral("label")).toString());
        DocumentActions::setMask(document, index, mask, QStringLiteral("demo"));
        // The "model" put each shape 3 pixels to the right.
        Target proposed;
        proposed.mask = Mask(image.width(), image.height());
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x + 3 < image.width(); ++x)
                proposed.mask.set(x + 3, y, mask.at(x, y));
        proposal.push_back(proposed);
    }
    document.setProposal(proposal);
    document.setCurrentTarget(0);
    ToolManager tools;
    tools.setActiveTool(QStringLiteral("polygon"));
    canvas.setTool(tools.activeTool());
    canvas.show();
    (void)QTest::qWaitForWindowExposed(&canvas);
    canvas.fitToWindow();
    for (QPointF p : {QPointF(88, 20), QPointF(118, 26), QPointF(112, 52)})
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, canvas.viewport().toWidget(p).toPoint());
    QMouseEvent move(QEvent::MouseMove, canvas.viewport().toWidget(QPointF(92, 46)), canvas.mapToGlobal(QPointF()), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&canvas, &move);
    const QImage shot = canvas.grab().toImage();
    canvas.setDiffView(true);
    const QImage diff = canvas.grab().toImage();
    QVERIFY(shot != diff);
    const QString out = qEnvironmentVariable("RS_SCREENSHOT_DIR");
    if (out.isEmpty())
        QSKIP("set RS_SCREENSHOT_DIR to save the screenshots");
    QVERIFY(QDir().mkpath(out));
    QVERIFY(shot.save(out + QStringLiteral("/canvas.png")));
    QVERIFY(diff.save(out + QStringLiteral("/canvas-diff.png")));
}

QTEST_MAIN(TestCanvasView)
#include "tst_canvasview.moc"
