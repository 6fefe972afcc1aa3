#pragma once

#include "core/expected.h"
#include "core/imageref.h"

#include <QString>

#include <optional>

namespace rs {

class Database;

// The project's images: paths relative to the image root, content hashes and sizes.
class ImageRepository
{
public:
    explicit ImageRepository(Database &db) : m_db(db) {}

    // The id of the image at ref.relativePath, adding it (or updating its hash and size) as needed.
    // Runs in the caller's transaction when there is one.
    Expected<qint64> ensure(const ImageRef &ref);
    Expected<ImageRef> get(qint64 id) const;
    // Images whose content hash is sha256 (to re-point moved files).
    Expected<std::optional<qint64>> findByHash(const QByteArray &sha256) const;

    // The folder relative paths are resolved against; stored in the project.
    Expected<QString> imageRoot() const;
    Expected<bool> setImageRoot(const QString &root);
    // Checks the file under `root` against the stored hash: true when it matches.
    Expected<bool> verify(qint64 id, const QString &root) const;

private:
    Database &m_db;
};

} // namespace rs
