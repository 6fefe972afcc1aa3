#include "storage/sqlitebulkinsert.h"

#include "storage/database.h"
#include "storage/samplerepository.h"
#include "storage/sqltext.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QSqlDriver>

#include <sqlite3.h>

namespace rs {

SqliteBulkInsert::SqliteBulkInsert(Database &db)
    : m_db(db), m_findImage(db.prepare(QStringLiteral("SELECT id FROM image WHERE relative_path = ?")))
{
    // QSQLITE hands out its sqlite3 * as a QVariant of that type name.
    const QVariant handle = db.connection().driver()->handle();
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        m_handle = *static_cast<sqlite3 *const *>(handle.constData());
    m_images = Table{QStringLiteral("image"), QStringLiteral("id, relative_path, sha256, width, height"), 5, {}, 0};
    m_samples = Table{QStringLiteral("sample"),
                      QStringLiteral("id, image_id, dataset, split, source_id, queries, is_sentence, no_target, extra,"
                                     " status, difficulty, created_at, updated_at"),
                      13, {}, 0};
    m_targets = Table{QStringLiteral("target"),
                      QStringLiteral("id, sample_id, idx, rle, height, width, box_x, box_y, box_w, box_h, label,"
                                     " description, is_ignore"),
                      13, {}, 0};
}

Expected<bool> SqliteBulkInsert::start()
{
    for (auto [table, next] : {std::pair{QStringLiteral("image"), &m_nextImage},
                               std::pair{QStringLiteral("sample"), &m_nextSample},
                               std::pair{QStringLiteral("target"), &m_nextTarget}}) {
        QSqlQuery query = m_db.prepare(QStringLiteral("SELECT coalesce(max(id), 0) FROM %1").arg(table));
        if (!query.exec() || !query.next())
            return m_db.error(query, QStringLiteral("bulk import"));
        *next = query.value(0).toLongLong() + 1;
    }
    return m_db.exec(QStringLiteral("PRAGMA defer_foreign_keys = ON"), QStringLiteral("bulk import"));
}

Expected<qint64> SqliteBulkInsert::imageId(const ImageRef &ref)
{
    if (!m_lastImagePath.isEmpty() && ref.relativePath == m_lastImagePath)
        return m_lastImageId;
    const QString doing = QStringLiteral("adding image %1").arg(ref.relativePath);
    if (ref.relativePath.isEmpty() || QDir::isAbsolutePath(ref.relativePath))
        return Error{QStringLiteral("%1: the path must be relative to the image root").arg(doing)};
    qint64 id = m_pendingImages.value(ref.relativePath, 0);
    if (id == 0) {
        m_findImage.addBindValue(ref.relativePath);
        if (!m_findImage.exec())
            return m_db.error(m_findImage, doing);
        if (m_findImage.next())
            id = m_findImage.value(0).toLongLong();
        m_findImage.finish();
    }
    if (id == 0) {
        id = m_nextImage++;
        m_images.values << id << ref.relativePath << sqlText(QString::fromLatin1(ref.sha256))
                        << (ref.size.isValid() ? ref.size.width() : 0) << (ref.size.isValid() ? ref.size.height() : 0);
        ++m_images.rows;
        m_pendingImages.insert(ref.relativePath, id);
        if (m_images.rows == kBatchRows) {
            auto flushed = flushTable(m_images);
            if (!flushed)
                return Error{flushed.error()};
        }
    }
    m_lastImagePath = ref.relativePath;
    m_lastImageId = id;
    return id;
}

Expected<qint64> SqliteBulkInsert::add(const Sample &sample, const std::vector<RleTarget> &targets,
                                       const SampleExtras &extras)
{
    auto image = imageId(sample.image);
    if (!image)
        return image;
    const qint64 id = m_nextSample++;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_samples.values << id << *image << sqlText(extras.dataset) << sqlText(sample.split) << sqlText(sample.sourceId)
                     << sqlJsonArray(sample.queries) << (sample.isSentence ? 1 : 0) << (extras.noTarget ? 1 : 0)
                     << (extras.extra.isEmpty() ? QStringLiteral("{}")
                                                : QString::fromUtf8(QJsonDocument(extras.extra).toJson(QJsonDocument::Compact)))
                     << sampleStatusName(sample.status)
                     << (extras.difficulty ? QVariant(*extras.difficulty) : QVariant()) << now << now;
    ++m_samples.rows;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const RleTarget &t = targets[i];
        m_targets.values << m_nextTarget++ << id << int(i) << QString::fromLatin1(t.counts) << t.height << t.width
                         << t.box.x() << t.box.y() << t.box.width() << t.box.height() << sqlText(t.label)
                         << sqlText(t.description) << (t.ignore ? 1 : 0);
        if (++m_targets.rows == kBatchRows) {
            auto flushed = flushTable(m_targets);
            if (!flushed)
                return Error{flushed.error()};
        }
    }
    if (m_samples.rows == kBatchRows) {
        auto flushed = flushTable(m_samples);
        if (!flushed)
            return Error{flushed.error()};
    }
    return id;
}

