#include "gui/canvas/canvaswidget.h"

#include "core/sampledocument.h"
#include "gui/canvas/imageloader.h"
#include "gui/canvas/imagepyramid.h"
#include "gui/canvas/maskoverlay.h"
#include "gui/tools/abstracttool.h"

#include <QKeyEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QWheelEvent>

#include <cmath>

namespace rs {

namespace {

constexpr int kTile = ImagePyramid::kTileSize;
const QColor kBackground(43, 43, 46);
// One wheel notch (120 units) zooms by 2^(1/4).
constexpr double kWheelUnitsPerDoubling = 480.0;
constexpr double kStepFactor = 1.4142135623730951;
// From this zoom on, outlines are lines along pixel edges instead of filled boundary pixels.
constexpr double kLineOutlineZoom = 4.0;

// Magnified views show crisp pixels; reduced ones are filtered.
bool smoothAt(double zoom)
{
    return zoom < 2.0;
}

// Calls `draw(column, row, tileRect)` for the tiles of `level` (rect in level pixels) that meet the image rect `exposed`.
template<typename Draw>
void forTiles(const QRectF &exposed, int level, QSize levelSize, Draw draw)
{
    const double scale = double(1 << level);
    const QRectF area = QRectF(exposed.topLeft() / scale, exposed.size() / scale).intersected(QRectF(QPointF(0, 0), levelSize));
    if (area.isEmpty())
        return;
    const int c0 = int(std::floor(area.left() / kTile));
    const int c1 = int(std::ceil(area.right() / kTile)) - 1;
    const int r0 = int(std::floor(area.top() / kTile));
    const int r1 = int(std::ceil(area.bottom() / kTile)) - 1;
    for (int row = r0; row <= r1; ++row)
        for (int column = c0; column <= c1; ++column)
            draw(column, row, QRect(column * kTile, row * kTile, kTile, kTile).intersected(QRect(QPoint(0, 0), levelSize)));
}

// Puts image pixel edges on widget pixel edges (so 1:1 draws as a plain copy). Only for the views
// the user asks for by name: snapping on every wheel step would drift from the mouse.
Viewport snapped(Viewport viewport)
{
    const double zoom = viewport.zoom();
    viewport.setOrigin(QPointF(std::round(viewport.origin().x() * zoom) / zoom, std::round(viewport.origin().y() * zoom) / zoom));
    return viewport;
}

// The painter transform from level pixels to widget pixels.
QTransform levelTransform(const Viewport &viewport, int level)
{
    const double k = viewport.zoom() * double(1 << level);
    return QTransform(k, 0, 0, k, -viewport.origin().x() * viewport.zoom(), -viewport.origin().y() * viewport.zoom());
}

} // namespace

CanvasWidget::CanvasWidget(QWidget *parent)
    : QWidget(parent), m_loader(new ImageLoader(this)), m_overlay(new MaskOverlay(this))
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(64, 64);
    connect(m_overlay, &MaskOverlay::changed, this, &CanvasWidget::onOverlayChanged);
    connect(m_loader, &ImageLoader::loaded, this, [this](const QImage &image) { setImage(image); });
    connect(m_loader, &ImageLoader::failed, this, [this](const QString &message) { showError(message); });
}

CanvasWidget::~CanvasWidget()
{
    if (m_tool)
        m_tool->deactivate();
}

void CanvasWidget::setDocument(SampleDocument *document)
{
    if (m_document == document)
        return;
    if (m_document)
        m_document->disconnect(this);
    const QSize oldSize = contentSize();
    m_document = document;
    if (document)
        connect(document, &QObject::destroyed, this, [this] { setDocument(nullptr); });
    m_overlay->setDocument(document);
    reactivateTool();
    if (contentSize() != oldSize)
        fitToWindow();
    update();
}

QSize CanvasWidget::contentSize() const
{
    if (!m_image.isNull())
        return m_image.size();
    return m_document ? m_document->imageSize() : QSize();
}

