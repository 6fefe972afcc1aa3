#include "core/maskpatch.h"

#include <cstring>

namespace rs {

MaskPatch MaskPatch::between(const Mask &before, const Mask &after, const QRect &rect)
{
    MaskPatch patch;
    patch.m_rect = rect.intersected(QRect(QPoint(0, 0), before.size()));
    if (patch.m_rect.isEmpty())
        return patch;
    patch.m_before = Rle::encode(before.copy(patch.m_rect));
    patch.m_after = Rle::encode(after.copy(patch.m_rect));
    return patch;
}

MaskPatch MaskPatch::between(const Mask &before, const Mask &after)
{
    return between(before, after, changedRect(before, after, QRect(QPoint(0, 0), before.size())));
}

QRect MaskPatch::changedRect(const Mask &a, const Mask &b, const QRect &rect)
{
    const QRect area = rect.intersected(QRect(QPoint(0, 0), a.size()));
    int top = -1;
    int bottom = -1;
    int left = area.right() + 1;
    int right = area.left() - 1;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const std::uint8_t *rowA = a.scanLine(y) + area.left();
        const std::uint8_t *rowB = b.scanLine(y) + area.left();
        if (std::memcmp(rowA, rowB, std::size_t(area.width())) == 0)
            continue;
        if (top < 0)
            top = y;
        bottom = y;
        for (int x = 0; x < area.width(); ++x)
            if (rowA[x] != rowB[x]) {
                left = std::min(left, area.left() + x);
                break;
            }
        for (int x = area.width() - 1; x >= 0; --x)
            if (rowA[x] != rowB[x]) {
                right = std::max(right, area.left() + x);
                break;
            }
    }
    if (top < 0)
        return QRect();
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

qsizetype MaskPatch::bytes() const
{
    return qsizetype(m_before.counts().size() + m_after.counts().size()) * qsizetype(sizeof(std::uint32_t));
}

void MaskPatch::apply(const Rle &pixels, Mask &mask) const
{
    if (m_rect.isEmpty())
        return;
    mask.paste(pixels.decode(), m_rect.topLeft());
}

} // namespace rs
