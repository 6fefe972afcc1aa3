#include "gui/tools/rectangletool.h"

#include "core/maskpainter.h"
#include "core/sampledocument.h"
#include "gui/canvas/viewport.h"
#include "gui/tools/targetedit.h"

#include <QKeyEvent>
#include <QPainter>

#include <cmath>

namespace rs {

RectangleTool::RectangleTool(QObject *parent)
    : AbstractTool(QStringLiteral("rectangle"), tr("Rectangle"), QKeySequence(Qt::Key_R), parent)
{
}

void RectangleTool::activate(const ToolContext &context)
{
    AbstractTool::activate(context);
    m_dragging = false;
}

void RectangleTool::deactivate()
{
    if (m_dragging) {
        m_dragging = false;
        emit overlayChanged();
    }
}

void RectangleTool::mousePressed(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton || !context().document)
        return;
    m_dragging = true;
    m_subtract = event.modifiers & Qt::ShiftModifier;
    m_start = m_end = event.position;
    emit overlayChanged();
}

void RectangleTool::mouseMoved(const ToolMouseEvent &event)
{
    if (!m_dragging)
        return;
    m_end = event.position;
    emit overlayChanged();
}

void RectangleTool::mouseReleased(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    m_end = event.position;
    emit overlayChanged();
    SampleDocument *document = context().document;
    const QRectF box = QRectF(m_start, m_end).normalized().intersected(QRectF(QPointF(0, 0), document->imageSize()));
    if (box.isEmpty())
        return;
    TargetEdit edit;
    if (!edit.begin(document, m_subtract ? tr("Rectangle Cut") : tr("Rectangle"), !m_subtract)) {
        emit statusMessage(tr("Select a target to cut the rectangle from"));
        return;
    }
    // A box too thin to hold a pixel centre changes nothing: no target is made for it.
    // (MaskPainter's rule: pixels x with x + 0.5 in [left, right).)
    if (std::ceil(box.right() - 0.5) <= std::ceil(box.left() - 0.5) || std::ceil(box.bottom() - 0.5) <= std::ceil(box.top() - 0.5))
        return;
    if (edit.ensureTarget() < 0)
        return;
    edit.painted(MaskPainter::rectangle(edit.mask(), box, !m_subtract));
    edit.commit();
}

bool RectangleTool::wantsKey(const QKeyEvent *event) const
{
    return m_dragging && event->key() == Qt::Key_Escape;
}

bool RectangleTool::keyPressed(QKeyEvent *event)
{
    if (m_dragging && event->key() == Qt::Key_Escape) {
        m_dragging = false;
        emit overlayChanged();
        return true;
    }
    return false;
}

void RectangleTool::paintOverlay(QPainter &painter, const Viewport &viewport) const
{
    if (!m_dragging)
        return;
    const QRectF box = viewport.toWidget(QRectF(m_start, m_end).normalized());
    const QColor color = m_subtract ? QColor(255, 80, 80) : QColor(255, 255, 255);
    QColor fill = color;
    fill.setAlpha(40);
    painter.setBrush(fill);
    painter.setPen(QPen(QColor(0, 0, 0, 170), 3.0));
    painter.drawRect(box);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(color, 1.0, Qt::DashLine));
    painter.drawRect(box);
}

} // namespace rs
