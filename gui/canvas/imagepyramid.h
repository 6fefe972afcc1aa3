#pragma once

#include <QFuture>
#include <QImage>

#include <memory>
#include <vector>

namespace rs {

// An image and its halvings (levels 1, 1/2, 1/4, ... down to the first that fits in one tile), read
// in kTileSize × kTileSize tiles, so the canvas draws any zoom from at most twice the shown
// resolution and never scales the whole image.
//
// Downsampling rule: pixel (x, y) of level L+1 is, per channel, the rounded mean of the pixels
// (2x..2x+1, 2y..2y+1) of level L that exist: (sum + n/2) / n with n = 4, or 2 or 1 at an odd
// right/bottom edge. Level L has size ceil(w / 2^L) × ceil(h / 2^L). Each level is made from the one
// above it, never from a scaled copy of the whole image.
//
// Level 0 shares the image's pixels when it is already RGB32 or ARGB32_Premultiplied (what
// ImageLoader delivers); other formats are converted once. Immutable after construction: may be read
// from any thread.
class ImagePyramid
{
public:
    static constexpr int kTileSize = 256;

    ImagePyramid() = default;
    explicit ImagePyramid(const QImage &image);

    // Builds the pyramid on the thread pool (QtConcurrent).
    static QFuture<std::shared_ptr<const ImagePyramid>> build(QImage image);

    // How many levels an image of `size` gets: halving until both sides fit in one tile (0 when empty).
    static int levelCountFor(QSize size);
    static QSize levelSizeFor(QSize size, int level);
    // One halving by the rule above (32-bit formats only).
    static QImage downsample(const QImage &level);

    bool isNull() const { return m_levels.empty(); }
    QSize size() const { return m_levels.empty() ? QSize() : m_levels.front().size(); }
    int levelCount() const { return int(m_levels.size()); }
    const QImage &level(int level) const { return m_levels.at(std::size_t(level)); }

    int columns(int level) const;
    int rows(int level) const;
    // The pixels of tile (column, row) of `level`, in that level's pixels (smaller at the right and bottom).
    QRect tileRect(int level, int column, int row) const;
    // The tile as an image sharing the level's pixels (no copy); stays valid after the pyramid is gone.
    QImage tile(int level, int column, int row) const;

    // Bytes held by levels 1 and below (level 0 is the image).
    qsizetype reducedBytes() const;

private:
    std::vector<QImage> m_levels;
};

} // namespace rs
