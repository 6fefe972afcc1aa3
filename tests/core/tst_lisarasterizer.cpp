#include "core/labelledmask.h"
#include "core/lisarasterizer.h"
#include "core/numpyargsort.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <limits>

using namespace rs;

namespace {

// A label image from rows of '.' (0), '#' (1) and 'x' (255).
QStringList toArt(const LabelledMask &labels)
{
    QStringList rows;
    for (int y = 0; y < labels.height(); ++y) {
        QString row;
        for (int x = 0; x < labels.width(); ++x) {
            const std::uint8_t v = labels.valueAt(x, y);
            row += v == 0 ? QLatin1Char('.') : v == 1 ? QLatin1Char('#') : QLatin1Char('x');
        }
        rows << row;
    }
    return rows;
}

LabelMeShape shape(const QString &label, const QPolygonF &points)
{
    return LabelMeShape { label, points };
}

// Corners of the axis-aligned rectangle [x0, x1] × [y0, y1] (inclusive pixel corners), LabelMe order.
QPolygonF rect(double x0, double y0, double x1, double y1)
{
    return QPolygonF { QPointF(x0, y0), QPointF(x1, y0), QPointF(x1, y1), QPointF(x0, y1) };
}

using Shapes = std::vector<LabelMeShape>;

} // namespace

Q_DECLARE_METATYPE(LisaRasterizer::Role)

class TstLisaRasterizer : public QObject
{
    Q_OBJECT

private slots:
    void roleOf_data();
    void roleOf();
    void pixelVertices_data();
    void pixelVertices();
    void shapeArea_data();
    void shapeArea();
    void rasterize_data();
    void rasterize();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void matchesLisaGolden_data();
    void matchesLisaGolden();
    void numpyArgsortMatchesNumpy_data();
    void numpyArgsortMatchesNumpy();
    void numpyArgsortHeapsortPath();
    void labelledMaskBytes();
    void labelledMaskRejects_data();
    void labelledMaskRejects();
    void shapesFromJson_data();
    void shapesFromJson();
};

void TstLisaRasterizer::roleOf_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<LisaRasterizer::Role>("role");
    using R = LisaRasterizer::Role;
    QTest::newRow("target") << "target" << R::Target;
    QTest::newRow("flag") << "flag" << R::Skipped;
    QTest::newRow("FLAG, case-insensitive") << "FLAG" << R::Skipped;
    // "flag" is an equality test, not a substring test.
    QTest::newRow("flags is a target") << "flags" << R::Target;
    QTest::newRow("flag with a space is a target") << "flag " << R::Target;
    QTest::newRow("Ignore_region") << "Ignore_region" << R::Ignore;
    QTest::newRow("IGNORE inside") << "please IGNORE me" << R::Ignore;
    QTest::newRow("ignore beats flag wording") << "ignored flag" << R::Ignore;
    QTest::newRow("empty label is a target") << "" << R::Target;
}

void TstLisaRasterizer::roleOf()
{
    QFETCH(QString, label);
    QFETCH(LisaRasterizer::Role, role);
    QCOMPARE(LisaRasterizer::roleOf(label), role);
}

void TstLisaRasterizer::pixelVertices_data()
{
    QTest::addColumn<QPointF>("point");
    QTest::addColumn<QPoint>("vertex");
    // np.array(p, dtype=np.int32): truncation toward zero, then wrap modulo 2^32 (numpy 1.24.2, checked).
    QTest::newRow("2.9 -> 2, 3.999 -> 3") << QPointF(2.9, 3.999) << QPoint(2, 3);
    QTest::newRow("-0.5 -> 0, -0.99 -> 0") << QPointF(-0.5, -0.99) << QPoint(0, 0);
    QTest::newRow("-1.5 -> -1, -2.7 -> -2") << QPointF(-1.5, -2.7) << QPoint(-1, -2);
    QTest::newRow("integers unchanged") << QPointF(7, 0) << QPoint(7, 0);
    // 1e10 mod 2^32 = 10000000000 - 2 * 4294967296 = 1410065408.
    QTest::newRow("1e10 wraps") << QPointF(1e10, -1e10) << QPoint(1410065408, -1410065408);
    // 2^31 = 2147483648 wraps to -2^31; 2^32 + 7 wraps to 7.
    QTest::newRow("2^31 wraps") << QPointF(2147483648.0, 4294967303.0) << QPoint(-2147483647 - 1, 7);
    QTest::newRow("1e300 wraps to 0") << QPointF(1e300, 0) << QPoint(0, 0);
}

