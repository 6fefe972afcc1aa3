#pragma once

#include "core/expected.h"
#include "core/mask.h"

#include <cstdint>
#include <vector>

namespace rs {

// A ground-truth label image in LISA's encoding (formats.md §1.2-1.3): 0 background, 1 target,
// 255 ignore. Held as two disjoint binary masks of one size; the byte image is produced on demand.
class LabelledMask
{
public:
    static constexpr std::uint8_t kBackgroundValue = 0;
    static constexpr std::uint8_t kTargetValue = 1;
    static constexpr std::uint8_t kIgnoreValue = 255;

    LabelledMask() = default;
    // All background.
    LabelledMask(int width, int height);

    // Target and ignore must have the same size and share no pixel.
    static Expected<LabelledMask> fromMasks(const Mask &target, const Mask &ignore);
    // Reads a {0, 1, 255} image; any other byte is an error naming the first such pixel.
    static Expected<LabelledMask> fromBytes(const std::uint8_t *bytes, int width, int height,
                                            int bytesPerLine);
    // As fromBytes; the image must be 8-bit single-channel.
    static Expected<LabelledMask> fromMat(const cv::Mat &mat);

    int width() const { return m_target.width(); }
    int height() const { return m_target.height(); }
    QSize size() const { return m_target.size(); }
    bool isNull() const { return m_target.isNull(); }

    const Mask &target() const { return m_target; }
    const Mask &ignore() const { return m_ignore; }
    // Every non-zero pixel (target ∪ ignore): what Seg-Zero's converter keeps with mask.astype(bool)
    // (formats.md §3.3).
    Mask nonZero() const { return m_target.united(m_ignore); }

    std::uint8_t valueAt(int x, int y) const;
    // Paints one pixel; value 0, 1 or 255 (anything else non-zero counts as target).
    void setValue(int x, int y, std::uint8_t value);

    // Row-major bytes, width() per row, values {0, 1, 255}.
    std::vector<std::uint8_t> toBytes() const;
    // A new CV_8UC1 image with the same values (owns its data).
    cv::Mat toMat() const;

    bool operator==(const LabelledMask &other) const = default;

private:
    LabelledMask(Mask target, Mask ignore)
        : m_target(std::move(target))
        , m_ignore(std::move(ignore))
    {
    }

    Mask m_target;
    Mask m_ignore;
};

} // namespace rs
