// ImagePyramid and MaskPyramid: level sizes, every level pixel-exact against the documented rule
// (rounded mean of the existing 2 × 2 block), tiles exact and sharing memory, QImage::scaled
// agreement, and a 10000 × 10000 image built without a full-size scaled copy.
#include "core/mask.h"
#include "core/maskpainter.h"
#include "gui/canvas/imagepyramid.h"
#include "gui/canvas/maskpyramid.h"

#include <QRandomGenerator>
#include <QTest>

#include <sys/resource.h>

using namespace rs;

namespace {

QImage randomImage(QSize size, QImage::Format format, quint32 seed)
{
    QImage image(size, QImage::Format_ARGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < size.height(); ++y) {
        auto *row = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            row[x] = random.generate() | (format == QImage::Format_RGB32 ? 0xff000000u : 0u);
    }
    return image.convertToFormat(format);
}

// The documented rule, written plainly: per channel (sum + n/2) / n over the existing block.
QImage referenceHalf(const QImage &source)
{
    QImage result((source.width() + 1) / 2, (source.height() + 1) / 2, source.format());
    for (int y = 0; y < result.height(); ++y)
        for (int x = 0; x < result.width(); ++x) {
            int sum[4] = {0, 0, 0, 0};
            int n = 0;
            for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) {
                    const int sx = 2 * x + dx;
                    const int sy = 2 * y + dy;
                    if (sx >= source.width() || sy >= source.height())
                        continue;
                    const quint32 p = reinterpret_cast<const quint32 *>(source.constScanLine(sy))[sx];
                    for (int c = 0; c < 4; ++c)
                        sum[c] += (p >> (8 * c)) & 0xff;
                    ++n;
                }
            quint32 out = 0;
            for (int c = 0; c < 4; ++c)
                out |= quint32((sum[c] + n / 2) / n) << (8 * c);
            reinterpret_cast<quint32 *>(result.scanLine(y))[x] = out;
        }
    return result;
}

long peakRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

class TestImagePyramid : public QObject
{
    Q_OBJECT

private slots:
    void levelCount_data();
    void levelCount();
    void levelsFollowTheRule_data();
    void levelsFollowTheRule();
    void agreesWithQImageScaled();
    void tilesAreExactViews();
    void otherFormatsAreConvertedOnce();
    void buildsOnThePool();
    void hundredMegapixelsWithoutFullScaledCopy();
    void maskPyramidFollowsTheRule_data();
    void maskPyramidFollowsTheRule();
    void maskPyramidUpdatesInPlace();
};

void TestImagePyramid::levelCount_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("levels");
    QTest::newRow("1x1") << QSize(1, 1) << 1;
    QTest::newRow("one tile") << QSize(256, 256) << 1;
    QTest::newRow("one pixel over") << QSize(257, 1) << 2;
    QTest::newRow("512") << QSize(512, 512) << 2;
    QTest::newRow("513 wide") << QSize(513, 300) << 3;
    QTest::newRow("4000x3000") << QSize(4000, 3000) << 5;
    QTest::newRow("10000x10000") << QSize(10000, 10000) << 7;
    QTest::newRow("empty") << QSize(0, 10) << 0;
}

void TestImagePyramid::levelCount()
{
    QFETCH(QSize, size);
    QFETCH(int, levels);
    QCOMPARE(ImagePyramid::levelCountFor(size), levels);
    if (levels > 0) {
        const QSize last = ImagePyramid::levelSizeFor(size, levels - 1);
        QVERIFY(last.width() <= ImagePyramid::kTileSize && last.height() <= ImagePyramid::kTileSize);
    }
}

void TestImagePyramid::levelsFollowTheRule_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("format");
    QTest::newRow("odd 7x5 RGB32") << QSize(7, 5) << int(QImage::Format_RGB32);
    QTest::newRow("column 1x9") << QSize(1, 9) << int(QImage::Format_RGB32);
    QTest::newRow("row 9x1") << QSize(9, 1) << int(QImage::Format_RGB32);
    QTest::newRow("513x300 RGB32") << QSize(513, 300) << int(QImage::Format_RGB32);
    QTest::newRow("1025x777 premultiplied") << QSize(1025, 777) << int(QImage::Format_ARGB32_Premultiplied);
    QTest::newRow("1024x1024 RGB32") << QSize(1024, 1024) << int(QImage::Format_RGB32);
}

