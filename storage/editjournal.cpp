#include "storage/editjournal.h"

#include "storage/projectlocation.h"

#include <QFile>
#include <QSaveFile>

#include <array>
#include <map>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace rs {

namespace {

constexpr char kFileMagic[8] = {'R', 'S', 'E', 'J', 'N', 'L', '0', '1'};
constexpr quint32 kRecordMagic = 0x4a455352;  // "RSEJ"
constexpr qsizetype kMaxPayload = qsizetype(1) << 30;

#pragma pack(push, 1)
struct RecordHeader
{
    quint32 magic;
    quint32 payloadSize;
    quint64 sequence;
    qint64 sampleId;
    qint32 baseVersion;
    quint8 kind;
    quint8 reserved[3];
    quint32 crc;  // CRC-32 of the header (with crc = 0) and the payload
};
#pragma pack(pop)
static_assert(sizeof(RecordHeader) == 36);

// Slicing-by-8 CRC-32 (IEEE 802.3, as zlib's crc32).
struct CrcTables
{
    std::array<std::array<quint32, 256>, 8> t{};
    CrcTables()
    {
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (quint32 i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
};

const CrcTables &tables()
{
    static const CrcTables instance;
    return instance;
}

QString systemError(const QString &doing, int error)
{
    return QStringLiteral("%1: %2").arg(doing, QString::fromLocal8Bit(std::strerror(error)));
}

quint32 headerCrc(RecordHeader header, QByteArrayView payload)
{
    header.crc = 0;
    quint32 crc = EditJournal::crc32(0, reinterpret_cast<const char *>(&header), sizeof header);
    return EditJournal::crc32(crc, payload.data(), payload.size());
}

bool writeAll(int fd, iovec *parts, int count)
{
    while (count > 0) {
        const ssize_t written = ::writev(fd, parts, count);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        std::size_t left = std::size_t(written);
        while (count > 0 && left >= parts->iov_len) {
            left -= parts->iov_len;
            ++parts;
            --count;
        }
        if (count > 0) {
            parts->iov_base = static_cast<char *>(parts->iov_base) + left;
            parts->iov_len -= left;
        }
    }
    return true;
}

} // namespace

quint32 EditJournal::crc32(quint32 crc, const char *data, qsizetype size)
{
    const auto &t = tables().t;
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    crc = ~crc;
    while (size >= 8) {
        quint32 lo;
        quint32 hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        lo ^= crc;
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24]
            ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size-- > 0)
        crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

QString EditJournal::pathFor(const ProjectLocation &location)
{
    if (location.backend == Backend::Sqlite)
        return location.path + QStringLiteral("-edits");
    return QString();
}

EditJournal::EditJournal(const QString &path, int fd, quint64 nextSequence)
    : m_path(path), m_fd(fd), m_nextSequence(nextSequence)
{
}

EditJournal::~EditJournal()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Expected<EditJournal::Scan> EditJournal::scan(const QString &path)
{
    Scan result;
    QFile file(path);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read edit journal %1: %2").arg(path, file.errorString())};
    const QByteArray data = file.readAll();
    result.fileBytes = data.size();
    if (data.size() < qsizetype(sizeof kFileMagic))
        return result;  // empty or torn before the magic was written: nothing valid
    if (std::memcmp(data.constData(), kFileMagic, sizeof kFileMagic) != 0)
        return Error{QStringLiteral("%1 is not an edit journal").arg(path)};
    qsizetype pos = sizeof kFileMagic;
    result.validBytes = pos;
    while (data.size() - pos >= qsizetype(sizeof(RecordHeader))) {
        RecordHeader header;
        std::memcpy(&header, data.constData() + pos, sizeof header);
        if (header.magic != kRecordMagic || qsizetype(header.payloadSize) > data.size() - pos - qsizetype(sizeof header))
            break;
        const QByteArrayView payload(data.constData() + pos + sizeof header, header.payloadSize);
        if (headerCrc(header, payload) != header.crc)
            break;
        JournalEntry entry;
        entry.sequence = header.sequence;
        entry.sampleId = header.sampleId;
        entry.baseVersion = header.baseVersion;
        entry.kind = JournalEntry::Kind(header.kind);
        entry.payload = payload.toByteArray();
        result.entries.push_back(std::move(entry));
        pos += qsizetype(sizeof header) + header.payloadSize;
        result.validBytes = pos;
    }
    return result;
}

Expected<std::vector<JournalEntry>> EditJournal::replay(const QString &path)
{
    auto scanned = scan(path);
    if (!scanned)
        return Error{scanned.error()};
    std::vector<JournalEntry> entries = std::move(scanned).value().entries;
    // The last Committed marker of each sample.
    std::map<qint64, quint64> committedAt;
    for (const JournalEntry &e : entries)
        if (e.kind == JournalEntry::Kind::Committed)
            committedAt[e.sampleId] = e.sequence;
    std::vector<JournalEntry> pending;
    for (JournalEntry &e : entries) {
        if (e.kind == JournalEntry::Kind::Committed)
            continue;
        auto it = committedAt.find(e.sampleId);
        if (it != committedAt.end() && e.sequence < it->second)
            continue;
        pending.push_back(std::move(e));
    }
    return pending;
}

Expected<std::unique_ptr<EditJournal>> EditJournal::open(const QString &path)
{
    auto scanned = scan(path);
    if (!scanned)
        return Error{scanned.error()};
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error{systemError(QStringLiteral("cannot open edit journal %1").arg(path), errno)};
    auto fail = [&](const QString &doing) -> Expected<std::unique_ptr<EditJournal>> {
        const int error = errno;
        ::close(fd);
        return Error{systemError(doing, error)};
    };
    if (scanned->validBytes == 0) {
        if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, kFileMagic, sizeof kFileMagic, 0) != qsizetype(sizeof kFileMagic))
            return fail(QStringLiteral("cannot write edit journal %1").arg(path));
    } else if (scanned->validBytes < scanned->fileBytes) {
        if (::ftruncate(fd, scanned->validBytes) != 0)
            return fail(QStringLiteral("cannot repair the torn end of edit journal %1").arg(path));
    }
    if (::lseek(fd, 0, SEEK_END) < 0)
        return fail(QStringLiteral("cannot open edit journal %1").arg(path));
    const quint64 next = scanned->entries.empty() ? 1 : scanned->entries.back().sequence + 1;
    return std::unique_ptr<EditJournal>(new EditJournal(path, fd, next));
}

