// ImagePreprocessor: OpenCV-exact bilinear resize (goldens written by cv2.resize INTER_LINEAR),
// LISA rounding of the resized size, normalisation and padding, the image hash.

#include "check.h"
#include "testdata.h"

#include "inference/runtime/imagepreprocessor.h"

#include <cstdlib>
#include <filesystem>

using rs::ImagePreprocessor;
using rs::RgbImageView;

namespace {

RgbImageView view(const rs::testdata::Image &image)
{
    return { image.rgb.data(), image.width, image.height, 0 };
}

int maxDifference(const std::vector<std::uint8_t> &a, const std::vector<std::uint8_t> &b)
{
    if (a.size() != b.size())
        return 256;
    int worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(int(a[i]) - int(b[i])));
    return worst;
}

} // namespace

TEST_CASE(resizeMatchesOpenCvGoldens)
{
    const auto src = rs::testdata::readPpm(rs::testdata::dataPath("resize_src_40x26.ppm"));
    CHECK_EQ(src.width, 40);
    // 20x13: exact half size (OpenCV's 2x2 area path); 17x11: down; 128x83: up; 40x61: one axis; 7x3: strong
    // down.
    for (const auto &[w, h] : { std::pair { 20, 13 }, { 17, 11 }, { 128, 83 }, { 40, 61 }, { 7, 3 } }) {
        const std::string name
            = "resize_src_40x26_to_" + std::to_string(w) + "x" + std::to_string(h) + ".ppm";
        const auto golden = rs::testdata::readPpm(rs::testdata::dataPath(name));
        CHECK_EQ(golden.width, w);
        std::vector<std::uint8_t> out;
        ImagePreprocessor::resizeBilinear(view(src), w, h, out);
        CHECK_EQ(maxDifference(out, golden.rgb), 0);
    }
}

// Optional wider check during development: RS_RESIZE_CASES=<dir> with c<i>_src.ppm / c<i>_dst.ppm pairs.
TEST_CASE(resizeMatchesOpenCvManyCases)
{
    const char *dir = std::getenv("RS_RESIZE_CASES");
    if (!dir)
        return;
    int cases = 0, exact = 0;
    for (int i = 0; std::filesystem::exists(std::string(dir) + "/c" + std::to_string(i) + "_src.ppm"); ++i) {
        const auto src = rs::testdata::readPpm(std::string(dir) + "/c" + std::to_string(i) + "_src.ppm");
        const auto dst = rs::testdata::readPpm(std::string(dir) + "/c" + std::to_string(i) + "_dst.ppm");
        std::vector<std::uint8_t> out;
        ImagePreprocessor::resizeBilinear(view(src), dst.width, dst.height, out);
        ++cases;
        const int diff = maxDifference(out, dst.rgb);
        exact += diff == 0;
        if (diff != 0)
            std::cout << "case " << i << " " << src.width << "x" << src.height << " -> " << dst.width << "x"
                      << dst.height << " max diff " << diff << std::endl;
    }
    CHECK(cases > 0);
    CHECK_EQ(exact, cases);
}

TEST_CASE(geometryUsesLisaRounding)
{
    const ImagePreprocessor pre(128, { 0, 0, 0 }, { 1, 1, 1 });
    auto g = pre.geometry(128, 128);
    CHECK_EQ(g.resizedWidth, 128);
    CHECK_EQ(g.scale, 1.0);
    g = pre.geometry(640, 427); // 427 * 0.2 = 85.4 -> 85
    CHECK_EQ(g.resizedWidth, 128);
    CHECK_EQ(g.resizedHeight, 85);
    g = pre.geometry(300, 450); // 300 * 128 / 450 = 85.33 -> 85
    CHECK_EQ(g.resizedHeight, 128);
    CHECK_EQ(g.resizedWidth, 85);
    g = pre.geometry(1000, 3); // 0.384 -> 0: rejected by run()
    CHECK_EQ(g.resizedHeight, 0);
}

TEST_CASE(normalisesAndPadsBottomRight)
{
    const ImagePreprocessor pre(8, { 10.f, 20.f, 30.f }, { 2.f, 4.f, 5.f });
    std::vector<std::uint8_t> pixels(4 * 2 * 3);
    for (std::size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = std::uint8_t(40 + i);
    std::vector<std::uint8_t> square(8 * 4 * 3, 50);
    std::vector<float> chw;
    ImagePreprocessor::Geometry g;
    CHECK(pre.run({ square.data(), 8, 4, 0 }, chw, g).ok());
    CHECK_EQ(chw.size(), std::size_t(3 * 8 * 8));
    CHECK_EQ(g.resizedWidth, 8);
    CHECK_EQ(g.resizedHeight, 4);
    CHECK_EQ(chw[0], (50.f - 10.f) / 2.f); // R, (0,0)
    CHECK_EQ(chw[64 + 3 * 8 + 7], (50.f - 20.f) / 4.f); // G, row 3, col 7
    CHECK_EQ(chw[2 * 64 + 4 * 8], 0.0f); // B, row 4: padding
    CHECK_EQ(chw[7 * 8 + 7], 0.0f);
    // Stride: padding bytes at the end of each row are ignored.
    std::vector<std::uint8_t> padded(4 * (8 * 3 + 5), 50);
    std::vector<float> chw2;
    CHECK(pre.run({ padded.data(), 8, 4, 8 * 3 + 5 }, chw2, g).ok());
    CHECK(chw2 == chw);
    // 4x2 -> scale 2 -> resized to 8x4.
    CHECK(pre.run({ pixels.data(), 4, 2, 0 }, chw2, g).ok());
    CHECK_EQ(g.resizedWidth, 8);
    CHECK_EQ(g.resizedHeight, 4);
}

TEST_CASE(rejectsBadImages)
{
    const ImagePreprocessor pre(128, { 0, 0, 0 }, { 1, 1, 1 });
    std::vector<float> chw;
    ImagePreprocessor::Geometry g;
    std::vector<std::uint8_t> pixels(30, 0);
    CHECK_CONTAINS(pre.run({ nullptr, 2, 2, 0 }, chw, g).message(), "no pixel data");
    CHECK_CONTAINS(pre.run({ pixels.data(), 0, 2, 0 }, chw, g).message(), "outside");
    CHECK_CONTAINS(pre.run({ pixels.data(), 4, 2, 5 }, chw, g).message(), "stride");
    std::vector<std::uint8_t> thin(1000 * 3, 0);
    CHECK_CONTAINS(pre.run({ thin.data(), 1000, 1, 0 }, chw, g).message(), "empty input");
}

TEST_CASE(hashDependsOnPixelsAndSizeOnly)
{
    std::vector<std::uint8_t> a(6 * 4 * 3, 7);
    std::vector<std::uint8_t> strided(4 * 20, 7);
    const std::string h1 = ImagePreprocessor::hash({ a.data(), 6, 4, 0 });
    CHECK_EQ(h1.size(), std::size_t(16));
    CHECK_EQ(ImagePreprocessor::hash({ strided.data(), 6, 4, 20 }), h1);
    CHECK(ImagePreprocessor::hash({ a.data(), 4, 6, 0 }) != h1);
    a[5] = 8;
    CHECK(ImagePreprocessor::hash({ a.data(), 6, 4, 0 }) != h1);
}

RS_TEST_MAIN()
