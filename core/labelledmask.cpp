#include "core/labelledmask.h"

#include <opencv2/core.hpp>

namespace rs {

LabelledMask::LabelledMask(int width, int height)
    : m_target(width, height)
    , m_ignore(width, height)
{
}

Expected<LabelledMask> LabelledMask::fromMasks(const Mask &target, const Mask &ignore)
{
    if (target.size() != ignore.size())
        return Error { QStringLiteral("target mask is %1x%2 but ignore mask is %3x%4")
                           .arg(target.width())
                           .arg(target.height())
                           .arg(ignore.width())
                           .arg(ignore.height()) };
    const qsizetype overlap = target.intersectionArea(ignore);
    if (overlap != 0)
        return Error { QStringLiteral("target and ignore masks share %1 pixel(s)").arg(overlap) };
    return LabelledMask(target, ignore);
}

Expected<LabelledMask> LabelledMask::fromBytes(const std::uint8_t *bytes, int width, int height,
                                               int bytesPerLine)
{
    LabelledMask labels(width, height);
    if (labels.isNull())
        return labels;
    for (int y = 0; y < height; ++y) {
        const std::uint8_t *src = bytes + qsizetype(y) * bytesPerLine;
        std::uint8_t *target = labels.m_target.scanLine(y);
        std::uint8_t *ignore = labels.m_ignore.scanLine(y);
        for (int x = 0; x < width; ++x) {
            switch (src[x]) {
            case kBackgroundValue:
                break;
            case kTargetValue:
                target[x] = 1;
                break;
            case kIgnoreValue:
                ignore[x] = 1;
                break;
            default:
                return Error {
                    QStringLiteral("label value %1 at (%2, %3) is not 0, 1 or 255").arg(src[x]).arg(x).arg(y)
                };
            }
        }
    }
    return labels;
}

Expected<LabelledMask> LabelledMask::fromMat(const cv::Mat &mat)
{
    if (mat.empty())
        return LabelledMask();
    if (mat.type() != CV_8UC1 || mat.dims != 2)
        return Error {
            QStringLiteral("label image must be 8-bit single-channel (type %1 given)").arg(mat.type())
        };
    return fromBytes(mat.data, mat.cols, mat.rows, int(mat.step[0]));
}

std::uint8_t LabelledMask::valueAt(int x, int y) const
{
    if (m_target.at(x, y))
        return kTargetValue;
    return m_ignore.at(x, y) ? kIgnoreValue : kBackgroundValue;
}

void LabelledMask::setValue(int x, int y, std::uint8_t value)
{
    m_target.set(x, y, value != kBackgroundValue && value != kIgnoreValue);
    m_ignore.set(x, y, value == kIgnoreValue);
}

std::vector<std::uint8_t> LabelledMask::toBytes() const
{
    std::vector<std::uint8_t> bytes(std::size_t(m_target.pixelCount()));
    const std::uint8_t *target = m_target.data();
    const std::uint8_t *ignore = m_ignore.data();
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = std::uint8_t(target[i] | (ignore[i] * kIgnoreValue));
    return bytes;
}

cv::Mat LabelledMask::toMat() const
{
    if (isNull())
        return cv::Mat();
    cv::Mat mat(height(), width(), CV_8UC1);
    const std::vector<std::uint8_t> bytes = toBytes();
    std::copy(bytes.begin(), bytes.end(), mat.data);
    return mat;
}

} // namespace rs
