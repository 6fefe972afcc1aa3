#pragma once

#include "core/expected.h"

#include <QJsonDocument>
#include <QString>

namespace rs {

// Reading and writing the JSON files of datasets, with errors that name the file and the line.
class JsonFile
{
public:
    enum class Encoding {
        Utf8,               // strict UTF-8: an invalid byte is an error naming its line
        Utf8OrCp1252,       // UTF-8, else Windows-1252 as LISA's loader falls back (formats.md §1.2)
    };

    // The whole file parsed. Errors: "FILE: cannot read: ...", "FILE:LINE:COLUMN: <parser message>".
    static Expected<QJsonDocument> read(const QString &path, Encoding encoding = Encoding::Utf8);

    // The bytes of a file decoded to text as `encoding` says; Error names the file and line of the
    // first invalid byte (strict UTF-8) .
    static Expected<QString> decode(const QByteArray &bytes, const QString &path, Encoding encoding);

    // Parses text; errors carry "FILE:LINE:COLUMN".
    static Expected<QJsonDocument> parse(const QString &text, const QString &path);

    // Writes doc (compact or indented) and a final newline; Error names the file.
    static Expected<bool> write(const QString &path, const QJsonDocument &doc, bool indented = false);
    static Expected<bool> writeBytes(const QString &path, const QByteArray &bytes);

    // "LINE:COLUMN" (1-based) of a byte offset in text.
    static QString position(const QString &text, qsizetype offset);
};

} // namespace rs
