#include "storage/goldrepository.h"

#include "storage/database.h"
#include "storage/sqltext.h"

#include <QDateTime>
#include <QSqlQuery>

namespace rs {

Expected<bool> GoldRepository::mark(const GoldItem &item)
{
    const QString doing = QStringLiteral("marking sample %1 as gold").arg(item.sampleId);
    if (m_db.isReadOnly())
        return m_db.readOnlyError(doing);
    // One statement: the version must exist, checked by the SELECT it inserts from.
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "INSERT INTO gold_item (sample_id, annotation_version, note, created_at)"
        " SELECT sample_id, version, ?, ? FROM annotation WHERE sample_id = ? AND version = ?"
        " ON CONFLICT (sample_id) DO UPDATE SET annotation_version = excluded.annotation_version,"
        " note = excluded.note"));
    query.addBindValue(sqlText(item.note));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(item.sampleId);
    query.addBindValue(item.annotationVersion);
    if (!query.exec())
        return m_db.error(query, doing);
    if (query.numRowsAffected() != 1)
        return Error{QStringLiteral("%1: the sample has no annotation version %2").arg(doing).arg(item.annotationVersion)};
    return true;
}

Expected<bool> GoldRepository::unmark(qint64 sampleId)
{
    const QString doing = QStringLiteral("removing gold sample %1").arg(sampleId);
    if (m_db.isReadOnly())
        return m_db.readOnlyError(doing);
    QSqlQuery query = m_db.prepare(QStringLiteral("DELETE FROM gold_item WHERE sample_id = ?"));
    query.addBindValue(sampleId);
    if (!query.exec())
        return m_db.error(query, doing);
    return query.numRowsAffected() == 1;
}

Expected<std::optional<GoldItem>> GoldRepository::find(qint64 sampleId) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT annotation_version, note FROM gold_item WHERE sample_id = ?"));
    query.addBindValue(sampleId);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading gold sample %1").arg(sampleId));
    if (!query.next())
        return std::optional<GoldItem>();
    return std::optional<GoldItem>(GoldItem{sampleId, query.value(0).toInt(), query.value(1).toString()});
}

Expected<std::vector<GoldItem>> GoldRepository::all() const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT sample_id, annotation_version, note FROM gold_item ORDER BY sample_id"));
    if (!query.exec())
        return m_db.error(query, QStringLiteral("listing gold samples"));
    std::vector<GoldItem> items;
    while (query.next())
        items.push_back(GoldItem{query.value(0).toLongLong(), query.value(1).toInt(), query.value(2).toString()});
    return items;
}

} // namespace rs
