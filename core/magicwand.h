#pragma once

#include "core/mask.h"

#include <QImage>
#include <QPoint>

namespace rs {

// The magic wand: the connected region of similar colour around a seed pixel (OpenCV floodFill in
// fixed-range mode: a pixel joins when each of its R, G, B differs from the seed's by at most
// `tolerance`).
class MagicWand
{
public:
    // `eightConnected` also joins diagonal neighbours. An empty mask when seed is outside the image.
    static Mask select(const QImage &image, QPoint seed, int tolerance, bool eightConnected = false);
};

} // namespace rs