void TstLisaRasterizer::pixelVertices()
{
    QFETCH(QPointF, point);
    QFETCH(QPoint, vertex);
    const Expected<QPolygon> vertices = LisaRasterizer::pixelVertices(QPolygonF { point });
    QVERIFY2(vertices.hasValue(), qPrintable(vertices.error()));
    QCOMPARE(vertices->first(), vertex);
}

void TstLisaRasterizer::shapeArea_data()
{
    // QList<QPointF>, not QPolygonF: a QtGui metatype is not usable without a QGuiApplication.
    QTest::addColumn<QList<QPointF>>("points");
    QTest::addColumn<QSize>("imageSize");
    QTest::addColumn<qsizetype>("area");

    // Rows y=1..4 hold x in [1,4], [1,3], [1,2], [1,1]: 4 + 3 + 2 + 1 = 10. The diagonal's pixels
    // (4,1) (3,2) (2,3) (1,4) come from the 1-px outline; a centre-sampling filler would give 6.
    QTest::newRow("triangle with outline")
        << QList<QPointF> { { 1, 1 }, { 4, 1 }, { 1, 4 } } << QSize(6, 6) << qsizetype(10);
    // Inclusive corners: (3 - 1 + 1) * (2 - 1 + 1) = 3 * 2 = 6, not the geometric area 2.
    QTest::newRow("rectangle 3x2 pixels") << QList<QPointF>(rect(1, 1, 3, 2)) << QSize(6, 6) << qsizetype(6);
    QTest::newRow("one point is one pixel") << QList<QPointF> { { 1, 1 } } << QSize(6, 6) << qsizetype(1);
    // Bresenham from (0,0) to (3,2): (0,0) (1,1) (2,1) (3,2) = 4 pixels.
    QTest::newRow("two points are a segment")
        << QList<QPointF> { { 0, 0 }, { 3, 2 } } << QSize(6, 6) << qsizetype(4);
    // Clipped to x in [0,2], y in [0,1]: 3 * 2 = 6.
    QTest::newRow("partly outside") << QList<QPointF>(rect(-5, -5, 2, 1)) << QSize(6, 6) << qsizetype(6);
    QTest::newRow("fully outside") << QList<QPointF> { { 10, 10 }, { 12, 10 }, { 12, 12 } } << QSize(6, 6)
                                   << qsizetype(0);
    // The triangle covers the whole 6x6 image: 36 (same in LISA's cv2 run).
    QTest::newRow("huge coordinates")
        << QList<QPointF> { { -2e9, -5 }, { 2e9, 3 }, { 5, 2e9 } } << QSize(6, 6) << qsizetype(36);
}

void TstLisaRasterizer::shapeArea()
{
    QFETCH(QList<QPointF>, points);
    QFETCH(QSize, imageSize);
    QFETCH(qsizetype, area);
    const Expected<QPolygon> vertices = LisaRasterizer::pixelVertices(QPolygonF(points));
    QVERIFY(vertices.hasValue());
    QCOMPARE(LisaRasterizer::shapeArea(*vertices, imageSize), area);
}

