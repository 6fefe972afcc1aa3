#include "plugins/formats/jsonfile.h"

#include <QFile>
#include <QSaveFile>
#include <QStringDecoder>

#include <cerrno>
#include <cstring>

namespace rs {

namespace {

// Windows-1252 as Python's cp1252 codec decodes it: 0x80–0x9F map to typographic characters and five
// of them (0x81, 0x8D, 0x8F, 0x90, 0x9D) are undefined, which Python rejects.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

int lineOfByte(const QByteArray &bytes, qsizetype offset)
{
    return int(bytes.left(offset).count('\n')) + 1;
}

// The offset of the first byte that is not valid UTF-8, or -1.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        int extra = 0;
        char32_t minimum = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            minimum = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            minimum = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            minimum = 0x10000;
        } else {
            return i;
        }
        char32_t value = c & (0x3F >> extra);
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
                return i;
            value = (value << 6) | (p[i + k] & 0x3F);
        }
        if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return -1;
}

} // namespace

Expected<QString> JsonFile::decode(const QByteArray &bytes, const QString &path, Encoding encoding)
{
    const qsizetype bad = firstInvalidUtf8(bytes);
    if (bad < 0)
        return QString::fromUtf8(bytes);
    if (encoding == Encoding::Utf8)
        return Error{QStringLiteral("%1:%2: not valid UTF-8 (byte 0x%3)")
                         .arg(path)
                         .arg(lineOfByte(bytes, bad))
                         .arg(QString::number(quint8(bytes.at(bad)), 16).toUpper())};
    QString text;
    text.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto c = quint8(bytes.at(i));
        if (c >= 0x80 && c < 0xA0) {
            const char16_t mapped = kCp1252High[c - 0x80];
            if (mapped == 0)
                return Error{QStringLiteral("%1:%2: neither UTF-8 nor cp1252 (byte 0x%3)")
                                 .arg(path)
                                 .arg(lineOfByte(bytes, i))
                                 .arg(QString::number(c, 16).toUpper())};
            text.append(QChar(mapped));
        } else {
            text.append(QChar(char16_t(c)));
        }
    }
    return text;
}

QString JsonFile::position(const QString &text, qsizetype offset)
{
    offset = qBound<qsizetype>(0, offset, text.size());
    const QStringView before = QStringView(text).left(offset);
    const qsizetype line = before.count(u'\n') + 1;
    const qsizetype lastBreak = before.lastIndexOf(u'\n');
    return QStringLiteral("%1:%2").arg(line).arg(offset - lastBreak);
}

Expected<QJsonDocument> JsonFile::parse(const QString &text, const QString &path)
{
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError) {
        // QJsonParseError::offset counts UTF-8 bytes; map it back to characters.
        const qsizetype chars = QString::fromUtf8(utf8.left(error.offset)).size();
        return Error{QStringLiteral("%1:%2: invalid JSON: %3").arg(path, position(text, chars), error.errorString())};
    }
    return doc;
}

Expected<QJsonDocument> JsonFile::read(const QString &path, Encoding encoding)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())};
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())};
    auto text = decode(bytes, path, encoding);
    if (!text)
        return Error{text.error()};
    return parse(*text, path);
}

Expected<bool> JsonFile::writeBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    errno = 0;
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        // A full disk or a file-size limit shows up as a short write that Qt reports as "Unknown error".
        const QString reason = errno != 0 ? QString::fromLocal8Bit(std::strerror(errno)) : file.errorString();
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, reason)};
    }
    return true;
}

Expected<bool> JsonFile::write(const QString &path, const QJsonDocument &doc, bool indented)
{
    QByteArray bytes = doc.toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
    if (!bytes.endsWith('\n'))
        bytes.append('\n');
    return writeBytes(path, bytes);
}

} // namespace rs
