#include "storage/runrepository.h"

#include "storage/database.h"
#include "storage/sqltext.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace rs {

namespace {

const QString kColumns = QStringLiteral("id, name, model, version, package_hash, prompt_hash, parameters, device, created_at");

ModelRun runFrom(const QSqlQuery &query)
{
    ModelRun run;
    run.id = query.value(0).toLongLong();
    run.name = query.value(1).toString();
    run.model = query.value(2).toString();
    run.version = query.value(3).toString();
    run.packageHash = query.value(4).toString();
    run.promptHash = query.value(5).toString();
    run.parameters = QJsonDocument::fromJson(query.value(6).toString().toUtf8()).object();
    run.device = query.value(7).toString();
    run.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(8).toLongLong(), Qt::UTC);
    return run;
}

} // namespace

Expected<qint64> RunRepository::add(const ModelRun &run)
{
    const QString doing = QStringLiteral("adding model run %1").arg(run.name);
    if (m_db.isReadOnly())
        return m_db.readOnlyError(doing);
    if (run.name.trimmed().isEmpty())
        return Error{QStringLiteral("%1: the run has no name").arg(doing)};
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "INSERT INTO model_run (name, model, version, package_hash, prompt_hash, parameters, device, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    query.addBindValue(run.name);
    query.addBindValue(sqlText(run.model));
    query.addBindValue(sqlText(run.version));
    query.addBindValue(sqlText(run.packageHash));
    query.addBindValue(sqlText(run.promptHash));
    query.addBindValue(QString::fromUtf8(QJsonDocument(run.parameters).toJson(QJsonDocument::Compact)));
    query.addBindValue(sqlText(run.device));
    query.addBindValue(run.createdAt.isValid() ? run.createdAt.toMSecsSinceEpoch()
                                               : QDateTime::currentMSecsSinceEpoch());
    if (!query.exec() || !query.next())
        return m_db.error(query, doing);
    return query.value(0).toLongLong();
}

Expected<ModelRun> RunRepository::get(qint64 id) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT %1 FROM model_run WHERE id = ?").arg(kColumns));
    query.addBindValue(id);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading model run %1").arg(id));
    if (!query.next())
        return Error{QStringLiteral("no model run %1 in the project").arg(id)};
    return runFrom(query);
}

Expected<std::optional<qint64>> RunRepository::findByName(const QString &name) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT id FROM model_run WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("finding model run %1").arg(name));
    if (!query.next())
        return std::optional<qint64>();
    return std::optional<qint64>(query.value(0).toLongLong());
}

Expected<std::vector<ModelRun>> RunRepository::all() const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT %1 FROM model_run ORDER BY id").arg(kColumns));
    if (!query.exec())
        return m_db.error(query, QStringLiteral("listing model runs"));
    std::vector<ModelRun> runs;
    while (query.next())
        runs.push_back(runFrom(query));
    return runs;
}

} // namespace rs
