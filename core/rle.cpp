#include "core/rle.h"

#include "core/mask.h"
#include "core/polygon.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rs {

namespace {

constexpr double MaxPolygonCoordinate = 268435456.0; // 2^28: 5 * c + 0.5 still fits an int
constexpr qint64 MaxPolygonSteps = qint64(1) << 25;
// A count written by toString() takes at most 7 characters (a 33-bit difference plus the sign).
constexpr int MaxCharsPerValue = 7;

QString sizeProblem(int height, int width)
{
    return QStringLiteral("RLE size %1 x %2 (h x w) is invalid: both must be >= 0 and h * w <= %3")
        .arg(height).arg(width).arg(Rle::MaxPixels);
}

// Between the row-major bytes of a Mask and the column-major runs of an RLE, pixels go through
// 64-bit column words: word k of column x holds rows 64k .. 64k + 63, bit i for row 64k + i. A band
// of 64 rows is converted through 8 "fragment" rows: byte x of fragment row s holds rows
// 64k + 8s .. 64k + 8s + 7 of column x, bit r for row 8s + r.

// dst row c (8 bytes at dst + c * dstStride) = byte c of each of the 8 source rows: an 8 x 8 byte
// transpose, which turns 8 fragment rows into 8 column words and back.
inline void transpose8x8(const std::uint8_t *src, std::size_t srcStride, std::uint8_t *dst, std::size_t dstStride)
{
#if defined(__SSE2__)
    auto load = [&](int i) { return _mm_loadl_epi64(reinterpret_cast<const __m128i *>(src + i * srcStride)); };
    const __m128i a0 = _mm_unpacklo_epi8(load(0), load(1)), a1 = _mm_unpacklo_epi8(load(2), load(3));
    const __m128i a2 = _mm_unpacklo_epi8(load(4), load(5)), a3 = _mm_unpacklo_epi8(load(6), load(7));
    const __m128i b0 = _mm_unpacklo_epi16(a0, a1), b1 = _mm_unpackhi_epi16(a0, a1);
    const __m128i b2 = _mm_unpacklo_epi16(a2, a3), b3 = _mm_unpackhi_epi16(a2, a3);
    const __m128i c[4] = {_mm_unpacklo_epi32(b0, b2), _mm_unpackhi_epi32(b0, b2),
                          _mm_unpacklo_epi32(b1, b3), _mm_unpackhi_epi32(b1, b3)};
    for (int i = 0; i < 4; ++i) {
        _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + (2 * i) * dstStride), c[i]);
        _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + (2 * i + 1) * dstStride), _mm_unpackhi_epi64(c[i], c[i]));
    }
#else
    for (int c = 0; c < 8; ++c)
        for (int k = 0; k < 8; ++k)
            dst[c * dstStride + k] = src[k * srcStride + c];
#endif
}

// Fragment row for `count` (0..8) mask rows starting at `rows`: out[x] bit r = pixel (x, r) != 0.
void packFragments(const std::uint8_t *rows, std::size_t stride, int count, int width, std::uint8_t *out)
{
    int x = 0;
#if defined(__SSE2__)
    const __m128i one = _mm_set1_epi8(1);
    // Bytes clamped to 0/1, then row r shifted up by r bits inside each byte.
    auto row = [&](int r) {
        return _mm_min_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(rows + r * stride + x)), one);
    };
    if (count == 8) {
        for (; x + 16 <= width; x += 16) {
            const __m128i low = _mm_or_si128(_mm_or_si128(row(0), _mm_slli_epi64(row(1), 1)),
                                             _mm_or_si128(_mm_slli_epi64(row(2), 2), _mm_slli_epi64(row(3), 3)));
            const __m128i high = _mm_or_si128(_mm_or_si128(_mm_slli_epi64(row(4), 4), _mm_slli_epi64(row(5), 5)),
                                              _mm_or_si128(_mm_slli_epi64(row(6), 6), _mm_slli_epi64(row(7), 7)));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out + x), _mm_or_si128(low, high));
        }
    }
    for (; x + 16 <= width; x += 16) {
        __m128i v = _mm_setzero_si128();
        for (int r = 0; r < count; ++r)
            v = _mm_or_si128(v, _mm_sll_epi64(row(r), _mm_cvtsi32_si128(r)));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + x), v);
    }
