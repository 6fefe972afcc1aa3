#pragma once

#include "gui/tools/abstracttool.h"

#include <QPolygonF>

namespace rs {

// Polygon: each click adds a vertex; a double click, Enter, or a click on the first vertex closes
// the polygon and fills it into the selected target (pixels whose centre is inside, even-odd) as
// one step. Before closing, vertices can be dragged; Backspace removes the last one, Escape
// cancels. Shift held at the first click makes a subtracting polygon (cuts holes), drawn in red.
class PolygonTool : public AbstractTool
{
    Q_OBJECT

public:
    static constexpr double kHandleRadius = 6.0;  // widget pixels: vertex hit distance

    explicit PolygonTool(QObject *parent = nullptr);

    QPolygonF points() const { return m_points; }
    bool isSubtracting() const { return m_subtract; }
    // Fills the polygon in progress (at least 3 points) and starts over. Returns true when the
    // document changed.
    bool close();
    void cancel();

    void activate(const ToolContext &context) override;
    void deactivate() override;
    void mousePressed(const ToolMouseEvent &event) override;
    void mouseMoved(const ToolMouseEvent &event) override;
    void mouseReleased(const ToolMouseEvent &event) override;
    void mouseDoubleClicked(const ToolMouseEvent &event) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(const QKeyEvent *event) const override;
    void paintOverlay(QPainter &painter, const Viewport &viewport) const override;

private:
    int vertexAt(QPointF position, double zoom) const;

    QPolygonF m_points;  // image pixels
    bool m_subtract = false;
    int m_dragged = -1;
    bool m_dragMoved = false;
    QPointF m_pressPosition;
    QPointF m_cursor;
    bool m_hover = false;
};

} // namespace rs
