#pragma once

#include <cstdint>

namespace rs {

// A caller-owned 8-bit RGB image (R, G, B byte order), rows `stride` bytes apart (0 = width * 3).
// The runtime only reads it during the call it is passed to.
struct RgbImageView
{
    const std::uint8_t *data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;

    int rowBytes() const { return stride > 0 ? stride : width * 3; }
};

} // namespace rs
