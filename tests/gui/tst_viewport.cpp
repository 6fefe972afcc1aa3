// Viewport: wheel zoom keeps the point under the mouse, fit centres and fills, 1:1, clamping, and
// the pyramid level chosen for each zoom (never magnifying a level, at most halving its detail).
#include "gui/canvas/viewport.h"

#include <QTest>

#include <cmath>

using namespace rs;

class TestViewport : public QObject
{
    Q_OBJECT

private slots:
    void zoomAtKeepsAnchor_data();
    void zoomAtKeepsAnchor();
    void zoomIsClamped_data();
    void zoomIsClamped();
    void fit_data();
    void fit();
    void oneToOne();
    void pyramidLevel_data();
    void pyramidLevel();
    void mapping();
};

void TestViewport::zoomAtKeepsAnchor_data()
{
    QTest::addColumn<double>("startZoom");
    QTest::addColumn<QPointF>("origin");
    QTest::addColumn<QPointF>("anchor");
    QTest::addColumn<double>("factor");
    QTest::newRow("in at corner") << 1.0 << QPointF(0, 0) << QPointF(0, 0) << 2.0;
    QTest::newRow("in off-centre") << 1.0 << QPointF(10, 20) << QPointF(123.5, 77.25) << 1.189207;
    QTest::newRow("out") << 4.0 << QPointF(300, 200) << QPointF(640, 10) << 0.5;
    QTest::newRow("far out") << 0.1 << QPointF(-500, -300) << QPointF(5, 399) << 0.8;
    QTest::newRow("deep in") << 16.0 << QPointF(1000.25, 2000.75) << QPointF(321, 123) << 1.9;
}

void TestViewport::zoomAtKeepsAnchor()
{
    QFETCH(double, startZoom);
    QFETCH(QPointF, origin);
    QFETCH(QPointF, anchor);
    QFETCH(double, factor);
    Viewport viewport;
    viewport.setZoom(startZoom, QPointF(0, 0));
    viewport.setOrigin(origin);
    const QPointF imagePoint = viewport.toImage(anchor);
    viewport.zoomAt(anchor, factor);
    QVERIFY(std::abs(viewport.zoom() - startZoom * factor) < 1e-12);
    const QPointF back = viewport.toWidget(imagePoint);
    QVERIFY2(std::abs(back.x() - anchor.x()) < 1e-9 && std::abs(back.y() - anchor.y()) < 1e-9,
             qPrintable(QStringLiteral("%1,%2").arg(back.x()).arg(back.y())));
}

void TestViewport::zoomIsClamped_data()
{
    QTest::addColumn<double>("requested");
    QTest::addColumn<double>("expected");
    QTest::newRow("above 32x") << 100.0 << 32.0;
    QTest::newRow("exactly 32x") << 32.0 << 32.0;
    QTest::newRow("below 1/64") << 0.001 << 1.0 / 64.0;
    QTest::newRow("inside") << 0.3 << 0.3;
}

void TestViewport::zoomIsClamped()
{
    QFETCH(double, requested);
    QFETCH(double, expected);
    Viewport viewport;
    viewport.setZoom(requested, QPointF(50, 50));
    QCOMPARE(viewport.zoom(), expected);
}

void TestViewport::fit_data()
{
    QTest::addColumn<QSize>("image");
    QTest::addColumn<QSize>("widget");
    QTest::addColumn<double>("zoom");
    QTest::newRow("wide image") << QSize(1000, 500) << QSize(400, 400) << 0.4;
    QTest::newRow("tall image") << QSize(500, 1000) << QSize(400, 400) << 0.4;
    QTest::newRow("small image grows") << QSize(100, 50) << QSize(800, 600) << 8.0;
    QTest::newRow("tiny image stops at 32x") << QSize(4, 4) << QSize(800, 600) << 32.0;
    QTest::newRow("100 MP") << QSize(10000, 10000) << QSize(1000, 800) << 0.08;
}