#endif
    for (; x < width; ++x) {
        int bits = 0;
        for (int r = 0; r < count; ++r)
            bits |= int(rows[r * stride + x] != 0) << r;
        out[x] = std::uint8_t(bits);
    }
}

// The inverse: `count` mask rows from a fragment row.
void unpackFragments(const std::uint8_t *fragments, int count, int width, std::uint8_t *rows, std::size_t stride)
{
    int x = 0;
#if defined(__SSE2__)
    const __m128i one = _mm_set1_epi8(1);
    for (; x + 16 <= width; x += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(fragments + x));
        for (int r = 0; r < count; ++r)
            _mm_storeu_si128(reinterpret_cast<__m128i *>(rows + r * stride + x),
                             _mm_and_si128(_mm_srl_epi64(v, _mm_cvtsi32_si128(r)), one));
    }
#endif
    for (; x < width; ++x)
        for (int r = 0; r < count; ++r)
            rows[r * stride + x] = (fragments[x] >> r) & 1;
}

// Turns the column words, in column-major order, into run lengths.
class RunBuilder
{
public:
    explicit RunBuilder(std::size_t expectedRuns) { m_counts.reserve(expectedRuns); }

    // Pixels base .. base + valid - 1 (bit i = pixel base + i); 1 <= valid <= 64, higher bits zero.
    void addWord(std::uint64_t bits, std::uint64_t base, int valid)
    {
        std::uint64_t edges = bits ^ ((bits << 1) | m_previous);
        if (valid < 64)
            edges &= (std::uint64_t(1) << valid) - 1;
        m_previous = (bits >> (valid - 1)) & 1;
        while (edges != 0) {
            const std::uint64_t position = base + std::uint64_t(std::countr_zero(edges));
            m_counts.push_back(std::uint32_t(position - m_last));
            m_last = position;
            edges &= edges - 1;
        }
    }

    std::vector<std::uint32_t> finish(std::uint64_t total)
    {
        m_counts.push_back(std::uint32_t(total - m_last));
        return std::move(m_counts);
    }

private:
    std::vector<std::uint32_t> m_counts;
    std::uint64_t m_last = 0;
    std::uint64_t m_previous = 0;
};

// Walks the runs of an RLE in order and cuts them into column words.
class WordWriter
{
public:
    explicit WordWriter(const std::vector<std::uint32_t> &counts) : m_counts(counts) {}

    // Pixels base .. base + valid - 1; calls must come in increasing, contiguous order.
    std::uint64_t word(std::uint64_t base, int valid)
    {
        const std::uint64_t end = base + std::uint64_t(valid);
        std::uint64_t bits = 0;
        std::uint64_t p = base;
        while (p < end) {
            while (m_runEnd <= p) { // also steps over zero-length runs
                m_value = !m_value;
                m_runEnd += m_counts[m_next++];
            }
            const std::uint64_t stop = std::min(m_runEnd, end);
            if (m_value) {
                const int from = int(p - base), to = int(stop - base);
                const std::uint64_t upTo = to == 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << to) - 1;
                bits |= upTo & ~((std::uint64_t(1) << from) - 1);
            }
            p = stop;
        }
        return bits;
    }

private:
    const std::vector<std::uint32_t> &m_counts;
    std::size_t m_next = 0;
    std::uint64_t m_runEnd = 0;
    bool m_value = true; // flipped to false when the first count is loaded
};

