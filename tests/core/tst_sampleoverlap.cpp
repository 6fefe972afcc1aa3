// SampleOverlap computes every protocol's counts on RLE; these tests hold it to the decoded-mask
// definitions in core (LisaMetric::countsFor, LabelledMask, OverlapCounts::of) on random masks.
#include "core/labelledmask.h"
#include "core/lisametric.h"
#include "core/rle.h"
#include "core/sampleoverlap.h"

#include <QRandomGenerator>
#include <QTest>

using namespace rs;

namespace {

Mask randomBlobs(QRandomGenerator &random, int width, int height, int blobs)
{
    Mask mask(width, height);
    for (int i = 0; i < blobs; ++i) {
        const int x = random.bounded(width), y = random.bounded(height);
        mask.fillRect(QRect(x, y, 1 + random.bounded(width - x), 1 + random.bounded(height - y)), true);
    }
    return mask;
}

RleTarget targetOf(const Mask &mask, bool ignore = false)
{
    RleTarget target = RleTarget::fromRle(Rle::encode(mask), QRectF(mask.boundingRect()), QStringLiteral("t"));
    target.ignore = ignore;
    return target;
}

} // namespace

class TestSampleOverlap : public QObject
{
    Q_OBJECT

private slots:
    void matchesDecodedMasks_data();
    void matchesDecodedMasks();
    void boxesAndBoxOnlyTargets();
    void emptyTruthTakesTheGivenSize();
    void rejectsMismatchedSizes();
};

void TestSampleOverlap::matchesDecodedMasks_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 40; ++seed)
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
}

// Targets split over several (overlapping) RLEs, ignore regions that overlap the targets (the
// targets win, as LISA's rasteriser leaves them), several predicted targets, empty masks.
void TestSampleOverlap::matchesDecodedMasks()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    for (int round = 0; round < 25; ++round) {
        const int width = 1 + random.bounded(40), height = 1 + random.bounded(30);
        std::vector<RleTarget> truth, prediction;
        Mask target(width, height), ignore(width, height), predicted(width, height);
        for (int i = random.bounded(3); i > 0; --i) {
            const Mask part = randomBlobs(random, width, height, 1 + random.bounded(3));
            target.unite(part);
            truth.push_back(targetOf(part));
        }
        for (int i = random.bounded(3); i > 0; --i) {
            const Mask part = randomBlobs(random, width, height, 1);
            ignore.unite(part);
            truth.push_back(targetOf(part, true));
        }
        for (int i = random.bounded(4); i > 0; --i) {
            const Mask part = randomBlobs(random, width, height, 1 + random.bounded(2));
            predicted.unite(part);
            prediction.push_back(targetOf(part));
        }
        const Expected<SampleOverlap> overlap = SampleOverlap::compute(truth, prediction, QSize(width, height));
        QVERIFY2(overlap, qPrintable(overlap.error()));

        const Expected<LabelledMask> labelled = LabelledMask::fromMasks(target, ignore.subtracted(target));
        QVERIFY(labelled);
        QCOMPARE(overlap->lisa, *LisaMetric::countsFor(predicted, *labelled));
        QCOMPARE(overlap->plain, *OverlapCounts::of(predicted, target));
        QCOMPARE(overlap->ignoreAsForeground, *OverlapCounts::of(predicted, labelled->nonZero()));
        QCOMPARE(overlap->truthArea, qint64(target.area()));
        QCOMPARE(overlap->truthAreaWithIgnore, qint64(labelled->nonZero().area()));
        QCOMPARE(overlap->predictedArea, qint64(predicted.area()));
        QCOMPARE(overlap->truthEmpty, target.isEmpty());
        QCOMPARE(overlap->predictedMask, !prediction.empty());
        QCOMPARE(overlap->imageSize, QSize(width, height));
    }
}

void TestSampleOverlap::boxesAndBoxOnlyTargets()
{
    Mask target(20, 10);
    target.fillRect(QRect(3, 2, 5, 4), true);  // x 3..7, y 2..5
    RleTarget boxOnly;
    boxOnly.box = QRectF(1, 1, 6, 3);
    const Expected<SampleOverlap> overlap = SampleOverlap::compute({ targetOf(target) }, { boxOnly }, QSize());
    QVERIFY(overlap);
    QVERIFY(!overlap->predictedMask);
    QCOMPARE(overlap->predictedArea, qint64(0));
    QCOMPARE(overlap->plain, (OverlapCounts { 0, 20 }));
    QVERIFY(overlap->truthBox);
    QCOMPARE(*overlap->truthBox, (BoxXyxy { 3, 2, 8, 6 }));
    QCOMPARE(overlap->predictedBoxes.size(), std::size_t(1));
    QCOMPARE(overlap->predictedBoxes.front(), (BoxXyxy { 1, 1, 7, 4 }));
}

void TestSampleOverlap::emptyTruthTakesTheGivenSize()
{
    Mask predicted(8, 6);
    predicted.fillRect(QRect(0, 0, 2, 3), true);
    const Expected<SampleOverlap> overlap = SampleOverlap::compute({}, { targetOf(predicted) }, QSize(8, 6));
    QVERIFY(overlap);
    QVERIFY(overlap->truthEmpty);
    QVERIFY(!overlap->truthBox);
    QCOMPARE(overlap->lisa, (OverlapCounts { 0, 6 }));

    const Expected<SampleOverlap> nothing = SampleOverlap::compute({}, {}, QSize(8, 6));
    QVERIFY(nothing);
    QCOMPARE(nothing->lisa, (OverlapCounts { 0, 0 }));
}

void TestSampleOverlap::rejectsMismatchedSizes()
{
    const Expected<SampleOverlap> overlap =
        SampleOverlap::compute({ targetOf(Mask(10, 10)) }, { targetOf(Mask(10, 12)) }, QSize());
    QVERIFY(!overlap);
    QCOMPARE(overlap.error(), QStringLiteral("a predicted mask is 10x12, the sample's ground truth is 10x10"));

    RleTarget broken = targetOf(Mask(4, 4));
    broken.counts = "not an rle";
    const Expected<SampleOverlap> malformed = SampleOverlap::compute({ broken }, {}, QSize());
    QVERIFY(!malformed);
    QVERIFY2(malformed.error().startsWith(QStringLiteral("ground-truth target: ")), qPrintable(malformed.error()));
}

QTEST_APPLESS_MAIN(TestSampleOverlap)
#include "tst_sampleoverlap.moc"