void TestImagePyramid::levelsFollowTheRule()
{
    QFETCH(QSize, size);
    QFETCH(int, format);
    const QImage image = randomImage(size, QImage::Format(format), quint32(size.width() * 31 + size.height()));
    const ImagePyramid pyramid(image);
    QCOMPARE(pyramid.levelCount(), ImagePyramid::levelCountFor(size));
    QCOMPARE(pyramid.level(0), image);
    for (int level = 1; level < pyramid.levelCount(); ++level) {
        QCOMPARE(pyramid.level(level).size(), ImagePyramid::levelSizeFor(size, level));
        QCOMPARE(pyramid.level(level).format(), QImage::Format(format));
        QCOMPARE(pyramid.level(level), referenceHalf(pyramid.level(level - 1)));
    }
    // Small images still get one level: the downsampling itself is checked on them directly.
    QCOMPARE(ImagePyramid::downsample(image), referenceHalf(image));
}

void TestImagePyramid::agreesWithQImageScaled()
{
    // For even sizes Qt's smooth 2:1 reduction is the same box filter, up to its rounding.
    const QImage image = randomImage(QSize(600, 400), QImage::Format_RGB32, 7);
    const QImage ours = ImagePyramid::downsample(image);
    const QImage qt = image.scaled(300, 200, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB32);
    int worst = 0;
    for (int y = 0; y < ours.height(); ++y)
        for (int x = 0; x < ours.width(); ++x) {
            const QRgb a = ours.pixel(x, y);
            const QRgb b = qt.pixel(x, y);
            worst = std::max({worst, std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)), std::abs(qBlue(a) - qBlue(b))});
        }
    QVERIFY2(worst <= 1, qPrintable(QString::number(worst)));
}

void TestImagePyramid::tilesAreExactViews()
{
    const QImage image = randomImage(QSize(700, 530), QImage::Format_RGB32, 11);
    QImage keptTile;
    {
        const ImagePyramid pyramid(image);
        QCOMPARE(pyramid.levelCount(), 3);
        for (int level = 0; level < pyramid.levelCount(); ++level) {
            const QImage &l = pyramid.level(level);
            QCOMPARE(pyramid.columns(level), (l.width() + 255) / 256);
            QCOMPARE(pyramid.rows(level), (l.height() + 255) / 256);
            qint64 covered = 0;
            for (int row = 0; row < pyramid.rows(level); ++row)
                for (int column = 0; column < pyramid.columns(level); ++column) {
                    const QRect rect = pyramid.tileRect(level, column, row);
                    const QImage tile = pyramid.tile(level, column, row);
                    QCOMPARE(tile.size(), rect.size());
                    QCOMPARE(tile, l.copy(rect));
                    // A view into the level, not a copy.
                    QCOMPARE(tile.constBits(), l.constScanLine(rect.y()) + rect.x() * 4);
                    covered += qint64(rect.width()) * rect.height();
                }
            QCOMPARE(covered, qint64(l.width()) * l.height());
        }
        keptTile = pyramid.tile(0, 2, 2);
    }
    // Still readable after the pyramid is gone.
    QCOMPARE(keptTile, image.copy(512, 512, 188, 18));
}

void TestImagePyramid::otherFormatsAreConvertedOnce()
{
    QImage gray(300, 300, QImage::Format_Grayscale8);
    gray.fill(77);
    const ImagePyramid pyramid(gray);
    QCOMPARE(pyramid.level(0).format(), QImage::Format_RGB32);
    QCOMPARE(pyramid.level(1).pixel(10, 10), qRgb(77, 77, 77));
    QImage withAlpha(300, 300, QImage::Format_ARGB32);
    withAlpha.fill(qRgba(200, 100, 50, 128));
    QCOMPARE(ImagePyramid(withAlpha).level(0).format(), QImage::Format_ARGB32_Premultiplied);
    // Already drawable: level 0 is the image itself.
    const QImage rgb = randomImage(QSize(300, 300), QImage::Format_RGB32, 3);
    QCOMPARE(ImagePyramid(rgb).level(0).constBits(), rgb.constBits());
}

void TestImagePyramid::buildsOnThePool()
{
    const QImage image = randomImage(QSize(900, 700), QImage::Format_RGB32, 5);
    auto future = ImagePyramid::build(image);
    future.waitForFinished();
    const std::shared_ptr<const ImagePyramid> pyramid = future.result();
    QVERIFY(pyramid);
    QCOMPARE(pyramid->levelCount(), 3);
    QCOMPARE(pyramid->level(2), referenceHalf(referenceHalf(image)));
}

