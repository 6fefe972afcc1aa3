#pragma once

#include "core/expected.h"
#include "core/rle.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QRectF>

namespace rs {

// COCO "segmentation" and "bbox" values (formats.md §7) read the way pycocotools reads them, for the
// formats whose files hold COCO masks (MUSE answers, COCO instances). Messages carry no location:
// callers prefix the file, record and field.
class CocoSegmentation
{
public:
    // Who reads the value decides which forms are legal (formats.md §4.2, §7).
    enum class Reader {
        FrPyObjects,  // mask.frPyObjects(seg, h, w) + decode (PixelLM's MUSE loader): also one flat
                      // polygon or box; compressed "counts" strings are accepted here but that loader
                      // cannot read them (see Decoded::compressed)
        AnnToRle,     // COCO.annToRLE: a list of polygons (or boxes), or one RLE object
    };

    enum class Kind { Polygons, Boxes, UncompressedRle, CompressedRle };

    struct Decoded
    {
        Rle rle;      // the union of the parts (pycocotools sums them; see MuseFormat)
        Kind kind = Kind::Polygons;
    };

    // The mask of `segmentation` on a height x width image. pycocotools dispatches on the first part
    // only: a first part of exactly 4 numbers makes every part a box [x, y, w, h], more than 4 a
    // polygon [x1, y1, ...]. Polygon vertices more than one pixel outside the image are an error
    // (pycocotools clips them silently; such a vertex is a broken annotation); an RLE whose size is
    // not [height, width] is an error (the mask would not line up with the image).
    static Expected<Decoded> decode(const QJsonValue &segmentation, int height, int width, Reader reader);

    // {"counts": [..], "size": [h, w]}: lossless, read by frPyObjects and annToRLE alike.
    static QJsonObject uncompressed(const Rle &rle);
    // {"counts": "<ascii>", "size": [h, w]}: the results-file form (loadRes accepts only this).
    static QJsonObject compressed(const Rle &rle);
    // The polygon list COCO writes for iscrowd 0: [[x1, y1, x2, y2, ...], ...].
    static QJsonArray polygons(const QList<QList<int>> &flat);

    // A "bbox" [x, y, w, h]: four finite numbers, w and h >= 0, inside the image with one pixel of slack.
    static Expected<QRectF> box(const QJsonValue &bbox, int height, int width);
    static QJsonArray boxJson(const QRectF &xywh);
};

} // namespace rs
