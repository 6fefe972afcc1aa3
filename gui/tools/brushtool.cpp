#include "gui/tools/brushtool.h"

#include "core/maskpainter.h"
#include "core/sampledocument.h"
#include "gui/canvas/viewport.h"

#include <QKeyEvent>
#include <QPainter>

#include <cmath>

namespace rs {

BrushTool::BrushTool(Mode mode, QObject *parent)
    : AbstractTool(mode == Mode::Paint ? QStringLiteral("brush") : QStringLiteral("eraser"),
                   mode == Mode::Paint ? tr("Brush") : tr("Eraser"),
                   mode == Mode::Paint ? QKeySequence(Qt::Key_B) : QKeySequence(Qt::Key_E), parent),
      m_mode(mode)
{
}

void BrushTool::setSize(int size)
{
    size = std::clamp(size, kMinSize, kMaxSize);
    if (size == m_size)
        return;
    m_size = size;
    emit sizeChanged(size);
    emit statusMessage(tr("%1 size: %2 px").arg(name()).arg(size));
    emit overlayChanged();
}

QPointF BrushTool::snap(QPointF position) const
{
    if (m_size % 2 == 1)
        return QPointF(std::floor(position.x()) + 0.5, std::floor(position.y()) + 0.5);
    return QPointF(std::round(position.x()), std::round(position.y()));
}

void BrushTool::activate(const ToolContext &context)
{
    AbstractTool::activate(context);
    m_stroking = false;
}

void BrushTool::deactivate()
{
    finishStroke();
    m_hover = false;
}

void BrushTool::mousePressed(const ToolMouseEvent &event)
{
    m_cursor = event.position;
    m_hover = true;
    if (event.button != Qt::LeftButton || m_stroking)
        return;
    SampleDocument *document = context().document;
    if (!document)
        return;
    if (!m_edit.begin(document, m_mode == Mode::Paint ? tr("Brush") : tr("Erase"), m_mode == Mode::Paint)) {
        emit statusMessage(tr("Select a target to erase from"));
        return;
    }
    m_stroking = true;
    m_last = snap(event.position);
    paintTo(m_last);
    emit overlayChanged();
}

void BrushTool::mouseMoved(const ToolMouseEvent &event)
{
    m_cursor = event.position;
    m_hover = true;
    if (m_stroking && (event.buttons & Qt::LeftButton)) {
        const QPointF point = snap(event.position);
        if (point != m_last)
            paintTo(point);
    }
    emit overlayChanged();
}

void BrushTool::mouseReleased(const ToolMouseEvent &event)
{
    m_cursor = event.position;
    if (event.button != Qt::LeftButton || !m_stroking)
        return;
    const QPointF point = snap(event.position);
    if (point != m_last)
        paintTo(point);
    finishStroke();
}

void BrushTool::mouseLeft()
{
    m_hover = false;
    emit overlayChanged();
}

void BrushTool::paintTo(QPointF point)
{
    const QRect image(QPoint(0, 0), context().document->imageSize());
    // A new target is made only by a dab over the image, which always sets a pixel.
    if (m_edit.index() < 0 && !QRectF(image).contains(point) && !QRectF(image).contains(m_last)) {
        m_last = point;
        return;
    }
    if (m_edit.ensureTarget() < 0)
        return;
    const QRect changed = MaskPainter::segment(m_edit.mask(), m_last, point, radius(), m_mode == Mode::Paint);
    m_last = point;
    m_edit.painted(changed);
}

void BrushTool::finishStroke()
{
    if (!m_stroking)
        return;
    m_stroking = false;
    m_edit.commit();
}

bool BrushTool::keyPressed(QKeyEvent *event)
{
    if (event->key() == Qt::Key_BracketLeft) {
        setSize(std::max(kMinSize, std::min(m_size - 1, int(std::lround(m_size / 1.2)))));
        return true;
    }
    if (event->key() == Qt::Key_BracketRight) {
        setSize(std::max(m_size + 1, int(std::lround(m_size * 1.2))));
        return true;
    }
    return false;
}

void BrushTool::paintOverlay(QPainter &painter, const Viewport &viewport) const
{
    if (!m_hover)
        return;
    const QPointF centre = viewport.toWidget(snap(m_cursor));
    const double r = std::max(1.5, radius() * viewport.zoom());
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(0, 0, 0, 180), 3.0));
    painter.drawEllipse(centre, r, r);
    painter.setPen(QPen(m_mode == Mode::Paint ? QColor(255, 255, 255) : QColor(255, 120, 120), 1.2));
    painter.drawEllipse(centre, r, r);
}

QRect BrushTool::overlayRect(const Viewport &viewport) const
{
    if (!m_hover)
        return QRect(0, 0, 1, 1);  // nothing drawn (not null: a null rect means "anywhere")
    const QPointF centre = viewport.toWidget(snap(m_cursor));
    const double r = std::max(1.5, radius() * viewport.zoom()) + 3.0;
    return QRectF(centre - QPointF(r, r), centre + QPointF(r, r)).toAlignedRect();
}

} // namespace rs
