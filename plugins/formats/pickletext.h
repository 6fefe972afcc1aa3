#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace rs {

// The text encodings of pickle's protocol-0 string opcodes, as Python decodes them (PickleReader).
class PickleText
{
public:
    // Python's codecs.escape_decode, which the STRING opcode applies inside the quotes; nullopt where
    // Python raises (a trailing backslash, a bad \x escape).
    static std::optional<QByteArray> escapeDecode(QByteArrayView text);
    // Python's raw-unicode-escape decoding (the UNICODE opcode): bytes are latin-1 except \uXXXX and
    // \UXXXXXXXX after an odd run of backslashes; nullopt for a truncated or out-of-range escape.
    static std::optional<QString> rawUnicodeEscapeDecode(QByteArrayView text);
};

} // namespace rs
