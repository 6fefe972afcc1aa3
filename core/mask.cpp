#include "core/mask.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <numeric>

namespace rs {

Mask::Mask(int width, int height, bool value)
{
    if (width <= 0 || height <= 0)
        return; // a null mask, like QImage with an invalid size
    m_width = width;
    m_height = height;
    m_data.assign(std::size_t(width) * std::size_t(height), value ? 1 : 0);
}

Mask Mask::fromBytes(const std::uint8_t *bytes, int width, int height, int bytesPerLine)
{
    Mask mask(width, height);
    if (mask.isNull())
        return mask;
    for (int y = 0; y < height; ++y) {
        const std::uint8_t *src = bytes + qsizetype(y) * bytesPerLine;
        std::uint8_t *dst = mask.scanLine(y);
        for (int x = 0; x < width; ++x)
            dst[x] = src[x] != 0;
    }
    return mask;
}

Mask Mask::fromMat(const cv::Mat &mat)
{
    CV_Assert(mat.type() == CV_8UC1);
    return fromBytes(mat.data, mat.cols, mat.rows, int(mat.step[0]));
}

cv::Mat Mask::mat()
{
    return cv::Mat(m_height, m_width, CV_8UC1, m_data.data());
}

cv::Mat Mask::mat() const
{
    // OpenCV has no const Mat; callers of the const overload must not write through it.
    return cv::Mat(m_height, m_width, CV_8UC1, const_cast<std::uint8_t *>(m_data.data()));
}

void Mask::fill(bool value)
{
    std::fill(m_data.begin(), m_data.end(), value ? 1 : 0);
}

void Mask::fillRect(const QRect &rect, bool value)
{
    const QRect r = rect.intersected(QRect(0, 0, m_width, m_height));
    for (int y = r.top(); y <= r.bottom(); ++y)
        std::fill_n(scanLine(y) + r.left(), r.width(), value ? 1 : 0);
}

qsizetype Mask::area() const
{
    // Bytes are 0/1, so the sum is the count; unsigned accumulation vectorises well.
    return std::accumulate(m_data.begin(), m_data.end(), qsizetype(0));
}

bool Mask::isEmpty() const
{
    return std::find(m_data.begin(), m_data.end(), 1) == m_data.end();
}

QRect Mask::boundingRect() const
{
    int top = -1, bottom = -1;
    int left = m_width, right = -1;
    for (int y = 0; y < m_height; ++y) {
        const std::uint8_t *line = scanLine(y);
        const std::uint8_t *first = std::find(line, line + m_width, 1);
        if (first == line + m_width)
            continue;
        if (top < 0)
            top = y;
        bottom = y;
        left = std::min(left, int(first - line));
        const std::uint8_t *last = std::find(std::make_reverse_iterator(line + m_width),
                                             std::make_reverse_iterator(line), 1).base() - 1;
        right = std::max(right, int(last - line));
    }
    if (top < 0)
        return QRect();
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

Mask &Mask::unite(const Mask &other)
{
    Q_ASSERT(size() == other.size());
    for (std::size_t i = 0; i < m_data.size(); ++i)
        m_data[i] |= other.m_data[i];
    return *this;
}

Mask &Mask::intersect(const Mask &other)
{
    Q_ASSERT(size() == other.size());
    for (std::size_t i = 0; i < m_data.size(); ++i)
        m_data[i] &= other.m_data[i];
    return *this;
}

Mask &Mask::subtract(const Mask &other)
{
    Q_ASSERT(size() == other.size());
    for (std::size_t i = 0; i < m_data.size(); ++i)
        m_data[i] &= std::uint8_t(other.m_data[i] ^ 1);
    return *this;
}

qsizetype Mask::intersectionArea(const Mask &other) const
{
    Q_ASSERT(size() == other.size());
    qsizetype n = 0;
    for (std::size_t i = 0; i < m_data.size(); ++i)
        n += m_data[i] & other.m_data[i];
    return n;
}

Mask Mask::filledHoles() const
{
    if (isNull())
        return *this;
    // Flood the background from a one-pixel frame around the mask; what the flood does not reach
    // is foreground or an enclosed hole.
    cv::Mat framed(m_height + 2, m_width + 2, CV_8UC1, cv::Scalar(0));
    mat().copyTo(framed(cv::Rect(1, 1, m_width, m_height)));
    cv::floodFill(framed, cv::Point(0, 0), cv::Scalar(2), nullptr, cv::Scalar(0), cv::Scalar(0), 4);
    Mask result(m_width, m_height);
    for (int y = 0; y < m_height; ++y) {
        const std::uint8_t *src = framed.ptr<std::uint8_t>(y + 1) + 1;
        std::uint8_t *dst = result.scanLine(y);
        for (int x = 0; x < m_width; ++x)
            dst[x] = src[x] != 2;
    }
    return result;
}

std::vector<Mask> Mask::connectedComponents() const
{
    std::vector<Mask> components;
    if (isNull())
        return components;
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(mat(), labels, stats, centroids, 8, CV_32S);
    // Labels are assigned in raster order of each component's first pixel, so sorting by area
    // with a stable sort keeps the top-most/left-most tie order.
    std::vector<int> order(std::max(count - 1, 0));
    std::iota(order.begin(), order.end(), 1);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return stats.at<int>(a, cv::CC_STAT_AREA) > stats.at<int>(b, cv::CC_STAT_AREA);
    });
    components.reserve(order.size());
    for (int label : order) {
        Mask component(m_width, m_height);
        const cv::Rect box(stats.at<int>(label, cv::CC_STAT_LEFT), stats.at<int>(label, cv::CC_STAT_TOP),
                           stats.at<int>(label, cv::CC_STAT_WIDTH), stats.at<int>(label, cv::CC_STAT_HEIGHT));
        for (int y = box.y; y < box.y + box.height; ++y) {
            const int *row = labels.ptr<int>(y);
            std::uint8_t *dst = component.scanLine(y);
            for (int x = box.x; x < box.x + box.width; ++x)
                dst[x] = row[x] == label;
        }
        components.push_back(std::move(component));
    }
    return components;
}