// Sorted boundary positions (the last one is the pixel count) to counts, the way rleFrPoly does it:
// two boundaries at one position cancel, so the run after them joins the run before them.
std::vector<std::uint32_t> runsFromBoundaries(std::vector<std::uint32_t> &boundaries)
{
    std::sort(boundaries.begin(), boundaries.end());
    std::vector<std::uint32_t> runs;
    runs.reserve(boundaries.size());
    std::uint32_t previous = 0;
    for (std::uint32_t &b : boundaries) {
        const std::uint32_t at = b;
        b -= previous;
        previous = at;
    }
    runs.push_back(boundaries[0]);
    for (std::size_t j = 1; j < boundaries.size(); ++j) {
        if (boundaries[j] != 0) {
            runs.push_back(boundaries[j]);
        } else if (++j < boundaries.size()) {
            runs.back() += boundaries[j];
        }
    }
    return runs;
}

// The rleFrPoly row of a y-boundary at 5x coordinate v (centre of the pixel: 5y + 2), clamped to [0, h].
inline int boundaryRow(int v, int height)
{
    const qint64 r = qint64(v) - 2;
    if (r < 0)
        return 0;
    return int(std::min<qint64>(height, (r + 4) / 5));
}

inline qint64 floorDiv(qint64 a, qint64 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// One rleMerge step over two count lists of the same total (treats an empty list as [0]).
std::vector<std::uint32_t> mergeCounts(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b,
                                       bool intersect)
{
    std::vector<std::uint32_t> out;
    out.reserve(a.size() + b.size());
    std::size_t nextA = 1, nextB = 1;
    std::uint32_t leftA = a.empty() ? 0 : a[0], leftB = b.empty() ? 0 : b[0];
    bool inA = false, inB = false, value = false;
    std::uint32_t run = 0;
    for (;;) {
        const std::uint32_t step = std::min(leftA, leftB);
        run += step;
        leftA -= step;
        leftB -= step;
        if (leftA == 0 && nextA < a.size()) {
            leftA = a[nextA++];
            inA = !inA;
        }
        if (leftB == 0 && nextB < b.size()) {
            leftB = b[nextB++];
            inB = !inB;
        }
        const bool next = intersect ? (inA && inB) : (inA || inB);
        const bool done = leftA == 0 && leftB == 0;
        if (next != value || done) {
            out.push_back(run);
            run = 0;
        }
        value = next;
        if (done)
            return out;
    }
}

qint64 foregroundArea(const std::vector<std::uint32_t> &counts)
{
    qint64 area = 0;
    for (std::size_t i = 1; i < counts.size(); i += 2)
        area += counts[i];
    return area;
}

// |a ∩ b| by walking the foreground intervals [start, end) of both in order.
qint64 intersectionArea(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b)
{
    const std::size_t na = a.size(), nb = b.size();
    if (na < 2 || nb < 2)
        return 0;
    const std::uint32_t *ca = a.data(), *cb = b.data();
    std::size_t i = 1, j = 1;
    std::uint64_t startA = ca[0], endA = startA + ca[1];
    std::uint64_t startB = cb[0], endB = startB + cb[1];
    qint64 shared = 0;
    for (;;) {
        const std::uint64_t lo = std::max(startA, startB), hi = std::min(endA, endB);
        shared += hi > lo ? qint64(hi - lo) : 0;
        if (endA <= endB) {
            if (i + 2 >= na)
                return shared;
            startA = endA + ca[i + 1];
            endA = startA + ca[i + 2];
            i += 2;
        } else {
            if (j + 2 >= nb)
                return shared;
            startB = endB + cb[j + 1];
            endB = startB + cb[j + 2];
            j += 2;
        }
    }
}

} // namespace

Rle::Rle(int height, int width, std::vector<std::uint32_t> counts)
    : m_height(height), m_width(width), m_counts(std::move(counts))
{
}

bool Rle::isValidSize(int height, int width)
{
    return height >= 0 && width >= 0 && qint64(height) * width <= MaxPixels;
}