void CanvasWidget::setImage(const QImage &image)
{
    m_loader->cancel();
    const QSize oldSize = contentSize();
    m_image = image;
    m_pyramid.reset();
    if (m_pyramidWatcher) {
        m_pyramidWatcher->disconnect(this);
        connect(m_pyramidWatcher, &QFutureWatcherBase::finished, m_pyramidWatcher, &QObject::deleteLater);
        m_pyramidWatcher = nullptr;
    }
    m_imageState = image.isNull() ? ImageState::None : ImageState::Ready;
    m_message.clear();
    if (!image.isNull()) {
        auto *watcher = new QFutureWatcher<std::shared_ptr<const ImagePyramid>>(this);
        m_pyramidWatcher = watcher;
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
            watcher->deleteLater();
            if (watcher != m_pyramidWatcher)
                return;
            m_pyramidWatcher = nullptr;
            m_pyramid = watcher->result();
            update();
            emit pyramidReady();
        });
        watcher->setFuture(ImagePyramid::build(image));
    }
    reactivateTool();
    if (m_fitMode || contentSize() != oldSize)
        fitToWindow();
    update();
    if (!image.isNull())
        emit imageLoaded(image.size());
}

void CanvasWidget::loadImage(const QString &path)
{
    showLoading();
    m_loader->load(path);
}

void CanvasWidget::showLoading()
{
    clearImage();
    m_imageState = ImageState::Loading;
    m_message = tr("Loading image…");
    update();
}

void CanvasWidget::showError(const QString &message)
{
    clearImage();
    m_imageState = ImageState::Failed;
    m_message = message;
    update();
    emit imageFailed(message);
}

void CanvasWidget::clearImage()
{
    if (!m_image.isNull() || m_pyramidWatcher)
        setImage(QImage());
    m_loader->cancel();
    m_imageState = ImageState::None;
    m_message.clear();
    update();
}

void CanvasWidget::setTool(AbstractTool *tool)
{
    if (m_tool == tool)
        return;
    if (m_tool) {
        m_tool->disconnect(this);
        m_tool->deactivate();
    }
    m_tool = tool;
    m_toolButtons = Qt::NoButton;
    m_toolOverlayRect = QRect();
    if (tool) {
        connect(tool, &AbstractTool::overlayChanged, this, &CanvasWidget::onToolOverlayChanged);
        connect(tool, &QObject::destroyed, this, [this] { m_tool = nullptr; update(); });
        tool->activate(ToolContext{m_document, m_image});
    }
    updateCursor();
    update();
}

void CanvasWidget::reactivateTool()
{
    if (!m_tool)
        return;
    m_tool->deactivate();
    m_toolButtons = Qt::NoButton;
    m_tool->activate(ToolContext{m_document, m_image});
}

bool CanvasWidget::showProposal() const
{
    return m_overlay->showProposal();
}

bool CanvasWidget::showOutlines() const
{
    return m_overlay->showOutlines();
}

bool CanvasWidget::diffView() const
{
    return m_overlay->diffView();
}

void CanvasWidget::setShowProposal(bool show)
{
    m_overlay->setShowProposal(show);
}

void CanvasWidget::setShowOutlines(bool show)
{
    m_overlay->setShowOutlines(show);
}

void CanvasWidget::setDiffView(bool diff)
{
    m_overlay->setDiffView(diff);
}

void CanvasWidget::setViewport(const Viewport &viewport, bool fitMode)
{
    const bool zoomed = !qFuzzyCompare(viewport.zoom(), m_viewport.zoom());
    m_fitMode = fitMode;
    if (viewport == m_viewport)
        return;
    m_viewport = viewport;
    m_overlay->setPixelOutlines(m_viewport.zoom() < kLineOutlineZoom);
    update();
    if (m_tool)
        onToolOverlayChanged();
    if (zoomed)
        emit zoomChanged(m_viewport.zoom());
}

void CanvasWidget::zoomIn()
{
    setZoom(zoom() * kStepFactor);
}

void CanvasWidget::zoomOut()
{
    setZoom(zoom() / kStepFactor);
}

void CanvasWidget::fitToWindow()
{
    Viewport viewport = m_viewport;
    viewport.fit(contentSize(), size());
    setViewport(snapped(viewport), true);
    m_fitMode = true;
}

void CanvasWidget::zoomOneToOne()
{
    Viewport viewport = m_viewport;
    viewport.setOneToOne(size());
    setViewport(snapped(viewport), false);
}

void CanvasWidget::setZoom(double zoom)
{
    Viewport viewport = m_viewport;
    viewport.setZoom(zoom, QPointF(width() / 2.0, height() / 2.0));
    setViewport(viewport, false);
}

