#include "core/mask.h"

#include "maskart.h"

#include <QTest>

#include <random>

using namespace rs;
using rs::test::fromArt;
using rs::test::toArt;

class TstMask : public QObject
{
    Q_OBJECT

private slots:
    void construction_data();
    void construction();
    void areaAndBoundingRect_data();
    void areaAndBoundingRect();
    void booleanOps();
    void fromBytesNormalises();
    void filledHoles_data();
    void filledHoles();
    void connectedComponents();
    void withoutSmallComponents();
    void copyAndPaste();
    void copyPasteRestoresRandomPatches();
    void wordWiseOpsMatchPixelLoop();
};

void TstMask::construction_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<bool>("isNull");
    QTest::newRow("3x2") << 3 << 2 << false;
    QTest::newRow("1x1") << 1 << 1 << false;
    QTest::newRow("zero width") << 0 << 5 << true;
    QTest::newRow("negative height") << 4 << -1 << true;
    QTest::newRow("both negative") << -3 << -3 << true;
}

void TstMask::construction()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(bool, isNull);
    const Mask mask(width, height, true);
    QCOMPARE(mask.isNull(), isNull);
    QCOMPARE(mask.area(), isNull ? 0 : qsizetype(width) * height);
}

void TstMask::areaAndBoundingRect_data()
{
    QTest::addColumn<QStringList>("art");
    QTest::addColumn<qsizetype>("area");
    QTest::addColumn<QRect>("bounds");
    QTest::newRow("empty") << QStringList{"...", "..."} << qsizetype(0) << QRect();
    QTest::newRow("single pixel") << QStringList{"...", ".#."} << qsizetype(1) << QRect(1, 1, 1, 1);
    QTest::newRow("full") << QStringList{"##", "##"} << qsizetype(4) << QRect(0, 0, 2, 2);
    QTest::newRow("corners") << QStringList{"#...", "....", "...#"} << qsizetype(2) << QRect(0, 0, 4, 3);
    QTest::newRow("right column") << QStringList{"..#", "..#"} << qsizetype(2) << QRect(2, 0, 1, 2);
    QTest::newRow("diagonal") << QStringList{".#..", "..#.", "...."} << qsizetype(2) << QRect(1, 0, 2, 2);
}

void TstMask::areaAndBoundingRect()
{
    QFETCH(QStringList, art);
    QFETCH(qsizetype, area);
    QFETCH(QRect, bounds);
    const Mask mask = fromArt(art);
    QCOMPARE(mask.area(), area);
    QCOMPARE(mask.isEmpty(), area == 0);
    QCOMPARE(mask.boundingRect(), bounds);
}

void TstMask::booleanOps()
{
    const Mask a = fromArt({"##..", "##.."});
    const Mask b = fromArt({".##.", ".##."});
    QCOMPARE(toArt(a.united(b)), QStringList({"###.", "###."}));
    QCOMPARE(toArt(a.intersected(b)), QStringList({".#..", ".#.."}));
    QCOMPARE(toArt(a.subtracted(b)), QStringList({"#...", "#..."}));
    QCOMPARE(toArt(b.subtracted(a)), QStringList({"..#.", "..#."}));
    QCOMPARE(a.intersectionArea(b), qsizetype(2));
    // The operations must keep bytes at exactly 0/1 so that area() stays a count.
    QCOMPARE(a.united(b).area(), qsizetype(6));
    QCOMPARE(a.subtracted(b).area(), qsizetype(2));
}

void TstMask::fromBytesNormalises()
{
    // Row stride larger than the width, and bytes other than 0/1.
    const std::uint8_t bytes[] = {0, 255, 7, 99, 99,
                                  3, 0, 0, 99, 99};
    const Mask mask = Mask::fromBytes(bytes, 3, 2, 5);
    QCOMPARE(toArt(mask), QStringList({".##", "#.."}));
    QCOMPARE(mask.area(), qsizetype(3));
}

void TstMask::filledHoles_data()
{
    QTest::addColumn<QStringList>("art");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("ring") << QStringList{"#####", "#...#", "#...#", "#####"}
                          << QStringList{"#####", "#####", "#####", "#####"};
    QTest::newRow("open at border") << QStringList{"##.##", "#...#", "#####"}
                                    << QStringList{"##.##", "#...#", "#####"};
    // A diagonal gap is not a 4-connected path, so the inside is a hole.
    QTest::newRow("diagonal gap") << QStringList{".###.", "#...#", "#...#", ".###."}
                                  << QStringList{".###.", "#####", "#####", ".###."};
    QTest::newRow("nothing") << QStringList{"...", "..."} << QStringList{"...", "..."};
}

void TstMask::filledHoles()
{
    QFETCH(QStringList, art);
    QFETCH(QStringList, expected);
    QCOMPARE(toArt(fromArt(art).filledHoles()), expected);
}