Rle Rle::encode(const Mask &mask)
{
    const int h = mask.height(), w = mask.width();
    if (!isValidSize(h, w))
        return Rle();
    const std::uint64_t total = std::uint64_t(h) * std::uint64_t(w);
    if (total == 0)
        return Rle(h, w, {0});

    // Row-major bytes to column words, one band of 64 rows at a time (rows are read in order), then
    // the runs from the words, column by column.
    const int bands = (h + 63) / 64;
    const std::size_t fragmentStride = std::size_t(w + 15) & ~std::size_t(15);
    const std::size_t wordColumns = std::size_t(w + 7) & ~std::size_t(7); // transposes work on 8 columns
    std::unique_ptr<std::uint8_t[]> fragments(new std::uint8_t[8 * fragmentStride]());
    std::unique_ptr<std::uint64_t[]> words(new std::uint64_t[wordColumns * std::size_t(bands)]);
    for (int k = 0; k < bands; ++k) {
        for (int s = 0; s < 8; ++s) {
            const int y = 64 * k + 8 * s;
            packFragments(mask.scanLine(std::min(y, h - 1)), std::size_t(w), std::clamp(h - y, 0, 8), w,
                          fragments.get() + s * fragmentStride);
        }
        for (int x = 0; x < w; x += 8)
            transpose8x8(fragments.get() + x, fragmentStride,
                         reinterpret_cast<std::uint8_t *>(words.get() + std::size_t(k) * wordColumns + x), 8);
    }
    RunBuilder runs(std::size_t(w) * 4 + 16);
    for (int x = 0; x < w; ++x) {
        const std::uint64_t *column = words.get() + x;
        const std::uint64_t base = std::uint64_t(x) * h;
        for (int k = 0; k < bands; ++k)
            runs.addWord(column[std::size_t(k) * wordColumns], base + 64 * std::uint64_t(k), std::min(64, h - 64 * k));
    }
    return Rle(h, w, runs.finish(total));
}

Mask Rle::decode() const
{
    Mask mask(m_width, m_height);
    if (mask.isNull())
        return mask;
    const int h = m_height, w = m_width;
    const int bands = (h + 63) / 64;
    const std::size_t fragmentStride = std::size_t(w + 15) & ~std::size_t(15);
    const std::size_t wordColumns = std::size_t(w + 7) & ~std::size_t(7);
    std::unique_ptr<std::uint64_t[]> words(new std::uint64_t[wordColumns * std::size_t(bands)]);
    WordWriter writer(m_counts);
    for (int x = 0; x < w; ++x) {
        std::uint64_t *column = words.get() + x;
        const std::uint64_t base = std::uint64_t(x) * h;
        for (int k = 0; k < bands; ++k)
            column[std::size_t(k) * wordColumns] = writer.word(base + 64 * std::uint64_t(k), std::min(64, h - 64 * k));
    }
    // Columns past the width are padding that the 8-column transposes read.
    for (int k = 0; k < bands; ++k)
        std::fill_n(words.get() + std::size_t(k) * wordColumns + w, wordColumns - std::size_t(w), 0);
    std::unique_ptr<std::uint8_t[]> fragments(new std::uint8_t[8 * fragmentStride]);
    for (int k = 0; k < bands; ++k) {
        for (int x = 0; x < w; x += 8)
            transpose8x8(reinterpret_cast<const std::uint8_t *>(words.get() + std::size_t(k) * wordColumns + x), 8,
                         fragments.get() + x, fragmentStride);
        for (int s = 0; s < 8 && 64 * k + 8 * s < h; ++s) {
            const int y = 64 * k + 8 * s;
            unpackFragments(fragments.get() + s * fragmentStride, std::min(8, h - y), w, mask.scanLine(y),
                            std::size_t(w));
        }
    }
    return mask;
}

