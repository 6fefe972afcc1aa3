#include "core/grabcutsegmenter.h"

#include <opencv2/imgproc.hpp>

namespace rs {

struct GrabCutSegmenter::State
{
    QRect crop;            // the part of the image GrabCut works on
    cv::Mat pixels;        // BGR crop
    cv::Mat labels;        // GC_BGD / GC_FGD / GC_PR_BGD / GC_PR_FGD per crop pixel
    cv::Mat background;    // GrabCut's colour models
    cv::Mat foreground;
};

GrabCutSegmenter::GrabCutSegmenter(QImage image) : m_image(image.convertToFormat(QImage::Format_RGB888)) {}

GrabCutSegmenter::~GrabCutSegmenter() = default;

Mask GrabCutSegmenter::segment(const QRect &box, int iterations)
{
    const QRect inside = box.intersected(m_image.rect());
    if (inside.width() < 4 || inside.height() < 4)
        return Mask(m_image.width(), m_image.height());
    const int margin = std::max(16, std::max(inside.width(), inside.height()) / 4);
    m_state = std::make_unique<State>();
    m_state->crop = inside.adjusted(-margin, -margin, margin, margin).intersected(m_image.rect());
    const QImage crop = m_image.copy(m_state->crop);
    const cv::Mat rgb(crop.height(), crop.width(), CV_8UC3, const_cast<uchar *>(crop.constBits()), std::size_t(crop.bytesPerLine()));
    cv::cvtColor(rgb, m_state->pixels, cv::COLOR_RGB2BGR);
    const cv::Rect rect(inside.x() - m_state->crop.x(), inside.y() - m_state->crop.y(), inside.width(), inside.height());
    cv::grabCut(m_state->pixels, m_state->labels, rect, m_state->background, m_state->foreground, iterations, cv::GC_INIT_WITH_RECT);
    return toMask();
}

Mask GrabCutSegmenter::refine(const Mask &foreground, const Mask &background, int iterations)
{
    if (!m_state)
        return Mask(m_image.width(), m_image.height());
    const QRect &crop = m_state->crop;
    for (int y = 0; y < crop.height(); ++y) {
        auto *labels = m_state->labels.ptr<std::uint8_t>(y);
        const std::uint8_t *fg = foreground.scanLine(crop.y() + y) + crop.x();
        const std::uint8_t *bg = background.scanLine(crop.y() + y) + crop.x();
        for (int x = 0; x < crop.width(); ++x) {
            if (fg[x])
                labels[x] = cv::GC_FGD;
            else if (bg[x])
                labels[x] = cv::GC_BGD;
        }
    }
    cv::grabCut(m_state->pixels, m_state->labels, cv::Rect(), m_state->background, m_state->foreground, iterations,
                cv::GC_INIT_WITH_MASK);
    return toMask();
}

Mask GrabCutSegmenter::toMask() const
{
    Mask mask(m_image.width(), m_image.height());
    const QRect &crop = m_state->crop;
    for (int y = 0; y < crop.height(); ++y) {
        const auto *labels = m_state->labels.ptr<std::uint8_t>(y);
        std::uint8_t *row = mask.scanLine(crop.y() + y) + crop.x();
        for (int x = 0; x < crop.width(); ++x)
            row[x] = labels[x] == cv::GC_FGD || labels[x] == cv::GC_PR_FGD;
    }
    return mask;
}

} // namespace rs
