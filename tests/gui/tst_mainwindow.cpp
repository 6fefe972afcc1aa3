#include "core/documentactions.h"
#include "core/sampledocument.h"
#include "gui/canvas/canvaswidget.h"
#include "gui/tools/abstracttool.h"
#include "gui/docks/targetactions.h"
#include "gui/docks/targetlistmodel.h"
#include "gui/docks/targetsdock.h"
#include "gui/queue/queuedock.h"
#include "gui/queue/samplequeuemodel.h"
#include "gui/session/annotationsession.h"
#include "gui/session/conflictdialog.h"
#include "gui/session/proposalprefetcher.h"
#include "gui/tools/toolmanager.h"
#include "gui/window/mainwindow.h"
#include "gui/window/settingsdialog.h"
#include "guitestdata.h"

#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace rs;

namespace {

// Clicks the button labelled `text` of the next message box that opens.
void answerNextMessageBox(const QString &text)
{
    QTimer::singleShot(0, [text] {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            auto *box = qobject_cast<QMessageBox *>(widget);
            if (!box || !box->isVisible())
                continue;
            for (QAbstractButton *button : box->buttons())
                if (button->text().remove(QLatin1Char('&')) == text)
                    return button->click();
        }
        answerNextMessageBox(text);  // not open yet
    });
}

int currentVersion(const QString &path, qint64 sampleId)
{
    Database::Options options;
    options.connectionName = QStringLiteral("check-%1").arg(sampleId);
    auto db = Database::open(ProjectLocation::sqlite(path), options);
    return db ? *AnnotationRepository(**db).currentVersion(sampleId) : -1;
}

} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void opensDemoProject();
    void actionsFollowState_data();
    void actionsFollowState();
    void enterSubmitsButNotInTextFields();
    void targetsDockEditsAreUndoSteps();
    void closeAsksAboutUnsavedChanges_data();
    void closeAsksAboutUnsavedChanges();
    void layoutIsRestored();
    void conflictDialogOnSubmit_data();
    void conflictDialogOnSubmit();
    void settingsRemapToolShortcuts();
    void offersJournalAfterCrash();
    void screenshotWithProposal();

private:
    QString freshProject();

    QTemporaryDir m_dir;
    QString m_template;
    int m_projects = 0;
};

void TstMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ReasonSeg-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    m_template = m_dir.filePath(QStringLiteral("template.rsdb"));
    auto built = test::buildDemoProject(m_template);
    QVERIFY2(built, qPrintable(built.error()));
}

void TstMainWindow::init()
{
    QSettings().clear();
    QSettings().setValue(QStringLiteral("annotator/name"), QStringLiteral("tester"));
}

QString TstMainWindow::freshProject()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("p%1").arg(++m_projects));
    const QString path = m_dir.filePath(QStringLiteral("p%1/demo.rsdb").arg(m_projects));
    return QFile::copy(m_template, path) ? path : QString();
}

void TstMainWindow::opensDemoProject()
{
    const QString path = freshProject();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    AnnotationSession *session = window.session();
    QCOMPARE(session->annotatorName(), QStringLiteral("tester"));
    QCOMPARE(window.queueDock()->view()->model()->rowCount(), 240);
    QVERIFY(session->document());
    QCOMPARE(window.canvas()->document(), session->document());
    QCOMPARE(window.targetsDock()->model()->rowCount(), session->document()->targetCount());
    QVERIFY(window.windowTitle().contains(QStringLiteral("demo.rsdb")));
    QVERIFY(window.windowTitle().contains(QStringLiteral("Sample %1").arg(session->sampleId())));
    QTRY_COMPARE(window.canvas()->imageState(), CanvasWidget::ImageState::Ready);
    QCOMPARE(window.canvas()->image().size(), session->sample().image.size);
    // The queue shows the open sample as the current row; the recent list remembers the project.
    QCOMPARE(window.queueDock()->view()->currentIndex().row(), 0);
    QCOMPARE(window.settings().recentProjects.value(0), QFileInfo(path).absoluteFilePath());
    QCOMPARE(QSettings().value(QStringLiteral("projects/recent")).toStringList().value(0), QFileInfo(path).absoluteFilePath());

    // Clicking another row of the queue opens that sample.
    QTableView *queue = window.queueDock()->view();
    const QRect row = queue->visualRect(queue->model()->index(3, SampleQueueModel::QueryColumn));
    QTest::mouseClick(queue->viewport(), Qt::LeftButton, {}, row.center());
    QCOMPARE(session->sampleId(), session->queue()->sampleIdAt(3));
    QCOMPARE(session->currentRow(), 3);
}

