#include "gui/tools/polygontool.h"

#include "core/maskpainter.h"
#include "core/sampledocument.h"
#include "gui/canvas/viewport.h"
#include "gui/tools/targetedit.h"

#include <QKeyEvent>
#include <QPainter>

namespace rs {

PolygonTool::PolygonTool(QObject *parent) : AbstractTool(QStringLiteral("polygon"), tr("Polygon"), QKeySequence(Qt::Key_P), parent) {}

void PolygonTool::activate(const ToolContext &context)
{
    AbstractTool::activate(context);
    cancel();
}

void PolygonTool::deactivate()
{
    cancel();
}

int PolygonTool::vertexAt(QPointF position, double zoom) const
{
    const double reach = kHandleRadius / std::max(zoom, 1e-6);
    int best = -1;
    double bestDistance = reach * reach;
    for (int i = 0; i < m_points.size(); ++i) {
        const QPointF d = m_points[i] - position;
        const double distance = QPointF::dotProduct(d, d);
        if (distance <= bestDistance) {
            best = i;
            bestDistance = distance;
        }
    }
    return best;
}

void PolygonTool::mousePressed(const ToolMouseEvent &event)
{
    m_cursor = event.position;
    if (event.button != Qt::LeftButton || !context().document)
        return;
    const int vertex = vertexAt(event.position, event.zoom);
    if (vertex >= 0) {
        m_dragged = vertex;
        m_dragMoved = false;
        m_pressPosition = event.position;
        return;
    }
    if (m_points.isEmpty())
        m_subtract = event.modifiers & Qt::ShiftModifier;
    m_points << event.position;
    emit overlayChanged();
}

void PolygonTool::mouseMoved(const ToolMouseEvent &event)
{
    m_cursor = event.position;
    m_hover = true;
    if (m_dragged >= 0 && (event.buttons & Qt::LeftButton)) {
        if ((event.position - m_pressPosition).manhattanLength() * event.zoom >= 3.0)
            m_dragMoved = true;
        if (m_dragMoved)
            m_points[m_dragged] = event.position;
    }
    if (!m_points.isEmpty())
        emit overlayChanged();
}

void PolygonTool::mouseReleased(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton || m_dragged < 0)
        return;
    const int dragged = m_dragged;
    m_dragged = -1;
    // A click (no drag) on the first vertex closes the polygon.
    if (!m_dragMoved && dragged == 0 && m_points.size() >= 3)
        close();
    emit overlayChanged();
}

void PolygonTool::mouseDoubleClicked(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton)
        return;
    // The first click of the double click already added the last vertex.
    close();
}

bool PolygonTool::close()
{
    if (m_points.size() < 3) {
        if (!m_points.isEmpty())
            emit statusMessage(tr("A polygon needs at least 3 points"));
        return false;
    }
    const QPolygonF polygon = m_points;
    const bool subtract = m_subtract;
    cancel();
    SampleDocument *document = context().document;
    if (!document)
        return false;
    const QSize size = document->imageSize();
    if (!polygon.boundingRect().intersects(QRectF(QPointF(0, 0), size)))
        return false;
    TargetEdit edit;
    if (!edit.begin(document, subtract ? tr("Polygon Cut") : tr("Polygon"), !subtract)) {
        emit statusMessage(tr("Select a target to cut the polygon from"));
        return false;
    }
    if (edit.ensureTarget() < 0)
        return false;
    edit.painted(MaskPainter::polygon(edit.mask(), polygon, !subtract));
    return edit.commit();
}

void PolygonTool::cancel()
{
    const bool had = !m_points.isEmpty();
    m_points.clear();
    m_dragged = -1;
    m_subtract = false;
    if (had)
        emit overlayChanged();
}

bool PolygonTool::wantsKey(const QKeyEvent *event) const
{
    if (m_points.isEmpty())
        return false;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Escape:
    case Qt::Key_Backspace:
        return true;
    default:
        return false;
    }
}

bool PolygonTool::keyPressed(QKeyEvent *event)
{
    if (m_points.isEmpty())
        return false;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        close();
        return true;
    case Qt::Key_Escape:
        cancel();
        return true;
    case Qt::Key_Backspace:
        m_points.removeLast();
        if (m_dragged >= m_points.size())
            m_dragged = -1;
        if (m_points.isEmpty())
            m_subtract = false;
        emit overlayChanged();
        return true;
    default:
        return false;
    }
}

void PolygonTool::paintOverlay(QPainter &painter, const Viewport &viewport) const
{
    if (m_points.isEmpty())
        return;
    const QColor color = m_subtract ? QColor(255, 80, 80) : QColor(255, 255, 255);
    QPolygonF widget;
    for (const QPointF &p : m_points)
        widget << viewport.toWidget(p);
    painter.setRenderHint(QPainter::Antialiasing, true);
    QPolygonF open = widget;
    if (m_dragged < 0 && m_hover)
        open << viewport.toWidget(m_cursor);
    QColor fill = color;
    fill.setAlpha(50);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawPolygon(open, Qt::OddEvenFill);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(0, 0, 0, 170), 3.0));
    painter.drawPolyline(open);
    painter.setPen(QPen(color, 1.5));
    painter.drawPolyline(open);
    if (open.size() >= 3) {
        painter.setPen(QPen(color, 1.0, Qt::DashLine));
        painter.drawLine(open.last(), open.first());
    }
    for (int i = 0; i < widget.size(); ++i) {
        const double r = i == 0 ? kHandleRadius : kHandleRadius - 2.0;
        painter.setPen(QPen(Qt::black, 1.0));
        painter.setBrush(i == 0 ? color : QColor(255, 255, 255, 200));
        painter.drawRect(QRectF(widget[i] - QPointF(r / 2 + 1, r / 2 + 1), QSizeF(r + 2, r + 2)));
    }
}

} // namespace rs
