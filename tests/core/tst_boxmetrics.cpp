#include "core/boxaccuracy.h"
#include "core/boxiou.h"

#include <QTest>

#include <cmath>

using namespace rs;

Q_DECLARE_METATYPE(BoxXyxy)

class TstBoxMetrics : public QObject
{
    Q_OBJECT

private slots:
    void boxIoUVariants_data();
    void boxIoUVariants();
    void nextChatRecStrict_data();
    void nextChatRecStrict();
    void visionReasonerAnyBox();
    void accuracyCounts();
};

void TstBoxMetrics::boxIoUVariants_data()
{
    QTest::addColumn<BoxXyxy>("a");
    QTest::addColumn<BoxXyxy>("b");
    QTest::addColumn<double>("continuous");
    QTest::addColumn<double>("inclusive");
    QTest::addColumn<double>("inclusiveClamped");

    // Continuous: inter 5*5 = 25, union 100 + 100 - 25 = 175 → 1/7.
    // Inclusive (+1): inter (10-5+1)^2 = 36, areas 11^2 = 121 → 36 / (242 - 36) = 36/206.
    QTest::newRow("overlapping squares")
        << BoxXyxy { 0, 0, 10, 10 } << BoxXyxy { 5, 5, 15, 15 } << 1.0 / 7.0 << 36.0 / 206.0 << 36.0 / 206.0;
    // Sharing the column x = 4 only. Continuous: width 0 → 0. Seg-Zero's reward needs x1 < x2 strictly,
    // so 4 < 4 fails → 0. VisionReasoner's batch_iou clamps: (4-4+1) * (4-0+1) = 5; areas 25 + 25 →
    // 5 / 45.
    QTest::newRow("touching column") << BoxXyxy { 0, 0, 4, 4 } << BoxXyxy { 4, 0, 8, 4 } << 0.0 << 0.0
                                     << 5.0 / 45.0;
    // Identical boxes: 1 under every convention.
    QTest::newRow("identical") << BoxXyxy { 2, 3, 7, 9 } << BoxXyxy { 2, 3, 7, 9 } << 1.0 << 1.0 << 1.0;
    // Disjoint: inclusive clamped gives max(0, 3 - 6 + 1) = 0 too.
    QTest::newRow("disjoint") << BoxXyxy { 0, 0, 3, 3 } << BoxXyxy { 6, 6, 9, 9 } << 0.0 << 0.0 << 0.0;
    // Degenerate continuous box (a point) against itself: union 0 → 0 (VisionReasoner's guard);
    // inclusive: a 1x1 pixel box → 1.
    QTest::newRow("point box") << BoxXyxy { 5, 5, 5, 5 } << BoxXyxy { 5, 5, 5, 5 } << 0.0 << 0.0 << 1.0;
    // Continuous: inter 1 * 1 = 1, union 2 + 1 - 1 = 2 → exactly 0.5.
    QTest::newRow("exactly one half")
        << BoxXyxy { 0, 0, 2, 1 } << BoxXyxy { 0, 0, 1, 1 } << 0.5 << 4.0 / 6.0 << 4.0 / 6.0;
}

