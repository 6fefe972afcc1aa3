#pragma once

#include "core/expected.h"
#include "core/mask.h"

#include <QJsonObject>
#include <QSize>
#include <QString>

namespace rs {

// The mask of one LabelMe shape (labelme/utils/shape.py shape_to_mask and shapes_to_label, read
// from `wkentaro/labelme`). LabelMe draws with PIL's ImageDraw; PIL is not available to our
// reference checker, so the rule is OpenCV's, chosen to be what LISA's loader does with the same
// points (formats.md §1.3) and what tests/formats/reference/check_labelme.py repeats with cv2:
//   vertices   each coordinate truncated toward zero (np.int32 cast, as LabelMe does for "mask")
//   polygon    cv::polylines (closed, thickness 1, LINE_8) + cv::fillPoly (LINE_8): the 1-px
//              outline is included, like PIL's outline=1 fill=1; at least 3 points
//   rectangle  the two corners' filled axis-aligned rectangle, both corners included (cv::rectangle
//              FILLED; PIL's rectangle includes both corners too)
//   circle     cv::circle FILLED, LINE_8, centre = the first point, radius = int(d + 0.5) with d the
//              distance to the second point
//   mask       the base64 PNG bitmap pasted with its top-left at the first point: mask[y1:y2+1,
//              x1:x2+1] = bitmap, exactly LabelMe's shapes_to_label; the bitmap must be that size and
//              single-channel (palette PNGs by index), any non-zero pixel is set
// Against Pillow 9.4 (measured once, docs/formats.md): rectangles are identical, polygons differ on
// boundary pixels (OpenCV's outline is fuller), circles by about half a pixel of radius.
// point, line, linestrip and points are not regions: isRegion() is false and they have no mask.
class LabelMeShapeMask
{
public:
    static bool isRegion(const QString &shapeType);
    // "polygon" when the shape has no shape_type (LabelMe's default).
    static QString shapeTypeOf(const QJsonObject &shape);

    // The shape drawn alone on an empty mask of imageSize. `where` starts every error
    // ("a.json shape 3"); an unknown shape_type, too few points or a bad bitmap is an Error.
    static Expected<Mask> draw(const QJsonObject &shape, const QSize &imageSize, const QString &where);
};

} // namespace rs
