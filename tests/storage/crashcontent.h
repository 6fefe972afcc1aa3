#pragma once

#include "core/annotation.h"

#include <QByteArray>

namespace rs::test {

// What the crash child saves as version `version` of a sample, so that the parent can check the
// content of every acknowledged save.
inline Annotation crashAnnotation(qint64 sampleId, qint64 annotatorId, int version)
{
    Annotation a;
    a.sampleId = sampleId;
    a.annotatorId = annotatorId;
    a.comment = QStringLiteral("sample %1 version %2").arg(sampleId).arg(version);
    a.secondsSpent = version;
    Target t;
    t.mask = Mask(96, 64);
    t.mask.fillRect(QRect(version % 80, int(sampleId) % 50, 1 + version % 15, 1 + (version * 7) % 13), true);
    t.box = QRectF(t.mask.boundingRect());
    t.label = QStringLiteral("v%1").arg(version);
    a.targets = {t};
    Difficulty d;
    d.score = 1.0 + version % 10 * 0.5;
    d.source = DifficultySource::Human;
    a.difficulty = d;
    return a;
}

inline QByteArray crashEditPayload(qint64 sampleId, int version)
{
    return QStringLiteral("edit of sample %1 towards version %2 ").arg(sampleId).arg(version).toUtf8().repeated(20);
}

} // namespace rs::test