QByteArray Rle::toString() const
{
    QByteArray text(qsizetype(m_counts.size()) * MaxCharsPerValue, Qt::Uninitialized);
    char *out = text.data();
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        // From the fourth count on, the difference to the count two back (the same colour) is written.
        qint64 x = m_counts[i];
        if (i > 2)
            x -= qint64(m_counts[i - 2]);
        bool more = true;
        while (more) {
            int c = int(x & 0x1f);
            x >>= 5; // arithmetic shift: a negative value ends when only sign bits are left
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            *out++ = char(c + 48);
        }
    }
    text.truncate(out - text.data());
    return text;
}

Expected<Rle> Rle::fromString(QByteArrayView counts, int height, int width)
{
    if (!isValidSize(height, width))
        return Error{sizeProblem(height, width)};
    const std::uint64_t total = std::uint64_t(height) * std::uint64_t(width);
    enum class Problem { None, Truncated, Character, TooLong, Negative, TooLarge, Exceeds };
    Problem problem = Problem::None;
    std::vector<std::uint32_t> values;
    values.reserve(std::size_t(counts.size()));
    std::uint64_t sum = 0;
    const auto *const begin = reinterpret_cast<const unsigned char *>(counts.data());
    const auto *const end = begin + counts.size();
    const unsigned char *p = begin, *start = begin;
    qint64 x = 0;
    // The loop only detects a problem; the message is written after it.
    while (p < end) {
        start = p;
        x = 0;
        int shift = 0;
        unsigned c = 0;
        do {
            if (p == end) {
                problem = Problem::Truncated;
                break;
            }
            c = unsigned(*p) - 48u; // characters below '0' wrap around to large values
            if (c > 63u) {
                problem = Problem::Character;
                break;
            }
            if (shift == 5 * MaxCharsPerValue) {
                problem = Problem::TooLong;
                break;
            }
            x |= qint64(c & 0x1fu) << shift;
            shift += 5;
            ++p;
        } while (c & 0x20u);
        if (problem != Problem::None)
            break;
        if (c & 0x10u)
            x |= -(qint64(1) << shift); // sign extension
        const std::size_t index = values.size();
        if (index > 2)
            x += qint64(values[index - 2]);
        if (x < 0 || x > qint64(UINT32_MAX)) {
            problem = x < 0 ? Problem::Negative : Problem::TooLarge;
            break;
        }
        sum += std::uint64_t(x);
        if (sum > total) {
            problem = Problem::Exceeds;
            break;
        }
        values.push_back(std::uint32_t(x));
    }
    const qsizetype offset = start - begin, index = qsizetype(values.size());
    switch (problem) {
    case Problem::None:
        break;
    case Problem::Truncated:
        return Error{QStringLiteral("RLE string is truncated: the value starting at offset %1 "
                                    "has the continuation bit set on the last character")
                         .arg(offset)};
    case Problem::Character:
        return Error{QStringLiteral("RLE string has an invalid character (code %1) at offset %2; "
                                    "only '0'..'o' (48..111) are allowed")
                         .arg(int(*p)).arg(p - begin)};
    case Problem::TooLong:
        return Error{QStringLiteral("RLE string has a value longer than %1 characters at offset %2")
                         .arg(MaxCharsPerValue).arg(offset)};
    case Problem::Negative:
        return Error{QStringLiteral("RLE string gives a negative count (%1) at index %2 (offset %3)")
                         .arg(x).arg(index).arg(offset)};
    case Problem::TooLarge:
        return Error{QStringLiteral("RLE string gives a count too large for 32 bits (%1) at index %2")
                         .arg(x).arg(index)};
    case Problem::Exceeds:
        return Error{QStringLiteral("RLE counts exceed h * w = %1 at index %2").arg(total).arg(index)};
    }
    if (sum != total)
        return Error{QStringLiteral("RLE counts sum to %1 but h * w = %2").arg(sum).arg(total)};
    return Rle(height, width, std::move(values));
}

