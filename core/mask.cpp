#include "core/mask.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <numeric>

namespace rs {

namespace {

// Mask bytes are exactly 0 or 1, so eight pixels fit a 64-bit word and boolean operations on words
// are boolean operations on pixels. memcpy keeps the loads and stores alias- and alignment-safe;
// it compiles to plain moves.
std::uint64_t loadWord(const std::uint8_t *p)
{
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

void storeWord(std::uint8_t *p, std::uint64_t word)
{
    std::memcpy(p, &word, sizeof word);
}

#if !defined(__SSE2__)
// The sum of the eight byte lanes of a word (at most 8 × 255, so the 16-bit partial sums cannot overflow).
std::uint64_t sumLanes(std::uint64_t word)
{
    const std::uint64_t pairs = (word & 0x00ff00ff00ff00ffull) + ((word >> 8) & 0x00ff00ff00ff00ffull);
    return (pairs * 0x0001000100010001ull) >> 48;
}
#endif

// Counts the 1-bytes of a[i] & b[i] (or of a[i] alone when b is null) over n bytes.
qsizetype countOnes(const std::uint8_t *a, const std::uint8_t *b, std::size_t n)
{
#if defined(__SSE2__)
    // PSADBW sums 8 bytes into a 64-bit lane in one instruction (x86-64 always has SSE2).
    __m128i sums = _mm_setzero_si128();
    std::size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(a + j));
        if (b)
            bytes = _mm_and_si128(bytes, _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + j)));
        sums = _mm_add_epi64(sums, _mm_sad_epu8(bytes, _mm_setzero_si128()));
    }
    qsizetype count = _mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
    for (; j < n; ++j)
        count += b ? (a[j] & b[j]) : a[j];
    return count;
#else
    constexpr std::size_t kWordsPerBatch = 255; // a lane gains at most 1 per word: no lane overflows
    qsizetype total = 0;
    std::size_t i = 0;
    while (i + 8 <= n) {
        std::uint64_t lanes = 0;
        const std::size_t end = std::min(n - n % 8, i + 8 * kWordsPerBatch);
        for (; i < end; i += 8)
            lanes += b ? (loadWord(a + i) & loadWord(b + i)) : loadWord(a + i);
        total += qsizetype(sumLanes(lanes));
    }
    for (; i < n; ++i)
        total += b ? (a[i] & b[i]) : a[i];
    return total;
#endif
}

template<typename WordOp>
void combineInPlace(std::uint8_t *a, const std::uint8_t *b, std::size_t n, WordOp op)
{
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        storeWord(a + i, op(loadWord(a + i), loadWord(b + i)));
    for (; i < n; ++i)
        a[i] = std::uint8_t(op(a[i], b[i]) & 1u);
}

} // namespace

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
    return countOnes(m_data.data(), nullptr, m_data.size());
}

bool Mask::isEmpty() const
{
    std::size_t i = 0;
    for (; i + 8 <= m_data.size(); i += 8)
        if (loadWord(m_data.data() + i))
            return false;
    return std::find(m_data.begin() + qsizetype(i), m_data.end(), 1) == m_data.end();
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
    combineInPlace(m_data.data(), other.m_data.data(), m_data.size(),
                   [](std::uint64_t a, std::uint64_t b) { return a | b; });
    return *this;
}

Mask &Mask::intersect(const Mask &other)
{
    Q_ASSERT(size() == other.size());
    combineInPlace(m_data.data(), other.m_data.data(), m_data.size(),
                   [](std::uint64_t a, std::uint64_t b) { return a & b; });
    return *this;
}

Mask &Mask::subtract(const Mask &other)
{
    Q_ASSERT(size() == other.size());
    // b's bytes are 0/1, so ~b is 0xff or 0xfe per lane and a & ~b clears exactly the shared pixels.
    combineInPlace(m_data.data(), other.m_data.data(), m_data.size(),
                   [](std::uint64_t a, std::uint64_t b) { return a & ~b; });
    return *this;
}

qsizetype Mask::intersectionArea(const Mask &other) const
{
    Q_ASSERT(size() == other.size());
    return countOnes(m_data.data(), other.m_data.data(), m_data.size());
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
