#pragma once

#include "core/mask.h"

#include <QList>
#include <QString>

namespace rs {

class SampleDocument;

// The editor's mask and target operations as undoable steps: each call pushes exactly one command
// (or one macro) on the document's undo stack, and does nothing (returns false) when it would not
// change anything, so the stack never holds empty steps.
class DocumentActions
{
public:
    enum class Combine { Add, Subtract, Intersect };

    // Replaces a target's mask (any tool's result): one step keeping only the changed rectangle.
    static bool setMask(SampleDocument &document, int index, const Mask &mask, const QString &text);
    // Adds (value true) or removes (false) the pixels of `region` to/from a target.
    static bool paint(SampleDocument &document, int index, const Mask &region, bool value, const QString &text);
    static bool fillHoles(SampleDocument &document, int index);
    static bool removeSmallComponents(SampleDocument &document, int index, qsizetype minArea);
    // target[into] = target[into] op target[other].
    static bool combine(SampleDocument &document, int into, int other, Combine operation);

    // A new empty target after the last one; returns its index.
    static int newTarget(SampleDocument &document, const QString &label = QString());
    static bool deleteTarget(SampleDocument &document, int index);
    static bool moveTarget(SampleDocument &document, int from, int to);
    // Unites the targets into the first of them and removes the others (one step).
    static bool mergeTargets(SampleDocument &document, QList<int> indexes);
    // Keeps the largest connected component in the target and adds one target per other component.
    static bool splitComponents(SampleDocument &document, int index);
    // Adds every target of the model's proposal as a new target (one step).
    static bool acceptProposal(SampleDocument &document);
    static bool setNoTarget(SampleDocument &document, bool noTarget);
    static bool setLabel(SampleDocument &document, int index, const QString &label);
    static bool setDescription(SampleDocument &document, int index, const QString &description);
    static bool setIgnore(SampleDocument &document, int index, bool ignore);
    static bool setVisible(SampleDocument &document, int index, bool visible);
};

} // namespace rs