void TstMainWindow::actionsFollowState_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("withoutProject");
    QTest::addColumn<bool>("opened");
    QTest::addColumn<bool>("edited");
    QTest::newRow("submit") << "submit" << false << true << true;
    QTest::newRow("saveDraft") << "saveDraft" << false << true << true;
    QTest::newRow("revert") << "revert" << false << false << true;
    QTest::newRow("undo") << "undo" << false << false << true;
    QTest::newRow("redo") << "redo" << false << false << false;
    QTest::newRow("zoomIn") << "zoomIn" << false << true << true;
    QTest::newRow("diffView") << "diffView" << false << true << true;
    QTest::newRow("nextSample") << "nextSample" << false << true << true;
    QTest::newRow("previousSample") << "previousSample" << false << false << false;
    QTest::newRow("openProject") << "openProject" << true << true << true;
    QTest::newRow("settings") << "settings" << true << true << true;
}

void TstMainWindow::actionsFollowState()
{
    QFETCH(QString, name);
    QFETCH(bool, withoutProject);
    QFETCH(bool, opened);
    QFETCH(bool, edited);
    MainWindow window;
    window.show();
    QAction *action = window.action(name);
    QVERIFY(action);
    QCOMPARE(action->isEnabled(), withoutProject);
    QVERIFY(window.openProject(freshProject()));
    QCOMPARE(action->isEnabled(), opened);
    QVERIFY(DocumentActions::newTarget(*window.session()->document()) >= 0);
    QCOMPARE(action->isEnabled(), edited);
    QVERIFY(window.isWindowModified());
}

void TstMainWindow::enterSubmitsButNotInTextFields()
{
    const QString path = freshProject();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    AnnotationSession *session = window.session();
    const qint64 first = session->sampleId();

    // Enter while editing a target's label commits the label (one undo step), and submits nothing.
    QTableView *targets = window.targetsDock()->view();
    const QModelIndex label = targets->model()->index(0, TargetListModel::LabelColumn);
    targets->setCurrentIndex(label);
    targets->edit(label);
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("the red circle"));
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits on the next turn of the event loop.
    QTRY_COMPARE(session->document()->targetAt(0).target.label, QStringLiteral("the red circle"));
    QCOMPARE(session->sampleId(), first);
    QCOMPARE(session->document()->undoStack()->count(), 1);
    QCOMPARE(currentVersion(path, first), 0);

    // Enter on the canvas submits and moves to the next sample.
    window.canvas()->setFocus();
    QSignalSpy saved(session, &AnnotationSession::saved);
    QTest::keyClick(window.canvas(), Qt::Key_Return);
    QCOMPARE(saved.count(), 1);
    QCOMPARE(currentVersion(path, first), 1);
    QVERIFY(session->sampleId() != first);
    QCOMPARE(session->currentRow(), 1);
    QCOMPARE(window.queueDock()->view()->currentIndex().row(), 1);
    QVERIFY(!window.isWindowModified());
    QCOMPARE(window.action(QStringLiteral("undo"))->isEnabled(), false);
}

void TstMainWindow::targetsDockEditsAreUndoSteps()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(freshProject()));
    SampleDocument *document = window.session()->document();
    QTableView *targets = window.targetsDock()->view();
    TargetActions *actions = window.targetActions();

    // Space on the visibility cell toggles it through DocumentActions.
    targets->setFocus();
    targets->setCurrentIndex(targets->model()->index(0, TargetListModel::VisibleColumn));
    QTest::keyClick(targets, Qt::Key_Space);
    QCOMPARE(document->targetAt(0).visible, false);
    QCOMPARE(document->undoStack()->count(), 1);
    window.action(QStringLiteral("undo"))->trigger();
    QCOMPARE(document->targetAt(0).visible, true);

    // New target: two rows; selecting both enables merge and the boolean operations.
    const int before = document->targetCount();
    QVERIFY(!actions->merge()->isEnabled() || before >= 2);
    actions->newTarget()->trigger();
    QCOMPARE(document->targetCount(), before + 1);
    QCOMPARE(targets->model()->rowCount(), before + 1);
    QCOMPARE(document->currentTarget(), before);
    QVERIFY(!actions->add()->isEnabled());
    targets->selectionModel()->select(targets->model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QVERIFY(actions->add()->isEnabled());
    QVERIFY(actions->merge()->isEnabled());
    actions->add()->trigger();  // the new (current) target = itself ∪ target 0
    QCOMPARE(document->targetAt(before).target.mask, document->targetAt(0).target.mask);
    QVERIFY(actions->moveUp()->isEnabled());
    QVERIFY(!actions->moveDown()->isEnabled());
    actions->deleteTarget()->trigger();
    QCOMPARE(document->targetCount(), before);
    QVERIFY(!actions->acceptProposal()->isEnabled());  // no proposal without a model
}

