#pragma once

// Test inputs for the runtime tests: the model package folder and binary PPM (P6) images.

#include "ppm.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace rs::testdata {

using rs::ppm::Image;
using rs::ppm::readPpm;

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

inline std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace rs::testdata
