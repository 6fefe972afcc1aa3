#pragma once

#include <QRect>

#include <cstdint>
#include <vector>

namespace cv { class Mat; }

namespace rs {

// A binary mask of any size: one byte per pixel, row-major, each byte exactly 0 or 1.
//
// Why bytes and not bits: OpenCV (fillPoly, grabCut, floodFill, connectedComponents) works on 8-bit
// images, so an 8-bit mask is shared with it without conversion; the byte loops below are
// vectorised by the compiler (see docs/performance.md for the measured cost against bit-packing).
// Pixel (x, y) is at data()[y * width() + x].
class Mask
{
public:
    Mask() = default;
    Mask(int width, int height, bool value = false);

    // Copies an 8-bit single-channel image; any non-zero byte becomes 1.
    static Mask fromBytes(const std::uint8_t *bytes, int width, int height, int bytesPerLine);
    static Mask fromMat(const cv::Mat &mat);

    int width() const { return m_width; }
    int height() const { return m_height; }
    QSize size() const { return QSize(m_width, m_height); }
    qsizetype pixelCount() const { return qsizetype(m_width) * m_height; }
    bool isNull() const { return m_width == 0 || m_height == 0; }

    bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < m_width && y < m_height; }
    bool at(int x, int y) const { return m_data[index(x, y)] != 0; }
    void set(int x, int y, bool value) { m_data[index(x, y)] = value ? 1 : 0; }
    void fill(bool value);
    void fillRect(const QRect &rect, bool value);

    const std::uint8_t *data() const { return m_data.data(); }
    std::uint8_t *data() { return m_data.data(); }
    const std::uint8_t *scanLine(int y) const { return m_data.data() + qsizetype(y) * m_width; }
    std::uint8_t *scanLine(int y) { return m_data.data() + qsizetype(y) * m_width; }

    // A cv::Mat header over this mask's bytes (no copy); valid while the mask lives and is not resized.
    cv::Mat mat();
    cv::Mat mat() const;

    qsizetype area() const;
    bool isEmpty() const;
    // Smallest rectangle holding every set pixel; a null QRect when the mask is empty.
    QRect boundingRect() const;

    // Boolean operations. Both masks must have the same size (checked with Q_ASSERT; callers
    // that take sizes from input validate them first).
    Mask &unite(const Mask &other);
    Mask &intersect(const Mask &other);
    Mask &subtract(const Mask &other);
    Mask united(const Mask &other) const { return Mask(*this).unite(other); }
    Mask intersected(const Mask &other) const { return Mask(*this).intersect(other); }
    Mask subtracted(const Mask &other) const { return Mask(*this).subtract(other); }
    qsizetype intersectionArea(const Mask &other) const;

    // Background regions not connected (4-connectivity) to the image border become set.
    Mask filledHoles() const;
    // One mask per 8-connected component, largest first (ties: top-most, then left-most pixel first).
    std::vector<Mask> connectedComponents() const;
    // Clears every 8-connected component smaller than minArea pixels.
    Mask withoutSmallComponents(qsizetype minArea) const;

    // The pixels inside rect (clipped to the mask) as a new mask of rect's clipped size.
    Mask copy(const QRect &rect) const;
    // Writes patch with its top-left corner at topLeft; parts outside this mask are dropped.
    void paste(const Mask &patch, const QPoint &topLeft);

    bool operator==(const Mask &other) const;
    bool operator!=(const Mask &other) const { return !(*this == other); }

private:
    qsizetype index(int x, int y) const { return qsizetype(y) * m_width + x; }

    int m_width = 0;
    int m_height = 0;
    std::vector<std::uint8_t> m_data;
};

} // namespace rs
