// COCO RLE (core/rle) against a straightforward pycocotools-style baseline, plus Mask 8-bit vs
// bit-packed. Run: build/bench/bench_rle (see docs/performance.md).

#include "core/mask.h"
#include "core/rle.h"

#include <benchmark/benchmark.h>

#include <opencv2/imgproc.hpp>

#include <emmintrin.h>

#include <algorithm>
#include <bit>
#include <map>
#include <random>
#include <string>
#include <utility>

using namespace rs;

namespace {

using Counts = std::vector<std::uint32_t>;

// Several filled ellipses and polygons, some with holes, drawn with OpenCV; `shift` moves everything
// so that a second mask overlaps the first like a detection overlaps its ground truth.
Mask blobMask(int w, int h, std::uint32_t seed, int shift)
{
    std::mt19937 rng(seed);
    cv::Mat image(h, w, CV_8UC1, cv::Scalar(0));
    auto uniform = [&](int lo, int hi) { return lo + int(rng() % std::uint32_t(hi - lo + 1)); };
    const int scale = std::min(w, h);
    for (int i = 0; i < 8; ++i) {
        const cv::Point centre(uniform(0, w - 1) + shift, uniform(0, h - 1) + shift);
        const cv::Size axes(uniform(scale / 20, scale / 6), uniform(scale / 20, scale / 6));
        const double angle = uniform(0, 179);
        cv::ellipse(image, centre, axes, angle, 0, 360, cv::Scalar(1), cv::FILLED, cv::LINE_8);
        if (i % 3 == 0) // a hole
            cv::ellipse(image, centre, axes / 3, angle, 0, 360, cv::Scalar(0), cv::FILLED, cv::LINE_8);
    }
    for (int i = 0; i < 4; ++i) {
        std::vector<cv::Point> polygon;
        const cv::Point centre(uniform(0, w - 1) + shift, uniform(0, h - 1) + shift);
        const int vertices = uniform(5, 12);
        for (int v = 0; v < vertices; ++v) {
            const double a = 2 * CV_PI * v / vertices;
            const double r = uniform(scale / 30, scale / 8);
            polygon.emplace_back(centre.x + int(r * std::cos(a)), centre.y + int(r * std::sin(a)));
        }
        cv::fillPoly(image, std::vector<std::vector<cv::Point>>{polygon}, cv::Scalar(1), cv::LINE_8);
    }
    return Mask::fromMat(image);
}

struct Fixture
{
    Mask dt, gt;
    Rle dtRle, gtRle;
    std::vector<std::uint8_t> dtColumnMajor; // what pycocotools' encode is given (Fortran order)
};

const Fixture &fixture(int w, int h)
{
    static std::map<std::pair<int, int>, Fixture> cache;
    auto it = cache.find({w, h});
    if (it == cache.end()) {
        Fixture f;
        f.dt = blobMask(w, h, 1, 0);
        f.gt = blobMask(w, h, 1, std::max(2, std::min(w, h) / 100));
        f.dtRle = Rle::encode(f.dt);
        f.gtRle = Rle::encode(f.gt);
        f.dtColumnMajor.resize(std::size_t(w) * h);
        for (int x = 0; x < w; ++x)
            for (int y = 0; y < h; ++y)
                f.dtColumnMajor[std::size_t(x) * h + y] = f.dt.at(x, y);
        it = cache.emplace(std::make_pair(w, h), std::move(f)).first;
    }
    return it->second;
}

void setRate(benchmark::State &state, int w, int h)
{
    state.counters["Mpx/s"] = benchmark::Counter(double(w) * h * 1e-6 * double(state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

// --- The baseline: what pycocotools' C loops do, one byte per pixel, written plainly. ---

Counts baselineEncode(const std::uint8_t *columnMajor, std::size_t pixels)
{
    Counts counts;
    std::uint8_t previous = 0;
    std::uint32_t run = 0;
    for (std::size_t i = 0; i < pixels; ++i) {
        if (columnMajor[i] != previous) {
            counts.push_back(run);
            run = 0;
            previous = columnMajor[i];
        }
        ++run;
    }
    counts.push_back(run);
    return counts;
}

// As in maskApi.c the bound is read through memory on every pixel: the output is a byte pointer,
// which may alias the counts, so the compiler can neither hoist the load nor turn the loop into memset.
void baselineDecode(const Counts &counts, std::uint8_t *columnMajor)
{
    std::uint8_t value = 0;
    const std::uint32_t *cnts = counts.data();
    for (std::size_t j = 0; j < counts.size(); ++j) {
        for (std::uint32_t k = 0; k < cnts[j]; ++k)
            *columnMajor++ = value;
        value = !value;
    }
}

std::string baselineToString(const Counts &counts)
{
    std::string s;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        long x = long(counts[i]) - (i > 2 ? long(counts[i - 2]) : 0);
        bool more = true;
        while (more) {
            char c = char(x & 0x1f);
            x >>= 5;
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            s.push_back(char(c + 48));
        }
    }
    return s;
}

Counts baselineFromString(const std::string &s)
{
    Counts counts;
    std::size_t p = 0;
    while (p < s.size()) {
        long x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            const long c = s[p] - 48;
            x |= (c & 0x1f) << 5 * k;
            more = c & 0x20;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= -1L << 5 * k;
        }
        if (counts.size() > 2)
            x += long(counts[counts.size() - 2]);
        counts.push_back(std::uint32_t(x));
    }
    return counts;
}

std::uint32_t baselineArea(const Counts &counts)
{
    std::uint32_t area = 0;
    for (std::size_t j = 1; j < counts.size(); j += 2)
        area += counts[j];
    return area;
}

// rleToBbox: a division per run.
void baselineBbox(const Counts &counts, std::uint32_t h, std::uint32_t w, double box[4])
{
    const std::size_t m = counts.size() / 2 * 2;
    std::uint32_t xs = w, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
    if (m == 0) {
        box[0] = box[1] = box[2] = box[3] = 0;
        return;
    }
    for (std::size_t j = 0; j < m; ++j) {
        cc += counts[j];
        const std::uint32_t t = cc - std::uint32_t(j % 2), y = t % h, x = (t - y) / h;
        if (j % 2 == 0)
            xp = x;
        else if (xp < x) {
            ys = 0;
            ye = h - 1;
        }
        xs = std::min(xs, x);
        xe = std::max(xe, x);
        ys = std::min(ys, y);
        ye = std::max(ye, y);
    }
    box[0] = xs;
    box[2] = xe - xs + 1;
    box[1] = ys;
    box[3] = ye - ys + 1;
}

// rleIou for one pair: boxes first, then a walk over both run lists one boundary at a time.
double baselineIou(const Counts &a, const Counts &b, std::uint32_t h, std::uint32_t w)
{
    double da[4], db[4];
    baselineBbox(a, h, w, da);
    baselineBbox(b, h, w, db);
    const double bw = std::min(da[0] + da[2], db[0] + db[2]) - std::max(da[0], db[0]);
    const double bh = std::min(da[1] + da[3], db[1] + db[3]) - std::max(da[1], db[1]);
    if (bw <= 0 || bh <= 0)
        return 0;
    std::uint32_t ca = a[0], cb = b[0], inter = 0, uni = 0, ct = 1;
    std::size_t ia = 1, ib = 1;
    bool va = false, vb = false;
    while (ct > 0) {
        const std::uint32_t c = std::min(ca, cb);
        if (va || vb) {
            uni += c;
            if (va && vb)
                inter += c;
        }
        ct = 0;
        ca -= c;
        if (!ca && ia < a.size()) {
            ca = a[ia++];
            va = !va;
        }
        ct += ca;
        cb -= c;
        if (!cb && ib < b.size()) {
            cb = b[ib++];
            vb = !vb;
        }
        ct += cb;
    }
    return inter == 0 ? 0.0 : double(inter) / double(uni);
}

Counts baselineMerge(const Counts &a, const Counts &b)
{
    Counts out;
    std::uint32_t ca = a[0], cb = b[0], cc = 0, ct = 1;
    std::size_t ia = 1, ib = 1;
    bool va = false, vb = false, v = false;
    while (ct > 0) {
        const std::uint32_t c = std::min(ca, cb);
        cc += c;
        ct = 0;
        ca -= c;
        if (!ca && ia < a.size()) {
            ca = a[ia++];
            va = !va;
        }
        ct += ca;
        cb -= c;
        if (!cb && ib < b.size()) {
            cb = b[ib++];
            vb = !vb;
        }
        ct += cb;
        const bool vp = v;
        v = va || vb;
        if (v != vp || ct == 0) {
            out.push_back(cc);
            cc = 0;
        }
    }
    return out;
}

// --- core/rle ---

void BM_Encode(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(Rle::encode(f.dt));
    setRate(state, w, h);
    state.counters["runs"] = double(f.dtRle.counts().size());
}

void BM_Decode(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(f.dtRle.decode());
    setRate(state, w, h);
}

void BM_StringRoundTrip(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(Rle::fromString(f.dtRle.toString(), h, w));
    setRate(state, w, h);
}

void BM_Area(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(f.dtRle.area());
    setRate(state, w, h);
}

void BM_Iou(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(Rle::iou(f.dtRle, f.gtRle, false));
    setRate(state, w, h);
    state.counters["iou"] = Rle::iou(f.dtRle, f.gtRle, false);
}

void BM_Merge(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    const std::vector<Rle> both{f.dtRle, f.gtRle};
    for (auto _ : state)
        benchmark::DoNotOptimize(Rle::merge(both, false));
    setRate(state, w, h);
}

// --- Baseline ---

void BM_BaselineEncode(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    // Given column-major bytes already, as pycocotools is: the transpose is not timed.
    for (auto _ : state)
        benchmark::DoNotOptimize(baselineEncode(f.dtColumnMajor.data(), f.dtColumnMajor.size()));
    if (baselineEncode(f.dtColumnMajor.data(), f.dtColumnMajor.size()) != f.dtRle.counts())
        state.SkipWithError("baseline encode disagrees with Rle::encode");
    setRate(state, w, h);
}

void BM_BaselineDecode(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state) {
        std::vector<std::uint8_t> out(std::size_t(w) * h); // pycocotools mallocs the output too
        baselineDecode(f.dtRle.counts(), out.data());
        benchmark::DoNotOptimize(out.data());
    }
    setRate(state, w, h);
}

void BM_BaselineStringRoundTrip(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(baselineFromString(baselineToString(f.dtRle.counts())));
    if (baselineToString(f.dtRle.counts()) != f.dtRle.toString().toStdString())
        state.SkipWithError("baseline string disagrees with Rle::toString");
    setRate(state, w, h);
}

void BM_BaselineArea(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(baselineArea(f.dtRle.counts()));
    setRate(state, w, h);
}

void BM_BaselineIou(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(baselineIou(f.dtRle.counts(), f.gtRle.counts(), h, w));
    if (baselineIou(f.dtRle.counts(), f.gtRle.counts(), h, w) != Rle::iou(f.dtRle, f.gtRle, false))
        state.SkipWithError("baseline IoU disagrees with Rle::iou");
    setRate(state, w, h);
}

void BM_BaselineMerge(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(baselineMerge(f.dtRle.counts(), f.gtRle.counts()));
    setRate(state, w, h);
}

// --- Mask: 8-bit (core/mask) against a bit-packed layout of the same pixels ---

std::vector<std::uint64_t> packBits(const Mask &mask)
{
    std::vector<std::uint64_t> words((std::size_t(mask.pixelCount()) + 63) / 64, 0);
    for (qsizetype i = 0; i < mask.pixelCount(); ++i)
        words[std::size_t(i) / 64] |= std::uint64_t(mask.data()[i]) << (i % 64);
    return words;
}

void BM_MaskArea8Bit(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    for (auto _ : state)
        benchmark::DoNotOptimize(f.dt.area());
    setRate(state, w, h);
}

// The same 8-bit pixels summed with a horizontal byte sum (psadbw): what the layout allows.
void BM_MaskArea8BitSad(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Mask &mask = fixture(w, h).dt;
    for (auto _ : state) {
        const std::uint8_t *p = mask.data();
        const std::size_t n = std::size_t(mask.pixelCount());
        __m128i sum = _mm_setzero_si128();
        std::size_t i = 0;
        for (; i + 16 <= n; i += 16)
            sum = _mm_add_epi64(sum, _mm_sad_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i)),
                                                  _mm_setzero_si128()));
        qint64 area = _mm_cvtsi128_si64(sum) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
        for (; i < n; ++i)
            area += p[i];
        benchmark::DoNotOptimize(area);
    }
    setRate(state, w, h);
}

