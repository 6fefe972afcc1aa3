#pragma once

#include "core/expected.h"
#include "core/sampledocument.h"
#include "gui/session/documentsnapshot.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace rs {

class EditJournal;
struct ProjectLocation;

// Unsaved edits of one sample found in the journal (the latest state recorded for it).
struct RecoverableEdit
{
    qint64 sampleId = 0;
    int baseVersion = 0;      // the annotation version the edits were made on
    int steps = 0;            // finished undo steps recorded since the last save
    QByteArray snapshot;      // DocumentSnapshot bytes of the latest state
};

// The session's crash journal: watches the open document and appends a DocumentSnapshot of it to
// the project's EditJournal after every finished undo step (QUndoStack::indexChanged: a push, an
// undo, a redo, a merged brush move), so a killed process loses nothing that was on screen. Masks
// are RLE-encoded again only for targets whose pixels changed since the previous snapshot.
// SQLite projects keep the journal next to the file (EditJournal::pathFor); PostgreSQL projects in
// the user's data folder, one per project.
//
// Thread: GUI thread.
class SessionJournal : public QObject
{
    Q_OBJECT

public:
    static QString pathFor(const ProjectLocation &location);
    static Expected<std::unique_ptr<SessionJournal>> open(const ProjectLocation &location);
    ~SessionJournal() override;

    QString path() const;

    // Starts recording `document`'s steps as edits of (sampleId, baseVersion); nullptr stops.
    void watch(SampleDocument *document, qint64 sampleId, int baseVersion);
    void setBaseVersion(int baseVersion) { m_baseVersion = baseVersion; }
    // Appends the watched document's state now.
    Expected<bool> record();
    // The sample's edits are saved (or deliberately dropped): they are no longer offered.
    Expected<bool> markCommitted(qint64 sampleId);
    // Rewrites the journal with only the entries still needed.
    Expected<bool> compact();
    Expected<std::vector<RecoverableEdit>> recoverable() const;

    qint64 recordsWritten() const { return m_records; }
    qint64 bytesWritten() const { return m_bytes; }

signals:
    void failed(const QString &message);

private:
    explicit SessionJournal(std::unique_ptr<EditJournal> journal);
    void invalidateAll();

    std::unique_ptr<EditJournal> m_journal;
    QPointer<SampleDocument> m_document;
    qint64 m_sampleId = 0;
    int m_baseVersion = 0;
    std::vector<DocumentSnapshot::EncodedTarget> m_encoded;  // per target; width 0 = stale
    QList<QMetaObject::Connection> m_connections;
    qint64 m_records = 0;
    qint64 m_bytes = 0;
};

} // namespace rs