void TstLisaRasterizer::rasterize_data()
{
    QTest::addColumn<Shapes>("shapes");
    QTest::addColumn<QSize>("imageSize");
    QTest::addColumn<QStringList>("art");

    // Every expectation below was also produced by LISA's get_mask_from_json (numpy 1.24.2, OpenCV 4.6).

    // (2.9,1.2)-(4.9,3.7) truncates to (2,1)-(4,3); rounding would give (3,1)-(5,4).
    QTest::newRow("truncation, not rounding")
        << Shapes { shape("target", { { 2.9, 1.2 }, { 4.9, 1.2 }, { 4.9, 3.7 }, { 2.9, 3.7 } }) }
        << QSize(7, 5) << QStringList { ".......", "..###..", "..###..", "..###..", "......." };
    // Areas: ignore 2x2 = 4, target 6x5 = 30. Largest first: the target, then the ignore on top.
    QTest::newRow("ignore inside target wins")
        << Shapes { shape("ignore", rect(2, 1, 3, 2)), shape("target", rect(0, 0, 5, 4)) } << QSize(7, 5)
        << QStringList { "######.", "##xx##.", "##xx##.", "######.", "######." };
    QTest::newRow("target inside ignore wins")
        << Shapes { shape("target", rect(2, 1, 3, 2)), shape("Ignore_region", rect(0, 0, 5, 4)) }
        << QSize(7, 5) << QStringList { "xxxxxx.", "xx##xx.", "xx##xx.", "xxxxxx.", "xxxxxx." };
    QTest::newRow("flag skipped") << Shapes { shape("FLAG", rect(0, 0, 4, 4)),
                                              shape("target", { { 1, 1 }, { 3, 1 }, { 1, 3 } }) }
                                  << QSize(5, 5)
                                  << QStringList { ".....", ".###.", ".##..", ".#...", "....." };
    // Equal areas (3x2 = 6 each), 2 shapes: argsort is stable below 17 elements, [::-1] paints the later
    // shape first, so the earlier shape in the file ends on top of the overlap (1,1)-(2,1).
    QTest::newRow("tie: earlier target on top")
        << Shapes { shape("target", rect(0, 0, 2, 1)), shape("ignore", rect(1, 1, 3, 2)) } << QSize(5, 4)
        << QStringList { "###..", "###x.", ".xxx.", "....." };
    QTest::newRow("tie: earlier ignore on top")
        << Shapes { shape("ignore", rect(1, 1, 3, 2)), shape("target", rect(0, 0, 2, 1)) } << QSize(5, 4)
        << QStringList { "###..", "#xxx.", ".xxx.", "....." };

    // 20 one-pixel shapes (all area 1). numpy's argsort of 20 equal values is
    // [0, 17, 16, ..., 2, 1, 18, 19], so the painting order is 19, 18, 1, 2, ..., 17, 0: shape 17
    // (ignore) is painted after shape 1 (target) on the shared pixel (7,3) and wins. A stable sort would
    // paint 1 last and show '#'.
    {
        Shapes shapes;
        for (int k = 0; k < 20; ++k)
            shapes.push_back(shape("target", { QPointF(k % 8, k / 8) }));
        shapes[1] = shape("target", { QPointF(7, 3) });
        shapes[17] = shape("ignore", { QPointF(7, 3) });
        QTest::newRow("tie among 20 shapes: numpy's unstable order")
            << shapes << QSize(8, 4) << QStringList { "#.######", "########", "#.##....", ".......x" };
    }
    QTest::newRow("negative and outside coordinates clipped")
        << Shapes { shape("target", { { -10, -10 }, { 20, -10 }, { -10, 20 } }),
                    shape("target", rect(10, 10, 12, 12)) }
        << QSize(5, 5) << QStringList { "#####", "#####", "#####", "#####", "#####" };
    QTest::newRow("one and two points drawn as LISA draws them")
        << Shapes { shape("target", { { 1, 1 } }), shape("ignore", { { 0, 3 }, { 4, 4 } }) } << QSize(5, 5)
        << QStringList { ".....", ".#...", ".....", "xxx..", "...xx" };
    QTest::newRow("no shapes") << Shapes {} << QSize(3, 2) << QStringList { "...", "..." };
    // A flag shape is skipped before its points are read, so its NaN is harmless (as in LISA).
    QTest::newRow("NaN inside a flag shape is never read")
        << Shapes { shape("flag", { { std::nan(""), 0 } }), shape("target", { { 0, 0 } }) } << QSize(2, 1)
        << QStringList { "#." };
}

void TstLisaRasterizer::rasterize()
{
    QFETCH(Shapes, shapes);
    QFETCH(QSize, imageSize);
    QFETCH(QStringList, art);
    const Expected<LabelledMask> labels = LisaRasterizer::rasterize(shapes, imageSize);
    QVERIFY2(labels.hasValue(), qPrintable(labels.error()));
    QCOMPARE(labels->size(), imageSize);
    QCOMPARE(toArt(*labels), art);
}

void TstLisaRasterizer::rejectsBadInput_data()
{
    QTest::addColumn<Shapes>("shapes");
    QTest::addColumn<QSize>("imageSize");
    QTest::addColumn<QString>("errorContains");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("NaN names shape and point")
        << Shapes { shape("target", rect(0, 0, 1, 1)), shape("target", { { 0, 0 }, { nan, 1 }, { 2, 2 } }) }
        << QSize(4, 4) << QString("shape 1 (\"target\"): point 1 is not a finite number");
    QTest::newRow("infinity") << Shapes { shape("ignore", { { 0, 0 }, { 1, 1 }, { 2, -inf } }) }
                              << QSize(4, 4)
                              << QString("shape 0 (\"ignore\"): point 2 is not a finite number");
    QTest::newRow("no points") << Shapes { shape("target", {}) } << QSize(4, 4)
                               << QString("shape 0 (\"target\"): shape has no points");
    QTest::newRow("empty image") << Shapes { shape("target", rect(0, 0, 1, 1)) } << QSize(0, 4)
                                 << QString("image size 0x4 is empty");
}

