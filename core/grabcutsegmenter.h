#pragma once

#include "core/mask.h"

#include <QImage>
#include <QRect>

#include <memory>

namespace rs {

// Box → GrabCut (OpenCV grabCut): segments the object inside a box, then refines with strokes the
// annotator marks as surely foreground or surely background. Keeps GrabCut's colour models between
// calls, as the algorithm intends. Works on a crop around the box (the box plus a margin), so a
// 16-megapixel image costs what the box costs.
class GrabCutSegmenter
{
public:
    explicit GrabCutSegmenter(QImage image);
    ~GrabCutSegmenter();

    // The object inside `box` (image pixels); an empty mask when the box is too small (< 4×4).
    Mask segment(const QRect &box, int iterations = 5);
    // Re-runs with pixels forced to foreground / background (masks of the image's size).
    Mask refine(const Mask &foreground, const Mask &background, int iterations = 3);

private:
    Mask toMask() const;

    struct State;
    QImage m_image;
    std::unique_ptr<State> m_state;
};

} // namespace rs
