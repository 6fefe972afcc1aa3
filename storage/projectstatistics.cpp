#include "storage/projectstatistics.h"

#include "core/difficulty.h"
#include "storage/database.h"

#include <QJsonArray>
#include <QSqlQuery>

namespace rs {

namespace {

Expected<QSqlQuery> run(Database &db, const QString &sql)
{
    QSqlQuery query = db.prepare(sql);
    query.setForwardOnly(true);
    if (!query.exec())
        return db.error(query, QStringLiteral("reading the project's statistics"));
    return query;
}

} // namespace

Expected<ProjectStatistics> ProjectStatistics::read(Database &db)
{
    ProjectStatistics stats;
    auto totals = run(db, QStringLiteral(
        "SELECT (SELECT count(*) FROM sample), (SELECT count(*) FROM image), (SELECT count(*) FROM target),"
        " (SELECT count(*) FROM sample WHERE no_target <> 0), (SELECT count(*) FROM sample WHERE annotation_version > 0),"
        " (SELECT count(*) FROM annotation)"));
    if (!totals)
        return Error{totals.error()};
    if (totals->next()) {
        stats.samples = totals->value(0).toLongLong();
        stats.images = totals->value(1).toLongLong();
        stats.targets = totals->value(2).toLongLong();
        stats.noTargetSamples = totals->value(3).toLongLong();
        stats.annotatedSamples = totals->value(4).toLongLong();
        stats.annotationVersions = totals->value(5).toLongLong();
    }
    auto splits = run(db, QStringLiteral("SELECT split, status, count(*) FROM sample GROUP BY split, status ORDER BY split, status"));
    if (!splits)
        return Error{splits.error()};
    while (splits->next())
        stats.bySplitAndStatus[splits->value(0).toString()][splits->value(1).toString()] = splits->value(2).toLongLong();
    auto datasets = run(db, QStringLiteral("SELECT dataset, count(*) FROM sample GROUP BY dataset ORDER BY dataset"));
    if (!datasets)
        return Error{datasets.error()};
    while (datasets->next())
        stats.byDataset[datasets->value(0).toString()] = datasets->value(1).toLongLong();
    auto difficulty = run(db, QStringLiteral(
        "SELECT CASE WHEN difficulty IS NULL THEN 'unrated' WHEN difficulty < %1 THEN 'easy'"
        " WHEN difficulty < %2 THEN 'medium' ELSE 'hard' END, count(*) FROM sample GROUP BY 1")
                                          .arg(Difficulty::kMediumFrom)
                                          .arg(Difficulty::kHardFrom));
    if (!difficulty)
        return Error{difficulty.error()};
    while (difficulty->next())
        stats.byDifficulty[difficulty->value(0).toString()] = difficulty->value(1).toLongLong();
    auto runs = run(db, QStringLiteral(
        "SELECT r.name, r.model, count(p.id), coalesce(sum(p.parse_failed), 0), coalesce(avg(p.token_count), 0),"
        " coalesce(avg(p.uncertainty), 0) FROM model_run r LEFT JOIN proposal p ON p.run_id = r.id"
        " GROUP BY r.id, r.name, r.model ORDER BY r.id"));
    if (!runs)
        return Error{runs.error()};
    while (runs->next())
        stats.runs.push_back({runs->value(0).toString(), runs->value(1).toString(), runs->value(2).toLongLong(),
                              runs->value(3).toLongLong(), runs->value(4).toDouble(), runs->value(5).toDouble()});
    return stats;
}

QJsonObject ProjectStatistics::toJson() const
{
    QJsonObject splits;
    for (auto split = bySplitAndStatus.cbegin(); split != bySplitAndStatus.cend(); ++split) {
        QJsonObject statuses;
        for (auto status = split->cbegin(); status != split->cend(); ++status)
            statuses.insert(status.key(), double(status.value()));
        splits.insert(split.key(), statuses);
    }
    QJsonObject datasets;
    for (auto it = byDataset.cbegin(); it != byDataset.cend(); ++it)
        datasets.insert(it.key(), double(it.value()));
    QJsonObject difficulty;
    for (auto it = byDifficulty.cbegin(); it != byDifficulty.cend(); ++it)
        difficulty.insert(it.key(), double(it.value()));
    QJsonArray runList;
    for (const RunSummary &r : runs)
        runList.append(QJsonObject{{QStringLiteral("name"), r.name},
                                   {QStringLiteral("model"), r.model},
                                   {QStringLiteral("proposals"), double(r.proposals)},
                                   {QStringLiteral("parse_failures"), double(r.parseFailures)},
                                   {QStringLiteral("mean_tokens"), r.meanTokens},
                                   {QStringLiteral("mean_uncertainty"), r.meanUncertainty}});
    return QJsonObject{{QStringLiteral("samples"), double(samples)},
                       {QStringLiteral("images"), double(images)},
                       {QStringLiteral("targets"), double(targets)},
                       {QStringLiteral("no_target_samples"), double(noTargetSamples)},
                       {QStringLiteral("annotated_samples"), double(annotatedSamples)},
                       {QStringLiteral("annotation_versions"), double(annotationVersions)},
                       {QStringLiteral("by_split"), splits},
                       {QStringLiteral("by_dataset"), datasets},
                       {QStringLiteral("by_difficulty"), difficulty},
                       {QStringLiteral("runs"), runList}};
}

} // namespace rs
