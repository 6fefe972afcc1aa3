#pragma once

#include <QCursor>
#include <QImage>
#include <QKeySequence>
#include <QObject>
#include <QPointF>
#include <QRect>

class QKeyEvent;
class QPainter;

namespace rs {

class SampleDocument;
class Viewport;

// What a tool works on while it is active. The image is the full-resolution image (null while it
// is still being decoded: tools that need pixels then do nothing).
struct ToolContext
{
    SampleDocument *document = nullptr;
    QImage image;
};

// A mouse event in image coordinates (the canvas converts).
struct ToolMouseEvent
{
    QPointF position;  // image pixels (float: sub-pixel precision at high zoom)
    Qt::MouseButton button = Qt::NoButton;   // the button that changed (press/release)
    Qt::MouseButtons buttons;                // buttons held
    Qt::KeyboardModifiers modifiers;
    double zoom = 1.0;  // widget pixels per image pixel (hit tests in screen distance)
};

// One editing tool of the canvas (brush, polygon, magic wand, ...): Tiled's AbstractTool in small.
// A tool changes the document only through undo commands (DocumentActions, MaskEditCommand), one
// per user action; it paints its own feedback (rubber band, polygon in progress, brush outline) in
// paintOverlay(). Lives in the GUI thread.
class AbstractTool : public QObject
{
    Q_OBJECT

public:
    AbstractTool(QString id, QString name, QKeySequence defaultShortcut, QObject *parent = nullptr)
        : QObject(parent), m_id(std::move(id)), m_name(std::move(name)), m_defaultShortcut(std::move(defaultShortcut))
    {
    }

    QString id() const { return m_id; }          // stable, used for settings ("brush")
    QString name() const { return m_name; }      // shown to the user
    QKeySequence defaultShortcut() const { return m_defaultShortcut; }
    virtual QCursor cursor() const { return Qt::CrossCursor; }

    virtual void activate(const ToolContext &context) { m_context = context; }
    virtual void deactivate() {}
    const ToolContext &context() const { return m_context; }

    virtual void mousePressed(const ToolMouseEvent &event) { Q_UNUSED(event) }
    virtual void mouseMoved(const ToolMouseEvent &event) { Q_UNUSED(event) }
    virtual void mouseReleased(const ToolMouseEvent &event) { Q_UNUSED(event) }
    // Qt sends a double click in place of the second press: by default it is one.
    virtual void mouseDoubleClicked(const ToolMouseEvent &event) { mousePressed(event); }
    // The mouse left the canvas (hide a brush outline).
    virtual void mouseLeft() {}
    // True when the tool used the key (Escape cancels, Enter finishes, [ and ] resize, ...).
    virtual bool keyPressed(QKeyEvent *event) { Q_UNUSED(event) return false; }
    // True when the tool needs `event`'s key now even though a shortcut uses it (Enter or Escape
    // while a polygon is open): the canvas then takes the key before the window's shortcuts.
    virtual bool wantsKey(const QKeyEvent *event) const { Q_UNUSED(event) return false; }
    // Feedback drawn over the image, in widget coordinates.
    virtual void paintOverlay(QPainter &painter, const Viewport &viewport) const
    {
        Q_UNUSED(painter)
        Q_UNUSED(viewport)
    }
    // The widget area paintOverlay() covers now, so the canvas repaints only that (and the previous
    // area) on overlayChanged(); a null rect means anywhere.
    virtual QRect overlayRect(const Viewport &viewport) const
    {
        Q_UNUSED(viewport)
        return QRect();
    }

signals:
    // The overlay must be repainted (cheap: only the tool's feedback changed).
    void overlayChanged();
    void statusMessage(const QString &message);

private:
    QString m_id;
    QString m_name;
    QKeySequence m_defaultShortcut;
    ToolContext m_context;
};

} // namespace rs
