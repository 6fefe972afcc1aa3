#pragma once

#include <QString>
#include <QStringList>

namespace rs {

// A string to bind to a NOT NULL text column: Qt binds a null QString as SQL NULL, so an unset
// (null) string becomes ''.
inline QString sqlText(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

// Strings as a compact JSON array, for the queries column (QJsonDocument costs more than the
// insert itself on the bulk path).
inline QString sqlJsonArray(const QStringList &strings)
{
    QString json;
    json.reserve(16 + strings.size() * 64);
    json += QLatin1Char('[');
    for (qsizetype i = 0; i < strings.size(); ++i) {
        if (i > 0)
            json += QLatin1Char(',');
        json += QLatin1Char('"');
        for (QChar c : strings[i]) {
            if (c == QLatin1Char('"'))
                json += QLatin1String("\\\"");
            else if (c == QLatin1Char('\\'))
                json += QLatin1String("\\\\");
            else if (c.unicode() < 0x20)
                json += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
            else
                json += c;
        }
        json += QLatin1Char('"');
    }
    json += QLatin1Char(']');
    return json;
}

} // namespace rs
