#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>

namespace rs {

// Where a sample's image lives: a path relative to the project's image root plus a content hash,
// so a moved image folder can be re-pointed and a changed file detected.
struct ImageRef
{
    QString relativePath;
    QByteArray sha256;  // hex digest of the file's bytes; empty when not yet computed
    QSize size;         // pixels, as decoded

    bool operator==(const ImageRef &) const = default;
};

} // namespace rs
