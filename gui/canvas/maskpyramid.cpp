#include "gui/canvas/maskpyramid.h"

#include "core/mask.h"
#include "gui/canvas/imagepyramid.h"

#include <algorithm>
#include <cstring>

namespace rs {

void MaskPyramid::ensure(const Mask &mask)
{
    if (m_built && m_size == mask.size())
        return;
    m_size = mask.size();
    const int count = ImagePyramid::levelCountFor(m_size);
    m_levels.clear();
    m_levels.resize(std::size_t(std::max(0, count - 1)));
    for (int level = 1; level < count; ++level) {
        Level &l = m_levels[std::size_t(level - 1)];
        l.size = ImagePyramid::levelSizeFor(m_size, level);
        l.data.reset(new std::uint8_t[std::size_t(l.size.width()) * std::size_t(l.size.height())]);
    }
    m_built = true;
    if (!m_levels.empty())
        update(mask, QRect(QPoint(0, 0), m_size));
}

void MaskPyramid::update(const Mask &mask, const QRect &rect)
{
    if (!m_built || mask.size() != m_size)
        return;
    QRect area = rect.intersected(QRect(QPoint(0, 0), m_size));
    for (int level = 1; level < levelCount() && !area.isEmpty(); ++level) {
        // The pixels of `level` whose 2 × 2 blocks meet `area` (of level - 1).
        area = QRect(QPoint(area.left() / 2, area.top() / 2), QPoint(area.right() / 2, area.bottom() / 2));
        reduce(mask, level, area);
    }
}

void MaskPyramid::reduce(const Mask &mask, int level, const QRect &rect)
{
    Level &out = m_levels[std::size_t(level - 1)];
    const QSize sourceSize = level == 1 ? m_size : m_levels[std::size_t(level - 2)].size;
    // Level 0 holds 0/1, scaled to 0/255; higher levels hold 0..255 already.
    const int scale = level == 1 ? 255 : 1;
    auto sourceRow = [&](int y) -> const std::uint8_t * { return level == 1 ? mask.scanLine(y) : row(level - 1, y); };
    // Output columns whose 2 × 2 block is complete: no edge cases, so the loop vectorises.
    const int fullRight = std::min(rect.right(), sourceSize.width() / 2 - 1);
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        const std::uint8_t *r0 = sourceRow(2 * y);
        const std::uint8_t *r1 = 2 * y + 1 < sourceSize.height() ? sourceRow(2 * y + 1) : nullptr;
        std::uint8_t *o = out.data.get() + std::size_t(y) * std::size_t(out.size.width());
        int x = rect.left();
        if (r1) {
            // Four outputs at a time from eight bytes of each row, in 16-bit lanes (SWAR).
            constexpr std::uint64_t kLow = 0x00ff00ff00ff00ffULL;
            constexpr std::uint64_t kTwo = 0x0002000200020002ULL;
            for (; x + 3 <= fullRight; x += 4) {
                std::uint64_t a;
                std::uint64_t b;
                std::memcpy(&a, r0 + 2 * x, 8);
                std::memcpy(&b, r1 + 2 * x, 8);
                std::uint64_t sum = (a & kLow) + ((a >> 8) & kLow) + (b & kLow) + ((b >> 8) & kLow);  // ≤ 1020 per lane
                sum = (((sum * std::uint64_t(scale)) + kTwo) >> 2) & kLow;
                sum = (sum | (sum >> 8)) & 0x0000ffff0000ffffULL;
                const auto four = std::uint32_t(sum | (sum >> 16));
                std::memcpy(o + x, &four, 4);
            }
            for (; x <= fullRight; ++x)
                o[x] = std::uint8_t(((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]) * scale + 2) >> 2);
        }
        for (; x <= rect.right(); ++x) {
            const int x0 = 2 * x;
            const bool pair = x0 + 1 < sourceSize.width();
            int sum = r0[x0] + (pair ? r0[x0 + 1] : 0);
            int n = pair ? 2 : 1;
            if (r1) {
                sum += r1[x0] + (pair ? r1[x0 + 1] : 0);
                n *= 2;
            }
            o[x] = std::uint8_t((sum * scale + n / 2) / n);
        }
    }
}

qsizetype MaskPyramid::bytes() const
{
    qsizetype total = 0;
    for (const Level &l : m_levels)
        total += qsizetype(l.size.width()) * l.size.height();
    return total;
}

} // namespace rs
