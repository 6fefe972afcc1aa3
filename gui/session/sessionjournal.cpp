#include "gui/session/sessionjournal.h"

#include "core/sampledocument.h"
#include "storage/editjournal.h"
#include "storage/projectlocation.h"

#include <QCryptographicHash>
#include <QDir>
#include <QStandardPaths>

#include <map>

namespace rs {

QString SessionJournal::pathFor(const ProjectLocation &location)
{
    const QString path = EditJournal::pathFor(location);
    if (!path.isEmpty())
        return path;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
                         + QStringLiteral("/journals");
    QDir().mkpath(folder);
    const QByteArray key = QCryptographicHash::hash(location.displayName().toUtf8(), QCryptographicHash::Sha1).toHex();
    return folder + QLatin1Char('/') + QString::fromLatin1(key) + QStringLiteral(".rsdb-edits");
}

Expected<std::unique_ptr<SessionJournal>> SessionJournal::open(const ProjectLocation &location)
{
    auto journal = EditJournal::open(pathFor(location));
    if (!journal)
        return Error{journal.error()};
    return std::unique_ptr<SessionJournal>(new SessionJournal(std::move(*journal)));
}

SessionJournal::SessionJournal(std::unique_ptr<EditJournal> journal) : m_journal(std::move(journal)) {}

SessionJournal::~SessionJournal() = default;

QString SessionJournal::path() const
{
    return m_journal->path();
}

void SessionJournal::watch(SampleDocument *document, qint64 sampleId, int baseVersion)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_document = document;
    m_sampleId = sampleId;
    m_baseVersion = baseVersion;
    invalidateAll();
    if (!document)
        return;
    // indexChanged fires once per finished step: a push, an undo, a redo, the end of a macro.
    m_connections << connect(document->undoStack(), &QUndoStack::indexChanged, this, [this] {
        auto written = record();
        if (!written)
            emit failed(written.error());
    });
    m_connections << connect(document, &SampleDocument::maskChanged, this, [this](int index) {
        if (std::size_t(index) < m_encoded.size())
            m_encoded[std::size_t(index)].width = 0;
    });
    for (auto signal : {&SampleDocument::targetInserted, &SampleDocument::targetRemoved})
        m_connections << connect(document, signal, this, &SessionJournal::invalidateAll);
    m_connections << connect(document, &SampleDocument::targetMoved, this, &SessionJournal::invalidateAll);
}

void SessionJournal::invalidateAll()
{
    m_encoded.assign(m_document ? std::size_t(m_document->targetCount()) : 0, DocumentSnapshot::EncodedTarget());
}

Expected<bool> SessionJournal::record()
{
    if (!m_document)
        return true;
    m_encoded.resize(std::size_t(m_document->targetCount()));
    for (int i = 0; i < m_document->targetCount(); ++i)
        if (m_encoded[std::size_t(i)].width == 0)
            m_encoded[std::size_t(i)] = DocumentSnapshot::encode(m_document->targetAt(i).target.mask);
    const QByteArray payload = DocumentSnapshot::serialise(*m_document, m_encoded);
    auto appended = m_journal->append(m_sampleId, m_baseVersion, JournalEntry::Kind::Other, payload);
    if (!appended)
        return Error{appended.error()};
    ++m_records;
    m_bytes += payload.size();
    return true;
}

Expected<bool> SessionJournal::markCommitted(qint64 sampleId)
{
    auto marked = m_journal->markCommitted(sampleId);
    if (!marked)
        return Error{marked.error()};
    return true;
}

Expected<bool> SessionJournal::compact()
{
    return m_journal->compact();
}

Expected<std::vector<RecoverableEdit>> SessionJournal::recoverable() const
{
    auto entries = EditJournal::replay(m_journal->path());
    if (!entries)
        return Error{entries.error()};
    std::vector<RecoverableEdit> edits;
    std::map<qint64, std::size_t> indexOf;
    for (const JournalEntry &entry : *entries) {
        if (entry.kind != JournalEntry::Kind::Other)
            continue;
        auto [it, added] = indexOf.try_emplace(entry.sampleId, edits.size());
        if (added)
            edits.push_back(RecoverableEdit{entry.sampleId, entry.baseVersion, 0, {}});
        RecoverableEdit &edit = edits[it->second];
        edit.baseVersion = entry.baseVersion;
        edit.snapshot = entry.payload;
        ++edit.steps;
    }
    return edits;
}

} // namespace rs