void BM_MaskUnite8Bit(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    Mask target = f.dt;
    for (auto _ : state) {
        target.unite(f.gt);
        benchmark::DoNotOptimize(target.data());
    }
    setRate(state, w, h);
}

// The same 8-bit union, 16 pixels per instruction.
void BM_MaskUnite8BitSse2(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const Fixture &f = fixture(w, h);
    Mask target = f.dt;
    const std::size_t n = std::size_t(target.pixelCount());
    for (auto _ : state) {
        std::uint8_t *p = target.data();
        const std::uint8_t *q = f.gt.data();
        std::size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(q + i));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(p + i), _mm_or_si128(a, b));
        }
        for (; i < n; ++i)
            p[i] |= q[i];
        benchmark::DoNotOptimize(target.data());
    }
    setRate(state, w, h);
}

void BM_MaskAreaBitPacked(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    const std::vector<std::uint64_t> bits = packBits(fixture(w, h).dt);
    for (auto _ : state) {
        qint64 n = 0;
        for (std::uint64_t word : bits)
            n += std::popcount(word);
        benchmark::DoNotOptimize(n);
    }
    setRate(state, w, h);
}

void BM_MaskUniteBitPacked(benchmark::State &state)
{
    const int w = int(state.range(0)), h = int(state.range(1));
    std::vector<std::uint64_t> target = packBits(fixture(w, h).dt);
    const std::vector<std::uint64_t> other = packBits(fixture(w, h).gt);
    for (auto _ : state) {
        for (std::size_t i = 0; i < target.size(); ++i)
            target[i] |= other[i];
        benchmark::DoNotOptimize(target.data());
    }
    setRate(state, w, h);
}

