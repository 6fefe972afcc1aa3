#pragma once

#include "core/mask.h"
#include "core/sample.h"
#include "core/rletarget.h"

#include <QFile>
#include <QRect>

#include <vector>

namespace rs::test {

// A sample on image `path` (size 64 x 48) with `split`.
inline Sample makeSample(const QString &path, const QString &split = QStringLiteral("train"),
                         const QString &sourceId = QStringLiteral("src"))
{
    Sample sample;
    sample.image.relativePath = path;
    sample.image.size = QSize(64, 48);
    sample.queries = {QStringLiteral("segment the thing that holds water"), QStringLiteral("the cup")};
    sample.split = split;
    sample.sourceId = sourceId;
    return sample;
}

// A 64 x 48 mask with `rect` set.
inline Mask rectMask(const QRect &rect, int width = 64, int height = 48)
{
    Mask mask(width, height);
    mask.fillRect(rect, true);
    return mask;
}

inline RleTarget rectTarget(const QRect &rect, const QString &label = QStringLiteral("cup"))
{
    Target target;
    target.mask = rectMask(rect);
    target.box = QRectF(rect);
    target.label = label;
    return RleTarget::fromTarget(target);
}

inline QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace rs::test
