#pragma once

#include "gui/tools/abstracttool.h"
#include "gui/tools/targetedit.h"

namespace rs {

// Round brush and eraser (one class, two instances): paints the selected target live while the
// left button is held; the whole stroke is one undo step. `[` and `]` change the size.
//
// Geometry: the size is the diameter in image pixels; stroke points snap to pixel centres for odd
// sizes and to pixel corners for even sizes, so a dab always covers the same pixel footprint; each
// mouse move paints MaskPainter::segment(previous point, point, size / 2).
// The brush makes a new target when none is selected; the eraser needs one.
class BrushTool : public AbstractTool
{
    Q_OBJECT

public:
    enum class Mode { Paint, Erase };
    static constexpr int kMinSize = 1;
    static constexpr int kMaxSize = 1000;

    explicit BrushTool(Mode mode, QObject *parent = nullptr);

    Mode mode() const { return m_mode; }
    int size() const { return m_size; }
    void setSize(int size);
    double radius() const { return m_size / 2.0; }
    // Where a stroke point at image position `position` lands (see the class comment).
    QPointF snap(QPointF position) const;
    bool isStroking() const { return m_stroking; }

    void activate(const ToolContext &context) override;
    void deactivate() override;
    void mousePressed(const ToolMouseEvent &event) override;
    void mouseMoved(const ToolMouseEvent &event) override;
    void mouseReleased(const ToolMouseEvent &event) override;
    void mouseLeft() override;
    bool keyPressed(QKeyEvent *event) override;
    void paintOverlay(QPainter &painter, const Viewport &viewport) const override;
    QRect overlayRect(const Viewport &viewport) const override;

signals:
    void sizeChanged(int size);

private:
    void paintTo(QPointF point);
    void finishStroke();

    Mode m_mode;
    int m_size = 15;
    bool m_stroking = false;
    bool m_hover = false;
    QPointF m_cursor;     // image pixels
    QPointF m_last;       // last painted point (snapped)
    TargetEdit m_edit;
};

} // namespace rs
