#include "plugins/formats/exportnames.h"

#include <QRegularExpression>

namespace rs {

QString ExportNames::split(const QString &split)
{
    if (split.isEmpty())
        return QStringLiteral("unsplit");
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_-]"));
    QString out = split;
    out.replace(unsafe, QStringLiteral("_"));
    return out;
}

} // namespace rs