void TstMask::connectedComponents()
{
    // Three 8-connected components: areas 4, 2 (diagonal pair), 1.
    const Mask mask = fromArt({"##...#",
                               "##....",
                               "....#.",
                               ".....#"});
    const std::vector<Mask> parts = mask.connectedComponents();
    QCOMPARE(parts.size(), std::size_t(3));
    QCOMPARE(parts[0].area(), qsizetype(4));
    QCOMPARE(parts[1].area(), qsizetype(2));
    QCOMPARE(parts[2].area(), qsizetype(1));
    QCOMPARE(parts[1].boundingRect(), QRect(4, 2, 2, 2));
    QCOMPARE(parts[2].boundingRect(), QRect(5, 0, 1, 1));
    Mask all(mask.width(), mask.height());
    for (const Mask &part : parts)
        all.unite(part);
    QCOMPARE(all, mask);
    QVERIFY(Mask(4, 4).connectedComponents().empty());
}

void TstMask::withoutSmallComponents()
{
    const Mask mask = fromArt({"##..#", "##...", "....#"});
    QCOMPARE(toArt(mask.withoutSmallComponents(2)), QStringList({"##...", "##...", "....."}));
    QCOMPARE(mask.withoutSmallComponents(1), mask);
    QCOMPARE(mask.withoutSmallComponents(5).area(), qsizetype(0));
}

void TstMask::copyAndPaste()
{
    Mask mask = fromArt({"#....", ".##..", ".##..", "....#"});
    const Mask patch = mask.copy(QRect(1, 1, 3, 2));
    QCOMPARE(toArt(patch), QStringList({"##.", "##."}));
    // Clipped at the border.
    QCOMPARE(toArt(mask.copy(QRect(3, 2, 5, 5))), QStringList({"..", ".#"}));

    Mask target(5, 4);
    target.paste(patch, QPoint(3, 3)); // mostly outside: only the top-left 2x1 lands
    QCOMPARE(toArt(target), QStringList({".....", ".....", ".....", "...##"}));
    target.paste(patch, QPoint(-1, -1)); // only the bottom-right 2x1 lands
    QCOMPARE(toArt(target), QStringList({"#....", ".....", ".....", "...##"}));
}

void TstMask::copyPasteRestoresRandomPatches()
{
    // The undo model keeps the before-patch of a dirty rectangle; pasting it back must restore the mask.
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        const int w = 1 + int(rng() % 40), h = 1 + int(rng() % 40);
        Mask mask(w, h);
        for (int i = 0; i < w * h / 3; ++i)
            mask.set(int(rng() % w), int(rng() % h), true);
        const Mask original = mask;
        const QRect dirty(int(rng() % w) - 3, int(rng() % h) - 3, 1 + int(rng() % 20), 1 + int(rng() % 20));
        const Mask before = mask.copy(dirty);
        mask.fillRect(dirty, rng() % 2);
        mask.paste(before, dirty.intersected(QRect(0, 0, w, h)).topLeft());
        QCOMPARE(mask, original);
    }
}

void TstMask::wordWiseOpsMatchPixelLoop()
{
    // area() and the boolean operations work on 8 pixels at a time in batches of 255 words; sizes
    // here straddle the word tail (n % 8 != 0) and the batch boundary (2040 bytes).
    std::mt19937 rng(11);
    for (int round = 0; round < 300; ++round) {
        const int w = 1 + int(rng() % 97), h = 1 + int(rng() % 61);
        Mask a(w, h), b(w, h);
        const unsigned densityA = 1 + rng() % 9, densityB = 1 + rng() % 9;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                a.set(x, y, rng() % 10 < densityA);
                b.set(x, y, rng() % 10 < densityB);
            }
        qsizetype areaA = 0, shared = 0;
        Mask united(w, h), intersected(w, h), subtracted(w, h);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                areaA += a.at(x, y);
                shared += a.at(x, y) && b.at(x, y);
                united.set(x, y, a.at(x, y) || b.at(x, y));
                intersected.set(x, y, a.at(x, y) && b.at(x, y));
                subtracted.set(x, y, a.at(x, y) && !b.at(x, y));
            }
        QCOMPARE(a.area(), areaA);
        QCOMPARE(a.isEmpty(), areaA == 0);
        QCOMPARE(a.intersectionArea(b), shared);
        QCOMPARE(a.united(b), united);
        QCOMPARE(a.intersected(b), intersected);
        QCOMPARE(a.subtracted(b), subtracted);
    }
    // One set pixel at the very end, after many empty words.
    Mask last(3001, 7);
    QVERIFY(last.isEmpty());
    last.set(3000, 6, true);
    QVERIFY(!last.isEmpty());
    QCOMPARE(last.area(), qsizetype(1));
    Mask full(4099, 3, true);
    QCOMPARE(full.area(), qsizetype(4099 * 3));
}

QTEST_APPLESS_MAIN(TstMask)
#include "tst_mask.moc"