void TstMainWindow::closeAsksAboutUnsavedChanges_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<bool>("closes");
    QTest::addColumn<int>("version");
    QTest::newRow("cancel") << "Cancel" << false << 0;
    QTest::newRow("save draft") << "Save Draft" << true << 1;
    QTest::newRow("discard") << "Discard" << true << 0;
}

void TstMainWindow::closeAsksAboutUnsavedChanges()
{
    QFETCH(QString, answer);
    QFETCH(bool, closes);
    QFETCH(int, version);
    const QString path = freshProject();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    const qint64 id = window.session()->sampleId();
    QVERIFY(DocumentActions::setIgnore(*window.session()->document(), 0, true));
    answerNextMessageBox(answer);
    QCOMPARE(window.close(), closes);
    QCOMPARE(window.isVisible(), !closes);
    QCOMPARE(currentVersion(path, id), version);
    // Discarding also drops the journal's copy: nothing is offered next time.
    if (answer == QLatin1String("Discard"))
        QVERIFY(window.session()->recoverableEdits().empty());
    if (!closes)
        QVERIFY(window.session()->isModified());
}

void TstMainWindow::layoutIsRestored()
{
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.queueDock()->hide();
        QVERIFY(window.close());
    }
    MainWindow again;
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QVERIFY(!again.queueDock()->isVisible());
    QVERIFY(again.targetsDock()->isVisible());
}

void TstMainWindow::conflictDialogOnSubmit_data()
{
    QTest::addColumn<bool>("keepMine");
    QTest::newRow("keep mine") << true;
    QTest::newRow("discard mine") << false;
}

void TstMainWindow::conflictDialogOnSubmit()
{
    QFETCH(bool, keepMine);
    const QString path = freshProject();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    AnnotationSession *session = window.session();
    QTRY_VERIFY(!session->image().isNull());
    const qint64 id = session->sampleId();
    const QSize size = session->document()->imageSize();

    Database::Options options;
    options.connectionName = QStringLiteral("bob");
    auto other = Database::open(ProjectLocation::sqlite(path), options);
    QVERIFY(other);
    Annotation theirs;
    theirs.sampleId = id;
    theirs.annotatorId = *AnnotatorRepository(**other).ensure(QStringLiteral("bob"));
    Mask mask(size.width(), size.height());
    mask.fillRect(QRect(10, 10, 30, 30), true);
    theirs.targets = {Target{mask, QRectF(10, 10, 30, 30), QStringLiteral("bob's"), QString(), false}};
    QVERIFY(AnnotationRepository(**other).save(theirs, 0));
    QVERIFY(DocumentActions::newTarget(*session->document()) >= 0);
    const std::vector<Target> mine = session->document()->targets();

    bool shown = false;
    QTimer::singleShot(0, [&] {
        auto *dialog = qobject_cast<ConflictDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        shown = true;
        // Both versions are on screen: two pictures.
        int pictures = 0;
        for (QLabel *label : dialog->findChildren<QLabel *>())
            pictures += label->pixmap().isNull() ? 0 : 1;
        QCOMPARE(pictures, 2);
        dialog->grab().save(QDir::current().filePath(QStringLiteral("conflictdialog.png")));
        (keepMine ? dialog->keepMineButton() : dialog->discardMineButton())->click();
    });
    window.action(QStringLiteral("submit"))->trigger();
    QVERIFY(shown);
    const auto history = AnnotationRepository(**other).history(id);
    if (keepMine) {
        QCOMPARE(history->size(), std::size_t(2));
        QCOMPARE(history->back().basedOnVersion, 1);
        QCOMPARE((*AnnotationRepository(**other).current(id))->targets.size(), mine.size());
        QVERIFY(session->sampleId() != id);
    } else {
        QCOMPARE(history->size(), std::size_t(1));
        QCOMPARE(session->sampleId(), id);
        QCOMPARE(session->document()->targetCount(), 1);
        QCOMPARE(session->document()->targetAt(0).target.label, QStringLiteral("bob's"));
        QVERIFY(!window.isWindowModified());
    }
}

