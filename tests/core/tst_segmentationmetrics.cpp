#include "core/breakdownkeys.h"
#include "core/gresmetric.h"
#include "core/iouprecision.h"
#include "core/lisametric.h"
#include "core/metricbreakdown.h"
#include "core/nextchatmetric.h"
#include "core/numpysum.h"
#include "core/segzerometric.h"

#include <QTest>

#include <cmath>

using namespace rs;

namespace {

// One evaluated sample given by its counts. For SegZeroMetric it is fed as masks (prediction ⊂ ground
// truth, |P| = i, |G| = u) so the empty∧empty rule of the mask path applies; unparsable = model output
// that could not be parsed, with |G| = u.
struct Event
{
    qint64 i = 0;
    qint64 u = 0;
    bool unparsable = false;
};
using Events = std::vector<Event>;
using Samples = std::vector<std::vector<OverlapCounts>>;

// A 1-row prediction and ground truth with |P ∧ G| = i and |P ∨ G| = u.
std::pair<Mask, Mask> nestedMasks(qint64 i, qint64 u)
{
    const int width = int(std::max<qint64>(u, 1));
    Mask prediction(width, 1), groundTruth(width, 1);
    prediction.fillRect(QRect(0, 0, int(i), 1), true);
    groundTruth.fillRect(QRect(0, 0, int(u), 1), true);
    return { prediction, groundTruth };
}

// A mask from a row of '.', '#'.
Mask maskFrom(const QString &row)
{
    Mask mask(int(row.size()), 1);
    for (int x = 0; x < row.size(); ++x)
        mask.set(x, 0, row[x] == QLatin1Char('#'));
    return mask;
}

// A label image from a row of '.', '#' (1) and 'x' (255).
LabelledMask labelsFrom(const QString &row)
{
    LabelledMask labels(int(row.size()), 1);
    for (int x = 0; x < row.size(); ++x)
        labels.setValue(x, 0, row[x] == QLatin1Char('#') ? 1 : row[x] == QLatin1Char('x') ? 255 : 0);
    return labels;
}

bool sameOrBothNaN(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Bit-exact comparison (QCOMPARE on doubles is fuzzy at 1e-12, too loose for a last-bit difference).
#define RS_COMPARE_EXACT(actual, expected)                                                                   \
    QVERIFY2(sameOrBothNaN((actual), (expected)),                                                            \
             qPrintable(QStringLiteral("%1 is %2, expected %3")                                              \
                            .arg(#actual, QString::number((actual), 'g', 17),                                \
                                 QString::number((expected), 'g', 17))))

} // namespace

Q_DECLARE_METATYPE(Event)
Q_DECLARE_METATYPE(SegZeroMetric::Variant)
Q_DECLARE_METATYPE(SegZeroMetric::IgnorePolicy)

class TstSegmentationMetrics : public QObject
{
    Q_OBJECT

private slots:
    void lisaCounts_data();
    void lisaCounts();
    void lisaIgnore_data();
    void lisaIgnore();
    void segZero_data();
    void segZero();
    void segZeroIgnorePolicy_data();
    void segZeroIgnorePolicy();
    void segZeroPairwiseMeanOver128();
    void gres_data();
    void gres();
    void precisionAtThreshold_data();
    void precisionAtThreshold();
    void nextChat_data();
    void nextChat();
    void sizeMismatchIsAnError();
    void protocolNames();
    void breakdown();
    void breakdownKeys_data();
    void breakdownKeys();
};

// ---- LISA -------------------------------------------------------------------------------------------
// Expected values are LISA's float32 results (checked with numpy 1.24.2 float32 arithmetic mirroring
// validate() and AverageMeter). f32(x) = x rounded to float32; f32(1 + 1e-5) = 1.0000100135803223.

void TstSegmentationMetrics::lisaCounts_data()
{
    QTest::addColumn<Samples>("samples");
    QTest::addColumn<double>("gIoU");
    QTest::addColumn<double>("cIoU");

    // Score 0 / (0 + 1e-5) + 1 = 1; gIoU = 1 / f32(1 + 1e-5) = 0.99998998…; cIoU = 0 / (0 + 1e-10) = 0.
    QTest::newRow("empty/empty scores 1") << Samples { { { 0, 0 } } } << 0.9999899864196777 << 0.0;
    // Score 1 / f32(1 + 1e-5) = 0.99998999; gIoU = 0.99998999 / 1.00001001 = 0.99997997; cIoU = 1/1.
    QTest::newRow("epsilon visible: I=1 U=1") << Samples { { { 1, 1 } } } << 0.9999799728393555 << 1.0;
    // f32(255 + 1e-5) = 255.0000153 (ulp 2^-16): score 0.99999994; gIoU = 0.99999994 / 1.00001001.
    QTest::newRow("epsilon still there at U=255") << Samples { { { 255, 255 } } } << 0.999989926815033 << 1.0;
    // f32(256 + 1e-5) = 256 (1e-5 < half an ulp, 1.5e-5): score exactly 1; gIoU = 1 / 1.00001001.
    QTest::newRow("epsilon vanishes at U=256") << Samples { { { 256, 256 } } } << 0.9999899864196777 << 1.0;
    // Scores 1/100.00001 = 0.0099999990 and 300/300.00001 = 0.99999994; gIoU = 1.00999994 / f32(2 + 1e-5)
    // = 0.50499749; cIoU = (1 + 300) / (100 + 300) = 0.7525 → f32 0.75249999761.
    QTest::newRow("gIoU and cIoU differ")
        << Samples { { { 1, 100 } }, { { 300, 300 } } } << 0.5049974918365479 << 0.7524999976158142;
    // float32 sums: ΣI = f32(16777216 + 1) = 16777216 (2^24 + 1 is not a float), ΣU = 16777218;
    // cIoU = 16777216 / 16777218 = 0.99999988 (exact arithmetic would give 0.99999994).
    // gIoU = (1 + 1/2.00001) / f32(2 + 1e-5) = 1.4999975 / 2.00001 = 0.74999499.
    QTest::newRow("float32 sums round past 2^24")
        << Samples { { { 16777216, 16777216 } }, { { 1, 2 } } } << 0.7499949932098389 << 0.9999998807907104;
    // One sample, three masks: acc = 1/2.00001 + (0/0.00001 + 1) + 3/4.00001 = 0.4999975 + 1 + 0.7499981
    // = 2.2499955; mean 0.7499985 enters with weight 3; gIoU = 2.2499955 / f32(3 + 1e-5) = 0.74999607;
    // cIoU = (1 + 0 + 3) / (2 + 0 + 4) = 0.6666667.
    QTest::newRow("one sample with three masks")
        << Samples { { { 1, 2 }, { 0, 0 }, { 3, 4 } } } << 0.7499960660934448 << 0.6666666865348816;
    QTest::newRow("no overlap") << Samples { { { 0, 5 } } } << 0.0 << 0.0;
    QTest::newRow("no sample") << Samples {} << 0.0 << 0.0;
}

void TstSegmentationMetrics::lisaCounts()
{
    QFETCH(Samples, samples);
    QFETCH(double, gIoU);
    QFETCH(double, cIoU);
    LisaMetric metric;
    for (const auto &masks : samples)
        metric.addSample(masks);
    RS_COMPARE_EXACT(metric.gIoU(), gIoU);
    RS_COMPARE_EXACT(metric.cIoU(), cIoU);
    qsizetype maskCount = 0;
    for (const auto &masks : samples)
        maskCount += qsizetype(masks.size());
    QCOMPARE(metric.maskCount(), qint64(maskCount));
    QCOMPARE(metric.sampleCount(), qint64(samples.size()));
}

void TstSegmentationMetrics::lisaIgnore_data()
{
    QTest::addColumn<QString>("prediction");
    QTest::addColumn<QString>("groundTruth");
    QTest::addColumn<qint64>("intersection");
    QTest::addColumn<qint64>("unionArea");
    QTest::addColumn<double>("gIoU");

    // Ground truth: '#' target, 'x' ignore (255). Ignore pixels leave prediction and target alike.
    // Prediction covers target (2) and ignore (2): I = 2, U = 2 + 2 - 2 = 2;
    // gIoU = (2 / f32(2 + 1e-5)) / f32(1 + 1e-5) = 0.99998498.
    QTest::newRow("ignore pixels inside prediction")
        << "####.."
        << "##xx.." << qint64(2) << qint64(2) << 0.9999849796295166;
    // Ignore painted over the middle of a target (LISA's smaller-shape-wins): the target keeps 4 pixels.
    // Prediction covers all 6: I = 4, U = 4 → (4 / f32(4 + 1e-5)) / f32(1 + 1e-5) = 0.99998748.
    // Seg-Zero would see 6/6 (see segZeroIgnorePolicy).
    QTest::newRow("ignore overlapping target") << "######"
                                               << "##xx##" << qint64(4) << qint64(4) << 0.9999874830245972;
    // Prediction only on ignore pixels: everything removed, target empty → I = 0, U = 0 → scores 1.
    QTest::newRow("prediction only on ignore, empty target")
        << "..##.."
        << "..xx.." << qint64(0) << qint64(0) << 0.9999899864196777;
    // Prediction outside the target and the ignore: I = 0, U = 2 + 2 = 4 → 0.
    QTest::newRow("miss") << "....##"
                          << "##xx.." << qint64(0) << qint64(4) << 0.0;
}

void TstSegmentationMetrics::lisaIgnore()
{
    QFETCH(QString, prediction);
    QFETCH(QString, groundTruth);
    QFETCH(qint64, intersection);
    QFETCH(qint64, unionArea);
    QFETCH(double, gIoU);
    LisaMetric metric;
    const Expected<OverlapCounts> counts = metric.add(maskFrom(prediction), labelsFrom(groundTruth));
    QVERIFY2(counts.hasValue(), qPrintable(counts.error()));
    QCOMPARE(counts->intersection, intersection);
    QCOMPARE(counts->unionArea, unionArea);
    RS_COMPARE_EXACT(metric.gIoU(), gIoU);
}

// ---- Seg-Zero / VisionReasoner ---------------------------------------------------------------------

void TstSegmentationMetrics::segZero_data()
{
    QTest::addColumn<SegZeroMetric::Variant>("variant");
    QTest::addColumn<Events>("events");
    QTest::addColumn<double>("gIoU");
    QTest::addColumn<double>("cIoU");
    QTest::addColumn<qint64>("samples");
    QTest::addColumn<qint64>("skipped");

    using V = SegZeroMetric::Variant;
    const double nan = std::nan("");
    // Seg-Zero skips empty∧empty: only 1/2 remains. gIoU = 0.5, cIoU = 1/2.
    QTest::newRow("seg-zero: empty/empty skipped")
        << V::SegZero << Events { { 0, 0 }, { 1, 2 } } << 0.5 << 0.5 << qint64(1) << qint64(1);
    // VisionReasoner records it as IoU 0: gIoU = (0 + 0.5)/2 = 0.25, cIoU = (0 + 1)/(0 + 2) = 0.5.
    QTest::newRow("visionreasoner: empty/empty scores 0")
        << V::VisionReasoner << Events { { 0, 0 }, { 1, 2 } } << 0.25 << 0.5 << qint64(2) << qint64(0);
    QTest::newRow("seg-zero: only empty/empty")
        << V::SegZero << Events { { 0, 0 } } << nan << 0.0 << qint64(0) << qint64(1);
    QTest::newRow("visionreasoner: only empty/empty")
        << V::VisionReasoner << Events { { 0, 0 } } << 0.0 << 0.0 << qint64(1) << qint64(0);
    // Unparsable: I = 0, U = |G| = 6. gIoU = (0 + 3/4)/2 = 0.375; cIoU = 3/(6 + 4) = 0.3.
    QTest::newRow("seg-zero: unparsable penalised")
        << V::SegZero << Events { { 0, 6, true }, { 3, 4 } } << 0.375 << 0.3 << qint64(2) << qint64(0);
    // Unparsable on an empty ground truth is recorded with U = 0 (never skipped) and scores 0.
    QTest::newRow("seg-zero: unparsable with empty GT")
        << V::SegZero << Events { { 0, 0, true }, { 1, 2 } } << 0.25 << 0.5 << qint64(2) << qint64(0);
    // gIoU = (1/100 + 300/300)/2 = 0.505; cIoU = 301/400 = 0.7525.
    QTest::newRow("gIoU and cIoU differ") << V::VisionReasoner << Events { { 1, 100 }, { 300, 300 } } << 0.505
                                          << 0.7525 << qint64(2) << qint64(0);
    // np.mean's pairwise sum (8 interleaved accumulators for 8 <= n <= 128) gives 0.7470924908424909 here,
    // a plain left-to-right sum / 10 gives 0.747092490842491. cIoU = 226 / 291.
    QTest::newRow("numpy pairwise mean, 10 samples")
        << V::SegZero << Events { { 5, 21 },  { 33, 33 }, { 17, 17 }, { 23, 23 }, { 1, 14 },
                                  { 16, 16 }, { 35, 48 }, { 38, 38 }, { 28, 39 }, { 30, 42 } }
        << 0.7470924908424909 << 226.0 / 291.0 << qint64(10) << qint64(0);
}

void TstSegmentationMetrics::segZero()
{
    QFETCH(SegZeroMetric::Variant, variant);
    QFETCH(Events, events);
    QFETCH(double, gIoU);
    QFETCH(double, cIoU);
    QFETCH(qint64, samples);
    QFETCH(qint64, skipped);
    SegZeroMetric metric(variant);
    for (const Event &event : events) {
        if (event.unparsable) {
            metric.addUnparsable(event.u);
            continue;
        }
        const auto [prediction, groundTruth] = nestedMasks(event.i, event.u);
        const Expected<OverlapCounts> counts = metric.add(prediction, groundTruth);
        QVERIFY(counts.hasValue());
        QCOMPARE(counts->intersection, event.i);
        QCOMPARE(counts->unionArea, event.u);
    }
    RS_COMPARE_EXACT(metric.gIoU(), gIoU);
    RS_COMPARE_EXACT(metric.cIoU(), cIoU);
    QCOMPARE(metric.sampleCount(), samples);
    QCOMPARE(metric.skippedCount(), skipped);
}

void TstSegmentationMetrics::segZeroIgnorePolicy_data()
{
    QTest::addColumn<SegZeroMetric::IgnorePolicy>("policy");
    QTest::addColumn<double>("gIoU");
    // Prediction "######" on ground truth "##xx##".
    // AsForeground (Seg-Zero's astype(bool)): G has 6 pixels, I = 6, U = 6 → 1.
    QTest::newRow("ignore as foreground") << SegZeroMetric::IgnorePolicy::AsForeground << 1.0;
    // AsBackground (mask == 1): G has 4 pixels, I = 4, U = 6 → 4/6.
    QTest::newRow("ignore as background") << SegZeroMetric::IgnorePolicy::AsBackground << 4.0 / 6.0;
}

void TstSegmentationMetrics::segZeroIgnorePolicy()
{
    QFETCH(SegZeroMetric::IgnorePolicy, policy);
    QFETCH(double, gIoU);
    SegZeroMetric metric(SegZeroMetric::Variant::SegZero, policy);
    QVERIFY(metric.add(maskFrom("######"), labelsFrom("##xx##")).hasValue());
    RS_COMPARE_EXACT(metric.gIoU(), gIoU);
    // Unparsable against the same ground truth: U = |G| under the policy.
    SegZeroMetric unparsable(SegZeroMetric::Variant::SegZero, policy);
    unparsable.addUnparsable(labelsFrom("##xx##"));
    QCOMPARE(unparsable.unionSum(),
             policy == SegZeroMetric::IgnorePolicy::AsForeground ? qint64(6) : qint64(4));
}

void TstSegmentationMetrics::segZeroPairwiseMeanOver128()
{
    // 200 samples, I_k = 37k mod 98, U_k = 97 + k mod 4: above 128 values numpy splits the range at
    // 96 (= 100 rounded down to a multiple of 8) and sums both halves pairwise. numpy 1.24.2 gives
    // 0.4888501210293552; a left-to-right sum gives 0.48885012102935554. cIoU = 9630 / 19700.
    SegZeroMetric metric(SegZeroMetric::Variant::VisionReasoner);
    for (int k = 0; k < 200; ++k)
        metric.addCounts({ (37 * k) % 98, 97 + k % 4 });
    RS_COMPARE_EXACT(metric.gIoU(), 0.4888501210293552);
    RS_COMPARE_EXACT(metric.cIoU(), 9630.0 / 19700.0);
    QVERIFY(std::isnan(numpyMean({})));
}

// ---- GRES (ReLA) ------------------------------------------------------------------------------------

struct GresEvent
{
    qint64 i = 0;
    qint64 u = 0;
    bool predictedNoTarget = false;
    bool groundTruthNoTarget = false;
};
using GresEvents = std::vector<GresEvent>;
Q_DECLARE_METATYPE(GresEvent)

void TstSegmentationMetrics::gres_data()
{
    QTest::addColumn<GresEvents>("events");
    QTest::addColumn<double>("gIoU");
    QTest::addColumn<double>("cIoU");
    QTest::addColumn<double>("tAcc");
    QTest::addColumn<double>("nAcc");
    QTest::addColumn<double>("pr07");
    QTest::addColumn<double>("pr08");
    QTest::addColumn<QList<qint64>>("tpTnFpFn");

    const double nan = std::nan("");
    // TP: no-target correctly rejected: IoU 1, adds nothing. ΣU = 0 → cIoU NaN (ReLA divides by zero);
    // T_acc = 0/0 → NaN; N_acc = 1/1.
    QTest::newRow("TP") << GresEvents { { 0, 0, true, true } } << 100.0 << nan << nan << 1.0 << nan << nan
                        << QList<qint64> { 1, 0, 0, 0 };
    // FN: no-target but a 5-pixel mask predicted: IoU 0, ΣU += 5 → cIoU = 0 * 100 / 5 = 0; N_acc = 0/1.
    QTest::newRow("FN") << GresEvents { { 0, 5, false, true } } << 0.0 << 0.0 << nan << 0.0 << nan << nan
                        << QList<qint64> { 0, 0, 0, 1 };
    // FP: target rejected. The raw mask has I = 3, U = 6; I := 0, U stays 6 → IoU 0, cIoU 0/6.
    // No no-target expression in the split → T_acc = N_acc = 0 (ReLA's else branch). Pr@0.7 = 0/1.
    QTest::newRow("FP") << GresEvents { { 3, 6, true, false } } << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0
                        << QList<qint64> { 0, 0, 1, 0 };
    // TN: IoU = 7/10 = 0.7; gIoU = 100 * 0.7 = 70; cIoU = 7 * 100 / 10 = 70; Pr@0.7 counts (>=) = 100.
    QTest::newRow("TN") << GresEvents { { 7, 10, false, false } } << 70.0 << 70.0 << 0.0 << 0.0 << 100.0
                        << 0.0 << QList<qint64> { 0, 1, 0, 0 };
    // All four: ΣIoU = 1 + 0 + 0 + 0.7 = 1.7 → gIoU = 100 * (1.7 / 4) = 42.5;
    // ΣI = 0 + 0 + 0 + 7 = 7, ΣU = 0 + 5 + 6 + 10 = 21 → cIoU = 700 / 21 = 33.333333333333336
    // (clearing the FP prediction, U = |G| = 4, would give 700 / 19 = 36.84);
    // T_acc = TN/(TN+FP) = 1/2; N_acc = TP/(TP+FN) = 1/2; Pr@0.7 = 1 of 2 targeted = 50; Pr@0.8 = 0.
    QTest::newRow("TP TN FP FN together")
        << GresEvents { { 0, 0, true, true },
                        { 0, 5, false, true },
                        { 3, 6, true, false },
                        { 7, 10, false, false } }
        << 42.5 << 700.0 / 21.0 << 0.5 << 0.5 << 50.0 << 0.0 << QList<qint64> { 1, 1, 1, 1 };
    // TN with IoU exactly 0.8 (8/10) counts at Pr@0.8; 79999/100000 does not. Targeted U == 0 scores 0.
    // ΣIoU = 0.8 + 0.79999 + 0 → gIoU = 100 * (1.59999 / 3); cIoU = (8 + 79999 + 0) * 100 / 100010.
    QTest::newRow("Pr@0.8 at exactly 0.8, targeted U=0")
        << GresEvents { { 8, 10, false, false }, { 79999, 100000, false, false }, { 0, 0, false, false } }
        << 100.0 * ((0.8 + 0.79999) / 3.0) << 80007.0 * 100.0 / 100010.0 << 0.0 << 0.0 << 200.0 / 3.0
        << 100.0 / 3.0 << QList<qint64> { 0, 3, 0, 0 };
}

void TstSegmentationMetrics::gres()
{
    QFETCH(GresEvents, events);
    QFETCH(double, gIoU);
    QFETCH(double, cIoU);
    QFETCH(double, tAcc);
    QFETCH(double, nAcc);
    QFETCH(double, pr07);
    QFETCH(double, pr08);
    QFETCH(QList<qint64>, tpTnFpFn);
    GresMetric metric;
    for (const GresEvent &e : events)
        metric.addCounts({ e.i, e.u }, e.predictedNoTarget, e.groundTruthNoTarget);
    RS_COMPARE_EXACT(metric.gIoU(), gIoU);
    RS_COMPARE_EXACT(metric.cIoU(), cIoU);
    RS_COMPARE_EXACT(metric.targetAccuracy(), tAcc);
    RS_COMPARE_EXACT(metric.noTargetAccuracy(), nAcc);
    RS_COMPARE_EXACT(metric.precisionPercent(0.7), pr07);
    RS_COMPARE_EXACT(metric.precisionPercent(0.8), pr08);
    QCOMPARE((QList<qint64> { metric.truePositives(), metric.trueNegatives(), metric.falsePositives(),
                              metric.falseNegatives() }),
             tpTnFpFn);
}

void TstSegmentationMetrics::precisionAtThreshold_data()
{
    QTest::addColumn<double>("iou");
    QTest::addColumn<QList<qint64>>("hits"); // at 0.5, 0.6, 0.7, 0.8, 0.9
    // ReLA's convention is >=: an IoU equal to the threshold counts.
    QTest::newRow("exactly 0.5 = 1/2") << 1.0 / 2.0 << QList<qint64> { 1, 0, 0, 0, 0 };
    QTest::newRow("just below 0.5") << 0.49999999 << QList<qint64> { 0, 0, 0, 0, 0 };
    QTest::newRow("exactly 0.6 = 3/5") << 3.0 / 5.0 << QList<qint64> { 1, 1, 0, 0, 0 };
    QTest::newRow("exactly 0.7 = 7/10") << 7.0 / 10.0 << QList<qint64> { 1, 1, 1, 0, 0 };
    QTest::newRow("exactly 0.9 = 9/10") << 9.0 / 10.0 << QList<qint64> { 1, 1, 1, 1, 1 };
    QTest::newRow("1") << 1.0 << QList<qint64> { 1, 1, 1, 1, 1 };
    QTest::newRow("0") << 0.0 << QList<qint64> { 0, 0, 0, 0, 0 };
}

void TstSegmentationMetrics::precisionAtThreshold()
{
    QFETCH(double, iou);
    QFETCH(QList<qint64>, hits);
    IoUPrecision precision;
    precision.add(iou);
    precision.add(0.0); // a second sample that never hits: percent = hits * 100 / 2
    const std::vector<double> thresholds = IoUPrecision::defaultThresholds();
    for (std::size_t k = 0; k < thresholds.size(); ++k) {
        QCOMPARE(precision.hits(thresholds[k]), hits[qsizetype(k)]);
        QCOMPARE(precision.percent(thresholds[k]), double(hits[qsizetype(k)]) * 100.0 / 2.0);
    }
    QCOMPARE(precision.hits(0.75), qint64(-1));
    QCOMPARE(precision.values().front().name, QStringLiteral("Pr@0.5"));
}

// ---- NExT-Chat --------------------------------------------------------------------------------------

void TstSegmentationMetrics::nextChat_data()
{
    QTest::addColumn<Events>("events");
    QTest::addColumn<double>("cIoU");
    QTest::addColumn<qint64>("failed");
    // ΣI = 0 + 3 + 2 = 5, ΣU = 5 + 4 + 2 = 11 → 5/11; failed counts I <= 0: 1.
    QTest::newRow("three samples") << Events { { 0, 5 }, { 3, 4 }, { 2, 2 } } << 5.0 / 11.0 << qint64(1);
    // An empty/empty sample adds nothing to the sums but counts as failed (I = 0).
    QTest::newRow("empty/empty is a failure") << Events { { 0, 0 }, { 1, 4 } } << 0.25 << qint64(1);
    QTest::newRow("only empty/empty: NaN") << Events { { 0, 0 } } << std::nan("") << qint64(1);
}

void TstSegmentationMetrics::nextChat()
{
    QFETCH(Events, events);
    QFETCH(double, cIoU);
    QFETCH(qint64, failed);
    NextChatMetric metric;
    for (const Event &event : events) {
        const auto [prediction, groundTruth] = nestedMasks(event.i, event.u);
        QVERIFY(metric.add(prediction, groundTruth).hasValue());
    }
    RS_COMPARE_EXACT(metric.cIoU(), cIoU);
    QCOMPARE(metric.failedCount(), failed);
    QCOMPARE(metric.sampleCount(), qint64(events.size()));
}

// ---- shared -----------------------------------------------------------------------------------------

void TstSegmentationMetrics::sizeMismatchIsAnError()
{
    LisaMetric lisa;
    const Expected<OverlapCounts> counts = lisa.add(Mask(3, 2), LabelledMask(2, 2));
    QVERIFY(!counts.hasValue());
    QVERIFY2(counts.error().contains("prediction is 3x2 but ground truth is 2x2"),
             qPrintable(counts.error()));
    QCOMPARE(lisa.sampleCount(), qint64(0));

    SegZeroMetric segZero;
    QVERIFY(!segZero.add(Mask(1, 1), Mask(2, 1)).hasValue());
    QCOMPARE(segZero.sampleCount() + segZero.skippedCount(), qint64(0));

    // A null prediction is an empty one: I = 0, U = |G|.
    const Expected<OverlapCounts> none = OverlapCounts::of(Mask(), maskFrom("##."));
    QVERIFY(none.hasValue());
    QCOMPARE(*none, (OverlapCounts { 0, 2 }));
}

void TstSegmentationMetrics::protocolNames()
{
    QCOMPARE(LisaMetric().protocol(), QStringLiteral("lisa"));
    QCOMPARE(SegZeroMetric(SegZeroMetric::Variant::SegZero).protocol(), QStringLiteral("seg-zero"));
    QCOMPARE(SegZeroMetric(SegZeroMetric::Variant::VisionReasoner).protocol(),
             QStringLiteral("visionreasoner"));
    QCOMPARE(GresMetric().protocol(), QStringLiteral("gres"));
    QCOMPARE(NextChatMetric().protocol(), QStringLiteral("next-chat"));
    QCOMPARE(IoUPrecision().protocol(), QStringLiteral("pr@iou"));

    GresMetric gres;
    gres.addCounts({ 7, 10 }, false, false);
    const std::vector<MetricValue> values = gres.values();
    QCOMPARE(values.front(), (MetricValue { QStringLiteral("gIoU"), 70.0, MetricUnit::Percent }));
}

void TstSegmentationMetrics::breakdown()
{
    // VisionReasoner prototype: every key inherits the variant.
    MetricBreakdown<SegZeroMetric> breakdown(SegZeroMetric(SegZeroMetric::Variant::VisionReasoner));
    const auto add = [&](const QString &key, qint64 i, qint64 u) {
        const auto [prediction, groundTruth] = nestedMasks(i, u);
        breakdown.record(key, [&](SegZeroMetric &m) { QVERIFY(m.add(prediction, groundTruth).hasValue()); });
    };
    add(BreakdownKeys::difficulty(6.0), 1, 4); // hard: 1/4
    add(BreakdownKeys::difficulty(2.0), 3, 4); // easy: 3/4
    add(BreakdownKeys::difficulty(2.5), 0, 0); // easy: empty/empty recorded as 0 (VisionReasoner)
    QCOMPARE(breakdown.keys(), (QStringList { "easy", "hard" }));
    QCOMPARE(breakdown.protocol(), QStringLiteral("visionreasoner"));
    // easy: gIoU = (0.75 + 0)/2 = 0.375, cIoU = 3/4; hard: 0.25, 1/4.
    QCOMPARE(breakdown.at("easy").gIoU(), 0.375);
    QCOMPARE(breakdown.at("easy").cIoU(), 0.75);
    QCOMPARE(breakdown.at("hard").gIoU(), 0.25);
    // overall: gIoU = (0.25 + 0.75 + 0)/3 = 1/3, cIoU = 4/8.
    QCOMPARE(breakdown.overall().gIoU(), 1.0 / 3.0);
    QCOMPARE(breakdown.overall().cIoU(), 0.5);
    QCOMPARE(breakdown.overall().sampleCount(), qint64(3));
    QVERIFY(!breakdown.contains("medium"));
    QCOMPARE(breakdown.at("medium").sampleCount(), qint64(0));
    QCOMPARE(breakdown.at("medium").protocol(), QStringLiteral("visionreasoner"));
}

void TstSegmentationMetrics::breakdownKeys_data()
{
    QTest::addColumn<double>("difficulty");
    QTest::addColumn<QString>("key");
    // PixelThink: easy < 3.5 <= medium < 5.0 <= hard.
    QTest::newRow("3.49") << 3.49 << "easy";
    QTest::newRow("3.5") << 3.5 << "medium";
    QTest::newRow("4.99") << 4.99 << "medium";
    QTest::newRow("5.0") << 5.0 << "hard";
    QTest::newRow("10") << 10.0 << "hard";
    QTest::newRow("NaN compares false: easy") << std::nan("") << "easy";
}

void TstSegmentationMetrics::breakdownKeys()
{
    QFETCH(double, difficulty);
    QFETCH(QString, key);
    QCOMPARE(BreakdownKeys::difficulty(difficulty), key);
    QCOMPARE(BreakdownKeys::queryLength(true), QStringLiteral("long"));
    QCOMPARE(BreakdownKeys::queryLength(false), QStringLiteral("short"));
    QCOMPARE(BreakdownKeys::targetCount(3), QStringLiteral("3"));
    QCOMPARE(BreakdownKeys::targetCount(3, 4), QStringLiteral("3"));
    QCOMPARE(BreakdownKeys::targetCount(7, 4), QStringLiteral("4+"));
}

QTEST_APPLESS_MAIN(TstSegmentationMetrics)
#include "tst_segmentationmetrics.moc"
