#pragma once

// Test inputs for the runtime tests: the model package folder and binary PPM (P6) images.

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace rs::testdata {

// RS_MODEL_DIR from the environment, else the bundled package (models/shapes).
inline std::string modelDir()
{
    if (const char *env = std::getenv("RS_MODEL_DIR"); env && *env)
        return env;
    return RS_MODEL_DIR;
}

inline std::string dataPath(const std::string &name)
{
    return std::string(RS_RUNTIME_TEST_DATA) + "/" + name;
}

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

inline std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace rs::testdata
