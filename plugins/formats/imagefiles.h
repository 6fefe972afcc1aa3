#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QSize>
#include <QString>

namespace rs {

// The image files a dataset refers to: safe path joins, sizes from headers, hashes, JPEG copies.
class ImageFiles
{
public:
    // baseDir joined with a path taken from a dataset file. A path that is absolute or leads out of
    // baseDir ("../x.jpg", "a/../../x.jpg") is an Error: "<where>: image path '<path>' leaves <baseDir>".
    static Expected<QString> resolveInside(const QString &baseDir, const QString &relativePath, const QString &where);

    // The pixel size from the file's header (the image is not decoded).
    static Expected<QSize> size(const QString &path);

    // The lower-case hex SHA-256 of the file's bytes.
    static Expected<QByteArray> sha256(const QString &path);

    // Puts the image at target as a JPEG file: a byte copy when the source already is one (so the
    // pixels are untouched), else the decoded image encoded at quality 95.
    static Expected<bool> writeAsJpeg(const QString &source, const QString &target);
};

} // namespace rs