void CanvasWidget::centerOn(const QPointF &imagePoint)
{
    Viewport viewport = m_viewport;
    viewport.setOrigin(imagePoint - QPointF(width() / 2.0, height() / 2.0) / viewport.zoom());
    setViewport(snapped(viewport), false);
}

void CanvasWidget::onOverlayChanged(const QRect &imageRect)
{
    if (imageRect.isNull()) {
        update();
        return;
    }
    // A level-L overlay pixel covers 2^L image pixels; outlines reach one level pixel further.
    const int reach = 1 << m_viewport.pyramidLevel(m_overlay->levelCount());
    const QRectF grown = QRectF(imageRect).adjusted(-2 * reach, -2 * reach, 2 * reach, 2 * reach);
    update(m_viewport.toWidget(grown).toAlignedRect().adjusted(-1, -1, 1, 1).intersected(rect()));
}

void CanvasWidget::onToolOverlayChanged()
{
    const QRect now = m_tool ? m_tool->overlayRect(m_viewport) : QRect();
    if (now.isNull() || m_toolOverlayRect.isNull())
        update();
    else
        update(now | m_toolOverlayRect);
    m_toolOverlayRect = now;
}

void CanvasWidget::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    painter.fillRect(event->rect(), kBackground);
    const QSize content = contentSize();
    if (!content.isEmpty()) {
        const QRectF exposed = QRectF(m_viewport.toImage(event->rect().topLeft()), QSizeF(event->rect().size()) / zoom())
                                   .adjusted(-1, -1, 1, 1)
                                   .intersected(QRectF(QPointF(0, 0), content));
        if (!exposed.isEmpty()) {
            if (m_image.isNull())
                painter.fillRect(m_viewport.toWidget(QRectF(QPointF(0, 0), content)), QColor(70, 70, 74));
            else
                paintImage(painter, exposed);
            paintOverlay(painter, exposed);
        }
    }
    painter.resetTransform();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (m_tool)
        m_tool->paintOverlay(painter, m_viewport);
    paintMessage(painter);
}

void CanvasWidget::paintImage(QPainter &painter, const QRectF &exposed)
{
    painter.setRenderHint(QPainter::SmoothPixmapTransform, smoothAt(zoom()));
    if (!m_pyramid) {
        // Until the pyramid is built: the image itself, sampled only where the widget shows it
        // (other formats would be converted whole on each paint: they wait for the pyramid's level 0).
        if (m_image.format() != QImage::Format_RGB32 && m_image.format() != QImage::Format_ARGB32_Premultiplied)
            return;
        painter.setTransform(levelTransform(m_viewport, 0));
        painter.drawImage(exposed, m_image, exposed);
        return;
    }
    const int level = m_viewport.pyramidLevel(m_pyramid->levelCount());
    const QImage &image = m_pyramid->level(level);
    painter.setTransform(levelTransform(m_viewport, level));
    forTiles(exposed, level, image.size(), [&](int, int, const QRect &tile) { painter.drawImage(QRectF(tile), image, QRectF(tile)); });
}

void CanvasWidget::paintOverlay(QPainter &painter, const QRectF &exposed)
{
    const int levels = m_overlay->levelCount();
    if (levels == 0)
        return;
    const int level = m_viewport.pyramidLevel(levels);
    const bool lineOutlines = !m_overlay->pixelOutlines();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, smoothAt(zoom()));
    painter.setTransform(levelTransform(m_viewport, level));
    forTiles(exposed, level, ImagePyramid::levelSizeFor(contentSize(), level), [&](int column, int row, const QRect &tile) {
        const QImage overlay = m_overlay->tile(level, column, row);
        if (!overlay.isNull())
            painter.drawImage(QRectF(tile), overlay);
    });
    if (lineOutlines)
        m_overlay->paintOutlines(painter, m_viewport, exposed.toAlignedRect());
}

void CanvasWidget::paintMessage(QPainter &painter)
{
    if (m_message.isEmpty() && !(contentSize().isEmpty() && !m_document))
        return;
    const QString text = m_message.isEmpty() ? tr("No sample") : m_message;
    QRect box = rect().adjusted(40, 0, -40, 0);
    QFont font = painter.font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    painter.setFont(font);
    const QRect bounds = painter.fontMetrics().boundingRect(box, Qt::AlignCenter | Qt::TextWordWrap, text).adjusted(-14, -10, 14, 10);
    painter.setPen(Qt::NoPen);
    painter.setBrush(m_imageState == ImageState::Failed ? QColor(120, 30, 40, 230) : QColor(0, 0, 0, 170));
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.drawRoundedRect(bounds, 6, 6);
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, text);
}

void CanvasWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_fitMode)
        fitToWindow();
}

ToolMouseEvent CanvasWidget::toolEvent(QMouseEvent *event) const
{
    ToolMouseEvent e;
    e.position = m_viewport.toImage(event->position());
    e.button = event->button();
    e.buttons = event->buttons();
    e.modifiers = event->modifiers();
    e.zoom = zoom();
    return e;
}

void CanvasWidget::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    const bool pan = event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
    if (pan && m_toolButtons == Qt::NoButton) {
        m_panning = true;
        m_lastPanPosition = event->position();
        updateCursor();
        return;
    }
    if (m_panning || !m_tool)
        return;
    m_toolButtons |= event->button();
    m_tool->mousePressed(toolEvent(event));
}

void CanvasWidget::mouseMoveEvent(QMouseEvent *event)
{
    updateCursorPixel(event->position());
    if (m_panning) {
        Viewport viewport = m_viewport;
        viewport.pan(event->position() - m_lastPanPosition);
        m_lastPanPosition = event->position();
        setViewport(viewport, false);
        return;
    }
    if (m_tool)
        m_tool->mouseMoved(toolEvent(event));
}

void CanvasWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        if (event->buttons() & (Qt::MiddleButton | Qt::LeftButton))
            return;
        m_panning = false;
        updateCursor();
        return;
    }
    if (!m_tool || !(m_toolButtons & event->button()))
        return;
    m_toolButtons &= ~event->button();
    m_tool->mouseReleased(toolEvent(event));
}

void CanvasWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_panning || !m_tool || event->button() == Qt::MiddleButton || m_spaceHeld)
        return;
    m_toolButtons |= event->button();
    m_tool->mouseDoubleClicked(toolEvent(event));
}

void CanvasWidget::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0 || contentSize().isEmpty())
        return;
    Viewport viewport = m_viewport;
    viewport.zoomAt(event->position(), std::pow(2.0, delta / kWheelUnitsPerDoubling));
    setViewport(viewport, false);
    updateCursorPixel(event->position());
    event->accept();
}

bool CanvasWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        // During a drag every key belongs to the canvas (no undo in the middle of a stroke).
        if (m_toolButtons != Qt::NoButton || (key->key() == Qt::Key_Space && key->modifiers() == Qt::NoModifier)
            || (m_tool && m_tool->wantsKey(key))) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

void CanvasWidget::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier) {
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            updateCursor();
        }
        return;
    }
    if (m_tool && m_tool->keyPressed(event))
        return;
    QWidget::keyPressEvent(event);
}

void CanvasWidget::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        updateCursor();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void CanvasWidget::leaveEvent(QEvent *event)
{
    QWidget::leaveEvent(event);
    if (m_tool)
        m_tool->mouseLeft();
    if (m_cursorPixel != QPoint(-1, -1)) {
        m_cursorPixel = QPoint(-1, -1);
        emit cursorPixelChanged(m_cursorPixel);
    }
}

void CanvasWidget::focusOutEvent(QFocusEvent *event)
{
    QWidget::focusOutEvent(event);
    if (m_spaceHeld) {
        m_spaceHeld = false;
        updateCursor();
    }
}

void CanvasWidget::updateCursor()
{
    if (m_panning)
        setCursor(Qt::ClosedHandCursor);
    else if (m_spaceHeld)
        setCursor(Qt::OpenHandCursor);
    else if (m_tool)
        setCursor(m_tool->cursor());
    else
        unsetCursor();
}

void CanvasWidget::updateCursorPixel(QPointF widgetPosition)
{
    const QPointF image = m_viewport.toImage(widgetPosition);
    QPoint pixel(int(std::floor(image.x())), int(std::floor(image.y())));
    if (!QRect(QPoint(0, 0), contentSize()).contains(pixel))
        pixel = QPoint(-1, -1);
    if (pixel != m_cursorPixel) {
        m_cursorPixel = pixel;
        emit cursorPixelChanged(pixel);
    }
}

} // namespace rs
