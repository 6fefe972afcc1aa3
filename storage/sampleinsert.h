#pragma once

#include "core/expected.h"
#include "core/sample.h"
#include "core/rletarget.h"

#include <QSqlQuery>

#include <vector>

namespace rs {

class Database;
struct SampleExtras;

// Inserts samples (image, sample, targets) with statements prepared once and reused; runs inside
// the caller's transaction. Shared by SampleRepository::add() and SampleBulkWriter.
class SampleInsert
{
public:
    explicit SampleInsert(Database &db);

    Expected<qint64> add(const Sample &sample, const std::vector<RleTarget> &targets, const SampleExtras &extras);

private:
    Expected<qint64> imageId(const ImageRef &ref);
    Expected<qint64> insertedId(QSqlQuery &query, const QString &doing);

    Database &m_db;
    bool m_returning;  // PostgreSQL: INSERT ... RETURNING id; SQLite: last_insert_rowid (RETURNING is slow there)
    QSqlQuery m_findImage;
    QSqlQuery m_image;
    QSqlQuery m_updateImage;
    QSqlQuery m_sample;
    QSqlQuery m_target;
    QString m_lastImagePath;
    qint64 m_lastImageId = 0;
};

} // namespace rs