SqliteBulkInsert::~SqliteBulkInsert()
{
    for (auto &[key, stmt] : m_statements)
        sqlite3_finalize(stmt);
}

sqlite3_stmt *SqliteBulkInsert::statement(const Table &table, int rows)
{
    const auto key = std::pair(table.name, rows);
    auto it = m_statements.find(key);
    if (it != m_statements.end())
        return it->second;
    QString row = QStringLiteral("(?");
    for (int c = 1; c < table.columnCount; ++c)
        row += QStringLiteral(", ?");
    row += QLatin1Char(')');
    QStringList allRows;
    for (int r = 0; r < rows; ++r)
        allRows << row;
    const QByteArray sql = QStringLiteral("INSERT INTO %1 (%2) VALUES %3")
                               .arg(table.name, table.columns, allRows.join(QStringLiteral(", ")))
                               .toUtf8();
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(m_handle, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return nullptr;
    m_statements.emplace(key, stmt);
    return stmt;
}

Expected<bool> SqliteBulkInsert::flushTable(Table &table)
{
    if (table.rows == 0)
        return true;
    const int rows = table.rows;
    const QString doing = QStringLiteral("bulk import: writing %1 rows of %2").arg(rows).arg(table.name);
    if (!m_handle)
        return Error{QStringLiteral("%1: the connection is not a SQLite one").arg(doing)};
    sqlite3_stmt *stmt = statement(table, rows);
    if (!stmt)
        return Error{QStringLiteral("%1: %2").arg(doing, QString::fromUtf8(sqlite3_errmsg(m_handle)))};
    int index = 1;
    bool bound = true;
    for (const QVariant &v : std::as_const(table.values)) {
        int rc = SQLITE_OK;
        switch (v.typeId()) {
        case QMetaType::Int:
        case QMetaType::LongLong:
        case QMetaType::Bool:
            rc = sqlite3_bind_int64(stmt, index, v.toLongLong());
            break;
        case QMetaType::Double:
            rc = sqlite3_bind_double(stmt, index, v.toDouble());
            break;
        default:
            if (v.isNull()) {
                rc = sqlite3_bind_null(stmt, index);
            } else {
                const QByteArray text = v.toString().toUtf8();
                rc = sqlite3_bind_text(stmt, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
            }
        }
        bound = bound && rc == SQLITE_OK;
        ++index;
    }
    const int rc = bound ? sqlite3_step(stmt) : SQLITE_MISUSE;
    const QString message = QString::fromUtf8(sqlite3_errmsg(m_handle));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    table.values.clear();
    table.values.reserve(kBatchRows * table.columnCount);
    table.rows = 0;
    if (&table == &m_images)
        m_pendingImages.clear();
    if (rc != SQLITE_DONE)
        return Error{QStringLiteral("%1: %2").arg(doing, message)};
    return true;
}

Expected<bool> SqliteBulkInsert::flush()
{
    for (Table *table : {&m_images, &m_samples, &m_targets}) {
        auto flushed = flushTable(*table);
        if (!flushed)
            return flushed;
    }
    return true;
}

} // namespace rs
