// MaskDiff against hand-counted pixels and boundary distances.
#include "core/maskdiff.h"

#include <QTest>

#include <cmath>

using namespace rs;

class TestMaskDiff : public QObject
{
    Q_OBJECT

private slots:
    void shiftedSquare();
    void identicalAndEmpty();
    void mismatchedSizes();
};

// A 10 x 10 square and the same square 2 px to the right: 20 pixels added, 20 removed, IoU 80/120.
// Boundaries: the vertical edges are 2 px apart; top and bottom edges overlap except 2 px at each end.
void TestMaskDiff::shiftedSquare()
{
    Mask reference(30, 20), mask(30, 20);
    reference.fillRect(QRect(5, 5, 10, 10), true);
    mask.fillRect(QRect(7, 5, 10, 10), true);
    const auto diff = MaskDiff::compare(reference, mask);
    QVERIFY(diff);
    QCOMPARE(diff->added, qint64(20));
    QCOMPARE(diff->removed, qint64(20));
    QCOMPARE(diff->iou, 80.0 / 120.0);
    QCOMPARE(diff->maxBoundaryDistance, 2.0);
    // Each boundary has 36 pixels. From the reference's: top and bottom rows 2 + 1 + 0… = 3 each; left
    // column (8 px) 2 each = 16; right column x = 14: 1 next to the other's top/bottom rows (y = 6, 13),
    // else 2 (the other's right edge) = 1 + 2·6 + 1 = 14. Total 36, the same from the other side: mean 1.
    QVERIFY2(std::abs(diff->meanBoundaryDistance - 72.0 / 72.0) < 1e-6,
             qPrintable(QString::number(diff->meanBoundaryDistance, 'g', 10)));
}

void TestMaskDiff::identicalAndEmpty()
{
    Mask a(8, 8);
    a.fillRect(QRect(1, 1, 4, 4), true);
    const auto same = MaskDiff::compare(a, a);
    QCOMPARE(same->added + same->removed, qint64(0));
    QCOMPARE(same->iou, 1.0);
    QCOMPARE(same->meanBoundaryDistance, 0.0);
    const auto bothEmpty = MaskDiff::compare(Mask(8, 8), Mask(8, 8));
    QCOMPARE(bothEmpty->iou, 1.0);
    const auto oneEmpty = MaskDiff::compare(a, Mask(8, 8));
    QCOMPARE(oneEmpty->removed, qint64(16));
    QCOMPARE(oneEmpty->iou, 0.0);
    QVERIFY(std::isinf(oneEmpty->maxBoundaryDistance));
}

void TestMaskDiff::mismatchedSizes()
{
    const auto diff = MaskDiff::compare(Mask(4, 4), Mask(5, 4));
    QVERIFY(!diff);
    QCOMPARE(diff.error(), QStringLiteral("cannot compare masks of 4x4 and 5x4"));
}

QTEST_APPLESS_MAIN(TestMaskDiff)
#include "tst_maskdiff.moc"
