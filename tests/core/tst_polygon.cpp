#include "core/polygon.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace rs;

class TstPolygon : public QObject
{
    Q_OBJECT

private slots:
    void fromFlat_data();
    void fromFlat();
    void toFlatRoundTrip();
};

void TstPolygon::fromFlat_data()
{
    QTest::addColumn<std::vector<double>>("xy");
    QTest::addColumn<int>("points");
    QTest::addColumn<QString>("errorContains");

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("triangle") << std::vector<double>{0, 0, 4, 0, 0, 3} << 3 << QString();
    QTest::newRow("empty") << std::vector<double>{} << 0 << QString("0 point(s)");
    QTest::newRow("two points") << std::vector<double>{0, 0, 4, 0} << 0 << QString("2 point(s)");
    QTest::newRow("odd count") << std::vector<double>{0, 0, 4, 0, 1} << 0 << QString("odd number of coordinates (5)");
    QTest::newRow("NaN") << std::vector<double>{0, 0, nan, 0, 0, 3} << 0 << QString("point 1 is not a finite number");
    QTest::newRow("infinity") << std::vector<double>{0, 0, 4, 0, 0, inf} << 0 << QString("point 2 is not a finite number");
}

void TstPolygon::fromFlat()
{
    QFETCH(std::vector<double>, xy);
    QFETCH(int, points);
    QFETCH(QString, errorContains);

    const Expected<QPolygonF> polygon = polygonFromFlat(xy);
    if (errorContains.isEmpty()) {
        QVERIFY2(polygon.hasValue(), qPrintable(polygon.error()));
        QCOMPARE(polygon->size(), points);
    } else {
        QVERIFY(!polygon.hasValue());
        QVERIFY2(polygon.error().contains(errorContains), qPrintable(polygon.error()));
    }
}

void TstPolygon::toFlatRoundTrip()
{
    const std::vector<double> xy{1.5, 2.25, 10, 2, 7.125, 9};
    const Expected<QPolygonF> polygon = polygonFromFlat(xy);
    QVERIFY(polygon.hasValue());
    QCOMPARE(polygonToFlat(*polygon), xy);
}

QTEST_APPLESS_MAIN(TstPolygon)
#include "tst_polygon.moc"
