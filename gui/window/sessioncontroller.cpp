#include "gui/window/sessioncontroller.h"

#include "gui/queue/samplequeuemodel.h"
#include "gui/session/annotationsession.h"
#include "gui/session/conflictdialog.h"
#include "storage/database.h"
#include "storage/imagerepository.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

namespace rs {

SessionController::SessionController(AnnotationSession *session, QWidget *dialogParent, QObject *parent)
    : QObject(parent), m_session(session), m_parent(dialogParent)
{
    connect(session, &AnnotationSession::sampleOpened, this, &SessionController::onSampleOpened);
    connect(session, &AnnotationSession::saved, this, [this](qint64 sampleId, int version, bool submitted) {
        emit message(submitted ? tr("Submitted sample %1 (version %2)").arg(sampleId).arg(version)
                               : tr("Saved a draft of sample %1 (version %2)").arg(sampleId).arg(version),
                     4000);
    });
    connect(session, &AnnotationSession::queueFinished, this,
            [this] { emit message(tr("That was the last sample of the queue"), 6000); });
    connect(session, &AnnotationSession::errorOccurred, this, [this](const QString &text) { emit message(text, 8000); });
}

bool SessionController::openProject(const QString &project, const QString &annotator)
{
    if (!maybeKeepChanges())
        return false;
    m_offering = true;  // the first sample opened below must not ask before the project-wide offer
    const Expected<bool> opened = m_session->openProject(project, annotator);
    if (!opened) {
        m_offering = false;
        QMessageBox::warning(m_parent, tr("Open Project"), opened.error());
        return false;
    }
    m_offering = false;
    offerRecovery();
    if (!m_session->document() && m_session->queue()->rowCount() > 0) {
        const Expected<bool> first = m_session->openRow(0);
        if (!first)
            emit message(first.error(), 8000);
    }
    emit message(tr("Opened %1 as %2").arg(m_session->projectName(), m_session->annotatorName()), 4000);
    return true;
}

bool SessionController::newProject(const QString &path, const QString &imageRoot, const QString &annotator)
{
    if (!maybeKeepChanges())
        return false;
    if (QFileInfo::exists(path)) {
        QMessageBox::warning(m_parent, tr("New Project"), tr("%1 exists already: open it instead.").arg(path));
        return false;
    }
    Expected<std::unique_ptr<Database>> created = Database::create(ProjectLocation::sqlite(path));
    if (!created) {
        QMessageBox::warning(m_parent, tr("New Project"), created.error());
        return false;
    }
    if (!imageRoot.isEmpty()) {
        if (Expected<bool> rooted = ImageRepository(**created).setImageRoot(imageRoot); !rooted) {
            QMessageBox::warning(m_parent, tr("New Project"), rooted.error());
            return false;
        }
    }
    created->reset();
    const bool opened = openProject(path, annotator);
    if (opened)
        emit message(tr("New project %1: import samples with `reasonseg import %1 --format FMT SRC`").arg(path), 10000);
    return opened;
}

bool SessionController::maybeKeepChanges()
{
    if (!m_session->isModified())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Unsaved Changes"),
                    tr("Sample %1 has unsaved changes.").arg(m_session->sampleId()), QMessageBox::NoButton, m_parent);
    box.setInformativeText(tr("Save them as a draft, or discard them?"));
    QPushButton *save = box.addButton(tr("Save Draft"), QMessageBox::AcceptRole);
    QPushButton *discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(save);
    box.exec();
    if (box.clickedButton() == save) {
        const AnnotationSession::SaveOutcome outcome = m_session->saveDraft();
        if (outcome == AnnotationSession::SaveOutcome::Conflict)
            return resolveConflict() && !m_session->isModified();
        return outcome == AnnotationSession::SaveOutcome::Saved;
    }
    if (box.clickedButton() == discard) {
        m_session->discardRecoverableEdits(m_session->sampleId());
        m_session->document()->undoStack()->setClean();
        return true;
    }
    return false;
}

void SessionController::submit()
{
    if (!m_session->document())
        return;
    if (m_session->submit() == AnnotationSession::SaveOutcome::Conflict)
        resolveConflict();
}

void SessionController::saveDraft()
{
    if (!m_session->document())
        return;
    if (m_session->saveDraft() == AnnotationSession::SaveOutcome::Conflict)
        resolveConflict();
}

