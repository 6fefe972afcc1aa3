#pragma once

#include "gui/window/studiosettings.h"

#include <QHash>
#include <QMainWindow>

class QLabel;
class QMenu;
class QUndoGroup;

namespace rs {

class AnnotationSession;
class CanvasWidget;
class QueueDock;
class DashboardWidget;
class ReviewDock;
class SampleDocument;
class SessionController;
class TargetActions;
class TargetsDock;
class ToolManager;

// The workstation's window. It only hosts: the menus, the queue dock (left), the canvas (centre),
// the targets dock (right), panels added by other features through addPanel(), and the status bar
// (zoom, cursor pixel, model state, device). The work is done by the AnnotationSession (project,
// samples, saving, journal, prefetch), the SessionController (the flows and their questions), the
// ToolManager and TargetActions; the window connects them. Layout and geometry are kept in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    AnnotationSession *session() const { return m_session; }
    SessionController *controller() const { return m_controller; }
    CanvasWidget *canvas() const { return m_canvas; }
    ToolManager *tools() const { return m_tools; }
    TargetActions *targetActions() const { return m_targetActions; }
    QueueDock *queueDock() const { return m_queueDock; }
    DashboardWidget *dashboard() const { return m_dashboard; }
    ReviewDock *reviewDock() const { return m_reviewDock; }
    TargetsDock *targetsDock() const { return m_targetsDock; }
    // The window's own actions by name: "newProject", "openProject", "saveDraft", "submit", "revert",
    // "nextSample", "previousSample", "loadModel", "settings", "quit", "undo", "redo", "zoomIn",
    // "zoomOut", "fit", "oneToOne", "proposalLayer", "outlines", "diffView".
    QAction *action(const QString &name) const { return m_actions.value(name); }
    const StudioSettings &settings() const { return m_settings; }
    QLabel *modelStatus() const { return m_modelLabel; }

    bool openProject(const QString &project);
    void loadModel(const QString &packageDirectory, const QString &device = QStringLiteral("auto"));

    // The slot for feature panels (issue 8's reasoning and difficulty panel): docks the panel in
    // `area`, lists it under View ▸ Panels and restores its saved place. The panel follows the
    // session itself (documentChanged, sampleOpened, prefetcher()->tokenGenerated).
    void addPanel(QDockWidget *panel, Qt::DockWidgetArea area = Qt::RightDockWidgetArea);

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QAction *addAction(QMenu *menu, const QString &name, const QString &text, const QKeySequence &shortcut);
    void createMenus();
    void createDashboard();
    void createReviewDock();
    void createStatusBar();
    void connectSession();
    void setDocument(SampleDocument *document);
    void updateActions();
    void updateTitle();
    void updateModelStatus();
    void updateRecentMenu();
    void showSettings();
    void chooseProject();
    void chooseNewProject();
    void chooseModel();

    StudioSettings m_settings;
    AnnotationSession *m_session;
    SessionController *m_controller;
    ToolManager *m_tools;
    TargetActions *m_targetActions;
    CanvasWidget *m_canvas;
    QueueDock *m_queueDock;
    DashboardWidget *m_dashboard = nullptr;
    ReviewDock *m_reviewDock = nullptr;
    TargetsDock *m_targetsDock;
    QUndoGroup *m_undoGroup;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_panelsMenu = nullptr;
    QHash<QString, QAction *> m_actions;
    QLabel *m_sampleLabel;
    QLabel *m_zoomLabel;
    QLabel *m_cursorLabel;
    QLabel *m_modelLabel;
    QLabel *m_deviceLabel;
};

} // namespace rs
