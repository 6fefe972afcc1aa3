#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace rs {

// Writes a JSON tree as a protocol 2 pickle that python3's (and python2's) pickle.load reads
// back as the same lists, dicts, str, int, float, None and bool (formats.md §6.1: refer loads
// refs(<splitBy>).p with pickle.load).
//
// JSON has one number type: a whole number within 64 bits becomes a Python int, anything else a
// float. Strings are written as unicode (BINUNICODE), so python3 needs no encoding argument. Dict
// keys come out in QJsonObject's (sorted) order, so the same tree always gives the same bytes. No
// memo is written: the tree has no shared objects.
class PickleWriter
{
public:
    static QByteArray encode(const QJsonValue &value);
    // Writes encode(value) to path atomically; Error names the file.
    static Expected<bool> writeFile(const QString &path, const QJsonValue &value);
};

} // namespace rs
