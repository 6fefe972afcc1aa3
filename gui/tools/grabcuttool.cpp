#include "gui/tools/grabcuttool.h"

#include "core/grabcutsegmenter.h"
#include "core/maskpainter.h"
#include "core/sampledocument.h"
#include "gui/canvas/viewport.h"
#include "gui/tools/targetedit.h"

#include <QKeyEvent>
#include <QPainter>
#include <QtConcurrent>

#include <cmath>

namespace rs {

namespace {

// The pixels whose centres lie in `box` (MaskPainter's rule).
QRect pixelsIn(const QRectF &box)
{
    const QRectF b = box.normalized();
    return QRect(QPoint(int(std::ceil(b.left() - 0.5)), int(std::ceil(b.top() - 0.5))),
                 QPoint(int(std::ceil(b.right() - 0.5)) - 1, int(std::ceil(b.bottom() - 0.5)) - 1));
}

} // namespace

GrabCutTool::GrabCutTool(QObject *parent)
    : AbstractTool(QStringLiteral("grabcut"), tr("Box to GrabCut"), QKeySequence(Qt::Key_G), parent)
{
}

GrabCutTool::~GrabCutTool() = default;

void GrabCutTool::activate(const ToolContext &context)
{
    if (context.document != m_sessionDocument)
        resetSession();
    if (context.image.cacheKey() != m_imageKey) {
        // A running job keeps its own reference to the old engine; its result is dropped.
        m_engine.reset();
        m_imageKey = context.image.cacheKey();
        resetSession();
        if (m_watcher) {
            m_watcher->disconnect(this);
            connect(m_watcher, &QFutureWatcherBase::finished, m_watcher, &QObject::deleteLater);
            m_watcher = nullptr;
            emit busyChanged(false);
        }
    }
    AbstractTool::activate(context);
    m_drag = Drag::None;
}

void GrabCutTool::deactivate()
{
    m_drag = Drag::None;
    emit overlayChanged();
}

void GrabCutTool::resetSession()
{
    m_sessionDocument = nullptr;
    m_sessionTarget = -1;
    m_base = Mask();
    m_applied = Mask();
    m_foreground = Mask();
    m_background = Mask();
    m_box = QRect();
}

bool GrabCutTool::canRefine() const
{
    SampleDocument *document = context().document;
    return m_engine && document && m_sessionDocument == document && m_sessionTarget >= 0
        && m_sessionTarget == document->currentTarget() && document->targetAt(m_sessionTarget).target.mask == m_applied;
}

void GrabCutTool::mousePressed(const ToolMouseEvent &event)
{
    if (!context().document || m_drag != Drag::None)
        return;
    if (event.button == Qt::LeftButton && !(event.modifiers & (Qt::ControlModifier | Qt::AltModifier)))
        m_drag = Drag::Box;
    else if (event.button == Qt::LeftButton && (event.modifiers & Qt::ControlModifier))
        m_drag = Drag::Foreground;
    else if ((event.button == Qt::LeftButton && (event.modifiers & Qt::AltModifier)) || event.button == Qt::RightButton)
        m_drag = Drag::Background;
    else
        return;
    if (m_drag != Drag::Box && !canRefine()) {
        m_drag = Drag::None;
        emit statusMessage(tr("Draw a box around the object first; then Ctrl-drag marks object, Alt-drag background"));
        return;
    }
    m_start = m_end = event.position;
    m_stroke = QPolygonF() << event.position;
    m_strokeRadius = std::max(1.0, kStrokeWidth / 2.0 / std::max(event.zoom, 1e-6));
    emit overlayChanged();
}

void GrabCutTool::mouseMoved(const ToolMouseEvent &event)
{
    if (m_drag == Drag::None)
        return;
    m_end = event.position;
    if (m_drag != Drag::Box)
        m_stroke << event.position;
    emit overlayChanged();
}

void GrabCutTool::mouseReleased(const ToolMouseEvent &event)
{
    const bool box = m_drag == Drag::Box;
    const bool ours = (event.button == Qt::LeftButton && m_drag != Drag::None)
        || (event.button == Qt::RightButton && m_drag == Drag::Background);
    if (!ours)
        return;
    m_end = event.position;
    const Drag drag = m_drag;
    m_drag = Drag::None;
    emit overlayChanged();
    if (isBusy()) {
        emit statusMessage(tr("GrabCut is still running"));
        return;
    }
    if (context().image.isNull()) {
        emit statusMessage(tr("The image is still loading"));
        return;
    }
    if (!m_engine) {
        m_engine = std::make_shared<Engine>();
        m_engine->image = context().image;
    }
    if (box) {
        const QRect pixels = pixelsIn(QRectF(m_start, m_end)).intersected(context().image.rect());
        if (pixels.width() < 4 || pixels.height() < 4) {
            emit statusMessage(tr("Draw a larger box (at least 4 × 4 pixels)"));
            return;
        }
        resetSession();
        m_box = pixels;
        run([pixels](GrabCutSegmenter &segmenter) { return segmenter.segment(pixels, kIterations); }, false);
        return;
    }
    if (!canRefine()) {
        emit statusMessage(tr("The target changed since GrabCut: draw a new box"));
        return;
    }
    const QSize size = context().image.size();
    Mask &marks = drag == Drag::Foreground ? m_foreground : m_background;
    if (marks.isNull())
        marks = Mask(size.width(), size.height());
    m_stroke << event.position;
    for (int i = 0; i < m_stroke.size(); ++i)
        MaskPainter::segment(marks, m_stroke[std::max(0, i - 1)], m_stroke[i], m_strokeRadius, true);
    if (m_foreground.isNull())
        m_foreground = Mask(size.width(), size.height());
    if (m_background.isNull())
        m_background = Mask(size.width(), size.height());
    run([foreground = m_foreground, background = m_background](GrabCutSegmenter &segmenter) {
        return segmenter.refine(foreground, background, kRefineIterations);
    }, true);
}

void GrabCutTool::run(std::function<Mask(GrabCutSegmenter &)> job, bool refine)
{
    auto *watcher = new QFutureWatcher<Result>(this);
    m_watcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, refine] {
        watcher->deleteLater();
        if (watcher != m_watcher)
            return;
        m_watcher = nullptr;
        emit busyChanged(false);
        emit overlayChanged();
        finished(watcher->result(), refine);
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, job = std::move(job)] {
        if (!engine->segmenter)
            engine->segmenter = std::make_unique<GrabCutSegmenter>(engine->image);
        Result result;
        result.mask = job(*engine->segmenter);
        result.bounds = result.mask.boundingRect();
        return result;
    }));
    emit busyChanged(true);
    emit statusMessage(refine ? tr("GrabCut: refining…") : tr("GrabCut: segmenting…"));
    emit overlayChanged();
}

