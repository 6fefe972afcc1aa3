#pragma once

#include "gui/canvas/viewport.h"

#include <QFutureWatcher>
#include <QImage>
#include <QPointer>
#include <QWidget>

#include <memory>

namespace rs {

class AbstractTool;
class ImageLoader;
class ImagePyramid;
class MaskOverlay;
class SampleDocument;
struct ToolMouseEvent;

// The editing canvas: the sample's image with the document's masks over it (MaskOverlay) and the
// active tool's feedback. Draws by tiles from the level of the ImagePyramid that matches the zoom,
// so a 100-megapixel image costs what the screen shows. Wheel zooms around the mouse (1/64× to 32×),
// the middle button or Space + drag pans; every other mouse and key event goes to the active tool in
// image coordinates. A plain QWidget (no QGraphicsView): the view is a Viewport.
//
// Thread: GUI thread. The document and tool are not owned; the canvas forgets a document that is
// destroyed.
class CanvasWidget : public QWidget
{
    Q_OBJECT

public:
    enum class ImageState { None, Loading, Ready, Failed };

    explicit CanvasWidget(QWidget *parent = nullptr);
    ~CanvasWidget() override;

    void setDocument(SampleDocument *document);
    SampleDocument *document() const { return m_document; }

    // The image under the masks, shown at once; its pyramid is built on the thread pool and used
    // from pyramidReady() on.
    void setImage(const QImage &image);
    // Decodes `path` with imageLoader() (on the pool; "Loading…" meanwhile, a message on failure).
    void loadImage(const QString &path);
    // For callers that fetch the image themselves: shows "Loading…" / an error in place of the image.
    void showLoading();
    void showError(const QString &message);
    void clearImage();
    QImage image() const { return m_image; }
    ImageState imageState() const { return m_imageState; }
    QString imageMessage() const { return m_message; }
    bool isPyramidReady() const { return m_pyramid != nullptr; }
    ImageLoader *imageLoader() const { return m_loader; }
    // The image's size, or the document's when there is no image.
    QSize contentSize() const;

    void setTool(AbstractTool *tool);
    AbstractTool *tool() const { return m_tool; }

    const Viewport &viewport() const { return m_viewport; }
    double zoom() const { return m_viewport.zoom(); }
    // True while the view follows the widget's size (after fitToWindow() and a new image).
    bool isFitMode() const { return m_fitMode; }
    MaskOverlay *overlay() const { return m_overlay; }
    bool showProposal() const;
    bool showOutlines() const;
    bool diffView() const;

public slots:
    void setShowProposal(bool show);
    void setShowOutlines(bool show);
    void setDiffView(bool diff);
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void zoomOneToOne();
    // Zooms around the widget's centre.
    void setZoom(double zoom);
    void centerOn(const QPointF &imagePoint);

signals:
    // The image pixel under the mouse; (-1, -1) when the mouse is not over the image.
    void cursorPixelChanged(const QPoint &pixel);
    void zoomChanged(double zoom);
    void imageLoaded(const QSize &size);
    void imageFailed(const QString &message);
    // The image's pyramid is built: zoomed-out views are drawn from its levels from now on.
    void pyramidReady();

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    void setViewport(const Viewport &viewport, bool fitMode);
    void reactivateTool();
    void updateCursor();
    void updateCursorPixel(QPointF widgetPosition);
    void onOverlayChanged(const QRect &imageRect);
    void onToolOverlayChanged();
    void paintImage(QPainter &painter, const QRectF &exposed);
    void paintOverlay(QPainter &painter, const QRectF &exposed);
    void paintMessage(QPainter &painter);
    ToolMouseEvent toolEvent(QMouseEvent *event) const;

    QPointer<SampleDocument> m_document;
    QPointer<AbstractTool> m_tool;
    QImage m_image;
    std::shared_ptr<const ImagePyramid> m_pyramid;
    QFutureWatcher<std::shared_ptr<const ImagePyramid>> *m_pyramidWatcher = nullptr;
    ImageState m_imageState = ImageState::None;
    QString m_message;
    ImageLoader *m_loader;
    MaskOverlay *m_overlay;

    Viewport m_viewport;
    bool m_fitMode = true;
    bool m_panning = false;
    bool m_spaceHeld = false;
    QPointF m_lastPanPosition;
    Qt::MouseButtons m_toolButtons;
    QPoint m_cursorPixel{-1, -1};
    QRect m_toolOverlayRect;
};

} // namespace rs
