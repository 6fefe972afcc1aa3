#include "gui/tools/modelrefinetool.h"

#include "core/sampledocument.h"
#include "gui/canvas/viewport.h"

#include <QKeyEvent>
#include <QPainter>

namespace rs {

ModelRefineTool::ModelRefineTool(QObject *parent)
    : AbstractTool(QStringLiteral("modelrefine"), tr("Model Refine"), QKeySequence(Qt::Key_M), parent)
{
}

void ModelRefineTool::setAvailable(bool available)
{
    m_available = available;
}

void ModelRefineTool::activate(const ToolContext &context)
{
    if (context.document != this->context().document)
        m_pending = QRectF();
    AbstractTool::activate(context);
    m_dragging = false;
    if (!m_available)
        emit statusMessage(tr("The loaded model takes no box input"));
}

void ModelRefineTool::deactivate()
{
    m_dragging = false;
    emit overlayChanged();
}

void ModelRefineTool::requestFinished()
{
    m_pending = QRectF();
    emit overlayChanged();
}

void ModelRefineTool::mousePressed(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton || !context().document)
        return;
    m_dragging = true;
    m_start = m_end = event.position;
    emit overlayChanged();
}

void ModelRefineTool::mouseMoved(const ToolMouseEvent &event)
{
    if (!m_dragging)
        return;
    m_end = event.position;
    emit overlayChanged();
}

void ModelRefineTool::mouseReleased(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    m_end = event.position;
    emit overlayChanged();
    const QRectF box = QRectF(m_start, m_end).normalized().intersected(QRectF(QPointF(0, 0), context().document->imageSize()));
    if (box.width() < 2.0 || box.height() < 2.0)
        return;
    if (!m_available) {
        emit statusMessage(tr("The loaded model takes no box input"));
        return;
    }
    m_pending = box;
    emit overlayChanged();
    emit boxRequested(box);
}

bool ModelRefineTool::wantsKey(const QKeyEvent *event) const
{
    return m_dragging && event->key() == Qt::Key_Escape;
}

bool ModelRefineTool::keyPressed(QKeyEvent *event)
{
    if (m_dragging && event->key() == Qt::Key_Escape) {
        m_dragging = false;
        emit overlayChanged();
        return true;
    }
    return false;
}

void ModelRefineTool::paintOverlay(QPainter &painter, const Viewport &viewport) const
{
    const QRectF box = m_dragging ? QRectF(m_start, m_end).normalized() : m_pending;
    if (box.isNull())
        return;
    const QRectF widget = viewport.toWidget(box);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(0, 0, 0, 170), 3.0));
    painter.drawRect(widget);
    painter.setPen(QPen(QColor(200, 140, 255), 1.5, m_dragging ? Qt::DashLine : Qt::SolidLine));
    painter.drawRect(widget);
    if (!m_dragging)
        painter.drawText(widget.adjusted(4, 2, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("Model…"));
}

} // namespace rs