void TstBoxMetrics::boxIoUVariants()
{
    QFETCH(BoxXyxy, a);
    QFETCH(BoxXyxy, b);
    QFETCH(double, continuous);
    QFETCH(double, inclusive);
    QFETCH(double, inclusiveClamped);
    QCOMPARE(boxIoU(a, b), continuous);
    QCOMPARE(boxIoU(b, a), continuous);
    QCOMPARE(boxIoUInclusive(a, b), inclusive);
    QCOMPARE(boxIoUInclusiveClamped(a, b), inclusiveClamped);
    // QRectF (xywh) overload agrees with the corner form.
    const QRectF ra(a[0], a[1], a[2] - a[0], a[3] - a[1]);
    const QRectF rb(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    QCOMPARE(boxIoU(ra, rb), continuous);
}

void TstBoxMetrics::nextChatRecStrict_data()
{
    QTest::addColumn<BoxXyxy>("prediction");
    QTest::addColumn<BoxXyxy>("groundTruth");
    QTest::addColumn<double>("iou");
    QTest::addColumn<bool>("hit");

    // Normalised boxes ×1000 in float32: [0,0,200,100] vs [0,0,100,100] → 10000 / 20000 = 0.5 exactly,
    // and Acc@0.5 needs IoU > 0.5: a miss.
    QTest::newRow("exactly 0.5 is a miss")
        << BoxXyxy { 0, 0, 0.2, 0.1 } << BoxXyxy { 0, 0, 0.1, 0.1 } << 0.5 << false;
    // Same box: 1 → hit.
    QTest::newRow("same box") << BoxXyxy { 0.1, 0.1, 0.5, 0.6 } << BoxXyxy { 0.1, 0.1, 0.5, 0.6 } << 1.0
                              << true;
    // float32 matters: in float64 this pair has IoU 0.5000000000000001 (> 0.5, a hit); torchvision in
    // float32 after ×1000 gives exactly 0.5 → a miss, as NExT-Chat scores it.
    QTest::newRow("float32 scaling decides")
        << BoxXyxy { 0.1, 0.2, 0.1 + 0.632, 0.2 + 0.096 } << BoxXyxy { 0.1, 0.2, 0.1 + 0.316, 0.2 + 0.096 }
        << 0.5 << false;
    // float32 arithmetic matters too: on the same float32-scaled corners, float64 arithmetic gives
    // 0.5000000125 (a hit); torchvision's float32 products and sums give exactly 0.5 (a miss).
    QTest::newRow("float32 arithmetic decides")
        << BoxXyxy { 0.253, 0.087, 0.863, 0.248 } << BoxXyxy { 0.253, 0.087, 0.558, 0.248 } << 0.5 << false;
    // ×1000: pred [0,0,300,100] inside gt [0,0,400,100]: inter 30000, union 40000 → 0.75, a hit.
    QTest::newRow("three quarters") << BoxXyxy { 0, 0, 0.3, 0.1 } << BoxXyxy { 0, 0, 0.4, 0.1 } << 0.75
                                    << true;
}

void TstBoxMetrics::nextChatRecStrict()
{
    QFETCH(BoxXyxy, prediction);
    QFETCH(BoxXyxy, groundTruth);
    QFETCH(double, iou);
    QFETCH(bool, hit);
    BoxAccuracy accuracy(BoxAccuracy::Protocol::NextChatRec);
    QCOMPARE(accuracy.protocol(), QStringLiteral("next-chat-rec"));
    QVERIFY2(accuracy.iou(prediction, groundTruth) == iou,
             qPrintable(QString::number(accuracy.iou(prediction, groundTruth), 'g', 17)));
    QCOMPARE(accuracy.add(prediction, groundTruth), hit);
    QCOMPARE(accuracy.accuracy(), hit ? 1.0 : 0.0);
}

void TstBoxMetrics::visionReasonerAnyBox()
{
    BoxAccuracy accuracy(BoxAccuracy::Protocol::VisionReasonerBox);
    QCOMPARE(accuracy.protocol(), QStringLiteral("visionreasoner-bbox"));
    const BoxXyxy groundTruth { 0, 0, 10, 10 };
    // First box misses (IoU 1/100), second is the ground truth: any hit counts.
    QVERIFY(accuracy.add(std::vector<BoxXyxy> { { 0, 0, 1, 1 }, { 0, 0, 10, 10 } }, groundTruth));
    // Exactly 0.5 (inter 50 / union 100) is not > 0.5.
    QVERIFY(!accuracy.add(BoxXyxy { 0, 0, 5, 10 }, groundTruth));
    // Nothing parsed: a miss.
    QVERIFY(!accuracy.add(std::vector<BoxXyxy> {}, groundTruth));
    // bbox_AP = 1 / 3.
    QCOMPARE(accuracy.accuracy(), 1.0 / 3.0);

    // NExT-Chat looks at the first box only.
    BoxAccuracy nextChat(BoxAccuracy::Protocol::NextChatRec);
    QVERIFY(!nextChat.add(std::vector<BoxXyxy> { { 0, 0, 0.001, 0.001 }, { 0, 0, 0.01, 0.01 } },
                          BoxXyxy { 0, 0, 0.01, 0.01 }));
}

void TstBoxMetrics::accuracyCounts()
{
    BoxAccuracy accuracy;
    QCOMPARE(accuracy.accuracy(), 0.0);
    accuracy.addResult(true);
    accuracy.addResult(false);
    accuracy.addResult(true);
    accuracy.addResult(true);
    QCOMPARE(accuracy.hitCount(), qint64(3));
    QCOMPARE(accuracy.sampleCount(), qint64(4));
    QCOMPARE(accuracy.accuracy(), 0.75);
    QCOMPARE(accuracy.values().front().name, QStringLiteral("Acc@0.5"));
}

QTEST_APPLESS_MAIN(TstBoxMetrics)
#include "tst_boxmetrics.moc"