Mask Mask::withoutSmallComponents(qsizetype minArea) const
{
    if (isNull())
        return *this;
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(mat(), labels, stats, centroids, 8, CV_32S);
    std::vector<std::uint8_t> keep(count, 0);
    for (int label = 1; label < count; ++label)
        keep[label] = stats.at<int>(label, cv::CC_STAT_AREA) >= minArea;
    Mask result(m_width, m_height);
    for (int y = 0; y < m_height; ++y) {
        const int *row = labels.ptr<int>(y);
        std::uint8_t *dst = result.scanLine(y);
        for (int x = 0; x < m_width; ++x)
            dst[x] = keep[row[x]];
    }
    return result;
}

Mask Mask::copy(const QRect &rect) const
{
    const QRect r = rect.intersected(QRect(0, 0, m_width, m_height));
    Mask patch(r.width(), r.height());
    for (int y = 0; y < r.height(); ++y)
        std::copy_n(scanLine(r.top() + y) + r.left(), r.width(), patch.scanLine(y));
    return patch;
}

void Mask::paste(const Mask &patch, const QPoint &topLeft)
{
    const QRect target = QRect(topLeft, patch.size()).intersected(QRect(0, 0, m_width, m_height));
    for (int y = target.top(); y <= target.bottom(); ++y) {
        const std::uint8_t *src = patch.scanLine(y - topLeft.y()) + (target.left() - topLeft.x());
        std::copy_n(src, target.width(), scanLine(y) + target.left());
    }
}

bool Mask::operator==(const Mask &other) const
{
    return m_width == other.m_width && m_height == other.m_height && m_data == other.m_data;
}

} // namespace rs
