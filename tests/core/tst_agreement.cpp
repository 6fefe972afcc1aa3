// Agreement statistics against the textbook examples they are usually explained with, and the
// run-length majority vote against a pixel-by-pixel vote.
#include "core/cohenkappa.h"
#include "core/fleisskappa.h"
#include "core/krippendorffalpha.h"
#include "core/mask.h"
#include "core/maskagreement.h"
#include "core/rankcorrelation.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace rs;

class TestAgreement : public QObject
{
    Q_OBJECT

private slots:
    void cohenKappa_data();
    void cohenKappa();
    void fleissKappaWikipediaExample();
    void krippendorffAlpha_data();
    void krippendorffAlpha();
    void krippendorffAlphaEdgeCases();
    void spearman_data();
    void spearman();
    void maskAgreementByHand();
    void majorityMatchesPixelVote();
};

void TestAgreement::cohenKappa_data()
{
    QTest::addColumn<int>("yesYes");
    QTest::addColumn<int>("yesNo");
    QTest::addColumn<int>("noYes");
    QTest::addColumn<int>("noNo");
    QTest::addColumn<double>("kappa");
    // 50 items: p_o = 35/50 = 0.7; A says yes 25/50, B 30/50: p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.4.
    QTest::newRow("wikipedia 20/5/10/15") << 20 << 5 << 10 << 15 << 0.4;
    // p_o = 60/100; A says yes 60/100, B 70/100: p_e = 0.6·0.7 + 0.4·0.3 = 0.54; κ = 0.06 / 0.46 = 0.1304…
    QTest::newRow("wikipedia 45/15/25/15 marginals skewed") << 45 << 15 << 25 << 15 << (0.6 - 0.54) / (1 - 0.54);
    QTest::newRow("perfect") << 10 << 0 << 0 << 10 << 1.0;
}

void TestAgreement::cohenKappa()
{
    QFETCH(int, yesYes);
    QFETCH(int, yesNo);
    QFETCH(int, noYes);
    QFETCH(int, noNo);
    QFETCH(double, kappa);
    std::vector<int> a, b;
    auto add = [&](int count, int first, int second) {
        for (int i = 0; i < count; ++i) {
            a.push_back(first);
            b.push_back(second);
        }
    };
    add(yesYes, 1, 1);
    add(yesNo, 1, 0);
    add(noYes, 0, 1);
    add(noNo, 0, 0);
    const auto result = CohenKappa::compute(a, b);
    QVERIFY(result);
    QVERIFY2(std::abs(result->kappa - kappa) < 1e-12, qPrintable(QString::number(result->kappa, 'g', 17)));
    QCOMPARE(result->items, qint64(a.size()));
}

// Fleiss (1971) as Wikipedia works it: 10 subjects, 14 raters, 5 categories:
// P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
void TestAgreement::fleissKappaWikipediaExample()
{
    const std::vector<std::vector<int>> table {
        { 0, 0, 0, 0, 14 }, { 0, 2, 6, 4, 2 }, { 0, 0, 3, 5, 6 }, { 0, 3, 9, 2, 0 }, { 2, 2, 8, 1, 1 },
        { 7, 7, 0, 0, 0 },  { 3, 2, 6, 3, 0 }, { 2, 5, 3, 2, 2 }, { 6, 5, 2, 1, 0 }, { 0, 2, 2, 3, 7 },
    };
    const auto result = FleissKappa::compute(table);
    QVERIFY(result);
    QCOMPARE(result->raters, 14);
    QCOMPARE(result->subjects, 10);
    QVERIFY(std::abs(result->observed - 0.378) < 0.0005);
    QVERIFY(std::abs(result->expected - 0.213) < 0.0005);
    QVERIFY2(std::abs(result->kappa - 0.210) < 0.0005, qPrintable(QString::number(result->kappa)));
    QVERIFY(!FleissKappa::compute({ { 1, 2 }, { 1, 1 } }));  // rater counts differ
}

void TestAgreement::krippendorffAlpha_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<double>("alpha");
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers x 12 units
    // example with missing values: α nominal 0.743, ordinal 0.815, interval 0.849.
    QTest::newRow("nominal") << int(KrippendorffAlpha::Level::Nominal) << 0.743;
    QTest::newRow("ordinal") << int(KrippendorffAlpha::Level::Ordinal) << 0.815;
    QTest::newRow("interval") << int(KrippendorffAlpha::Level::Interval) << 0.849;
}

void TestAgreement::krippendorffAlpha()
{
    QFETCH(int, level);
    QFETCH(double, alpha);
    using V = std::optional<double>;
    const V _;
    const std::vector<std::vector<V>> observers {
        { 1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _ },
        { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3 },
        { _, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _ },
        { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _ },
    };
    std::vector<std::vector<V>> units(12);
    for (std::size_t u = 0; u < 12; ++u) {
        for (const auto &observer : observers)
            units[u].push_back(observer[u]);
    }
    const auto result = KrippendorffAlpha::compute(units, KrippendorffAlpha::Level(level));
    QVERIFY(result);
    QCOMPARE(result->pairableUnits, 11);       // unit 12 has one value
    QCOMPARE(result->pairableValues, 40.0);
    QVERIFY2(std::abs(result->alpha - alpha) < 0.0005, qPrintable(QString::number(result->alpha, 'g', 6)));
}