void TstMainWindow::settingsRemapToolShortcuts()
{
    MainWindow window;
    SettingsDialog dialog(window.settings(), window.tools());
    QVERIFY(dialog.shortcutEdit(QStringLiteral("brush")));
    QCOMPARE(dialog.shortcutEdit(QStringLiteral("brush"))->keySequence(), QKeySequence(Qt::Key_B));
    dialog.shortcutEdit(QStringLiteral("brush"))->setKeySequence(QKeySequence(Qt::Key_N));
    dialog.annotatorEdit()->setText(QStringLiteral("carol"));
    dialog.accept();
    QCOMPARE(window.tools()->action(QStringLiteral("brush"))->shortcut(), QKeySequence(Qt::Key_N));
    QCOMPARE(dialog.settings().annotator, QStringLiteral("carol"));
    // Stored: a new window (and ToolManager) starts with it.
    MainWindow again;
    QCOMPARE(again.tools()->action(QStringLiteral("brush"))->shortcut(), QKeySequence(Qt::Key_N));
}

void TstMainWindow::offersJournalAfterCrash()
{
    const QString path = freshProject();
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(env);
    child.start(QStringLiteral(RS_CRASH_CHILD), {path, QStringLiteral("7")});
    QVERIFY(child.waitForStarted());
    QByteArray output;
    while (!output.contains("READY\n")) {
        QVERIFY(child.waitForReadyRead(30000));
        output += child.readAllStandardOutput();
    }
    child.kill();
    QVERIFY(child.waitForFinished());

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    answerNextMessageBox(QStringLiteral("Restore"));
    QVERIFY(window.openProject(path));
    AnnotationSession *session = window.session();
    QCOMPARE(session->currentRow(), 7);
    QVERIFY(session->isModified());
    QVERIFY(window.isWindowModified());
    QCOMPARE(session->document()->targetAt(0).target.label, QStringLiteral("renamed before the crash"));
    QCOMPARE(window.action(QStringLiteral("undo"))->text().remove(QLatin1Char('&')), QStringLiteral("Undo Restore Unsaved Edits"));
    // Enter submits the restored edits (once the window is active again after the question).
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.canvas()->setFocus();
    QTest::keyClick(window.canvas(), Qt::Key_Return);
    QCOMPARE(currentVersion(path, session->queue()->sampleIdAt(7)), 1);
}

void TstMainWindow::screenshotWithProposal()
{
    const QString path = freshProject();
    MainWindow window;
    window.resize(1500, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadModel(QStringLiteral(RS_MODEL_DIR));
    QVERIFY(window.modelStatus()->text().contains(QStringLiteral("loading")));
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->prefetcher()->isModelLoaded(), 60000);
    QVERIFY(window.openProject(path));
    AnnotationSession *session = window.session();
    // Sample 3 has two targets: a richer picture.
    QVERIFY(session->openRow(2));
    QTRY_VERIFY_WITH_TIMEOUT(!session->document()->proposal().empty(), 60000);
    QTRY_COMPARE(window.canvas()->imageState(), CanvasWidget::ImageState::Ready);
    QTRY_VERIFY_WITH_TIMEOUT(window.modelStatus()->text().contains(QStringLiteral("idle")), 60000);
    QVERIFY(window.targetActions()->acceptProposal()->isEnabled());
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("device"))->text().startsWith(QStringLiteral("Device: ")));
    // An edit so the targets dock and the undo state show something.
    window.targetsDock()->view()->setCurrentIndex(window.targetsDock()->model()->index(0, 0));
    DocumentActions::setDescription(*session->document(), 0, QStringLiteral("the largest shape"));
    window.canvas()->fitToWindow();
    window.statusBar()->clearMessage();  // the sample line, not "Opened /tmp/…"
    QTest::qWait(200);  // the pyramid and overlay tiles

    const QString dir = qEnvironmentVariableIsSet("RS_UPDATE_SCREENSHOTS") ? QStringLiteral(RS_SOURCE_DIR "/docs/images")
                                                                          : QDir::currentPath();
    QDir().mkpath(dir);
    const QImage shot = window.grab().toImage();
    QVERIFY(!shot.isNull());
    QVERIFY(shot.save(dir + QStringLiteral("/mainwindow.png")));
    window.action(QStringLiteral("diffView"))->trigger();
    QTest::qWait(100);
    QVERIFY(window.grab().toImage().save(dir + QStringLiteral("/mainwindow-diff.png")));
    qInfo("screenshots in %s", qPrintable(dir));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
