#include "core/maskdiff.h"

#include <opencv2/imgproc.hpp>

#include <limits>

namespace rs {

namespace {

// Pixels of the mask with a 4-neighbour outside it (or on the image border).
cv::Mat boundaryOf(const Mask &mask)
{
    cv::Mat inside = mask.mat() > 0;
    cv::Mat eroded;
    cv::erode(inside, eroded, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)), cv::Point(-1, -1), 1,
              cv::BORDER_CONSTANT, cv::Scalar(0));
    return inside & ~eroded;
}

// Distances from every boundary pixel of `from` to the nearest boundary pixel of `to`.
void distances(const cv::Mat &from, const cv::Mat &to, double &sum, qint64 &count, double &maximum)
{
    cv::Mat distance;
    cv::distanceTransform(~to, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    for (int y = 0; y < from.rows; ++y) {
        const uchar *row = from.ptr<uchar>(y);
        const float *d = distance.ptr<float>(y);
        for (int x = 0; x < from.cols; ++x) {
            if (row[x]) {
                sum += d[x];
                ++count;
                maximum = std::max(maximum, double(d[x]));
            }
        }
    }
}

} // namespace

Expected<MaskDiff::Result> MaskDiff::compare(const Mask &reference, const Mask &mask)
{
    if (reference.size() != mask.size())
        return Error { QStringLiteral("cannot compare masks of %1x%2 and %3x%4")
                           .arg(reference.width()).arg(reference.height()).arg(mask.width()).arg(mask.height()) };
    Result result;
    const qint64 shared = mask.intersectionArea(reference);
    result.added = mask.area() - shared;
    result.removed = reference.area() - shared;
    const qint64 united = shared + result.added + result.removed;
    result.iou = united > 0 ? double(shared) / double(united) : 1.0;
    if (reference.isEmpty() && mask.isEmpty())
        return result;
    if (reference.isEmpty() || mask.isEmpty()) {
        result.meanBoundaryDistance = result.maxBoundaryDistance = std::numeric_limits<double>::infinity();
        return result;
    }
    const cv::Mat a = boundaryOf(reference), b = boundaryOf(mask);
    double sum = 0.0, maximum = 0.0;
    qint64 count = 0;
    distances(a, b, sum, count, maximum);
    distances(b, a, sum, count, maximum);
    result.meanBoundaryDistance = count ? sum / double(count) : 0.0;
    result.maxBoundaryDistance = maximum;
    return result;
}

} // namespace rs
