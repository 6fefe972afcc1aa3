#pragma once

#include "core/mask.h"
#include "core/rle.h"

#include <QRect>

namespace rs {

// The pixels of one rectangle of a mask before and after an edit, each RLE-compressed: what an
// undo step keeps. A brush stroke on a 16-megapixel mask costs a few hundred bytes, not megabytes
// (docs/performance.md measures 1,000 steps).
class MaskPatch
{
public:
    MaskPatch() = default;

    // The difference between two masks of the same size inside `rect` (clipped to the masks).
    static MaskPatch between(const Mask &before, const Mask &after, const QRect &rect);
    // The same over the smallest rectangle that holds every changed pixel (empty when none changed).
    static MaskPatch between(const Mask &before, const Mask &after);

    const QRect &rect() const { return m_rect; }
    bool isEmpty() const { return m_rect.isEmpty(); }
    // Writes the "before" (undo) or "after" (redo) pixels into mask.
    void applyBefore(Mask &mask) const { apply(m_before, mask); }
    void applyAfter(Mask &mask) const { apply(m_after, mask); }
    // Bytes held (both RLEs' counts).
    qsizetype bytes() const;

    // The smallest rectangle of `rect` where a and b differ; empty when they are equal there.
    static QRect changedRect(const Mask &a, const Mask &b, const QRect &rect);

private:
    void apply(const Rle &pixels, Mask &mask) const;

    QRect m_rect;
    Rle m_before;
    Rle m_after;
};

} // namespace rs
