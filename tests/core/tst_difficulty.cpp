#include "core/difficulty.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace rs;

Q_DECLARE_METATYPE(rs::DifficultyBucket)

class TstDifficulty : public QObject
{
    Q_OBJECT

private slots:
    void bucket_data();
    void bucket();
    void validity_data();
    void validity();
    void lengthBudget_data();
    void lengthBudget();
    void lengthScore_data();
    void lengthScore();
};

void TstDifficulty::bucket_data()
{
    QTest::addColumn<double>("score");
    QTest::addColumn<DifficultyBucket>("bucket");
    QTest::newRow("1") << 1.0 << DifficultyBucket::Easy;
    QTest::newRow("3.49") << 3.49 << DifficultyBucket::Easy;
    QTest::newRow("3.5 is medium") << 3.5 << DifficultyBucket::Medium;
    QTest::newRow("4.99") << 4.99 << DifficultyBucket::Medium;
    QTest::newRow("5.0 is hard") << 5.0 << DifficultyBucket::Hard;
    QTest::newRow("10") << 10.0 << DifficultyBucket::Hard;
    QTest::newRow("default 3.0") << Difficulty::kDefaultScore << DifficultyBucket::Easy;
}

void TstDifficulty::bucket()
{
    QFETCH(double, score);
    QFETCH(DifficultyBucket, bucket);
    QCOMPARE(Difficulty::bucketOf(score), bucket);
}

void TstDifficulty::validity_data()
{
    QTest::addColumn<double>("score");
    QTest::addColumn<bool>("valid");
    QTest::newRow("1") << 1.0 << true;
    QTest::newRow("10") << 10.0 << true;
    QTest::newRow("0.999") << 0.999 << false;
    QTest::newRow("10.001") << 10.001 << false;
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << false;
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << false;
}

void TstDifficulty::validity()
{
    QFETCH(double, score);
    QFETCH(bool, valid);
    QCOMPARE(Difficulty::isValidScore(score), valid);
}

void TstDifficulty::lengthBudget_data()
{
    QTest::addColumn<double>("score");
    QTest::addColumn<double>("uncertainty");
    QTest::addColumn<double>("budget"); // -1 = no budget
    QTest::newRow("easy") << 2.0 << 0.9 << 96.0;
    QTest::newRow("medium has none") << 4.0 << 0.5 << -1.0;
    QTest::newRow("hard, certain") << 5.0 << 0.0 << 256.0;
    QTest::newRow("hard, U=0.4") << 8.0 << 0.4 << 266.0;
    QTest::newRow("hard, U=1") << 10.0 << 1.0 << 281.0;
}

void TstDifficulty::lengthBudget()
{
    QFETCH(double, score);
    QFETCH(double, uncertainty);
    QFETCH(double, budget);
    const std::optional<double> actual = Difficulty::lengthBudget(score, uncertainty);
    QCOMPARE(actual.has_value(), budget >= 0);
    if (actual)
        QCOMPARE(*actual, budget);
}

void TstDifficulty::lengthScore_data()
{
    QTest::addColumn<double>("used");
    QTest::addColumn<double>("budget"); // -1 = none
    QTest::addColumn<double>("score");
    QTest::newRow("under budget") << 50.0 << 96.0 << 1.0;
    QTest::newRow("at budget") << 96.0 << 96.0 << 1.0;
    // 1 - (196 - 96) / 500 = 0.8
    QTest::newRow("100 over") << 196.0 << 96.0 << 0.8;
    QTest::newRow("way over clips to 0") << 1000.0 << 96.0 << 0.0;
    QTest::newRow("no budget") << 5000.0 << -1.0 << 1.0;
}

void TstDifficulty::lengthScore()
{
    QFETCH(double, used);
    QFETCH(double, budget);
    QFETCH(double, score);
    const std::optional<double> b = budget < 0 ? std::nullopt : std::optional<double>(budget);
    QCOMPARE(Difficulty::lengthScore(used, b), score);
}

QTEST_APPLESS_MAIN(TstDifficulty)
#include "tst_difficulty.moc"