void TestImagePyramid::hundredMegapixelsWithoutFullScaledCopy()
{
    QImage image(10000, 10000, QImage::Format_RGB32);
    QVERIFY(!image.isNull());
    // Touch every page so the peak below starts from the full image.
    for (int y = 0; y < image.height(); ++y) {
        auto *row = reinterpret_cast<quint32 *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            row[x] = 0xff000000u | quint32((x * 7) ^ (y * 13));
    }
    const long before = peakRssKiB();
    QElapsedTimer timer;
    timer.start();
    const ImagePyramid pyramid(image);
    const qint64 ms = timer.elapsed();
    const long grown = (peakRssKiB() - before) * 1024L;
    QCOMPARE(pyramid.levelCount(), 7);
    QCOMPARE(pyramid.level(6).size(), QSize(157, 157));
    QCOMPARE(pyramid.level(0).constBits(), image.constBits());  // no copy of level 0
    const qsizetype full = image.sizeInBytes();
    // The levels below 0 hold a third of the image at most (1/4 + 1/16 + ...)...
    QVERIFY(pyramid.reducedBytes() <= full / 3 + 1024 * 1024);
    // ...and building them needed no more than that: no full-size scaled or converted copy.
    QVERIFY2(grown <= pyramid.reducedBytes() + 32L * 1024 * 1024,
             qPrintable(QStringLiteral("peak grew by %1 MB, levels hold %2 MB").arg(grown >> 20).arg(pyramid.reducedBytes() >> 20)));
    // Spot checks against the rule on the last levels.
    QCOMPARE(pyramid.level(6), referenceHalf(pyramid.level(5)));
    qInfo("10000 x 10000: %lld ms, %lld MB of levels, peak RSS grew %ld MB", ms, qlonglong(pyramid.reducedBytes() >> 20),
          grown >> 20);
}

void TestImagePyramid::maskPyramidFollowsTheRule_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1030x517") << QSize(1030, 517);
    QTest::newRow("513x513") << QSize(513, 513);
    QTest::newRow("2049x300") << QSize(2049, 300);
}

void TestImagePyramid::maskPyramidFollowsTheRule()
{
    QFETCH(QSize, size);
    Mask mask(size.width(), size.height());
    MaskPainter::dab(mask, QPointF(size.width() / 3.0, size.height() / 2.0), size.height() / 3.0, true);
    MaskPainter::rectangle(mask, QRectF(size.width() - 20.3, 0, 40, size.height()), true);
    MaskPainter::segment(mask, QPointF(0, 0), QPointF(size.width(), size.height()), 1.5, true);
    MaskPyramid pyramid;
    pyramid.ensure(mask);
    QCOMPARE(pyramid.levelCount(), ImagePyramid::levelCountFor(size));
    // The same rule as the image pyramid, on a grey image of the mask (0 or 255).
    QImage grey(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            grey.setPixel(x, y, mask.at(x, y) ? 0xffffffffu : 0xff000000u);
    QImage expected = grey;
    for (int level = 1; level < pyramid.levelCount(); ++level) {
        expected = referenceHalf(expected);
        QCOMPARE(pyramid.levelSize(level), expected.size());
        for (int y = 0; y < expected.height(); ++y)
            for (int x = 0; x < expected.width(); ++x)
                QCOMPARE(int(pyramid.row(level, y)[x]), qRed(expected.pixel(x, y)));
    }
}

void TestImagePyramid::maskPyramidUpdatesInPlace()
{
    Mask mask(1500, 1100);
    MaskPyramid updated;
    updated.ensure(mask);
    QRandomGenerator random(9);
    for (int i = 0; i < 40; ++i) {
        const QPointF a(random.bounded(1500.0), random.bounded(1100.0));
        const QPointF b = a + QPointF(random.bounded(200.0) - 100, random.bounded(200.0) - 100);
        const QRect changed = MaskPainter::segment(mask, a, b, 1 + random.bounded(30.0), i % 3 != 2);
        updated.update(mask, changed);
    }
    MaskPyramid fresh;
    fresh.ensure(mask);
    for (int level = 1; level < fresh.levelCount(); ++level)
        for (int y = 0; y < fresh.levelSize(level).height(); ++y)
            QVERIFY(std::equal(fresh.row(level, y), fresh.row(level, y) + fresh.levelSize(level).width(), updated.row(level, y)));
}

QTEST_APPLESS_MAIN(TestImagePyramid)
#include "tst_imagepyramid.moc"
