#pragma once

#include "core/mask.h"
#include "core/sampledocument.h"
#include "gui/tools/abstracttool.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QPolygonF>

#include <functional>
#include <memory>

namespace rs {

class GrabCutSegmenter;

// Box → GrabCut: drag a box around an object; GrabCut (on the thread pool) segments it and the
// result is added to the selected target (a new one when none is selected) as one step. Then
// Ctrl-drag strokes mark sure foreground and Alt-drag (or right-drag) strokes sure background;
// each stroke re-runs GrabCut and replaces the previous result, again as one step. The refinement
// applies while the target still holds the last result (any other edit ends it).
class GrabCutTool : public AbstractTool
{
    Q_OBJECT

public:
    static constexpr int kIterations = 5;
    static constexpr int kRefineIterations = 3;
    static constexpr double kStrokeWidth = 6.0;  // widget pixels

    explicit GrabCutTool(QObject *parent = nullptr);
    ~GrabCutTool() override;

    bool isBusy() const { return m_watcher != nullptr; }
    // True when refine strokes apply (a box was segmented and its result is still in the target).
    bool canRefine() const;

    void activate(const ToolContext &context) override;
    void deactivate() override;
    void mousePressed(const ToolMouseEvent &event) override;
    void mouseMoved(const ToolMouseEvent &event) override;
    void mouseReleased(const ToolMouseEvent &event) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(const QKeyEvent *event) const override;
    void paintOverlay(QPainter &painter, const Viewport &viewport) const override;

signals:
    void busyChanged(bool busy);

private:
    enum class Drag { None, Box, Foreground, Background };
    struct Result
    {
        Mask mask;
        QRect bounds;
    };

    void run(std::function<Mask(GrabCutSegmenter &)> job, bool refine);
    void finished(const Result &result, bool refine);
    void resetSession();

    // GrabCut's state between a box and its refinements. Made (converting the image) and used only
    // by the pool job; the GUI thread never touches it while a job runs.
    struct Engine
    {
        QImage image;
        std::unique_ptr<GrabCutSegmenter> segmenter;
    };
    std::shared_ptr<Engine> m_engine;
    qint64 m_imageKey = 0;
    QFutureWatcher<Result> *m_watcher = nullptr;

    // The running refinement: the target, its mask before the first result, and after the last.
    QPointer<SampleDocument> m_sessionDocument;
    int m_sessionTarget = -1;
    Mask m_base;
    Mask m_applied;
    QRect m_resultBounds;
    QRect m_box;
    Mask m_foreground;
    Mask m_background;

    Drag m_drag = Drag::None;
    QPointF m_start;
    QPointF m_end;
    QPolygonF m_stroke;
    double m_strokeRadius = 1.0;
};

} // namespace rs
