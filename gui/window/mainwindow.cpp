#include "gui/window/mainwindow.h"

#include "core/sampledocument.h"
#include "gui/canvas/canvaswidget.h"
#include "gui/dashboard/dashboardwidget.h"
#include "gui/docks/targetactions.h"
#include "gui/docks/targetsdock.h"
#include "gui/queue/queuedock.h"
#include "gui/queue/samplequeuemodel.h"
#include "gui/review/reviewdock.h"
#include "gui/session/annotationsession.h"
#include "gui/session/proposalprefetcher.h"
#include "gui/tools/modelrefinetool.h"
#include "gui/tools/toolmanager.h"
#include "gui/window/sessioncontroller.h"
#include "gui/window/settingsdialog.h"
#include "inference/service/inferenceservice.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTextEdit>
#include <QUndoGroup>

namespace rs {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_settings(StudioSettings::read())
    , m_session(new AnnotationSession(this))
    , m_controller(new SessionController(m_session, this, this))
    , m_tools(new ToolManager(this))
    , m_targetActions(new TargetActions(this))
    , m_canvas(new CanvasWidget(this))
    , m_undoGroup(new QUndoGroup(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ReasonSeg Studio"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    m_session->setPrefetchCount(m_settings.prefetchCount);

    m_canvas->setObjectName(QStringLiteral("canvas"));
    setCentralWidget(m_canvas);
    m_queueDock = new QueueDock(m_session->queue(), this);
    addDockWidget(Qt::LeftDockWidgetArea, m_queueDock);
    m_targetsDock = new TargetsDock(m_targetActions, this);
    addDockWidget(Qt::RightDockWidgetArea, m_targetsDock);

    createMenus();
    createDashboard();
    createReviewDock();
    createStatusBar();
    connectSession();
    // Enter submits, except where a text field needs it (see eventFilter()).
    qApp->installEventFilter(this);

    if (!m_settings.windowGeometry.isEmpty())
        restoreGeometry(m_settings.windowGeometry);
    else
        resize(1400, 860);
    if (!m_settings.windowState.isEmpty())
        restoreState(m_settings.windowState);
    else
        resizeDocks({m_queueDock, m_targetsDock}, {470, 400}, Qt::Horizontal);
    updateActions();
    updateTitle();
    updateModelStatus();
}

MainWindow::~MainWindow()
{
    qApp->removeEventFilter(this);
    // Views first: they hold pointers into the session's document. Then the session, whose last
    // signals must not reach this half-destroyed window.
    m_canvas->setTool(nullptr);
    m_canvas->setDocument(nullptr);
    m_targetsDock->setDocument(nullptr);
    m_targetActions->setDocument(nullptr);
    disconnect(m_session, nullptr, this, nullptr);
    disconnect(m_session->prefetcher(), nullptr, this, nullptr);
    delete m_controller;
    delete m_session;
}

QAction *MainWindow::addAction(QMenu *menu, const QString &name, const QString &text, const QKeySequence &shortcut)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    menu->addAction(action);
    m_actions.insert(name, action);
    return action;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    connect(addAction(file, QStringLiteral("newProject"), tr("&New Project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)),
            &QAction::triggered, this, &MainWindow::chooseNewProject);
    connect(addAction(file, QStringLiteral("openProject"), tr("&Open Project…"), QKeySequence::Open),
            &QAction::triggered, this, &MainWindow::chooseProject);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    QAction *submit = addAction(file, QStringLiteral("submit"), tr("S&ubmit and Next"), QKeySequence(Qt::Key_Return));
    submit->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    connect(submit, &QAction::triggered, m_controller, &SessionController::submit);
    connect(addAction(file, QStringLiteral("saveDraft"), tr("&Save Draft"), QKeySequence::Save), &QAction::triggered,
            m_controller, &SessionController::saveDraft);
    connect(addAction(file, QStringLiteral("revert"), tr("Re&vert to Saved"), QKeySequence()), &QAction::triggered,
            m_controller, &SessionController::revert);
    connect(addAction(file, QStringLiteral("nextSample"), tr("Ne&xt Sample"), QKeySequence(Qt::Key_PageDown)),
            &QAction::triggered, m_controller, &SessionController::nextSample);
    connect(addAction(file, QStringLiteral("previousSample"), tr("&Previous Sample"), QKeySequence(Qt::Key_PageUp)),
            &QAction::triggered, m_controller, &SessionController::previousSample);
    file->addSeparator();
    connect(addAction(file, QStringLiteral("loadModel"), tr("Load &Model…"), QKeySequence()), &QAction::triggered, this,
            &MainWindow::chooseModel);
    connect(addAction(file, QStringLiteral("settings"), tr("Se&ttings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma)), &QAction::triggered,
            this, &MainWindow::showSettings);
    file->addSeparator();
    QAction *quit = addAction(file, QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undo"));
    undo->setShortcuts(QKeySequence::Undo);
    QAction *redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redo"));
    redo->setShortcuts(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    m_actions.insert(QStringLiteral("undo"), undo);
    m_actions.insert(QStringLiteral("redo"), redo);
    edit->addSeparator();
    for (QAction *action : m_targetActions->actions()) {
        edit->addAction(action);
        if (action == m_targetActions->moveDown() || action == m_targetActions->intersect())
            edit->addSeparator();
    }

    QMenu *view = menuBar()->addMenu(tr("&View"));
    connect(addAction(view, QStringLiteral("zoomIn"), tr("Zoom &In"), QKeySequence::ZoomIn), &QAction::triggered,
            m_canvas, &CanvasWidget::zoomIn);
    connect(addAction(view, QStringLiteral("zoomOut"), tr("Zoom &Out"), QKeySequence::ZoomOut), &QAction::triggered,
            m_canvas, &CanvasWidget::zoomOut);
    connect(addAction(view, QStringLiteral("fit"), tr("&Fit to Window"), QKeySequence(Qt::CTRL | Qt::Key_0)),
            &QAction::triggered, m_canvas, &CanvasWidget::fitToWindow);
    connect(addAction(view, QStringLiteral("oneToOne"), tr("&1:1"), QKeySequence(Qt::CTRL | Qt::Key_1)),
            &QAction::triggered, m_canvas, &CanvasWidget::zoomOneToOne);
    view->addSeparator();
    QAction *proposal = addAction(view, QStringLiteral("proposalLayer"), tr("Model &Proposal Layer"),
                                  QKeySequence(Qt::SHIFT | Qt::Key_P));
    proposal->setCheckable(true);
    proposal->setChecked(m_canvas->showProposal());
    connect(proposal, &QAction::toggled, m_canvas, &CanvasWidget::setShowProposal);
    QAction *outlines = addAction(view, QStringLiteral("outlines"), tr("&Outlines"), QKeySequence(Qt::Key_O));
    outlines->setCheckable(true);
    outlines->setChecked(m_canvas->showOutlines());
    connect(outlines, &QAction::toggled, m_canvas, &CanvasWidget::setShowOutlines);
    QAction *diff = addAction(view, QStringLiteral("diffView"), tr("&Diff Against Proposal"), QKeySequence(Qt::Key_D));
    diff->setCheckable(true);
    diff->setChecked(m_canvas->diffView());
    diff->setToolTip(tr("Pixels added (green) and removed (red) relative to the model's proposal"));
    connect(diff, &QAction::toggled, m_canvas, &CanvasWidget::setDiffView);
    view->addSeparator();
    m_panelsMenu = view->addMenu(tr("&Panels"));
    m_panelsMenu->addAction(m_queueDock->toggleViewAction());
    m_panelsMenu->addAction(m_targetsDock->toggleViewAction());

    QMenu *toolsMenu = menuBar()->addMenu(tr("&Tools"));
    toolsMenu->addActions(m_tools->actions());
    updateRecentMenu();
}

void MainWindow::createStatusBar()
{
    m_sampleLabel = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    m_cursorLabel = new QLabel(this);
    m_modelLabel = new QLabel(this);
    m_deviceLabel = new QLabel(this);
    m_zoomLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("Zoom 3200%")));
    m_cursorLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("x 10000, y 10000")));
    m_modelLabel->setObjectName(QStringLiteral("modelState"));
    m_deviceLabel->setObjectName(QStringLiteral("device"));
    statusBar()->addWidget(m_sampleLabel, 1);
    statusBar()->addPermanentWidget(m_zoomLabel);
    statusBar()->addPermanentWidget(m_cursorLabel);
    statusBar()->addPermanentWidget(m_modelLabel);
    statusBar()->addPermanentWidget(m_deviceLabel);
    connect(m_canvas, &CanvasWidget::zoomChanged, this,
            [this](double zoom) { m_zoomLabel->setText(tr("Zoom %1%").arg(qRound(zoom * 100))); });
    connect(m_canvas, &CanvasWidget::cursorPixelChanged, this, [this](const QPoint &pixel) {
        m_cursorLabel->setText(pixel.x() < 0 ? QString() : tr("x %1, y %2").arg(pixel.x()).arg(pixel.y()));
    });
    m_zoomLabel->setText(tr("Zoom %1%").arg(qRound(m_canvas->zoom() * 100)));
}

void MainWindow::connectSession()
{
    connect(m_tools, &ToolManager::activeToolChanged, m_canvas, &CanvasWidget::setTool);
    m_canvas->setTool(m_tools->activeTool());
    connect(m_tools, &ToolManager::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    connect(m_controller, &SessionController::message, this,
            [this](const QString &text, int timeout) { statusBar()->showMessage(text, timeout); });

    connect(m_session, &AnnotationSession::documentChanged, this, &MainWindow::setDocument);
    connect(m_session, &AnnotationSession::sampleOpened, this, [this](qint64, int row) {
        m_queueDock->setCurrentRow(row);
        m_canvas->showLoading();
        updateTitle();
        updateActions();
    });
    connect(m_session, &AnnotationSession::imageLoaded, m_canvas, &CanvasWidget::setImage);
    connect(m_session, &AnnotationSession::imageFailed, m_canvas, &CanvasWidget::showError);
    connect(m_session, &AnnotationSession::modifiedChanged, this, [this](bool modified) {
        setWindowModified(modified);
        updateActions();
    });
    connect(m_session, &AnnotationSession::saved, this, [this] { updateTitle(); });
    connect(m_session, &AnnotationSession::projectOpened, this, [this] {
        m_queueDock->setSplits(m_session->splits());
        m_queueDock->setRuns(m_reviewDock->projectRuns());
        m_queueDock->setAnnotatorId(m_session->annotatorId());
        m_dashboard->setProject(m_session->projectArgument());
        updateTitle();
        updateActions();
    });
    connect(m_session, &AnnotationSession::projectClosed, this, [this] {
        updateTitle();
        updateActions();
    });
    connect(m_queueDock, &QueueDock::sampleActivated, m_controller, &SessionController::openQueueRow);

    ProposalPrefetcher *prefetcher = m_session->prefetcher();
    connect(prefetcher, &ProposalPrefetcher::stateChanged, this, &MainWindow::updateModelStatus);
    ModelRefineTool *refine = m_tools->modelRefineTool();
    refine->setAvailable(false);
    connect(refine, &ModelRefineTool::boxRequested, this, [this, refine](const QRectF &box) {
        if (!m_session->refineWithBox(box)) {
            refine->requestFinished();
            statusBar()->showMessage(tr("Model refine needs a loaded model and the decoded image"), 5000);
        }
    });
    connect(m_session, &AnnotationSession::refineFinished, refine, &ModelRefineTool::requestFinished);
}

void MainWindow::setDocument(SampleDocument *document)
{
    m_canvas->setDocument(document);
    m_targetsDock->setDocument(document);
    m_targetActions->setDocument(document);
    if (document) {
        m_undoGroup->addStack(document->undoStack());
        m_undoGroup->setActiveStack(document->undoStack());
        m_canvas->setFocus();
    }
    updateActions();
}

void MainWindow::updateActions()
{
    const bool project = m_session->hasProject();
    const bool document = m_session->document() != nullptr;
    for (const char *name : {"submit", "saveDraft"})
        m_actions.value(QLatin1String(name))->setEnabled(document);
    m_actions.value(QStringLiteral("revert"))->setEnabled(m_session->isModified());
    m_actions.value(QStringLiteral("nextSample"))->setEnabled(project && m_session->currentRow() + 1 < m_session->queue()->rowCount());
    m_actions.value(QStringLiteral("previousSample"))->setEnabled(project && m_session->currentRow() > 0);
    for (const char *name : {"zoomIn", "zoomOut", "fit", "oneToOne", "proposalLayer", "outlines", "diffView"})
        m_actions.value(QLatin1String(name))->setEnabled(document);
    for (QAction *tool : m_tools->actions())
        tool->setEnabled(document);
}

void MainWindow::updateTitle()
{
    QString title = tr("ReasonSeg Studio");
    if (m_session->hasProject()) {
        title = QFileInfo(m_session->projectName()).fileName() + QStringLiteral(" — ") + title;
        if (m_session->sampleId() != 0)
            title = tr("Sample %1").arg(m_session->sampleId()) + QStringLiteral("[*] — ") + title;
    }
    setWindowTitle(title);
    if (m_session->sampleId() == 0) {
        m_sampleLabel->setText(m_session->hasProject() ? tr("No sample open") : tr("Open a project (File ▸ Open Project)"));
        return;
    }
    const Sample &sample = m_session->sample();
    const QString version = m_session->baseVersion() > 0 ? tr("version %1").arg(m_session->baseVersion()) : tr("not annotated yet");
    m_sampleLabel->setText(tr("Sample %1 · %2 · %3 · %4").arg(sample.id).arg(sample.split, sampleStatusName(sample.status), version));
    m_sampleLabel->setToolTip(sample.query());
}

void MainWindow::updateModelStatus()
{
    ProposalPrefetcher *prefetcher = m_session->prefetcher();
    m_modelLabel->setText(tr("Model: %1").arg(prefetcher->stateText()));
    const QString device = prefetcher->device();
    m_deviceLabel->setText(device.isEmpty() ? QString() : tr("Device: %1").arg(device));
    m_tools->modelRefineTool()->setAvailable(prefetcher->isModelLoaded());
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &project : std::as_const(m_settings.recentProjects)) {
        QAction *action = m_recentMenu->addAction(project);
        connect(action, &QAction::triggered, this, [this, project] { openProject(project); });
    }
    m_recentMenu->setEnabled(!m_settings.recentProjects.isEmpty());
}

bool MainWindow::openProject(const QString &project)
{
    if (!m_controller->openProject(project, m_settings.annotator))
        return false;
    m_settings.addRecent(m_session->projectArgument());
    m_settings.write();
    updateRecentMenu();
    if (!m_settings.modelPath.isEmpty() && !m_session->prefetcher()->service())
        loadModel(m_settings.modelPath, m_settings.device);
    return true;
}

void MainWindow::loadModel(const QString &packageDirectory, const QString &device)
{
    m_session->loadModel(packageDirectory, device);
    updateModelStatus();
}

// The review dashboard, a bottom panel that starts hidden (View > Panels); a clicked point opens its sample.
void MainWindow::createDashboard()
{
    auto *dock = new QDockWidget(tr("Dashboard"), this);
    dock->setObjectName(QStringLiteral("dashboardDock"));
    m_dashboard = new DashboardWidget(dock);
    dock->setWidget(m_dashboard);
    addPanel(dock, Qt::BottomDockWidgetArea);
    dock->hide();
    connect(m_dashboard, &DashboardWidget::sampleActivated, m_controller,
            [this](qint64 sampleId) { m_controller->openQueueRow(sampleId, -1); });
}

// Review mode: the open sample's runs against the truth, their chains, and the verdict keys (Alt+1/2/3).
void MainWindow::createReviewDock()
{
    m_reviewDock = new ReviewDock(m_session, this);
    addPanel(m_reviewDock, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_targetsDock, m_reviewDock);
    m_targetsDock->raise();
    connect(m_reviewDock, &ReviewDock::message, this, [this](const QString &text, int timeout) {
        statusBar()->showMessage(text, timeout);
    });
    connect(m_reviewDock, &ReviewDock::reviewed, m_session->queue(), &SampleQueueModel::refresh);
    connect(m_queueDock, &QueueDock::reviewRunChanged, m_reviewDock, &ReviewDock::setReviewRun);
}

void MainWindow::addPanel(QDockWidget *panel, Qt::DockWidgetArea area)
{
    addDockWidget(area, panel);
    m_panelsMenu->addAction(panel->toggleViewAction());
    restoreDockWidget(panel);
}

void MainWindow::chooseProject()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                                      tr("ReasonSeg projects (*.rsdb);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::chooseNewProject()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QString(), tr("ReasonSeg projects (*.rsdb)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".rsdb")))
        path += QStringLiteral(".rsdb");
    const QString images = QFileDialog::getExistingDirectory(this, tr("Image folder of the project"),
                                                             QFileInfo(path).absolutePath());
    if (m_controller->newProject(path, images, m_settings.annotator)) {
        m_settings.addRecent(path);
        m_settings.write();
        updateRecentMenu();
    }
}

