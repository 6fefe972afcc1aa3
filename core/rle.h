#pragma once

#include "core/expected.h"
#include "core/overlapcounts.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPolygonF>
#include <QRectF>

#include <cstdint>
#include <vector>

namespace rs {

class Mask;

// A binary mask in COCO run-length encoding, bit-exact with pycocotools (common/maskApi.c).
//
// Runs are taken over the mask flattened column-major (pixel (x, y) at index x * height + y) and
// alternate background/foreground starting with background, so counts()[0] may be 0. The sum of the
// counts is always height * width. Counts are kept exactly as given: an RLE built with fromCounts()
// or fromString() may hold zero-length runs, which pycocotools tolerates and carries through to
// toString(), bbox() and merge(); RLEs made here by encode(), fromPolygon(), fromBox() and merge()
// of such RLEs never contain one (except a leading 0).
//
// Sizes: height and width >= 0 and height * width <= MaxPixels; the factories that take sizes from
// input reject anything else with an Error.
class Rle
{
public:
    // pycocotools keeps counts and positions in 32-bit integers and rasterises polygons in int.
    static constexpr qint64 MaxPixels = 2147483647;

    // A 0 x 0 RLE with no counts (what pycocotools' merge of nothing gives).
    Rle() = default;

    static bool isValidSize(int height, int width);

    // Precondition: mask.pixelCount() <= MaxPixels (a larger mask gives a 0 x 0 RLE).
    static Rle encode(const Mask &mask);
    // A mask of width() x height(); null when either is 0.
    Mask decode() const;

    // The compressed "counts" string of COCO JSON (rleToString): ASCII '0'..'o', no terminator.
    QByteArray toString() const;
    static Expected<Rle> fromString(QByteArrayView counts, int height, int width);
    // Uncompressed RLE, as in COCO's iscrowd annotations. Zero-length runs anywhere are accepted and
    // kept (pycocotools keeps them); the sum must be height * width (pycocotools does not check, but
    // every operation on such an RLE would read or write out of bounds).
    static Expected<Rle> fromCounts(int height, int width, std::vector<std::uint32_t> counts);

    // rleFrPoly: vertices in pixel coordinates (pixel centres at integers), rasterised at 5x.
    // Vertices are checked with polygonProblem(); |coordinate| must be <= 2^28 and the outline at
    // most 2^25 steps at 5x resolution (pycocotools would overflow or exhaust memory beyond that).
    // When height * width == 0 the result is an empty RLE of that size.
    static Expected<Rle> fromPolygon(const QPolygonF &polygon, int height, int width);
    // Union of the parts, like COCO annToRLE (frPyObjects + merge); no parts gives an empty mask.
    static Expected<Rle> fromPolygons(const QList<QPolygonF> &polygons, int height, int width);
    // rleFrBbox: the box [x, y, w, h] as the polygon (x0,y0) (x0,y1) (x1,y1) (x1,y0). A box with a
    // non-finite value is empty; an invalid size gives a 0 x 0 RLE.
    static Rle fromBox(const QRectF &xywh, int height, int width);

    int height() const { return m_height; }
    int width() const { return m_width; }
    const std::vector<std::uint32_t> &counts() const { return m_counts; }

    qint64 area() const;
    // rleToBbox: [x, y, w, h] of the foreground; a run that spans columns makes the box full height.
    // Empty (all zero) for an empty mask.
    QRectF bbox() const;

    // Union (or intersection) of RLEs of one size; rleMerge, including its handling of
    // zero-length runs. No RLEs give Rle().
    static Expected<Rle> merge(const std::vector<Rle> &rles, bool intersect);
    // Error when the sizes differ.
    static Expected<OverlapCounts> overlap(const Rle &a, const Rle &b);
    // Whether two RLEs hold the same pixels (two encodings of one mask may differ in zero-length runs);
    // false when their sizes differ.
    static bool samePixels(const Rle &a, const Rle &b);
    // rleIou: 0 when the bounding boxes do not overlap or nothing intersects; -1 when the sizes
    // differ (and the boxes overlap); |dt ∩ gt| / |dt| when gtIsCrowd, else intersection over union.
    static double iou(const Rle &dt, const Rle &gt, bool gtIsCrowd);

    // Representation equality: same size and identical counts.
    bool operator==(const Rle &other) const = default;

private:
    Rle(int height, int width, std::vector<std::uint32_t> counts);

    int m_height = 0;
    int m_width = 0;
    std::vector<std::uint32_t> m_counts;
};

} // namespace rs
