#pragma once

#include "core/expected.h"
#include "core/sample.h"
#include "core/rletarget.h"

#include <QHash>
#include <QSqlQuery>
#include <QVariantList>

#include <map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace rs {

class Database;
struct SampleExtras;

// SQLite's fast path for bulk imports: ids are assigned here (safe because the import holds the
// write lock: BEGIN IMMEDIATE), rows are buffered and written with multi-row INSERT statements, and
// foreign keys are checked at commit (PRAGMA defer_foreign_keys). An error of a buffered row is
// returned by a later add() or by flush(); the caller then rolls the whole import back.
class SqliteBulkInsert
{
public:
    explicit SqliteBulkInsert(Database &db);
    ~SqliteBulkInsert();
    SqliteBulkInsert(const SqliteBulkInsert &) = delete;
    SqliteBulkInsert &operator=(const SqliteBulkInsert &) = delete;

    // Reads the current largest ids; call once inside the import's transaction.
    Expected<bool> start();
    Expected<qint64> add(const Sample &sample, const std::vector<RleTarget> &targets, const SampleExtras &extras);
    // Writes every buffered row.
    Expected<bool> flush();

private:
    struct Table
    {
        QString name;
        QString columns;
        int columnCount = 0;
        QVariantList values;
        int rows = 0;
    };
    static constexpr int kBatchRows = 64;

    Expected<qint64> imageId(const ImageRef &ref);
    Expected<bool> flushTable(Table &table);
    // The prepared multi-row INSERT of `rows` rows into table, made on first use; null on error.
    sqlite3_stmt *statement(const Table &table, int rows);

    Database &m_db;
    Table m_images;
    Table m_samples;
    Table m_targets;
    qint64 m_nextImage = 0;
    qint64 m_nextSample = 0;
    qint64 m_nextTarget = 0;
    QSqlQuery m_findImage;
    QString m_lastImagePath;
    qint64 m_lastImageId = 0;
    QHash<QString, qint64> m_pendingImages;  // new images not flushed yet
    // Written through SQLite's own API on the connection's handle: Qt's binding formats a placeholder
    // name per value, which made it the bulk path's bottleneck (docs/performance.md, Storage).
    sqlite3 *m_handle = nullptr;
    std::map<std::pair<QString, int>, sqlite3_stmt *> m_statements;
};

} // namespace rs
