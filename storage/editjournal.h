#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <vector>

namespace rs {

struct ProjectLocation;

// One in-progress edit recorded in the journal.
struct JournalEntry
{
    enum class Kind : quint8 {
        MaskDelta = 1,  // an RLE-compressed before/after patch of a mask (the undo delta)
        Text = 2,       // reasoning text, comment, ...
        Other = 3,      // any other edit the editor wants back after a crash
        Committed = 4,  // the sample's annotation was saved: its earlier entries are not needed
    };

    quint64 sequence = 0;
    qint64 sampleId = 0;
    int baseVersion = 0;  // the annotation version the edit applies to
    Kind kind = Kind::Other;
    QByteArray payload;
};

// Append-only crash-recovery journal of the editor's unsaved edits, next to the project
// ("<project>.rsdb-edits"). An append is one write(2) of a small header (length, sequence,
// sample, CRC-32) plus the payload, without fsync: it survives the process being killed (the data
// is in the kernel) and sync() makes it survive a power cut. Replay stops at the first record that
// is torn or fails its checksum. Committed annotations never depend on the journal: it only holds
// edits made after the last save of each sample.
//
// Thread: one writer (the GUI thread); not thread-safe.
class EditJournal
{
public:
    static QString pathFor(const ProjectLocation &location);

    // Opens (creating when missing) the journal for appending; a torn tail left by a crash is cut off.
    static Expected<std::unique_ptr<EditJournal>> open(const QString &path);
    ~EditJournal();

    Expected<quint64> append(qint64 sampleId, int baseVersion, JournalEntry::Kind kind, QByteArrayView payload);
    // Records that the sample's annotation was saved: replay() drops its entries up to here.
    Expected<quint64> markCommitted(qint64 sampleId);
    // fdatasync: the appended entries survive a power cut too.
    Expected<bool> sync();
    // Rewrites the journal with only the entries replay() would return (atomically, by rename).
    Expected<bool> compact();
    QString path() const { return m_path; }

    // The edits not followed by a Committed marker of their sample, in append order.
    static Expected<std::vector<JournalEntry>> replay(const QString &path);
    // Every valid record, in order, and where the valid part ends.
    struct Scan
    {
        std::vector<JournalEntry> entries;
        qint64 validBytes = 0;
        qint64 fileBytes = 0;
    };
    static Expected<Scan> scan(const QString &path);

    static quint32 crc32(quint32 crc, const char *data, qsizetype size);

private:
    EditJournal(const QString &path, int fd, quint64 nextSequence);

    QString m_path;
    int m_fd = -1;
    quint64 m_nextSequence = 1;
};

} // namespace rs
