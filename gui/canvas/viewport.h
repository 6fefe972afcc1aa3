#pragma once

#include <QPointF>
#include <QRectF>
#include <QSize>

namespace rs {

// How the canvas maps image pixels to widget pixels: a zoom factor and the image point shown at the
// widget's top-left corner. Image coordinates put pixel (x, y) over [x, x+1) × [y, y+1).
class Viewport
{
public:
    static constexpr double kMinZoom = 1.0 / 64.0;
    static constexpr double kMaxZoom = 32.0;

    double zoom() const { return m_zoom; }
    QPointF origin() const { return m_origin; }

    QPointF toImage(QPointF widgetPoint) const { return m_origin + widgetPoint / m_zoom; }
    QPointF toWidget(QPointF imagePoint) const { return (imagePoint - m_origin) * m_zoom; }
    QRectF toWidget(const QRectF &imageRect) const
    {
        return QRectF(toWidget(imageRect.topLeft()), imageRect.size() * m_zoom);
    }
    // The part of the image plane the widget shows.
    QRectF visibleImageRect(QSize widgetSize) const { return QRectF(m_origin, QSizeF(widgetSize) / m_zoom); }

    // Zooms by `factor` keeping the image point under `widgetPoint` where it is (wheel zoom).
    void zoomAt(QPointF widgetPoint, double factor);
    // Shows the whole image centred, as large as fits (never above 1:1 for large images... up to kMaxZoom).
    void fit(QSize imageSize, QSize widgetSize);
    // 1:1 around the widget's centre.
    void setOneToOne(QSize widgetSize);
    void setZoom(double zoom, QPointF widgetAnchor);
    void setOrigin(QPointF origin) { m_origin = origin; }
    // Moves the view by a widget-pixel delta (panning drags the image with the mouse).
    void pan(QPointF widgetDelta) { m_origin -= widgetDelta / m_zoom; }

    // The pyramid level to draw from: the largest level whose scale 1/2^level is still ≥ zoom, so a
    // level is never magnified and at most one halving of detail is lost.
    int pyramidLevel(int levels) const;

    bool operator==(const Viewport &) const = default;

private:
    double m_zoom = 1.0;
    QPointF m_origin;
};

} // namespace rs
