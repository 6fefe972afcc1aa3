#include "storage/imagerepository.h"

#include "storage/database.h"
#include "storage/sqltext.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlQuery>

namespace rs {

Expected<qint64> ImageRepository::ensure(const ImageRef &ref)
{
    const QString doing = QStringLiteral("adding image %1").arg(ref.relativePath);
    if (m_db.isReadOnly())
        return m_db.readOnlyError(doing);
    if (ref.relativePath.isEmpty() || QDir::isAbsolutePath(ref.relativePath))
        return Error{QStringLiteral("%1: the path must be relative to the image root").arg(doing)};
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "INSERT INTO image (relative_path, sha256, width, height) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (relative_path) DO UPDATE SET"
        " sha256 = CASE WHEN excluded.sha256 = '' THEN image.sha256 ELSE excluded.sha256 END,"
        " width = CASE WHEN excluded.width = 0 THEN image.width ELSE excluded.width END,"
        " height = CASE WHEN excluded.height = 0 THEN image.height ELSE excluded.height END"
        " RETURNING id"));
    query.addBindValue(ref.relativePath);
    query.addBindValue(sqlText(QString::fromLatin1(ref.sha256)));
    query.addBindValue(ref.size.isValid() ? ref.size.width() : 0);
    query.addBindValue(ref.size.isValid() ? ref.size.height() : 0);
    if (!query.exec() || !query.next())
        return m_db.error(query, doing);
    return query.value(0).toLongLong();
}

Expected<ImageRef> ImageRepository::get(qint64 id) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT relative_path, sha256, width, height FROM image WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading image %1").arg(id));
    if (!query.next())
        return Error{QStringLiteral("no image %1 in the project").arg(id)};
    ImageRef ref;
    ref.relativePath = query.value(0).toString();
    ref.sha256 = query.value(1).toString().toLatin1();
    if (query.value(2).toInt() > 0)
        ref.size = QSize(query.value(2).toInt(), query.value(3).toInt());
    return ref;
}

Expected<std::optional<qint64>> ImageRepository::findByHash(const QByteArray &sha256) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT id FROM image WHERE sha256 = ? ORDER BY id LIMIT 1"));
    query.addBindValue(QString::fromLatin1(sha256));
    if (!query.exec())
        return m_db.error(query, QStringLiteral("finding an image by hash"));
    if (!query.next())
        return std::optional<qint64>();
    return std::optional<qint64>(query.value(0).toLongLong());
}

Expected<QString> ImageRepository::imageRoot() const
{
    return m_db.setting(QStringLiteral("image_root"));
}

Expected<bool> ImageRepository::setImageRoot(const QString &root)
{
    return m_db.setSetting(QStringLiteral("image_root"), root);
}

Expected<bool> ImageRepository::verify(qint64 id, const QString &root) const
{
    auto ref = get(id);
    if (!ref)
        return Error{ref.error()};
    QFile file(QDir(root).filePath(ref->relativePath));
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read image %1: %2").arg(file.fileName(), file.errorString())};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex() == ref->sha256;
}

} // namespace rs
