#include "plugins/formats/jsonstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace rs {

Expected<std::unique_ptr<JsonStream>> JsonStream::open(const QString &path)
{
    std::unique_ptr<JsonStream> stream(new JsonStream);
    stream->m_path = path;
    stream->m_file.setFileName(path);
    if (!stream->m_file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, stream->m_file.errorString())};
    stream->m_size = stream->m_file.size();
    if (stream->m_size > 0)
        stream->m_data = reinterpret_cast<const char *>(stream->m_file.map(0, stream->m_size));
    if (!stream->m_data) {
        stream->m_small = stream->m_file.readAll();
        stream->m_data = stream->m_small.constData();
        stream->m_size = stream->m_small.size();
    }
    return stream;
}

JsonStream::~JsonStream() = default;

QString JsonStream::where(qint64 offset) const
{
    offset = qBound<qint64>(0, offset, m_size);
    qint64 line = 1;
    qint64 lineStart = 0;
    for (qint64 i = 0; i < offset; ++i)
        if (m_data[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    return QStringLiteral("%1:%2:%3").arg(m_path).arg(line).arg(offset - lineStart + 1);
}

qint64 JsonStream::skipSpace(qint64 pos) const
{
    while (pos < m_size && (m_data[pos] == ' ' || m_data[pos] == '\n' || m_data[pos] == '\r' || m_data[pos] == '\t'))
        ++pos;
    return pos;
}

Expected<qint64> JsonStream::valueEnd(qint64 pos) const
{
    if (pos >= m_size)
        return Error{QStringLiteral("%1: invalid JSON: the file ends where a value should be").arg(where(pos))};
    const char first = m_data[pos];
    if (first == '"' || first == '{' || first == '[') {
        int depth = 0;
        bool inString = false;
        for (qint64 i = pos; i < m_size; ++i) {
            const char c = m_data[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"') {
                    inString = false;
                    if (depth == 0)
                        return i + 1;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
                if (depth < 0)
                    break;
            }
        }
        return Error{QStringLiteral("%1: invalid JSON: this value is never closed (truncated file?)").arg(where(pos))};
    }
    qint64 i = pos;
    while (i < m_size && m_data[i] != ',' && m_data[i] != ']' && m_data[i] != '}' && m_data[i] != ' '
           && m_data[i] != '\n' && m_data[i] != '\r' && m_data[i] != '\t')
        ++i;
    return i;
}

Expected<QJsonValue> JsonStream::parse(Span span) const
{
    QByteArray wrapped;
    wrapped.reserve(span.end - span.begin + 2);
    wrapped.append('[').append(m_data + span.begin, span.end - span.begin).append(']');
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return Error{QStringLiteral("%1: invalid JSON: %2")
                         .arg(where(span.begin + qMax(0, error.offset - 1)),
                              error.error != QJsonParseError::NoError ? error.errorString() : QStringLiteral("not one value"))};
    return doc.array().first();
}

Expected<bool> JsonStream::forEachElement(qint64 pos, const SpanVisitor &visit) const
{
    if (pos >= m_size || m_data[pos] != '[')
        return Error{QStringLiteral("%1: expected a list").arg(where(pos))};
    pos = skipSpace(pos + 1);
    if (pos < m_size && m_data[pos] == ']')
        return true;
    for (qint64 index = 0;; ++index) {
        auto end = valueEnd(pos);
        if (!end)
            return Error{end.error()};
        auto element = parse({pos, *end});
        if (!element)
            return Error{element.error()};
        auto visited = visit(index, pos, *end, *element);
        if (!visited)
            return visited;
        pos = skipSpace(*end);
        if (pos < m_size && m_data[pos] == ',') {
            pos = skipSpace(pos + 1);
            continue;
        }
        if (pos < m_size && m_data[pos] == ']')
            return true;
        return Error{QStringLiteral("%1: invalid JSON: expected ',' or ']' after list element %2%3")
                         .arg(where(pos))
                         .arg(index)
                         .arg(pos >= m_size ? QStringLiteral(" (truncated file?)") : QString())};
    }
}

Expected<bool> JsonStream::forEachInList(const Visitor &visit) const
{
    const qint64 start = skipSpace(0);
    if (start >= m_size || m_data[start] != '[')
        return Error{QStringLiteral("%1: the file must hold a JSON list").arg(where(start))};
    return forEachElement(start, [&visit](qint64 index, qint64, qint64, const QJsonValue &element) { return visit(index, element); });
}

Expected<bool> JsonStream::walkMembers(const std::function<Expected<bool>(const QString &, Span)> &found) const
{
    qint64 pos = skipSpace(0);
    if (pos >= m_size || m_data[pos] != '{')
        return Error{QStringLiteral("%1: the file must hold a JSON object").arg(where(pos))};
    pos = skipSpace(pos + 1);
    if (pos < m_size && m_data[pos] == '}')
        return true;
    while (true) {
        if (pos >= m_size || m_data[pos] != '"')
            return Error{QStringLiteral("%1: invalid JSON: expected a member name").arg(where(pos))};
        auto keyEnd = valueEnd(pos);
        if (!keyEnd)
            return Error{keyEnd.error()};
        auto key = parse({pos, *keyEnd});
        if (!key)
            return Error{key.error()};
        pos = skipSpace(*keyEnd);
        if (pos >= m_size || m_data[pos] != ':')
            return Error{QStringLiteral("%1: invalid JSON: expected ':'").arg(where(pos))};
        pos = skipSpace(pos + 1);
        auto end = valueEnd(pos);
        if (!end)
            return Error{end.error()};
        auto more = found(key->toString(), {pos, *end});
        if (!more)
            return more;
        if (!*more)
            return true;
        pos = skipSpace(*end);
        if (pos < m_size && m_data[pos] == ',') {
            pos = skipSpace(pos + 1);
            continue;
        }
        if (pos < m_size && m_data[pos] == '}')
            return true;
        return Error{QStringLiteral("%1: invalid JSON: expected ',' or '}'%2")
                         .arg(where(pos), pos >= m_size ? QStringLiteral(" (truncated file?)") : QString())};
    }
}

Expected<bool> JsonStream::forEachInMember(const QString &key, const Visitor &visit) const
{
    return forEachInMemberWithSpans(key, [&visit](qint64 index, qint64, qint64, const QJsonValue &element) { return visit(index, element); });
}

Expected<QJsonValue> JsonStream::parseSpan(qint64 begin, qint64 end) const
{
    if (begin < 0 || end > m_size || begin >= end)
        return Error{QStringLiteral("%1: no JSON value at bytes %2..%3").arg(m_path).arg(begin).arg(end)};
    return parse({begin, end});
}

Expected<bool> JsonStream::forEachInMemberWithSpans(const QString &key, const SpanVisitor &visit) const
{
    std::optional<Span> value;
    auto walked = walkMembers([&](const QString &name, Span span) -> Expected<bool> {
        if (name != key)
            return true;
        value = span;
        return false;
    });
    if (!walked)
        return walked;
    if (!value)
        return true;
    if (m_data[value->begin] != '[')
        return Error{QStringLiteral("%1: member '%2' must be a list").arg(where(value->begin), key)};
    return forEachElement(value->begin, visit);
}

Expected<QJsonValue> JsonStream::member(const QString &key) const
{
    std::optional<Span> value;
    auto walked = walkMembers([&](const QString &name, Span span) -> Expected<bool> {
        if (name != key)
            return true;
        value = span;
        return false;
    });
    if (!walked)
        return Error{walked.error()};
    if (!value)
        return QJsonValue(QJsonValue::Undefined);
    return parse(*value);
}

Expected<QStringList> JsonStream::memberKeys() const
{
    QStringList keys;
    auto walked = walkMembers([&](const QString &name, Span) -> Expected<bool> {
        keys << name;
        return true;
    });
    if (!walked)
        return Error{walked.error()};
    return keys;
}

JsonListWriter::JsonListWriter(const QString &path) : m_path(path) {}

JsonListWriter::~JsonListWriter() = default;

Expected<bool> JsonListWriter::open()
{
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly) || m_file->write("[") != 1)
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_path, m_file->errorString())};
    return true;
}

Expected<bool> JsonListWriter::append(const QJsonValue &element)
{
    QByteArray bytes = m_count == 0 ? QByteArray("\n") : QByteArray(",\n");
    const QJsonDocument doc = element.isObject() ? QJsonDocument(element.toObject()) : QJsonDocument(QJsonArray{element});
    QByteArray text = doc.toJson(QJsonDocument::Compact);
    if (!element.isObject())
        text = text.mid(1, text.size() - 2);
    bytes.append(text);
    if (m_file->write(bytes) != bytes.size())
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_path, m_file->errorString())};
    ++m_count;
    return true;
}

Expected<bool> JsonListWriter::finish()
{
    const QByteArray end = m_count == 0 ? QByteArray("]\n") : QByteArray("\n]\n");
    if (m_file->write(end) != end.size() || !m_file->commit())
        return Error{QStringLiteral("%1: cannot write: %2").arg(m_path, m_file->errorString())};
    return true;
}

} // namespace rs
