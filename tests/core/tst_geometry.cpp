#include "core/geometry.h"

#include <QTest>

using namespace rs;

class TstGeometry : public QObject
{
    Q_OBJECT

private slots:
    void resizeLongestSide_data();
    void resizeLongestSide();
    void boxConversions();
    void scalePoint();
    void scaleCoordinateRounded_data();
    void scaleCoordinateRounded();
};

void TstGeometry::resizeLongestSide_data()
{
    QTest::addColumn<QSize>("input");
    QTest::addColumn<int>("longest");
    QTest::addColumn<QSize>("expected");
    // scale = L / max(w, h); side = int(side * scale + 0.5)
    QTest::newRow("640x480 -> 1024") << QSize(640, 480) << 1024 << QSize(1024, 768);
    QTest::newRow("portrait 480x640") << QSize(480, 640) << 1024 << QSize(768, 1024);
    // 333 * (1024/500) = 681.984 -> int(682.484) = 682
    QTest::newRow("500x333") << QSize(500, 333) << 1024 << QSize(1024, 682);
    // 1 * 1.024 + 0.5 = 1.524 -> 1: a thin image keeps one pixel
    QTest::newRow("1000x1") << QSize(1000, 1) << 1024 << QSize(1024, 1);
    // exactly .5 rounds up: 3 * (5/6) = 2.5 -> int(3.0) = 3
    QTest::newRow("half rounds up") << QSize(6, 3) << 5 << QSize(5, 3);
    // 7 * (4/10) = 2.8000000000000003 -> int(3.3) = 3
    QTest::newRow("downscale") << QSize(10, 7) << 4 << QSize(4, 3);
    QTest::newRow("already there") << QSize(1024, 1024) << 1024 << QSize(1024, 1024);
    QTest::newRow("invalid size") << QSize(0, 10) << 1024 << QSize();
    QTest::newRow("negative target") << QSize(10, 10) << -1 << QSize();
}

void TstGeometry::resizeLongestSide()
{
    QFETCH(QSize, input);
    QFETCH(int, longest);
    QFETCH(QSize, expected);
    QCOMPARE(rs::resizeLongestSide(input, longest), expected);
}

void TstGeometry::boxConversions()
{
    const QRectF box = boxFromXyxy({10.5, 20, 30.25, 60});
    QCOMPARE(box, QRectF(10.5, 20, 19.75, 40));
    QCOMPARE(boxToXywh(box), (std::array<double, 4>{10.5, 20, 19.75, 40}));
    QCOMPARE(boxToXyxy(boxFromXywh({1, 2, 3, 4})), (std::array<double, 4>{1, 2, 4, 6}));
}

void TstGeometry::scalePoint()
{
    // From a 1024×768 model frame back to a 640×480 image.
    QCOMPARE(rs::scalePoint(QPointF(512, 384), QSizeF(1024, 768), QSizeF(640, 480)), QPointF(320, 240));
}

void TstGeometry::scaleCoordinateRounded_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("expected");
    QTest::newRow("identity") << 100.0 << 1.0 << 100;
    QTest::newRow("840 -> 640") << 420.0 << 640.0 / 840.0 << 320;
    QTest::newRow("rounds half up") << 1.0 << 2.5 << 3;
    QTest::newRow("just below half") << 1.0 << 2.49 << 2;
}

void TstGeometry::scaleCoordinateRounded()
{
    QFETCH(double, value);
    QFETCH(double, factor);
    QFETCH(int, expected);
    QCOMPARE(rs::scaleCoordinateRounded(value, factor), expected);
}

QTEST_APPLESS_MAIN(TstGeometry)
#include "tst_geometry.moc"
