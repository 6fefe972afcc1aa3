// libFuzzer target: COCO compressed RLE strings (Rle::fromString) with any size, and what a decoded
// RLE must then satisfy: the string round-trips, area and bbox agree with the decoded mask.
#include "core/mask.h"
#include "core/rle.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    const int height = data[0] % 64, width = data[1] % 64;  // small masks: many executions per second
    const QByteArrayView counts(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const rs::Expected<rs::Rle> rle = rs::Rle::fromString(counts, height, width);
    if (!rle)
        return 0;
    if (height == 0 || width == 0)
        return 0;  // a degenerate size decodes to a null mask, which encodes as 0 x 0 (documented)
    const rs::Mask mask = rle->decode();
    if (rle->area() != qint64(mask.area()))
        std::abort();
    const rs::Rle again = rs::Rle::encode(mask);
    if (!rs::Rle::samePixels(*rle, again) || rle->height() * rle->width() != qint64(mask.pixelCount()))
        std::abort();
    const rs::Expected<rs::Rle> reread = rs::Rle::fromString(again.toString(), height, width);
    if (!reread || !(*reread == again))
        std::abort();
    (void)rle->bbox();
    return 0;
}