Expected<quint64> EditJournal::append(qint64 sampleId, int baseVersion, JournalEntry::Kind kind,
                                      QByteArrayView payload)
{
    if (payload.size() > kMaxPayload)
        return Error{QStringLiteral("edit journal %1: an entry of %2 bytes is too large").arg(m_path).arg(payload.size())};
    RecordHeader header{};
    header.magic = kRecordMagic;
    header.payloadSize = quint32(payload.size());
    header.sequence = m_nextSequence;
    header.sampleId = sampleId;
    header.baseVersion = baseVersion;
    header.kind = quint8(kind);
    header.crc = headerCrc(header, payload);
    iovec parts[2];
    parts[0].iov_base = &header;
    parts[0].iov_len = sizeof header;
    parts[1].iov_base = const_cast<char *>(payload.data());
    parts[1].iov_len = std::size_t(payload.size());
    if (!writeAll(m_fd, parts, payload.isEmpty() ? 1 : 2))
        return Error{systemError(QStringLiteral("writing edit journal %1").arg(m_path), errno)};
    return m_nextSequence++;
}

Expected<quint64> EditJournal::markCommitted(qint64 sampleId)
{
    return append(sampleId, 0, JournalEntry::Kind::Committed, QByteArrayView());
}

Expected<bool> EditJournal::sync()
{
    if (::fdatasync(m_fd) != 0)
        return Error{systemError(QStringLiteral("syncing edit journal %1").arg(m_path), errno)};
    return true;
}

Expected<bool> EditJournal::compact()
{
    auto pending = replay(m_path);
    if (!pending)
        return Error{pending.error()};
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("compacting edit journal %1: %2").arg(m_path, out.errorString())};
    out.write(kFileMagic, sizeof kFileMagic);
    for (const JournalEntry &e : *pending) {
        RecordHeader header{};
        header.magic = kRecordMagic;
        header.payloadSize = quint32(e.payload.size());
        header.sequence = e.sequence;
        header.sampleId = e.sampleId;
        header.baseVersion = e.baseVersion;
        header.kind = quint8(e.kind);
        header.crc = headerCrc(header, e.payload);
        out.write(reinterpret_cast<const char *>(&header), sizeof header);
        out.write(e.payload);
    }
    if (!out.commit())
        return Error{QStringLiteral("compacting edit journal %1: %2").arg(m_path, out.errorString())};
    // The old descriptor points at the replaced file: reopen the new one for appending.
    const QByteArray native = QFile::encodeName(m_path);
    const int fd = ::open(native.constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return Error{systemError(QStringLiteral("reopening edit journal %1").arg(m_path), errno)};
    ::close(m_fd);
    m_fd = fd;
    return true;
}

} // namespace rs
