#include "plugins/formats/pickletext.h"

#include <cctype>

namespace rs {

std::optional<QByteArray> PickleText::escapeDecode(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\\' || i + 1 == text.size()) {
            if (c == '\\')
                return std::nullopt;  // "\\ at end of string"
            out.append(c);
            continue;
        }
        const char e = text[++i];
        switch (e) {
        case '\n': break;
        case '\\': out.append('\\'); break;
        case '\'': out.append('\''); break;
        case '"': out.append('"'); break;
        case 'a': out.append('\a'); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'v': out.append('\v'); break;
        case 'x': {
            if (i + 2 >= text.size() || !std::isxdigit(uchar(text[i + 1])) || !std::isxdigit(uchar(text[i + 2])))
                return std::nullopt;
            out.append(char(QByteArray(text.data() + i + 1, 2).toInt(nullptr, 16)));
            i += 2;
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                int value = e - '0';
                for (int digits = 1; digits < 3 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '7'; ++digits)
                    value = value * 8 + (text[++i] - '0');
                out.append(char(value & 0xff));
            } else {
                out.append('\\');
                out.append(e);
            }
        }
    }
    return out;
}

std::optional<QString> PickleText::rawUnicodeEscapeDecode(QByteArrayView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        if (text[i] != '\\') {
            out.append(QChar(uchar(text[i++])));
            continue;
        }
        qsizetype run = 0;
        while (i + run < text.size() && text[i + run] == '\\')
            ++run;
        const qsizetype after = i + run;
        const bool escape = run % 2 == 1 && after < text.size() && (text[after] == 'u' || text[after] == 'U');
        out.append(QString(escape ? run - 1 : run, QLatin1Char('\\')));
        i = after;
        if (!escape)
            continue;
        const int digits = text[after] == 'u' ? 4 : 8;
        if (after + digits >= text.size())
            return std::nullopt;
        bool ok = false;
        const uint code = QByteArray(text.data() + after + 1, digits).toUInt(&ok, 16);
        if (!ok || code > 0x10ffff)
            return std::nullopt;
        const char32_t c = code;
        out.append(QString::fromUcs4(&c, 1));
        i = after + 1 + digits;
    }
    return out;
}

} // namespace rs