void TestAgreement::krippendorffAlphaEdgeCases()
{
    using V = std::optional<double>;
    // Two raters who always agree: α = 1 at every level.
    const std::vector<std::vector<V>> agree { { 1, 1 }, { 2, 2 }, { 3, 3 } };
    QCOMPARE(KrippendorffAlpha::compute(agree, KrippendorffAlpha::Level::Ordinal)->alpha, 1.0);
    // Nothing pairable.
    QVERIFY(!KrippendorffAlpha::compute({ { 1, std::nullopt } }, KrippendorffAlpha::Level::Nominal));
    // One value everywhere: no expected disagreement, α undefined.
    QVERIFY(std::isnan(KrippendorffAlpha::compute({ { 2, 2 }, { 2, 2 } }, KrippendorffAlpha::Level::Nominal)->alpha));
}

void TestAgreement::spearman_data()
{
    QTest::addColumn<std::vector<double>>("x");
    QTest::addColumn<std::vector<double>>("y");
    QTest::addColumn<double>("rho");
    // No ties: 1 − 6 Σd² / (n (n² − 1)) = 1 − 24 / 120.
    QTest::newRow("no ties") << std::vector<double> { 1, 2, 3, 4, 5 } << std::vector<double> { 2, 1, 4, 3, 5 } << 0.8;
    // Ties share their rank: x ranks 1, 2.5, 2.5, 4 → ρ = 4.5 / √(4.5 · 5).
    QTest::newRow("ties") << std::vector<double> { 1, 2, 2, 3 } << std::vector<double> { 10, 20, 30, 40 }
                          << 4.5 / std::sqrt(22.5);
    QTest::newRow("reversed") << std::vector<double> { 0.1, 0.5, 0.9 } << std::vector<double> { 9, 5, 1 } << -1.0;
}

void TestAgreement::spearman()
{
    QFETCH(std::vector<double>, x);
    QFETCH(std::vector<double>, y);
    QFETCH(double, rho);
    const auto result = RankCorrelation::spearman(x, y);
    QVERIFY(result);
    QVERIFY(std::abs(*result - rho) < 1e-12);
    QVERIFY(!RankCorrelation::spearman({ 1, 1, 1 }, { 1, 2, 3 }));
}

void TestAgreement::maskAgreementByHand()
{
    Mask a(4, 4), b(4, 4), c(4, 4);
    a.fillRect(QRect(0, 0, 4, 2), true);  // rows 0-1
    b.fillRect(QRect(0, 1, 4, 2), true);  // rows 1-2
    c.fillRect(QRect(0, 1, 2, 3), true);  // columns 0-1 of rows 1-3
    const auto result = MaskAgreement::compute({ Rle::encode(a), Rle::encode(b), Rle::encode(c) });
    QVERIFY(result);
    QCOMPARE(result->pairwise[0][1], 4.0 / 12.0);
    QCOMPARE(result->pairwise[1][2], 4.0 / 10.0);
    QCOMPARE(result->pairwise[0][2], 2.0 / 12.0);
    QCOMPARE(result->meanPairwise, (4.0 / 12 + 4.0 / 10 + 2.0 / 12) / 3);
    // Two votes or more: row 1 (4 px) and columns 0-1 of row 2 (2 px).
    Mask expected(4, 4);
    expected.fillRect(QRect(0, 1, 4, 1), true);
    expected.fillRect(QRect(0, 2, 2, 1), true);
    QCOMPARE(result->consensus.decode(), expected);
    QCOMPARE(result->toConsensus[0], 4.0 / 10.0);

    const auto empty = MaskAgreement::compute({ Rle::encode(Mask(3, 3)), Rle::encode(Mask(3, 3)) });
    QCOMPARE(empty->pairwise[0][1], 1.0);
    QVERIFY(!MaskAgreement::compute({ Rle::encode(a), Rle::encode(Mask(3, 3)) }));
    QVERIFY(!MaskAgreement::compute({ Rle::encode(a) }));
}

void TestAgreement::majorityMatchesPixelVote()
{
    QRandomGenerator random(7);
    for (int round = 0; round < 300; ++round) {
        const int width = 1 + random.bounded(20), height = 1 + random.bounded(15);
        const int annotators = 2 + random.bounded(4);
        std::vector<Mask> masks;
        std::vector<Rle> rles;
        for (int a = 0; a < annotators; ++a) {
            Mask mask(width, height);
            for (int y = 0; y < height; ++y) {
                for (int x = 0; x < width; ++x)
                    mask.set(x, y, random.bounded(3) == 0);
            }
            masks.push_back(mask);
            rles.push_back(Rle::encode(mask));
        }
        Mask expected(width, height);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                int votes = 0;
                for (const Mask &mask : masks)
                    votes += mask.at(x, y) ? 1 : 0;
                expected.set(x, y, votes * 2 > annotators);
            }
        }
        const auto majority = MaskAgreement::majority(rles);
        QVERIFY(majority);
        QCOMPARE(majority->decode(), expected);
        QCOMPARE(*majority, Rle::encode(expected));
    }
}

QTEST_APPLESS_MAIN(TestAgreement)
#include "tst_agreement.moc"