Expected<Rle> Rle::fromCounts(int height, int width, std::vector<std::uint32_t> counts)
{
    if (!isValidSize(height, width))
        return Error{sizeProblem(height, width)};
    const std::uint64_t total = std::uint64_t(height) * std::uint64_t(width);
    std::uint64_t sum = 0;
    for (std::uint32_t c : counts)
        sum += c; // at most 2^32 values of < 2^32 each: no overflow before the check below
    if (sum != total)
        return Error{QStringLiteral("RLE counts sum to %1 but h * w = %2").arg(sum).arg(total)};
    return Rle(height, width, std::move(counts));
}

Expected<Rle> Rle::fromPolygon(const QPolygonF &polygon, int height, int width)
{
    if (!isValidSize(height, width))
        return Error{sizeProblem(height, width)};
    const QString problem = polygonProblem(polygon);
    if (!problem.isEmpty())
        return Error{problem};
    for (qsizetype i = 0; i < polygon.size(); ++i) {
        const QPointF &p = polygon.at(i);
        if (std::abs(p.x()) > MaxPolygonCoordinate || std::abs(p.y()) > MaxPolygonCoordinate)
            return Error{QStringLiteral("polygon point %1 (%2, %3) is out of range: |coordinate| must be <= %4")
                             .arg(i).arg(p.x()).arg(p.y()).arg(qint64(MaxPolygonCoordinate))};
    }
    const qint64 total = qint64(height) * width;
    if (total == 0)
        return Rle(height, width, {0});

    // Vertices at 5x resolution, rounded as pycocotools does: (int)(5 * c + 0.5), truncating towards 0.
    const qsizetype k = polygon.size();
    std::vector<int> px(std::size_t(k) + 1), py(std::size_t(k) + 1);
    for (qsizetype j = 0; j < k; ++j) {
        px[j] = int(5.0 * polygon.at(j).x() + 0.5);
        py[j] = int(5.0 * polygon.at(j).y() + 0.5);
    }
    px[k] = px[0];
    py[k] = py[0];
    qint64 steps = 0;
    for (qsizetype j = 0; j < k; ++j)
        steps += std::max(std::abs(qint64(px[j]) - px[j + 1]), std::abs(qint64(py[j]) - py[j + 1])) + 1;
    if (steps > MaxPolygonSteps)
        return Error{QStringLiteral("polygon outline is too long: %1 steps at 5x resolution (at most %2)")
                         .arg(steps).arg(MaxPolygonSteps)};

    // Walk the dense outline; wherever it crosses a pixel-centre column (5x + 2) inside the image,
    // record where that column's foreground starts or ends.
    std::vector<std::uint32_t> boundaries;
    bool started = false;
    int lastU = 0, lastV = 0;
    auto visit = [&](int u, int v) {
        if (started && u != lastU) {
            const qint64 q = qint64(u < lastU ? u : u - 1) - 2;
            if (q >= 0 && q % 5 == 0 && q / 5 < width) {
                const int row = boundaryRow(std::min(v, lastV), height);
                boundaries.push_back(std::uint32_t(q / 5) * std::uint32_t(height) + std::uint32_t(row));
            }
        }
        lastU = u;
        lastV = v;
        started = true;
    };
    for (qsizetype j = 0; j < k; ++j) {
        int xs = px[j], xe = px[j + 1], ys = py[j], ye = py[j + 1];
        const int dx = std::abs(xe - xs), dy = std::abs(ye - ys);
        const bool alongX = dx >= dy;
        // Points are generated from the smaller end but visited in the edge's own direction.
        const bool flip = alongX ? xs > xe : ys > ye;
        if (flip) {
            std::swap(xs, xe);
            std::swap(ys, ye);
        }
        if (dx == 0 && dy == 0) {
            // A repeated vertex: its neighbours share its u, so its v is never used.
            visit(xs, ys);
        } else if (alongX) {
            const double slope = double(ye - ys) / double(dx);
            for (int d = 0; d <= dx; ++d) {
                const int t = flip ? dx - d : d;
                visit(xs + t, int(double(ys) + slope * double(t) + 0.5));
            }
        } else {
            const double slope = double(xe - xs) / double(dy);
            for (int d = 0; d <= dy; ++d) {
                const int t = flip ? dy - d : d;
                visit(int(double(xs) + slope * double(t) + 0.5), ys + t);
            }
        }
    }
    boundaries.push_back(std::uint32_t(total));
    return Rle(height, width, runsFromBoundaries(boundaries));
}

