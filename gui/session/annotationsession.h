#pragma once

#include "core/annotation.h"
#include "core/expected.h"
#include "core/sample.h"
#include "gui/session/saveconflict.h"
#include "gui/session/sessionjournal.h"
#include "storage/projectlocation.h"

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>
#include <vector>

namespace rs {

class Database;
class ImageLoader;
class ProposalPrefetcher;
class SampleQueueModel;

// One annotator working through a project: opens the project (SQLite path or postgresql:// URL,
// parsed like the command line's PROJECT), the queue over it, one sample at a time as a
// SampleDocument, its image decoded on the thread pool (ImageLoader: decompression-bomb limit), and saves versions with
// AnnotationRepository's compare-and-set (a newer version by someone else is a SaveConflict, never
// overwritten). Every finished undo step goes to the crash journal (SessionJournal) at once; a save
// marks it committed. With a model loaded, the ProposalPrefetcher asks for the open sample's proposal
// and the next ones of the queue.
//
// The session never shows a dialog: questions (unsaved changes, conflicts, restoring the journal) are
// answered by its caller (MainWindow) through conflict()/resolveConflict(), recoverableEdits()/
// restoreEdits(), isModified()/discardChanges().
//
// Thread: GUI thread. Owns the Database, the queue model, the document and the prefetcher.
class AnnotationSession : public QObject
{
    Q_OBJECT

public:
    enum class SaveOutcome { Saved, Conflict, Failed };
    enum class ConflictChoice {
        KeepMine,    // save mine as a new version based on theirs
        DiscardMine  // drop my edits and show theirs
    };

    explicit AnnotationSession(QObject *parent = nullptr);
    ~AnnotationSession() override;

    // Opens `project` for `annotator` (added to the project when new). Closes the open one first
    // without asking: the caller asks about unsaved changes before.
    Expected<bool> openProject(const QString &project, const QString &annotator);
    void closeProject();
    bool hasProject() const { return m_db != nullptr; }
    QString projectArgument() const { return m_projectArgument; }
    QString projectName() const;
    Database *database() const { return m_db.get(); }
    SampleQueueModel *queue() const { return m_queue; }
    ProposalPrefetcher *prefetcher() const { return m_prefetcher; }
    SessionJournal *journal() const { return m_journal.get(); }
    QString imageRoot() const { return m_imageRoot; }
    qint64 annotatorId() const { return m_annotatorId; }
    QString annotatorName() const { return m_annotatorName; }
    // Another annotator name for later saves (settings); added to the project when new.
    Expected<bool> setAnnotator(const QString &annotator);
    QStringList splits() const;

    // Opens a sample (row: its row in the queue, -1 when unknown). Unsaved edits of the open sample
    // are left in the journal: ask before. Opening the open sample again does nothing.
    Expected<bool> openSample(qint64 sampleId, int row = -1);
    Expected<bool> openRow(int row);
    Expected<bool> reloadSample();
    qint64 sampleId() const { return m_sample.id; }
    const Sample &sample() const { return m_sample; }
    int currentRow() const { return m_row; }
    SampleDocument *document() const { return m_document; }
    // The open sample's image (null while it is decoded or when decoding failed).
    QImage image() const { return m_image; }
    bool isImageLoading() const { return m_imageLoading; }
    int baseVersion() const { return m_baseVersion; }
    bool isModified() const;

    // Saves the document as a submitted version, marks the journal committed and opens the next
    // sample of the queue.
    SaveOutcome submit();
    // Saves a draft (sample in progress) and stays.
    SaveOutcome saveDraft();
    const std::optional<SaveConflict> &conflict() const { return m_conflict; }
    SaveOutcome resolveConflict(ConflictChoice choice);
    // Drops the open sample's unsaved edits (journal included) and shows the stored state again.
    void discardChanges();

    // Unsaved edits the journal holds (left by a crash), oldest sample first.
    std::vector<RecoverableEdit> recoverableEdits() const;
    std::optional<RecoverableEdit> recoverableEditFor(qint64 sampleId) const;
    // Opens the edit's sample and applies its state as one undo step ("Restore Unsaved Edits"); a save
    // is then based on the version the edits were made on, so a newer version is a conflict.
    Expected<bool> restoreEdits(const RecoverableEdit &edit);
    // Forgets unsaved edits in the journal (all, or one sample's).
    void discardRecoverableEdits();
    void discardRecoverableEdits(qint64 sampleId);

    // Model refine: the model segments inside `box` (image pixels, xywh); the answer is added to the
    // current target (a new one when none is selected) as one undo step. False when no model is loaded
    // or the image is not decoded yet.
    bool refineWithBox(const QRectF &box);

    void setPrefetchCount(int count);
    void loadModel(const QString &packageDirectory, const QString &device = QStringLiteral("auto"));

signals:
    void projectOpened();
    void projectClosed();
    // The document shown changed; the previous one is deleted after this returns to the event loop.
    void documentChanged(rs::SampleDocument *document);
    void sampleOpened(qint64 sampleId, int row);
    void imageLoaded(const QImage &image);
    void imageFailed(const QString &message);
    void saved(qint64 sampleId, int version, bool submitted);
    void conflictDetected(const rs::SaveConflict &conflict);
    void modifiedChanged(bool modified);
    void queueFinished();
    void proposalArrived(qint64 sampleId);
    void errorOccurred(const QString &message);
    // A refineWithBox() request was answered (applied: pixels were added) or failed.
    void refineFinished(bool applied);

private:
    Expected<SampleDocument *> loadDocument(const Sample &sample);
    Annotation annotationToSave(bool submitted) const;
    SaveOutcome save(const Annotation &annotation, int basedOn, bool submit);
    void afterSaved(const Annotation &annotation, int version, bool submit);
    void advance(qint64 nextId, int nextRow);
    void startImageLoad();
    void onImageDecoded(const QImage &image, const QString &error);
    void setDocument(SampleDocument *document);
    QList<qint64> nextSamples(int count) const;

    std::unique_ptr<Database> m_db;
    QString m_projectArgument;
    ProjectLocation m_location;
    QString m_imageRoot;
    SampleQueueModel *m_queue = nullptr;
    ProposalPrefetcher *m_prefetcher = nullptr;
    std::unique_ptr<SessionJournal> m_journal;
    qint64 m_annotatorId = 0;
    QString m_annotatorName;
    int m_prefetchCount = 3;

    Sample m_sample;
    int m_row = -1;
    QPointer<SampleDocument> m_document;
    std::optional<Annotation> m_baseAnnotation;  // the stored version the document started from
    std::vector<Target> m_baseTargets;           // the targets the document started from
    std::optional<Difficulty> m_importedDifficulty;
    int m_baseVersion = 0;
    QImage m_image;
    bool m_imageLoading = false;
    ImageLoader *m_loader;
    QElapsedTimer m_editTime;
    std::optional<SaveConflict> m_conflict;
};

} // namespace rs
