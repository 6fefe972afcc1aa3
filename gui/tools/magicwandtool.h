#pragma once

#include "core/mask.h"
#include "gui/tools/abstracttool.h"

#include <QFutureWatcher>

namespace rs {

// Magic wand: a click selects the connected region of similar colour around the pixel
// (MagicWand::select, OpenCV floodFill with a fixed tolerance per channel, 4-connected) and adds it
// to the selected target (a new one when none is selected) as one step; Shift-click removes it
// instead. `[` and `]` change the tolerance. The flood fill runs on the thread pool.
class MagicWandTool : public AbstractTool
{
    Q_OBJECT

public:
    static constexpr int kDefaultTolerance = 24;
    static constexpr int kToleranceStep = 4;

    explicit MagicWandTool(QObject *parent = nullptr);

    int tolerance() const { return m_tolerance; }
    void setTolerance(int tolerance);
    bool isBusy() const { return m_watcher != nullptr; }

    void activate(const ToolContext &context) override;
    void mousePressed(const ToolMouseEvent &event) override;
    bool keyPressed(QKeyEvent *event) override;

signals:
    void toleranceChanged(int tolerance);
    void busyChanged(bool busy);

private:
    struct Result
    {
        Mask mask;
        QRect bounds;
    };
    void apply(const Result &result, bool subtract);

    int m_tolerance = kDefaultTolerance;
    QFutureWatcher<Result> *m_watcher = nullptr;
};

} // namespace rs