Expected<Rle> Rle::fromPolygons(const QList<QPolygonF> &polygons, int height, int width)
{
    if (!isValidSize(height, width))
        return Error{sizeProblem(height, width)};
    if (polygons.isEmpty())
        return Rle(height, width, {std::uint32_t(qint64(height) * width)});
    std::vector<Rle> parts;
    parts.reserve(std::size_t(polygons.size()));
    for (qsizetype i = 0; i < polygons.size(); ++i) {
        Expected<Rle> part = fromPolygon(polygons.at(i), height, width);
        if (!part)
            return Error{QStringLiteral("polygon %1: %2").arg(i).arg(part.error())};
        parts.push_back(std::move(part).value());
    }
    return merge(parts, false);
}

Rle Rle::fromBox(const QRectF &xywh, int height, int width)
{
    if (!isValidSize(height, width))
        return Rle();
    const qint64 total = qint64(height) * width;
    const double x0 = xywh.x(), x1 = x0 + xywh.width();
    const double y0 = xywh.y(), y1 = y0 + xywh.height();
    if (total == 0 || !std::isfinite(x0) || !std::isfinite(x1) || !std::isfinite(y0) || !std::isfinite(y1))
        return Rle(height, width, {std::uint32_t(total)});
    // The box's outline only meets pixel-centre columns on its two horizontal edges, so the result
    // is a rectangle: columns whose centre 5n + 2 lies in [min(U0, U1), max(U0, U1) - 1], rows
    // between the two edges' boundary rows. Coordinates beyond one pixel outside the image do not
    // change either, so they are clamped there (which also keeps 5x coordinates in range).
    auto scaled = [](double c, int size) {
        return qint64(5.0 * std::clamp(c, -1.0, double(size) + 1.0) + 0.5);
    };
    const qint64 u0 = scaled(x0, width), u1 = scaled(x1, width);
    const qint64 lo = std::min(u0, u1), hi = std::max(u0, u1);
    const qint64 firstColumn = std::max<qint64>(0, -floorDiv(-(lo - 2), 5));
    const qint64 lastColumn = std::min<qint64>(width - 1, floorDiv(hi - 3, 5));
    const int rowA = boundaryRow(int(scaled(y0, height)), height);
    const int rowB = boundaryRow(int(scaled(y1, height)), height);
    std::vector<std::uint32_t> boundaries;
    boundaries.reserve(std::size_t(std::max<qint64>(0, lastColumn - firstColumn + 1)) * 2 + 1);
    for (qint64 n = firstColumn; n <= lastColumn; ++n) {
        boundaries.push_back(std::uint32_t(n * height + std::min(rowA, rowB)));
        boundaries.push_back(std::uint32_t(n * height + std::max(rowA, rowB)));
    }
    boundaries.push_back(std::uint32_t(total));
    return Rle(height, width, runsFromBoundaries(boundaries));
}

qint64 Rle::area() const
{
    return foregroundArea(m_counts);
}

