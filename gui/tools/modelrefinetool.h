#pragma once

#include "gui/tools/abstracttool.h"

#include <QRectF>

namespace rs {

// Model refine: drag a box and the model segments what is inside it (the model's box input, for
// models that have one). The tool only asks: boxRequested() goes to the session, which turns it into
// an inference request and applies the answer; the box stays drawn until requestFinished().
class ModelRefineTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit ModelRefineTool(QObject *parent = nullptr);

    // Whether the loaded model takes a box (set by the session when a model loads).
    bool isAvailable() const { return m_available; }
    void setAvailable(bool available);
    bool isPending() const { return !m_pending.isNull(); }
    QRectF pendingBox() const { return m_pending; }

    void activate(const ToolContext &context) override;
    void deactivate() override;
    void mousePressed(const ToolMouseEvent &event) override;
    void mouseMoved(const ToolMouseEvent &event) override;
    void mouseReleased(const ToolMouseEvent &event) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(const QKeyEvent *event) const override;
    void paintOverlay(QPainter &painter, const Viewport &viewport) const override;

public slots:
    // The request of the last box was answered (or failed): stop showing it as pending.
    void requestFinished();

signals:
    // A box in image pixels (x, y, width, height; clipped to the image) for the model's box input.
    void boxRequested(const QRectF &box);

private:
    bool m_available = true;
    bool m_dragging = false;
    QPointF m_start;
    QPointF m_end;
    QRectF m_pending;
};

} // namespace rs
