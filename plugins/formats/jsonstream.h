#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QFile>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <memory>

class QSaveFile;

namespace rs {

// Reads one element at a time from a large JSON file (MUSE lists, COCO "annotations"), so that an
// import never holds the whole parsed document: the file is memory-mapped, the bytes of each
// element are found by a scan that only tracks strings and brackets, and only that element is
// parsed. Errors name the file and line:column.
class JsonStream
{
public:
    using Visitor = std::function<Expected<bool>(qint64 index, const QJsonValue &element)>;

    static Expected<std::unique_ptr<JsonStream>> open(const QString &path);
    ~JsonStream();

    const QString &path() const { return m_path; }
    qint64 size() const { return m_size; }

    // The file's top level must be a list: visits each element in order. A visitor's Error stops
    // the walk and is returned unchanged.
    Expected<bool> forEachInList(const Visitor &visit) const;

    // The top level must be an object: visits each element of the list under `key` (an absent key
    // visits nothing; a non-list value is an Error).
    Expected<bool> forEachInMember(const QString &key, const Visitor &visit) const;

    // forEachInMember() that also gives each element's byte span [begin, end) in the file, so that a
    // later pass can parse single elements again with parseSpan() (random access into a large list,
    // e.g. COCO "annotations" grouped by image) without holding them.
    using SpanVisitor = std::function<Expected<bool>(qint64 index, qint64 begin, qint64 end, const QJsonValue &element)>;
    Expected<bool> forEachInMemberWithSpans(const QString &key, const SpanVisitor &visit) const;
    // The value at a span a SpanVisitor was given.
    Expected<QJsonValue> parseSpan(qint64 begin, qint64 end) const;

    // The top level must be an object: the value of `key` parsed whole (for small members such as
    // COCO "categories"); Undefined when absent.
    Expected<QJsonValue> member(const QString &key) const;

    // The keys of the top-level object, in file order.
    Expected<QStringList> memberKeys() const;

    // "FILE:LINE:COLUMN" of a byte offset.
    QString where(qint64 offset) const;

private:
    JsonStream() = default;
    struct Span
    {
        qint64 begin = 0;
        qint64 end = 0;
    };
    qint64 skipSpace(qint64 pos) const;
    Expected<qint64> valueEnd(qint64 pos) const;
    Expected<QJsonValue> parse(Span span) const;
    Expected<bool> forEachElement(qint64 listStart, const SpanVisitor &visit) const;
    // Calls found(key, valueSpan) for each member of the top-level object; stops when it returns false.
    Expected<bool> walkMembers(const std::function<Expected<bool>(const QString &, Span)> &found) const;

    QString m_path;
    QFile m_file;
    const char *m_data = nullptr;
    qint64 m_size = 0;
    QByteArray m_small;  // the bytes of an empty or unmappable file
};

// Writes a JSON list one element at a time: "[\n" element ",\n" element "\n]\n", each element
// compact; memory stays flat however long the list. Nothing appears at `path` until finish().
class JsonListWriter
{
public:
    explicit JsonListWriter(const QString &path);
    ~JsonListWriter();
    Expected<bool> open();
    Expected<bool> append(const QJsonValue &element);
    Expected<bool> finish();

private:
    QString m_path;
    std::unique_ptr<QSaveFile> m_file;
    qint64 m_count = 0;
};

} // namespace rs
