#pragma once

// Binary PPM images (P6) for the runtime's tests and benchmark, which have neither Qt nor OpenCV.

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace rs::ppm {

struct Image
{
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
};

// Reads a binary PPM (P6, maxval 255, no comments). Empty image on any problem.
inline Image readPpm(const std::string &path)
{
    Image image;
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    int maxval = 0;
    if (!(in >> magic >> image.width >> image.height >> maxval) || magic != "P6" || maxval != 255)
        return {};
    in.get();
    image.rgb.resize(std::size_t(image.width) * std::size_t(image.height) * 3);
    if (!in.read(reinterpret_cast<char *>(image.rgb.data()), std::streamsize(image.rgb.size())))
        return {};
    return image;
}

} // namespace rs::ppm