void TestViewport::fit()
{
    QFETCH(QSize, image);
    QFETCH(QSize, widget);
    QFETCH(double, zoom);
    Viewport viewport;
    viewport.fit(image, widget);
    QVERIFY(std::abs(viewport.zoom() - zoom) < 1e-12);
    // Centred: the image's centre on the widget's centre.
    const QPointF centre = viewport.toWidget(QPointF(image.width() / 2.0, image.height() / 2.0));
    QVERIFY(std::abs(centre.x() - widget.width() / 2.0) < 1e-9);
    QVERIFY(std::abs(centre.y() - widget.height() / 2.0) < 1e-9);
    // Inside the widget, touching two opposite sides unless the zoom was clamped.
    const QRectF shown = viewport.toWidget(QRectF(QPointF(0, 0), QSizeF(image)));
    QVERIFY(shown.left() >= -1e-9 && shown.top() >= -1e-9);
    QVERIFY(shown.right() <= widget.width() + 1e-9 && shown.bottom() <= widget.height() + 1e-9);
    if (zoom < Viewport::kMaxZoom)
        QVERIFY(std::abs(shown.width() - widget.width()) < 1e-9 || std::abs(shown.height() - widget.height()) < 1e-9);
}

void TestViewport::oneToOne()
{
    Viewport viewport;
    viewport.fit(QSize(1000, 1000), QSize(300, 200));
    const QPointF centreImage = viewport.toImage(QPointF(150, 100));
    viewport.setOneToOne(QSize(300, 200));
    QCOMPARE(viewport.zoom(), 1.0);
    QCOMPARE(viewport.toImage(QPointF(150, 100)), centreImage);
}

void TestViewport::pyramidLevel_data()
{
    QTest::addColumn<double>("zoom");
    QTest::addColumn<int>("levels");
    QTest::addColumn<int>("level");
    QTest::newRow("magnified") << 4.0 << 7 << 0;
    QTest::newRow("1:1") << 1.0 << 7 << 0;
    QTest::newRow("just below 1") << 0.99 << 7 << 0;
    QTest::newRow("half") << 0.5 << 7 << 1;
    QTest::newRow("below half") << 0.49 << 7 << 1;
    QTest::newRow("quarter") << 0.25 << 7 << 2;
    QTest::newRow("100 MP fit") << 0.08 << 7 << 3;
    QTest::newRow("1/64 clamped to the last level") << 1.0 / 64.0 << 4 << 3;
    QTest::newRow("one level only") << 0.1 << 1 << 0;
}

void TestViewport::pyramidLevel()
{
    QFETCH(double, zoom);
    QFETCH(int, levels);
    QFETCH(int, level);
    Viewport viewport;
    viewport.setZoom(zoom, QPointF());
    QCOMPARE(viewport.pyramidLevel(levels), level);
    // The level's scale is never below the zoom (no level is magnified) unless clamped.
    if (level < levels - 1)
        QVERIFY(1.0 / double(1 << level) >= zoom - 1e-12 || zoom >= 1.0);
    // ...and at most twice the zoom (no more than one halving of detail wasted).
    if (zoom < 1.0 && level < levels - 1)
        QVERIFY(1.0 / double(1 << level) < 2.0 * zoom + 1e-12);
}

void TestViewport::mapping()
{
    Viewport viewport;
    viewport.setZoom(2.0, QPointF());
    viewport.setOrigin(QPointF(10, 20));
    QCOMPARE(viewport.toImage(QPointF(0, 0)), QPointF(10, 20));
    QCOMPARE(viewport.toWidget(QPointF(15, 25)), QPointF(10, 10));
    QCOMPARE(viewport.toWidget(QRectF(10, 20, 5, 5)), QRectF(0, 0, 10, 10));
    QCOMPARE(viewport.visibleImageRect(QSize(100, 50)), QRectF(10, 20, 50, 25));
    viewport.pan(QPointF(20, -10));
    QCOMPARE(viewport.origin(), QPointF(0, 25));
}

QTEST_APPLESS_MAIN(TestViewport)
#include "tst_viewport.moc"
