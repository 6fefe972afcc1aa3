#pragma once

#include "core/expected.h"
#include "core/labelledmask.h"
#include "core/labelmeshape.h"

#include <QPolygon>
#include <QSize>

#include <vector>

namespace rs {

// Turns ReasonSeg (LabelMe-style) shapes into LISA's {0, 1, 255} label image exactly as LISA's
// get_mask_from_json does (formats.md §1.3, `LISA: utils/data_processing.py:9-61`, with numpy 1.24.2
// and OpenCV's polylines/fillPoly):
//   1. label.lower() == "flag" → the shape is skipped; "ignore" in label.lower() → value 255; else 1.
//   2. Vertices are cast like np.array(points, dtype=np.int32): truncated toward zero, and values
//      outside the int32 range wrap modulo 2^32 (numpy 1.24 does so for Python numbers).
//   3. Each shape is drawn alone (polylines closed, thickness 1, LINE_8, then fillPoly) on an
//      image-sized canvas to measure its area; the 1-px outline is part of the area (OpenCV's fillPoly
//      draws the same edge lines itself, so polylines changes nothing; kept as LISA has it).
//   4. Shapes are painted on one canvas in np.argsort(area)[::-1] order (largest first, so smaller
//      shapes overwrite larger ones). Equal areas follow numpy 1.24's unstable quicksort, reversed:
//      with at most 16 kept shapes the later shape in the file is painted first and the earlier one
//      ends on top; with more shapes the order is what numpyArgsort() returns.
// Shapes with one or two points are drawn as LISA draws them (a dot or a segment). A shape with no
// point, or with a NaN/infinite coordinate, is an error naming the shape's index (LISA would raise).
class LisaRasterizer
{
public:
    enum class Role { Skipped, Target, Ignore };

    // Lower-casing is QString::toLower(); it matches Python's str.lower() except for a few non-ASCII
    // letters whose lower case is longer than one character.
    static Role roleOf(const QString &label);
    static std::uint8_t valueOf(Role role)
    {
        return role == Role::Ignore ? LabelledMask::kIgnoreValue : LabelledMask::kTargetValue;
    }

    // The vertices as LISA passes them to OpenCV (step 2).
    static Expected<QPolygon> pixelVertices(const QPolygonF &points);

    // The area of one shape drawn alone on an image of imageSize (step 3).
    static qsizetype shapeArea(const QPolygon &vertices, const QSize &imageSize);

    // Indices into shapes in painting order (step 4); skipped shapes are left out.
    static Expected<std::vector<int>> paintingOrder(const std::vector<LabelMeShape> &shapes,
                                                    const QSize &imageSize);

    // The label image of size imageSize. An empty shape list gives an all-background image.
    static Expected<LabelledMask> rasterize(const std::vector<LabelMeShape> &shapes, const QSize &imageSize);
};

} // namespace rs
