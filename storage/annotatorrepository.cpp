#include "storage/annotatorrepository.h"

#include "storage/database.h"
#include "storage/sqltext.h"

#include <QDateTime>
#include <QSqlQuery>

namespace rs {

Expected<qint64> AnnotatorRepository::ensure(const QString &name, const QString &role)
{
    const QString doing = QStringLiteral("adding annotator %1").arg(name);
    if (name.trimmed().isEmpty())
        return Error{QStringLiteral("%1: the name is empty").arg(doing)};
    auto existing = findByName(name);
    if (!existing)
        return Error{existing.error()};
    if (*existing)
        return **existing;
    if (m_db.isReadOnly())
        return m_db.readOnlyError(doing);
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "INSERT INTO annotator (name, role, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"));
    query.addBindValue(name);
    query.addBindValue(sqlText(role));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!query.exec() || !query.next())
        return m_db.error(query, doing);
    return query.value(0).toLongLong();
}

Expected<std::optional<qint64>> AnnotatorRepository::findByName(const QString &name) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT id FROM annotator WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("finding annotator %1").arg(name));
    if (!query.next())
        return std::optional<qint64>();
    return std::optional<qint64>(query.value(0).toLongLong());
}

Expected<QString> AnnotatorRepository::name(qint64 id) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT name FROM annotator WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading annotator %1").arg(id));
    if (!query.next())
        return Error{QStringLiteral("no annotator %1 in the project").arg(id)};
    return query.value(0).toString();
}

} // namespace rs