void MainWindow::chooseModel()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Model package (folder with model.json)"),
                                                          m_settings.modelPath);
    if (dir.isEmpty())
        return;
    m_settings.modelPath = dir;
    m_settings.write();
    loadModel(dir, m_settings.device);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, m_tools, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const StudioSettings chosen = dialog.settings();
    const bool modelChanged = chosen.modelPath != m_settings.modelPath || chosen.device != m_settings.device;
    const bool annotatorChanged = chosen.annotator != m_settings.annotator;
    m_settings.annotator = chosen.annotator;
    m_settings.modelPath = chosen.modelPath;
    m_settings.device = chosen.device;
    m_settings.prefetchCount = chosen.prefetchCount;
    m_settings.write();
    m_session->setPrefetchCount(chosen.prefetchCount);
    if (annotatorChanged && m_session->hasProject()) {
        if (const Expected<bool> named = m_session->setAnnotator(chosen.annotator); !named)
            statusBar()->showMessage(named.error(), 8000);
        m_queueDock->setAnnotatorId(m_session->annotatorId());
    }
    if (modelChanged && !chosen.modelPath.isEmpty())
        loadModel(chosen.modelPath, chosen.device);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_controller->maybeKeepChanges()) {
        event->ignore();
        return;
    }
    m_settings.windowGeometry = saveGeometry();
    m_settings.windowState = saveState();
    m_settings.write();
    event->accept();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Text fields keep Enter, Delete and the editing keys: the window's shortcuts give way to them.
    if (event->type() == QEvent::ShortcutOverride
        && (qobject_cast<QLineEdit *>(watched) || qobject_cast<QTextEdit *>(watched)
            || qobject_cast<QPlainTextEdit *>(watched) || qobject_cast<QAbstractSpinBox *>(watched)
            || qobject_cast<QKeySequenceEdit *>(watched))) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier
            || key->modifiers() == Qt::ShiftModifier) {
            event->accept();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

} // namespace rs