void TstLisaRasterizer::rejectsBadInput()
{
    QFETCH(Shapes, shapes);
    QFETCH(QSize, imageSize);
    QFETCH(QString, errorContains);
    const Expected<LabelledMask> labels = LisaRasterizer::rasterize(shapes, imageSize);
    QVERIFY(!labels.hasValue());
    QVERIFY2(labels.error().contains(errorContains), qPrintable(labels.error()));
}

void TstLisaRasterizer::matchesLisaGolden_data()
{
    QTest::addColumn<Shapes>("shapes");
    QTest::addColumn<QSize>("imageSize");
    QTest::addColumn<QStringList>("art");
    // Label images made by LISA's own get_mask_from_json (see tests/data/lisa/README.md).
    QFile file(QStringLiteral(RS_TEST_DATA_DIR "/lisa/rasterize_golden.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray cases = QJsonDocument::fromJson(file.readAll()).object().value("cases").toArray();
    QCOMPARE(cases.size(), 30);
    for (qsizetype c = 0; c < cases.size(); ++c) {
        const QJsonObject object = cases.at(c).toObject();
        Shapes shapes;
        for (const QJsonValue &value : object.value("shapes").toArray()) {
            QPolygonF points;
            for (const QJsonValue &point : value.toObject().value("points").toArray())
                points << QPointF(point.toArray().at(0).toDouble(), point.toArray().at(1).toDouble());
            shapes.push_back(shape(value.toObject().value("label").toString(), points));
        }
        QStringList art;
        for (const QJsonValue &row : object.value("mask").toArray())
            art << row.toString();
        QTest::addRow("case %d (%d shapes)", int(c), int(shapes.size()))
            << shapes << QSize(object.value("width").toInt(), object.value("height").toInt()) << art;
    }
}

void TstLisaRasterizer::matchesLisaGolden()
{
    rasterize();
}

void TstLisaRasterizer::numpyArgsortMatchesNumpy_data()
{
    QTest::addColumn<std::vector<std::uint64_t>>("values");
    QTest::addColumn<std::vector<int>>("expected");
    // Expected permutations are np.argsort(np.array(values, dtype=np.uint64)) from numpy 1.24.2.
    QTest::newRow("empty") << std::vector<std::uint64_t> {} << std::vector<int> {};
    QTest::newRow("4 values, stable ties")
        << std::vector<std::uint64_t> { 5, 5, 5, 3 } << std::vector<int> { 3, 0, 1, 2 };
    QTest::newRow("16 equal: insertion sort, stable")
        << std::vector<std::uint64_t>(16, 9)
        << std::vector<int> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    QTest::newRow("17 equal: one partition, unstable")
        << std::vector<std::uint64_t>(17, 9)
        << std::vector<int> { 0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16 };
    QTest::newRow("20 equal") << std::vector<std::uint64_t>(
        20, 7) << std::vector<int> { 0, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 18, 19 };
    QTest::newRow("24 values with ties") << std::vector<std::uint64_t> { 3, 1, 3, 0, 2, 3, 1, 1, 0, 3, 2, 2,
                                                                         3, 0, 1, 3, 2, 0, 1, 3, 2, 2, 0, 3 }
                                         << std::vector<int> { 8, 3,  13, 17, 22, 1, 14, 18, 6, 7, 11, 20,
                                                               4, 21, 10, 16, 19, 0, 12, 9,  5, 2, 15, 23 };
}

void TstLisaRasterizer::numpyArgsortMatchesNumpy()
{
    QFETCH(std::vector<std::uint64_t>, values);
    QFETCH(std::vector<int>, expected);
    QCOMPARE(numpyArgsort(values), expected);
}

void TstLisaRasterizer::numpyArgsortHeapsortPath()
{
    // Organ pipe 0..249, 250..0 (501 values) exhausts numpy's depth limit 2*floor(log2 501) = 16 and
    // falls back to heapsort; the expected file is numpy 1.24.2's np.argsort of the same array.
    std::vector<std::uint64_t> values;
    for (int i = 0; i < 250; ++i)
        values.push_back(std::uint64_t(i));
    for (int i = 250; i >= 0; --i)
        values.push_back(std::uint64_t(i));
    QFile file(QStringLiteral(RS_TEST_DATA_DIR "/numpy/argsort_organpipe_501.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    std::vector<int> expected;
    for (const QByteArray &token : file.readAll().simplified().split(' '))
        expected.push_back(token.toInt());
    QCOMPARE(expected.size(), values.size());
    QCOMPARE(numpyArgsort(values), expected);
}

void TstLisaRasterizer::labelledMaskBytes()
{
    const std::uint8_t bytes[] = { 0, 1, 255, 0, /* padding */ 7, 1, 1, 0, 255, /* padding */ 9 };
    const Expected<LabelledMask> labels = LabelledMask::fromBytes(bytes, 4, 2, 5);
    QVERIFY2(labels.hasValue(), qPrintable(labels.error()));
    QCOMPARE(labels->target().area(), qsizetype(3));
    QCOMPARE(labels->ignore().area(), qsizetype(2));
    QCOMPARE(labels->nonZero().area(), qsizetype(5));
    QCOMPARE(labels->toBytes(), (std::vector<std::uint8_t> { 0, 1, 255, 0, 1, 1, 0, 255 }));
    const cv::Mat mat = labels->toMat();
    QCOMPARE(mat.at<std::uint8_t>(1, 3), std::uint8_t(255));
    const Expected<LabelledMask> again = LabelledMask::fromMat(mat);
    QVERIFY(again.hasValue());
    QCOMPARE(*again, *labels);
}

void TstLisaRasterizer::labelledMaskRejects_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("value 2") << 0 << QString("label value 2 at (1, 0) is not 0, 1 or 255");
    QTest::newRow("overlap") << 1 << QString("share 1 pixel(s)");
    QTest::newRow("size mismatch") << 2 << QString("target mask is 2x2 but ignore mask is 3x2");
    QTest::newRow("3-channel mat") << 3 << QString("8-bit single-channel");
}

void TstLisaRasterizer::labelledMaskRejects()
{
    QFETCH(int, kind);
    QFETCH(QString, errorContains);
    Expected<LabelledMask> labels = LabelledMask();
    if (kind == 0) {
        const std::uint8_t bytes[] = { 0, 2 };
        labels = LabelledMask::fromBytes(bytes, 2, 1, 2);
    } else if (kind == 1) {
        Mask target(2, 2), ignore(2, 2);
        target.set(1, 1, true);
        ignore.set(1, 1, true);
        labels = LabelledMask::fromMasks(target, ignore);
    } else if (kind == 2) {
        labels = LabelledMask::fromMasks(Mask(2, 2), Mask(3, 2));
    } else {
        labels = LabelledMask::fromMat(cv::Mat(2, 2, CV_8UC3, cv::Scalar(0)));
    }
    QVERIFY(!labels.hasValue());
    QVERIFY2(labels.error().contains(errorContains), qPrintable(labels.error()));
}

void TstLisaRasterizer::shapesFromJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("shapes");
    QTest::addColumn<QString>("error");
    QTest::newRow("two shapes") << QByteArray(R"([{"label": "target", "points": [[1, 2], [3.5, 4], [5, 6]]},
                                                  {"label": "ignore", "points": [[0, 0]], "shape_type": "polygon"}])")
                                << 2 << QString();
    QTest::newRow("empty list") << QByteArray("[]") << 0 << QString();
    QTest::newRow("not an object") << QByteArray(R"([{"label": "a", "points": []}, 7])") << 0
                                   << QString("shapes[1] is not an object");
    QTest::newRow("point of three") << QByteArray(R"([{"label": "a", "points": [[1, 2], [1, 2, 3]]}])") << 0
                                    << QString("shapes[0].points[1] is not an [x, y] pair of numbers");
    QTest::newRow("string coordinate") << QByteArray(R"([{"label": "a", "points": [["1", 2]]}])") << 0
                                       << QString("shapes[0].points[0] is not an [x, y] pair of numbers");
}

void TstLisaRasterizer::shapesFromJson()
{
    QFETCH(QByteArray, json);
    QFETCH(int, shapes);
    QFETCH(QString, error);
    const Expected<std::vector<LabelMeShape>> parsed = LabelMeShape::listFromJson(QJsonDocument::fromJson(json).array());
    if (!error.isEmpty()) {
        QCOMPARE(parsed.error(), error);
        return;
    }
    QVERIFY2(parsed.hasValue(), qPrintable(parsed.error()));
    QCOMPARE(int(parsed->size()), shapes);
    if (shapes == 2) {
        QCOMPARE(parsed->at(0).label, QStringLiteral("target"));
        QCOMPARE(parsed->at(0).points, QPolygonF({QPointF(1, 2), QPointF(3.5, 4), QPointF(5, 6)}));
        QCOMPARE(parsed->at(1).points.size(), 1);
    }
}

QTEST_APPLESS_MAIN(TstLisaRasterizer)
#include "tst_lisarasterizer.moc"
