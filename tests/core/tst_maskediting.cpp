// The editor's pixel algorithms: MaskPainter's coverage rules, MaskPatch, the magic wand's tolerance
// and GrabCut on a synthetic image.
#include "core/grabcutsegmenter.h"
#include "core/magicwand.h"
#include "core/maskpainter.h"
#include "core/maskpatch.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace rs;

class TestMaskEditing : public QObject
{
    Q_OBJECT

private slots:
    void dab_data();
    void dab();
    void rectangleUsesPixelCentres_data();
    void rectangleUsesPixelCentres();
    void polygonWithHoleBySubtracting();
    void patchRoundTrip();
    void magicWandTolerance_data();
    void magicWandTolerance();
    void grabCutSeparatesTheObject();
};

void TestMaskEditing::dab_data()
{
    QTest::addColumn<QPointF>("centre");
    QTest::addColumn<double>("radius");
    QTest::addColumn<int>("area");
    QTest::newRow("half pixel") << QPointF(5.5, 5.5) << 0.5 << 1;
    QTest::newRow("radius 1 on a centre") << QPointF(5.5, 5.5) << 1.0 << 5;  // the pixel and its 4 neighbours
    QTest::newRow("radius 1.5") << QPointF(5.5, 5.5) << 1.5 << 9;             // 3x3 (corners at 1.414)
    QTest::newRow("radius 2 on a corner") << QPointF(5.0, 5.0) << 2.0 << 12;   // centres at distance ≤ 2 of a grid corner
    QTest::newRow("clipped at the border") << QPointF(0.5, 0.5) << 1.0 << 3;
}

void TestMaskEditing::dab()
{
    QFETCH(QPointF, centre);
    QFETCH(double, radius);
    QFETCH(int, area);
    Mask mask(20, 20);
    const QRect changed = MaskPainter::dab(mask, centre, radius, true);
    QCOMPARE(mask.area(), qsizetype(area));
    QCOMPARE(changed, mask.boundingRect());
    MaskPainter::dab(mask, centre, radius, false);
    QVERIFY(mask.isEmpty());
}

void TestMaskEditing::rectangleUsesPixelCentres_data()
{
    QTest::addColumn<QRectF>("rect");
    QTest::addColumn<QRect>("pixels");
    QTest::newRow("integral") << QRectF(2, 3, 4, 2) << QRect(2, 3, 4, 2);
    QTest::newRow("half open") << QRectF(2.4, 3.6, 2.2, 1.0) << QRect(2, 4, 3, 1);  // centres 2.5..4.5 and 4.5
    QTest::newRow("dragged backwards") << QRectF(QPointF(6, 5), QPointF(2, 3)) << QRect(2, 3, 4, 2);
    QTest::newRow("outside") << QRectF(30, 30, 5, 5) << QRect();
}

void TestMaskEditing::rectangleUsesPixelCentres()
{
    QFETCH(QRectF, rect);
    QFETCH(QRect, pixels);
    Mask mask(20, 20);
    QCOMPARE(MaskPainter::rectangle(mask, rect, true), pixels);
    QCOMPARE(mask.boundingRect(), pixels);
    QCOMPARE(mask.area(), qsizetype(pixels.width()) * pixels.height());
}

void TestMaskEditing::polygonWithHoleBySubtracting()
{
    Mask mask(40, 40);
    MaskPainter::polygon(mask, QPolygonF{QPointF(5, 5), QPointF(35, 5), QPointF(35, 35), QPointF(5, 35)}, true);
    QCOMPARE(mask.area(), qsizetype(900));
    MaskPainter::polygon(mask, QPolygonF{QPointF(15, 15), QPointF(25, 15), QPointF(25, 25), QPointF(15, 25)}, false);
    QCOMPARE(mask.area(), qsizetype(800));
    QVERIFY(!mask.at(20, 20));
    QVERIFY(mask.at(10, 20));
    QCOMPARE(mask.filledHoles().area(), qsizetype(900));
}

void TestMaskEditing::patchRoundTrip()
{
    Mask before(50, 30);
    before.fillRect(QRect(0, 0, 10, 10), true);
    Mask after = before;
    after.fillRect(QRect(20, 5, 6, 3), true);
    after.set(2, 2, false);
    const MaskPatch patch = MaskPatch::between(before, after);
    QCOMPARE(patch.rect(), QRect(QPoint(2, 2), QPoint(25, 7)));
    Mask target = before;
    patch.applyAfter(target);
    QCOMPARE(target, after);
    patch.applyBefore(target);
    QCOMPARE(target, before);
    QVERIFY(MaskPatch::between(before, before).isEmpty());
}

void TestMaskEditing::magicWandTolerance_data()
{
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<int>("area");
    // Left half grey 100, a 10-px band of grey 110, the rest grey 200.
    QTest::newRow("exact") << 0 << 20 * 20;
    QTest::newRow("joins the band") << 10 << 30 * 20;
    QTest::newRow("everything") << 100 << 60 * 20;
}

void TestMaskEditing::magicWandTolerance()
{
    QFETCH(int, tolerance);
    QFETCH(int, area);
    QImage image(60, 20, QImage::Format_RGB888);
    image.fill(QColor(200, 200, 200));
    QPainter painter(&image);
    painter.fillRect(QRect(0, 0, 20, 20), QColor(100, 100, 100));
    painter.fillRect(QRect(20, 0, 10, 20), QColor(110, 110, 110));
    painter.end();
    const Mask selected = MagicWand::select(image, QPoint(5, 5), tolerance);
    QCOMPARE(selected.area(), qsizetype(area));
    QVERIFY(MagicWand::select(image, QPoint(-1, 5), tolerance).isEmpty());
}

void TestMaskEditing::grabCutSeparatesTheObject()
{
    // A red disc on a noisy green/blue background.
    QImage image(160, 120, QImage::Format_RGB888);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixelColor(x, y, QColor(20 + (x * 7 + y * 3) % 30, 120 + (x * 13) % 40, 90 + (y * 11) % 50));
    Mask disc(160, 120);
    MaskPainter::dab(disc, QPointF(80, 60), 25.0, true);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (disc.at(x, y))
                image.setPixelColor(x, y, QColor(220 - (x % 20), 30 + (y % 15), 40));
    GrabCutSegmenter segmenter(image);
    const Mask found = segmenter.segment(QRect(50, 30, 60, 60));
    const double iou = double(found.intersectionArea(disc)) / double(found.united(disc).area());
    QVERIFY2(iou > 0.95, qPrintable(QString::number(iou)));
    // Strokes win: pixels marked foreground outside the box join, and the object stays. (A background
    // stroke through the object teaches GrabCut's background model the object's colour, so GrabCut
    // then drops the whole object: that is the algorithm, not something to test for.)
    Mask foreground(160, 120);
    MaskPainter::dab(foreground, QPointF(118, 60), 2.0, true);
    const Mask refined = segmenter.refine(foreground, Mask(160, 120));
    QVERIFY(refined.at(118, 60));
    QVERIFY(refined.at(80, 60));
    QVERIFY(refined.area() >= found.area());
    QVERIFY(segmenter.segment(QRect(0, 0, 2, 2)).isEmpty());
}

QTEST_GUILESS_MAIN(TestMaskEditing)
#include "tst_maskediting.moc"
