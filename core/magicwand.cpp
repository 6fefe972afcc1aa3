#include "core/magicwand.h"

#include <opencv2/imgproc.hpp>

namespace rs {

Mask MagicWand::select(const QImage &image, QPoint seed, int tolerance, bool eightConnected)
{
    Mask result(image.width(), image.height());
    if (!image.rect().contains(seed))
        return result;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    const cv::Mat pixels(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()), std::size_t(rgb.bytesPerLine()));
    cv::Mat filled(rgb.height() + 2, rgb.width() + 2, CV_8UC1, cv::Scalar(0));
    const int flags = (eightConnected ? 8 : 4) | cv::FLOODFILL_FIXED_RANGE | cv::FLOODFILL_MASK_ONLY | (1 << 8);
    const cv::Scalar range(tolerance, tolerance, tolerance);
    cv::Mat image3 = pixels.clone();
    cv::floodFill(image3, filled, cv::Point(seed.x(), seed.y()), cv::Scalar(), nullptr, range, range, flags);
    for (int y = 0; y < result.height(); ++y) {
        const std::uint8_t *src = filled.ptr<std::uint8_t>(y + 1) + 1;
        std::uint8_t *dst = result.scanLine(y);
        for (int x = 0; x < result.width(); ++x)
            dst[x] = src[x] != 0;
    }
    return result;
}

} // namespace rs