void SessionController::revert()
{
    if (!m_session->isModified())
        return;
    const auto answer = QMessageBox::question(m_parent, tr("Revert"),
                                              tr("Discard the unsaved changes of sample %1?").arg(m_session->sampleId()),
                                              QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Discard)
        m_session->discardChanges();
}

bool SessionController::resolveConflict()
{
    while (m_session->conflict()) {
        ConflictDialog dialog(*m_session->conflict(), m_session->image(), m_parent);
        const int choice = dialog.exec();
        if (choice == ConflictDialog::KeepMine) {
            if (m_session->resolveConflict(AnnotationSession::ConflictChoice::KeepMine)
                == AnnotationSession::SaveOutcome::Saved)
                return true;
            continue;  // yet another version arrived meanwhile: show it
        }
        if (choice == ConflictDialog::DiscardMine) {
            m_session->resolveConflict(AnnotationSession::ConflictChoice::DiscardMine);
            return true;
        }
        emit message(tr("Not saved: your edits stay in the editor (and the journal)"), 6000);
        return false;
    }
    return true;
}

void SessionController::nextSample()
{
    const int row = m_session->currentRow();
    if (row + 1 >= m_session->queue()->rowCount())
        return emit message(tr("That is the last sample of the queue"), 4000);
    if (!maybeKeepChanges())
        return;
    if (const Expected<bool> opened = m_session->openRow(row + 1); !opened)
        emit message(opened.error(), 8000);
}

void SessionController::previousSample()
{
    const int row = m_session->currentRow();
    if (row <= 0)
        return;
    if (!maybeKeepChanges())
        return;
    if (const Expected<bool> opened = m_session->openRow(row - 1); !opened)
        emit message(opened.error(), 8000);
}

void SessionController::openQueueRow(qint64 sampleId, int row)
{
    if (sampleId == 0 || sampleId == m_session->sampleId())
        return;
    if (!maybeKeepChanges())
        return;
    if (const Expected<bool> opened = m_session->openSample(sampleId, row); !opened)
        emit message(opened.error(), 8000);
}

void SessionController::offerRecovery()
{
    const std::vector<RecoverableEdit> edits = m_session->recoverableEdits();
    if (edits.empty())
        return;
    // The most recently edited sample first; the others are offered when they are opened.
    const RecoverableEdit &latest = edits.back();
    m_offering = true;
    if (askRestore(latest, int(edits.size()))) {
        const Expected<bool> restored = m_session->restoreEdits(latest);
        if (!restored)
            QMessageBox::warning(m_parent, tr("Restore Unsaved Edits"), restored.error());
        else
            emit message(tr("Restored the unsaved edits of sample %1: Enter submits, Ctrl+Z undoes the restore")
                             .arg(latest.sampleId), 8000);
    } else {
        m_session->discardRecoverableEdits();
    }
    m_offering = false;
}

void SessionController::onSampleOpened(qint64 sampleId)
{
    if (m_offering)
        return;
    const std::optional<RecoverableEdit> edit = m_session->recoverableEditFor(sampleId);
    if (!edit)
        return;
    m_offering = true;
    if (askRestore(*edit, 1)) {
        if (const Expected<bool> restored = m_session->restoreEdits(*edit); !restored)
            emit message(restored.error(), 8000);
    } else {
        m_session->discardRecoverableEdits(sampleId);
    }
    m_offering = false;
}

bool SessionController::askRestore(const RecoverableEdit &edit, int count)
{
    QMessageBox box(QMessageBox::Question, tr("Restore Unsaved Edits"),
                    count > 1 ? tr("The journal holds unsaved edits of %1 samples: ReasonSeg Studio was not closed "
                                   "properly.").arg(count)
                              : tr("The journal holds unsaved edits of sample %1: ReasonSeg Studio was not closed "
                                   "properly.").arg(edit.sampleId),
                    QMessageBox::NoButton, m_parent);
    box.setInformativeText(tr("Restore the %n edit step(s) of sample %1 (made on version %2)?", nullptr, edit.steps)
                               .arg(edit.sampleId).arg(edit.baseVersion));
    QPushButton *restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
    box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.setDefaultButton(restore);
    box.exec();
    return box.clickedButton() == restore;
}

} // namespace rs
