#include "gui/canvas/viewport.h"

#include <algorithm>
#include <cmath>

namespace rs {

void Viewport::setZoom(double zoom, QPointF widgetAnchor)
{
    const QPointF anchorImage = toImage(widgetAnchor);
    m_zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    m_origin = anchorImage - widgetAnchor / m_zoom;
}

void Viewport::zoomAt(QPointF widgetPoint, double factor)
{
    setZoom(m_zoom * factor, widgetPoint);
}

void Viewport::fit(QSize imageSize, QSize widgetSize)
{
    if (imageSize.isEmpty() || widgetSize.isEmpty())
        return;
    const double zoom = std::min(double(widgetSize.width()) / imageSize.width(), double(widgetSize.height()) / imageSize.height());
    m_zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    // Centre the image.
    const QPointF imageCentre(imageSize.width() / 2.0, imageSize.height() / 2.0);
    m_origin = imageCentre - QPointF(widgetSize.width(), widgetSize.height()) / (2.0 * m_zoom);
}

void Viewport::setOneToOne(QSize widgetSize)
{
    setZoom(1.0, QPointF(widgetSize.width() / 2.0, widgetSize.height() / 2.0));
}

int Viewport::pyramidLevel(int levels) const
{
    if (levels <= 1 || m_zoom >= 1.0)
        return 0;
    const int level = int(std::floor(std::log2(1.0 / m_zoom) + 1e-9));
    return std::clamp(level, 0, levels - 1);
}

} // namespace rs
