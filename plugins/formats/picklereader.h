#pragma once

#include "core/expected.h"

#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

namespace rs {

// Reads the plain-data subset of Python's pickle format into a JSON tree, for the refer API's
// refs(<splitBy>).p files (formats.md §6.1, §6.2): lists, dicts with string keys, str/unicode,
// int/long, float, None, bool and tuples (as lists), from protocols 0 to 5.
//
// Only data opcodes are interpreted. Opcodes that import or call Python code (GLOBAL, REDUCE,
// BUILD, INST, OBJ, NEWOBJ, STACK_GLOBAL, EXT*, PERSID) are refused with an Error naming the
// opcode and its byte offset; nothing is ever executed. Bytes, sets and out-of-band buffers have no
// JSON form and are refused the same way.
//
// Values: ints are exact (QJsonValue keeps 64-bit integers; a Python int beyond 64 bits is an
// Error); floats are doubles. Python 2 `str` (STRING, BINSTRING, SHORT_BINSTRING) is bytes: pure
// ASCII is what every decoder gives; otherwise it is decoded as UTF-8 when valid, else as latin-1,
// and counted in Stats, because python3's pickle.load with its default encoding ('ASCII') would
// raise UnicodeDecodeError on such a string (formats.md §6.1 loaders call pickle.load plainly).
// Shared objects (memo references) are copied into the tree; a cycle is an Error.
class PickleReader
{
public:
    struct Stats
    {
        int protocol = 0;              // from the PROTO opcode; 0 when absent
        qint64 nonAsciiByteStrings = 0; // py2 str values that were not pure ASCII
    };

    // The object the pickle holds. Errors: "<where>: byte <offset>: <what>". Bytes after STOP are
    // ignored, as pickle.load leaves them unread.
    static Expected<QJsonValue> read(QByteArrayView bytes, const QString &where, Stats *stats = nullptr);

    // The same for a file (read whole: refs pickles are tens of MB at most).
    static Expected<QJsonValue> readFile(const QString &path, Stats *stats = nullptr);
};

} // namespace rs
