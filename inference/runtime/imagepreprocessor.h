#pragma once

#include "inference/runtime/rgbimage.h"
#include "inference/runtime/status.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rs {

// Image -> model input as models/shapes/README.md says: resize the longest side to `size` with
// new = int(old * scale + 0.5) (bilinear, bit-exact with OpenCV's cv::resize INTER_LINEAR on 8-bit
// images, which the Python reference uses), normalise (x - mean) / std on 0-255 values in float32,
// place top-left on a size x size canvas of zeros, layout CHW.
class ImagePreprocessor
{
public:
    struct Geometry
    {
        double scale = 1.0; // input frame pixels per image pixel
        int resizedWidth = 0;
        int resizedHeight = 0;
    };

    static constexpr int MaxSide = 1 << 15;

    ImagePreprocessor() = default;
    ImagePreprocessor(int size, std::array<float, 3> mean, std::array<float, 3> std);

    int size() const { return m_size; }

    // Non-null data, 1 <= width, height <= MaxSide, stride >= width * 3.
    static Status check(const RgbImageView &image);
    Geometry geometry(int width, int height) const;
    // Fills `chw` with 3 * size * size floats.
    Status run(const RgbImageView &image, std::vector<float> &chw, Geometry &geometry) const;

    // cv::resize(src, dst, {width, height}, 0, 0, INTER_LINEAR) for CV_8UC3; `dst` is packed RGB.
    static void resizeBilinear(const RgbImageView &src, int width, int height,
                               std::vector<std::uint8_t> &dst);
    // 64-bit FNV-1a over the size and the pixels (not the row padding), as 16 hex digits.
    static std::string hash(const RgbImageView &image);

private:
    int m_size = 0;
    std::array<float, 3> m_mean {};
    std::array<float, 3> m_std {};
};

} // namespace rs
