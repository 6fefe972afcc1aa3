// The model's difficulty estimate: the default mapping's values by hand, a least-squares fit that
// recovers known coefficients, and when a project has too few ratings to fit.
#include "core/difficultyestimate.h"

#include <QTest>

#include <cmath>

using namespace rs;

class TestDifficultyEstimate : public QObject
{
    Q_OBJECT

private slots:
    void defaultMapping_data();
    void defaultMapping();
    void fitRecoversCoefficients();
    void tooFewOrDegenerate();
};

void TestDifficultyEstimate::defaultMapping_data()
{
    QTest::addColumn<int>("tokens");
    QTest::addColumn<double>("uncertainty");
    QTest::addColumn<double>("expected");
    QTest::newRow("28 tokens, U 0.1") << 28 << 0.1 << 1.2248 + 0.07026 * 28 - 2.8908 * 0.1;  // 2.8031
    QTest::newRow("62 tokens, U 0.2") << 62 << 0.2 << 1.2248 + 0.07026 * 62 - 2.8908 * 0.2;  // 5.0030
    QTest::newRow("clamped low") << 0 << 0.5 << 1.0;
    QTest::newRow("clamped high") << 200 << 0.0 << 10.0;
}

void TestDifficultyEstimate::defaultMapping()
{
    QFETCH(int, tokens);
    QFETCH(double, uncertainty);
    QFETCH(double, expected);
    const DifficultyEstimate mapping = DifficultyEstimate::defaultMapping();
    QCOMPARE(mapping.fittedOn(), 0);
    QVERIFY(std::abs(mapping.estimate(tokens, uncertainty) - expected) < 1e-12);
}

void TestDifficultyEstimate::fitRecoversCoefficients()
{
    // d = 2 + 0.05·tokens + 3·U exactly, on a 6 x 5 grid of (tokens, U).
    std::vector<DifficultyEstimate::Observation> observations;
    for (int t = 10; t <= 60; t += 10) {
        for (int u = 0; u < 5; ++u)
            observations.push_back({ t, 0.1 * u, 2.0 + 0.05 * t + 3.0 * 0.1 * u });
    }
    const auto fitted = DifficultyEstimate::fit(observations);
    QVERIFY(fitted);
    QCOMPARE(fitted->fittedOn(), 30);
    QVERIFY(std::abs(fitted->intercept() - 2.0) < 1e-9);
    QVERIFY(std::abs(fitted->perToken() - 0.05) < 1e-9);
    QVERIFY(std::abs(fitted->perUncertainty() - 3.0) < 1e-9);
    QCOMPARE(DifficultyEstimate::forProject(observations).fittedOn(), 30);
}

void TestDifficultyEstimate::tooFewOrDegenerate()
{
    std::vector<DifficultyEstimate::Observation> few(19, { 10, 0.1, 3.0 });
    QVERIFY(!DifficultyEstimate::fit(few));
    QCOMPARE(DifficultyEstimate::forProject(few).fittedOn(), 0);
    std::vector<DifficultyEstimate::Observation> sameLength;
    for (int i = 0; i < 25; ++i)
        sameLength.push_back({ 40, 0.01 * i, 3.0 + i * 0.1 });
    QVERIFY(!DifficultyEstimate::fit(sameLength));  // tokens never vary: collinear with the intercept
}

QTEST_APPLESS_MAIN(TestDifficultyEstimate)
#include "tst_difficultyestimate.moc"