void GrabCutTool::finished(const Result &result, bool refine)
{
    SampleDocument *document = context().document;
    if (!document)
        return;
    if (refine && !canRefine()) {
        emit statusMessage(tr("The target changed while GrabCut ran: the refinement was dropped"));
        return;
    }
    if (!refine && result.bounds.isNull()) {
        emit statusMessage(tr("GrabCut found no object in the box"));
        return;
    }
    TargetEdit edit;
    if (!edit.begin(document, refine ? tr("GrabCut Refine") : tr("GrabCut"), true) || edit.ensureTarget() < 0)
        return;
    if (!refine) {
        m_sessionDocument = document;
        m_sessionTarget = edit.index();
        m_base = edit.before();
        m_resultBounds = QRect();
    }
    // target = base ∪ result, written where the previous or the new result can be.
    const QRect area = result.bounds | m_resultBounds;
    Mask &mask = edit.mask();
    for (int y = area.top(); y <= area.bottom() && !area.isNull(); ++y) {
        const std::uint8_t *base = m_base.scanLine(y);
        const std::uint8_t *object = result.mask.scanLine(y);
        std::uint8_t *row = mask.scanLine(y);
        for (int x = area.left(); x <= area.right(); ++x)
            row[x] = base[x] | object[x];
    }
    m_resultBounds = result.bounds;
    edit.painted(area);
    edit.commit();
    m_applied = document->targetAt(m_sessionTarget).target.mask;
    emit statusMessage(refine ? tr("GrabCut refined") : tr("GrabCut done: Ctrl-drag marks object, Alt-drag background"));
}

bool GrabCutTool::wantsKey(const QKeyEvent *event) const
{
    return m_drag != Drag::None && event->key() == Qt::Key_Escape;
}

bool GrabCutTool::keyPressed(QKeyEvent *event)
{
    if (m_drag != Drag::None && event->key() == Qt::Key_Escape) {
        m_drag = Drag::None;
        emit overlayChanged();
        return true;
    }
    return false;
}

void GrabCutTool::paintOverlay(QPainter &painter, const Viewport &viewport) const
{
    painter.setRenderHint(QPainter::Antialiasing, true);
    if (m_drag == Drag::Box || (isBusy() && !m_box.isNull())) {
        const QRectF box = m_drag == Drag::Box ? viewport.toWidget(QRectF(m_start, m_end).normalized()) : viewport.toWidget(QRectF(m_box));
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 170), 3.0));
        painter.drawRect(box);
        painter.setPen(QPen(QColor(120, 200, 255), 1.5, Qt::DashLine));
        painter.drawRect(box);
        if (isBusy())
            painter.drawText(box.adjusted(4, 2, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("GrabCut…"));
    } else if (m_drag == Drag::Foreground || m_drag == Drag::Background) {
        QPolygonF stroke;
        for (const QPointF &p : m_stroke)
            stroke << viewport.toWidget(p);
        const double width = std::max(2.0, 2.0 * m_strokeRadius * viewport.zoom());
        painter.setPen(QPen(m_drag == Drag::Foreground ? QColor(60, 230, 90, 200) : QColor(240, 60, 60, 200), width, Qt::SolidLine,
                            Qt::RoundCap, Qt::RoundJoin));
        painter.drawPolyline(stroke);
    }
}

} // namespace rs
