#pragma once

#include <QObject>
#include <QPointer>

class QWidget;

namespace rs {

class AnnotationSession;
struct RecoverableEdit;

// The annotator's flows around an AnnotationSession, with the questions they need: opening a
// project (and offering to restore unsaved edits a crash left in the journal), moving between
// samples (asking what to do with unsaved changes), submitting and saving drafts (showing the
// ConflictDialog when someone else saved meanwhile). Keeps these out of MainWindow, which hosts.
//
// Thread: GUI thread. Dialogs are modal on `dialogParent`.
class SessionController : public QObject
{
    Q_OBJECT

public:
    SessionController(AnnotationSession *session, QWidget *dialogParent, QObject *parent = nullptr);

    // Asks about unsaved changes, opens the project, offers to restore journal edits, opens the
    // first sample of the queue. False when cancelled or when opening failed (message shown).
    bool openProject(const QString &project, const QString &annotator);
    // Creates an empty project at `path` (SQLite) with its image root and opens it.
    bool newProject(const QString &path, const QString &imageRoot, const QString &annotator);
    // True when the open sample's unsaved changes were saved or discarded, or there were none;
    // false when the annotator cancelled.
    bool maybeKeepChanges();

public slots:
    void submit();
    void saveDraft();
    void revert();
    void nextSample();
    void previousSample();
    void openQueueRow(qint64 sampleId, int row);

signals:
    void message(const QString &text, int timeoutMs);

private:
    void onSampleOpened(qint64 sampleId);
    bool resolveConflict();
    void offerRecovery();
    bool askRestore(const RecoverableEdit &edit, int count);

    AnnotationSession *m_session;
    QPointer<QWidget> m_parent;
    bool m_offering = false;
};

} // namespace rs
