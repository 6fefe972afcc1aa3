#pragma once

#include "gui/tools/abstracttool.h"

#include <QRectF>

namespace rs {

// Rectangle: drag a box to fill it into the selected target (pixels whose centre is inside) as one
// step; Shift held at the press subtracts it instead. Escape cancels the drag.
class RectangleTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit RectangleTool(QObject *parent = nullptr);

    void activate(const ToolContext &context) override;
    void deactivate() override;
    void mousePressed(const ToolMouseEvent &event) override;
    void mouseMoved(const ToolMouseEvent &event) override;
    void mouseReleased(const ToolMouseEvent &event) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(const QKeyEvent *event) const override;
    void paintOverlay(QPainter &painter, const Viewport &viewport) const override;

private:
    bool m_dragging = false;
    bool m_subtract = false;
    QPointF m_start;
    QPointF m_end;
};

} // namespace rs
