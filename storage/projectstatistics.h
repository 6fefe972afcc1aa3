#pragma once

#include "core/expected.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <vector>

namespace rs {

class Database;

// What a project holds, for `reasonseg stats` and the dashboard: counts by split and status, by
// dataset, difficulty buckets, and per model run.
struct ProjectStatistics
{
    struct RunSummary
    {
        QString name;
        QString model;
        qint64 proposals = 0;
        qint64 parseFailures = 0;
        double meanTokens = 0.0;
        double meanUncertainty = 0.0;
    };

    qint64 samples = 0;
    qint64 images = 0;
    qint64 targets = 0;
    qint64 noTargetSamples = 0;
    qint64 annotatedSamples = 0;
    qint64 annotationVersions = 0;
    QMap<QString, QMap<QString, qint64>> bySplitAndStatus;  // split → status → samples
    QMap<QString, qint64> byDataset;
    QMap<QString, qint64> byDifficulty;  // easy / medium / hard / unrated
    std::vector<RunSummary> runs;

    static Expected<ProjectStatistics> read(Database &db);
    QJsonObject toJson() const;
};

} // namespace rs
