#include "storage/sampleinsert.h"

#include "storage/database.h"
#include "storage/sqltext.h"
#include "storage/samplerepository.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace rs {

SampleInsert::SampleInsert(Database &db)
    : m_db(db),
      m_returning(db.backend() == Backend::Postgres),
      m_findImage(db.prepare(QStringLiteral("SELECT id FROM image WHERE relative_path = ?"))),
      m_image(db.prepare(QStringLiteral("INSERT INTO image (relative_path, sha256, width, height) VALUES (?, ?, ?, ?)")
                         + (m_returning ? QStringLiteral(" RETURNING id") : QString()))),
      m_updateImage(db.prepare(QStringLiteral(
          "UPDATE image SET sha256 = CASE WHEN ? = '' THEN sha256 ELSE ? END,"
          " width = CASE WHEN ? = 0 THEN width ELSE ? END, height = CASE WHEN ? = 0 THEN height ELSE ? END"
          " WHERE id = ?"))),
      m_sample(db.prepare(QStringLiteral(
          "INSERT INTO sample (image_id, dataset, split, source_id, queries, is_sentence, no_target, extra,"
          " status, difficulty, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          + (m_returning ? QStringLiteral(" RETURNING id") : QString()))),
      m_target(db.prepare(QStringLiteral(
          "INSERT INTO target (sample_id, idx, rle, height, width, box_x, box_y, box_w, box_h, label,"
          " description, is_ignore) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
{
}

Expected<qint64> SampleInsert::insertedId(QSqlQuery &query, const QString &doing)
{
    if (!query.exec())
        return m_db.error(query, doing);
    qint64 id = 0;
    if (m_returning) {
        if (!query.next())
            return m_db.error(query, doing);
        id = query.value(0).toLongLong();
    } else {
        id = query.lastInsertId().toLongLong();
    }
    query.finish();
    return id;
}

Expected<qint64> SampleInsert::imageId(const ImageRef &ref)
{
    if (!m_lastImagePath.isEmpty() && ref.relativePath == m_lastImagePath)
        return m_lastImageId;
    const QString doing = QStringLiteral("adding image %1").arg(ref.relativePath);
    if (ref.relativePath.isEmpty() || QDir::isAbsolutePath(ref.relativePath))
        return Error{QStringLiteral("%1: the path must be relative to the image root").arg(doing)};
    const QString sha = sqlText(QString::fromLatin1(ref.sha256));
    const int width = ref.size.isValid() ? ref.size.width() : 0;
    const int height = ref.size.isValid() ? ref.size.height() : 0;
    m_findImage.addBindValue(ref.relativePath);
    if (!m_findImage.exec())
        return m_db.error(m_findImage, doing);
    qint64 id = 0;
    if (m_findImage.next()) {
        id = m_findImage.value(0).toLongLong();
        m_findImage.finish();
        if (!sha.isEmpty() || width > 0) {
            for (const QVariant &v : {QVariant(sha), QVariant(sha), QVariant(width), QVariant(width), QVariant(height),
                                      QVariant(height), QVariant(id)})
                m_updateImage.addBindValue(v);
            if (!m_updateImage.exec())
                return m_db.error(m_updateImage, doing);
        }
    } else {
        m_findImage.finish();
        m_image.addBindValue(ref.relativePath);
        m_image.addBindValue(sha);
        m_image.addBindValue(width);
        m_image.addBindValue(height);
        auto inserted = insertedId(m_image, doing);
        if (!inserted)
            return inserted;
        id = *inserted;
    }
    m_lastImageId = id;
    m_lastImagePath = ref.relativePath;
    return id;
}

Expected<qint64> SampleInsert::add(const Sample &sample, const std::vector<RleTarget> &targets,
                                   const SampleExtras &extras)
{
    const QString doing = QStringLiteral("adding sample %1").arg(sample.sourceId);
    auto image = imageId(sample.image);
    if (!image)
        return image;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_sample.addBindValue(*image);
    m_sample.addBindValue(sqlText(extras.dataset));
    m_sample.addBindValue(sqlText(sample.split));
    m_sample.addBindValue(sqlText(sample.sourceId));
    m_sample.addBindValue(sqlJsonArray(sample.queries));
    m_sample.addBindValue(sample.isSentence ? 1 : 0);
    m_sample.addBindValue(extras.noTarget ? 1 : 0);
    m_sample.addBindValue(extras.extra.isEmpty()
                              ? QStringLiteral("{}")
                              : QString::fromUtf8(QJsonDocument(extras.extra).toJson(QJsonDocument::Compact)));
    m_sample.addBindValue(sampleStatusName(sample.status));
    m_sample.addBindValue(extras.difficulty ? QVariant(*extras.difficulty) : QVariant(QMetaType(QMetaType::Double)));
    m_sample.addBindValue(now);
    m_sample.addBindValue(now);
    auto inserted = insertedId(m_sample, doing);
    if (!inserted)
        return inserted;
    const qint64 id = *inserted;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const RleTarget &t = targets[i];
        m_target.addBindValue(id);
        m_target.addBindValue(int(i));
        m_target.addBindValue(sqlText(QString::fromLatin1(t.counts)));
        m_target.addBindValue(t.height);
        m_target.addBindValue(t.width);
        m_target.addBindValue(t.box.x());
        m_target.addBindValue(t.box.y());
        m_target.addBindValue(t.box.width());
        m_target.addBindValue(t.box.height());
        m_target.addBindValue(sqlText(t.label));
        m_target.addBindValue(sqlText(t.description));
        m_target.addBindValue(t.ignore ? 1 : 0);
        if (!m_target.exec())
            return m_db.error(m_target, QStringLiteral("%1, target %2").arg(doing).arg(i));
    }
    return id;
}

} // namespace rs