// 1 MP, 16 MP (4000 x 4000) and 16.7 MP (4096 x 4096).
void sizes(benchmark::internal::Benchmark *b)
{
    b->Args({1024, 1024})->Args({4000, 4000})->Args({4096, 4096})->Unit(benchmark::kMicrosecond);
}

} // namespace

BENCHMARK(BM_Encode)->Apply(sizes);
BENCHMARK(BM_BaselineEncode)->Apply(sizes);
BENCHMARK(BM_Decode)->Apply(sizes);
BENCHMARK(BM_BaselineDecode)->Apply(sizes);
BENCHMARK(BM_StringRoundTrip)->Apply(sizes);
BENCHMARK(BM_BaselineStringRoundTrip)->Apply(sizes);
BENCHMARK(BM_Area)->Apply(sizes);
BENCHMARK(BM_BaselineArea)->Apply(sizes);
BENCHMARK(BM_Iou)->Apply(sizes);
BENCHMARK(BM_BaselineIou)->Apply(sizes);
BENCHMARK(BM_Merge)->Apply(sizes);
BENCHMARK(BM_BaselineMerge)->Apply(sizes);
BENCHMARK(BM_MaskArea8Bit)->Args({4000, 4000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MaskArea8BitSad)->Args({4000, 4000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MaskAreaBitPacked)->Args({4000, 4000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MaskUnite8Bit)->Args({4000, 4000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MaskUnite8BitSse2)->Args({4000, 4000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MaskUniteBitPacked)->Args({4000, 4000})->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
