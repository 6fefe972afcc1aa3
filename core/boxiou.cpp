#include "core/boxiou.h"

#include "core/geometry.h"

#include <algorithm>

namespace rs {

namespace {

// One rounding per Python/torch operation: keeps the compiler from fusing a product into a sum.
template<typename T> T rounded(T value)
{
    volatile T stored = value;
    return stored;
}

} // namespace

double boxIoU(const BoxXyxy &a, const BoxXyxy &b)
{
    const double width = std::max(0.0, std::min(a[2], b[2]) - std::max(a[0], b[0]));
    const double height = std::max(0.0, std::min(a[3], b[3]) - std::max(a[1], b[1]));
    const double intersection = rounded(width * height);
    const double areaA = rounded((a[2] - a[0]) * (a[3] - a[1]));
    const double areaB = rounded((b[2] - b[0]) * (b[3] - b[1]));
    const double unionArea = rounded(rounded(areaA + areaB) - intersection);
    return unionArea == 0.0 ? 0.0 : intersection / unionArea;
}

double boxIoU(const QRectF &a, const QRectF &b)
{
    return boxIoU(boxToXyxy(a), boxToXyxy(b));
}

float boxIoUFloat32(const BoxXyxy &a, const BoxXyxy &b)
{
    const float ax1 = float(a[0]), ay1 = float(a[1]), ax2 = float(a[2]), ay2 = float(a[3]);
    const float bx1 = float(b[0]), by1 = float(b[1]), bx2 = float(b[2]), by2 = float(b[3]);
    const float areaA = rounded(rounded(ax2 - ax1) * rounded(ay2 - ay1));
    const float areaB = rounded(rounded(bx2 - bx1) * rounded(by2 - by1));
    const float width = std::max(0.0f, rounded(std::min(ax2, bx2) - std::max(ax1, bx1)));
    const float height = std::max(0.0f, rounded(std::min(ay2, by2) - std::max(ay1, by1)));
    const float intersection = rounded(width * height);
    const float unionArea = rounded(rounded(areaA + areaB) - intersection);
    return rounded(intersection / unionArea);
}

double boxIoUInclusive(const BoxXyxy &a, const BoxXyxy &b)
{
    const double x1 = std::max(a[0], b[0]);
    const double y1 = std::max(a[1], b[1]);
    const double x2 = std::min(a[2], b[2]);
    const double y2 = std::min(a[3], b[3]);
    const double intersection = (x1 < x2 && y1 < y2) ? rounded((x2 - x1 + 1) * (y2 - y1 + 1)) : 0.0;
    const double areaA = rounded((a[2] - a[0] + 1) * (a[3] - a[1] + 1));
    const double areaB = rounded((b[2] - b[0] + 1) * (b[3] - b[1] + 1));
    const double unionArea = rounded(rounded(areaA + areaB) - intersection);
    return unionArea == 0.0 ? 0.0 : intersection / unionArea;
}

double boxIoUInclusiveClamped(const BoxXyxy &a, const BoxXyxy &b)
{
    const double width = std::max(0.0, std::min(a[2], b[2]) - std::max(a[0], b[0]) + 1);
    const double height = std::max(0.0, std::min(a[3], b[3]) - std::max(a[1], b[1]) + 1);
    const double intersection = rounded(width * height);
    const double areaA = rounded((a[2] - a[0] + 1) * (a[3] - a[1] + 1));
    const double areaB = rounded((b[2] - b[0] + 1) * (b[3] - b[1] + 1));
    const double unionArea = rounded(rounded(areaA + areaB) - intersection);
    return unionArea == 0.0 ? 0.0 : intersection / unionArea;
}

} // namespace rs
