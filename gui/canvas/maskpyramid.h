#pragma once

#include <QRect>
#include <QSize>

#include <cstdint>
#include <memory>
#include <vector>

namespace rs {

class Mask;

// The coverage levels of one mask, matching ImagePyramid's levels, for drawing masks at any zoom.
// Level 0 is the mask itself (not held here: callers pass it; its bytes are 0 or 1). Level L ≥ 1
// holds per pixel the share of its 2^L × 2^L block that is set, as 0..255, by ImagePyramid's rule:
// the rounded mean (sum + n/2) / n of the existing 2 × 2 pixels of the level above, level 0 counting
// as 0 or 255. Updated in a changed rectangle at a cost proportional to that rectangle.
class MaskPyramid
{
public:
    // Forgets the levels: the next ensure() builds them from scratch.
    void invalidate() { m_built = false; }
    bool isBuilt() const { return m_built; }
    // Builds the levels of `mask` unless they are up to date.
    void ensure(const Mask &mask);
    // `mask` changed inside `rect` (level-0 pixels): recomputes what covers it on every level.
    // Does nothing until the levels are built.
    void update(const Mask &mask, const QRect &rect);

    int levelCount() const { return int(m_levels.size()) + 1; }
    QSize levelSize(int level) const { return m_levels.at(std::size_t(level - 1)).size; }
    // Row y of level ≥ 1.
    const std::uint8_t *row(int level, int y) const
    {
        const Level &l = m_levels[std::size_t(level - 1)];
        return l.data.get() + std::size_t(y) * std::size_t(l.size.width());
    }
    qsizetype bytes() const;

private:
    struct Level
    {
        QSize size;
        std::unique_ptr<std::uint8_t[]> data;  // not zeroed: every byte is written by the first update
    };
    void reduce(const Mask &mask, int level, const QRect &rect);

    std::vector<Level> m_levels;  // level L at index L - 1
    QSize m_size;
    bool m_built = false;
};

} // namespace rs
