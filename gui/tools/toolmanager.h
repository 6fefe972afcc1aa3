#pragma once

#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QActionGroup;

namespace rs {

class AbstractTool;
class BrushTool;
class GrabCutTool;
class MagicWandTool;
class ModelRefineTool;
class PolygonTool;
class RectangleTool;

// Owns the canvas tools, offers one checkable QAction per tool (exclusive group) with its
// shortcut, and tracks the active tool. Shortcuts come from QSettings "shortcuts/<tool id>"
// (falling back to each tool's default) so the settings dialog can remap them.
// The canvas follows activeToolChanged():
//     connect(tools, &ToolManager::activeToolChanged, canvas, &CanvasWidget::setTool);
//
// Thread: GUI thread.
class ToolManager : public QObject
{
    Q_OBJECT

public:
    explicit ToolManager(QObject *parent = nullptr);
    ~ToolManager() override;

    QList<AbstractTool *> tools() const { return m_tools; }
    AbstractTool *tool(const QString &id) const;
    BrushTool *brushTool() const { return m_brush; }
    BrushTool *eraserTool() const { return m_eraser; }
    PolygonTool *polygonTool() const { return m_polygon; }
    RectangleTool *rectangleTool() const { return m_rectangle; }
    GrabCutTool *grabCutTool() const { return m_grabCut; }
    MagicWandTool *magicWandTool() const { return m_magicWand; }
    ModelRefineTool *modelRefineTool() const { return m_modelRefine; }

    QList<QAction *> actions() const;
    QAction *action(const QString &id) const;

    AbstractTool *activeTool() const { return m_active; }
    void setActiveTool(AbstractTool *tool);
    bool setActiveTool(const QString &id);

    QKeySequence shortcut(const QString &id) const;
    // Stores the shortcut in QSettings and applies it; an empty sequence removes it.
    void setShortcut(const QString &id, const QKeySequence &shortcut);
    // Back to the tools' defaults (removes the settings).
    void resetShortcuts();
    // Re-reads the shortcuts from QSettings (after a settings dialog wrote them).
    void reloadShortcuts();
    static QString settingsKey(const QString &id) { return QStringLiteral("shortcuts/") + id; }

signals:
    void activeToolChanged(rs::AbstractTool *tool);
    // Any tool's status line (the status bar shows it).
    void statusMessage(const QString &message);

private:
    void addTool(AbstractTool *tool);

    QList<AbstractTool *> m_tools;
    QActionGroup *m_group;
    QList<QAction *> m_actions;
    QPointer<AbstractTool> m_active;
    BrushTool *m_brush;
    BrushTool *m_eraser;
    PolygonTool *m_polygon;
    RectangleTool *m_rectangle;
    GrabCutTool *m_grabCut;
    MagicWandTool *m_magicWand;
    ModelRefineTool *m_modelRefine;
};

} // namespace rs
