#include "gui/canvas/maskoutline.h"

#include "core/mask.h"

namespace rs {

QList<QLineF> MaskOutline::edges(const Mask &mask, const QRect &area)
{
    QList<QLineF> lines;
    const QRect a = area.intersected(QRect(QPoint(0, 0), mask.size()));
    if (a.isEmpty())
        return lines;
    auto at = [&](int x, int y) { return mask.contains(x, y) && mask.at(x, y); };
    // Horizontal edges on the line y between rows y - 1 and y.
    for (int y = a.top(); y <= a.bottom() + 1; ++y) {
        int start = -1;
        for (int x = a.left(); x <= a.right() + 1; ++x) {
            const bool edge = x <= a.right() && at(x, y - 1) != at(x, y);
            if (edge && start < 0)
                start = x;
            if (!edge && start >= 0) {
                lines << QLineF(start, y, x, y);
                start = -1;
            }
        }
    }
    // Vertical edges on the line x between columns x - 1 and x.
    for (int x = a.left(); x <= a.right() + 1; ++x) {
        int start = -1;
        for (int y = a.top(); y <= a.bottom() + 1; ++y) {
            const bool edge = y <= a.bottom() && at(x - 1, y) != at(x, y);
            if (edge && start < 0)
                start = y;
            if (!edge && start >= 0) {
                lines << QLineF(x, start, x, y);
                start = -1;
            }
        }
    }
    return lines;
}

} // namespace rs
