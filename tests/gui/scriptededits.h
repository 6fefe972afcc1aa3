#pragma once

// The edits the crash test makes in a child process before killing it, and how it reports them.

#include "core/documentactions.h"
#include "core/rle.h"
#include "core/sampledocument.h"

#include <QStringList>

namespace rs::test {

// Four undo steps on the open document (whose first target must have pixels): a new target, a
// rectangle painted on it, the upper half of the first target erased, the first target renamed.
inline void applyScriptedEdits(SampleDocument &document)
{
    const QSize size = document.imageSize();
    const int added = DocumentActions::newTarget(document, QStringLiteral("crash target"));
    Mask square(size.width(), size.height());
    square.fillRect(QRect(10, 20, 50, 40), true);
    DocumentActions::paint(document, added, square, true, QStringLiteral("Rectangle"));
    const QRect first = document.targetAt(0).target.mask.boundingRect();
    Mask hole(size.width(), size.height());
    hole.fillRect(QRect(first.x(), first.y(), first.width(), qMax(1, first.height() / 2)), true);
    DocumentActions::paint(document, 0, hole, false, QStringLiteral("Erase"));
    DocumentActions::setLabel(document, 0, QStringLiteral("renamed before the crash"));
}

// One line per target: label, ignore flag and the mask as COCO compressed RLE.
inline QStringList describeTargets(const SampleDocument &document)
{
    QStringList lines;
    for (int i = 0; i < document.targetCount(); ++i) {
        const Target &t = document.targetAt(i).target;
        lines << QStringLiteral("%1|%2|%3").arg(t.label).arg(t.ignore).arg(QString::fromLatin1(Rle::encode(t.mask).toString()));
    }
    return lines;
}

} // namespace rs::test