QRectF Rle::bbox() const
{
    // pycocotools' arithmetic, unsigned 32-bit, so that odd inputs (zero-length runs) give its result.
    const std::size_t m = m_counts.size() / 2 * 2;
    if (m == 0 || m_height == 0)
        return QRectF(0, 0, 0, 0);
    const std::uint32_t h = std::uint32_t(m_height);
    std::uint32_t xs = std::uint32_t(m_width), ys = h, xe = 0, ye = 0, position = 0, runStartColumn = 0;
    for (std::size_t j = 0; j < m; ++j) {
        position += m_counts[j];
        // Even j: first pixel of a foreground run; odd j: its last pixel.
        const std::uint32_t t = position - std::uint32_t(j % 2);
        const std::uint32_t y = t % h, x = t / h;
        if (j % 2 == 0)
            runStartColumn = x;
        else if (runStartColumn < x) {
            ys = 0;
            ye = h - 1;
        }
        xs = std::min(xs, x);
        xe = std::max(xe, x);
        ys = std::min(ys, y);
        ye = std::max(ye, y);
    }
    return QRectF(xs, ys, double(std::uint32_t(xe - xs + 1)), double(std::uint32_t(ye - ys + 1)));
}

Expected<Rle> Rle::merge(const std::vector<Rle> &rles, bool intersect)
{
    if (rles.empty())
        return Rle();
    const Rle &first = rles.front();
    for (std::size_t i = 1; i < rles.size(); ++i) {
        if (rles[i].m_height != first.m_height || rles[i].m_width != first.m_width)
            return Error{QStringLiteral("cannot merge RLEs of different sizes: %1 x %2 (h x w) and %3 x %4 at index %5")
                             .arg(first.m_height).arg(first.m_width)
                             .arg(rles[i].m_height).arg(rles[i].m_width).arg(i)};
    }
    if (rles.size() == 1)
        return first;
    std::vector<std::uint32_t> counts = mergeCounts(first.m_counts, rles[1].m_counts, intersect);
    for (std::size_t i = 2; i < rles.size(); ++i)
        counts = mergeCounts(counts, rles[i].m_counts, intersect);
    return Rle(first.m_height, first.m_width, std::move(counts));
}

Expected<OverlapCounts> Rle::overlap(const Rle &a, const Rle &b)
{
    if (a.m_height != b.m_height || a.m_width != b.m_width)
        return Error{QStringLiteral("cannot compare RLEs of different sizes: %1 x %2 and %3 x %4 (h x w)")
                         .arg(a.m_height).arg(a.m_width).arg(b.m_height).arg(b.m_width)};
    const qint64 shared = intersectionArea(a.m_counts, b.m_counts);
    return OverlapCounts{shared, foregroundArea(a.m_counts) + foregroundArea(b.m_counts) - shared};
}

double Rle::iou(const Rle &dt, const Rle &gt, bool gtIsCrowd)
{
    if (dt.m_height != gt.m_height || dt.m_width != gt.m_width) {
        // pycocotools looks at the bounding boxes first: -1 only when they overlap.
        const QRectF d = dt.bbox(), g = gt.bbox();
        const double w = std::fmin(d.x() + d.width(), g.x() + g.width()) - std::fmax(d.x(), g.x());
        const double h = std::fmin(d.y() + d.height(), g.y() + g.height()) - std::fmax(d.y(), g.y());
        return w <= 0 || h <= 0 ? 0.0 : -1.0;
    }
    // With equal sizes the bounding-box test never changes the result: both boxes contain every
    // foreground pixel, so boxes that do not overlap mean an empty intersection, which gives 0 too.
    const qint64 shared = intersectionArea(dt.m_counts, gt.m_counts);
    if (shared == 0)
        return 0.0;
    const qint64 denominator = gtIsCrowd ? foregroundArea(dt.m_counts)
                                         : foregroundArea(dt.m_counts) + foregroundArea(gt.m_counts) - shared;
    return double(shared) / double(denominator);
}

bool Rle::samePixels(const Rle &a, const Rle &b)
{
    const auto counts = overlap(a, b);
    return counts && counts->intersection == a.area() && counts->intersection == b.area();
}

} // namespace rs
