#include "inference/runtime/imagepreprocessor.h"

#include <algorithm>
#include <cmath>

namespace rs {

namespace {

constexpr int kCoefBits = 11;
constexpr int kCoefScale = 1 << kCoefBits;

short toFixed(float v)
{
    const long r = std::lrint(v * float(kCoefScale)); // cvRound: nearest, ties to even
    return short(std::clamp<long>(r, -32768, 32767));
}

// OpenCV's resize tables for one axis: source index and two fixed-point weights per destination index.
struct Taps
{
    std::vector<int> index;
    std::vector<short> weight; // 2 per destination
};

Taps linearTaps(int src, int dst, bool clampToEdges)
{
    Taps taps;
    taps.index.resize(std::size_t(dst));
    taps.weight.resize(std::size_t(dst) * 2);
    const double scale = 1.0 / (double(dst) / double(src));
    for (int d = 0; d < dst; ++d) {
        float f = float((d + 0.5) * scale - 0.5);
        int s = int(std::floor(f));
        f -= float(s);
        if (clampToEdges) {
            if (s < 0)
                f = 0.f, s = 0;
            if (s >= src - 1)
                f = 0.f, s = src - 1;
        }
        taps.index[std::size_t(d)] = s;
        taps.weight[std::size_t(d) * 2] = toFixed(1.f - f);
        taps.weight[std::size_t(d) * 2 + 1] = toFixed(f);
    }
    return taps;
}

} // namespace

ImagePreprocessor::ImagePreprocessor(int size, std::array<float, 3> mean, std::array<float, 3> std)
    : m_size(size)
    , m_mean(mean)
    , m_std(std)
{
}

Status ImagePreprocessor::check(const RgbImageView &image)
{
    if (!image.data)
        return Status::failure("image: no pixel data");
    if (image.width < 1 || image.height < 1 || image.width > MaxSide || image.height > MaxSide)
        return Status::failure("image: size " + std::to_string(image.width) + "x"
                               + std::to_string(image.height) + " is outside 1.." + std::to_string(MaxSide));
    if (image.stride != 0 && image.stride < image.width * 3)
        return Status::failure("image: stride " + std::to_string(image.stride)
                               + " is smaller than width * 3");
    return Status::success();
}

ImagePreprocessor::Geometry ImagePreprocessor::geometry(int width, int height) const
{
    Geometry g;
    g.scale = double(m_size) / double(std::max(width, height));
    g.resizedHeight = int(height * g.scale + 0.5);
    g.resizedWidth = int(width * g.scale + 0.5);
    return g;
}

void ImagePreprocessor::resizeBilinear(const RgbImageView &src, int width, int height,
                                       std::vector<std::uint8_t> &dst)
{
    dst.assign(std::size_t(width) * std::size_t(height) * 3, 0);
    const int rowBytes = src.rowBytes();
    auto srcRow = [&](int y) { return src.data + std::size_t(y) * std::size_t(rowBytes); };

    // Exactly half size in both directions: OpenCV switches INTER_LINEAR to its fast 2x2 area average.
    if (src.width == 2 * width && src.height == 2 * height) {
        for (int y = 0; y < height; ++y) {
            const std::uint8_t *r0 = srcRow(2 * y);
            const std::uint8_t *r1 = srcRow(2 * y + 1);
            std::uint8_t *out = dst.data() + std::size_t(y) * std::size_t(width) * 3;
            for (int x = 0; x < width; ++x) {
                for (int c = 0; c < 3; ++c) {
                    const int i = 6 * x + c;
                    out[3 * x + c] = std::uint8_t((r0[i] + r0[i + 3] + r1[i] + r1[i + 3] + 2) >> 2);
                }
            }
        }
        return;
    }

    const Taps xs = linearTaps(src.width, width, true);
    const Taps ys = linearTaps(src.height, height, false);
    // Horizontal pass of source row y into int buffer (values scaled by kCoefScale).
    std::vector<int> rowA(std::size_t(width) * 3), rowB(std::size_t(width) * 3);
    auto horizontal = [&](int y, std::vector<int> &out) {
        const std::uint8_t *s = srcRow(y);
        for (int x = 0; x < width; ++x) {
            const int sx = xs.index[std::size_t(x)];
            const int a0 = xs.weight[std::size_t(x) * 2], a1 = xs.weight[std::size_t(x) * 2 + 1];
            for (int c = 0; c < 3; ++c) {
                const int v0 = s[3 * sx + c];
                const int v1 = sx + 1 < src.width ? s[3 * (sx + 1) + c] : 0;
                out[std::size_t(3 * x + c)] = sx + 1 < src.width ? v0 * a0 + v1 * a1 : v0 * kCoefScale;
            }
        }
    };
    for (int y = 0; y < height; ++y) {
        const int sy = ys.index[std::size_t(y)];
        // Rows outside the image repeat the edge row (the weights are not re-clamped, as in OpenCV).
        horizontal(std::clamp(sy, 0, src.height - 1), rowA);
        horizontal(std::clamp(sy + 1, 0, src.height - 1), rowB);
        const int b0 = ys.weight[std::size_t(y) * 2], b1 = ys.weight[std::size_t(y) * 2 + 1];
        std::uint8_t *out = dst.data() + std::size_t(y) * std::size_t(width) * 3;
        for (std::size_t i = 0; i < rowA.size(); ++i)
            out[i] = std::uint8_t((((b0 * (rowA[i] >> 4)) >> 16) + ((b1 * (rowB[i] >> 4)) >> 16) + 2) >> 2);
    }
}

Status ImagePreprocessor::run(const RgbImageView &image, std::vector<float> &chw, Geometry &geometry) const
{
    if (Status ok = check(image); !ok)
        return ok;
    geometry = this->geometry(image.width, image.height);
    const int w = geometry.resizedWidth, h = geometry.resizedHeight;
    if (w < 1 || h < 1 || w > m_size || h > m_size)
        return Status::failure("image: " + std::to_string(image.width) + "x" + std::to_string(image.height)
                               + " resizes to an empty input");
    std::vector<std::uint8_t> resized;
    const std::uint8_t *pixels = image.data;
    std::size_t rowBytes = std::size_t(image.rowBytes());
    if (w != image.width || h != image.height) {
        resizeBilinear(image, w, h, resized);
        pixels = resized.data();
        rowBytes = std::size_t(w) * 3;
    }
    const std::size_t plane = std::size_t(m_size) * std::size_t(m_size);
    chw.assign(plane * 3, 0.0f);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t *row = pixels + std::size_t(y) * rowBytes;
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < 3; ++c) {
                const float v = float(row[3 * x + c]);
                chw[std::size_t(c) * plane + std::size_t(y) * std::size_t(m_size) + std::size_t(x)]
                    = (v - m_mean[std::size_t(c)]) / m_std[std::size_t(c)];
            }
        }
    }
    return Status::success();
}

std::string ImagePreprocessor::hash(const RgbImageView &image)
{
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::uint8_t byte) {
        h ^= byte;
        h *= 1099511628211ull;
    };
    for (int shift = 0; shift < 32; shift += 8) {
        mix(std::uint8_t(std::uint32_t(image.width) >> shift));
        mix(std::uint8_t(std::uint32_t(image.height) >> shift));
    }
    const std::size_t rowBytes = std::size_t(image.rowBytes());
    for (int y = 0; y < image.height && image.data; ++y) {
        const std::uint8_t *row = image.data + std::size_t(y) * rowBytes;
        for (int i = 0; i < image.width * 3; ++i)
            mix(row[i]);
    }
    static const char *hex = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4)
        out[std::size_t(i)] = hex[h & 15];
    return out;
}

} // namespace rs
