#include "core/documentactions.h"

#include "core/addtargetcommand.h"
#include "core/changevaluecommand.h"
#include "core/maskeditcommand.h"
#include "core/movetargetcommand.h"
#include "core/removetargetcommand.h"
#include "core/sampledocument.h"

#include <QCoreApplication>

#include <algorithm>

namespace rs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rs::DocumentActions", text);
}

bool validIndex(const SampleDocument &document, int index)
{
    return index >= 0 && index < document.targetCount();
}

DocumentTarget emptyTarget(SampleDocument &document, const QString &label)
{
    DocumentTarget target;
    target.target.mask = Mask(document.imageSize().width(), document.imageSize().height());
    target.target.label = label;
    target.color = SampleDocument::colorFor(document.nextColorSerial());
    return target;
}

// A property change through setTargetProperties(), as one ChangeValueCommand.
template<typename T>
bool changeProperty(SampleDocument &document, int index, const QString &text, T value,
                    T (*get)(const DocumentTarget &), void (*set)(DocumentTarget &, const T &))
{
    if (!validIndex(document, index) || get(document.targetAt(index)) == value)
        return false;
    SampleDocument *doc = &document;
    document.undoStack()->push(new ChangeValueCommand<T>(
        text, [doc, index, get] { return get(doc->targetAt(index)); },
        [doc, index, set](const T &v) {
            DocumentTarget properties = doc->targetAt(index);
            set(properties, v);
            doc->setTargetProperties(index, properties);
        },
        std::move(value)));
    return true;
}

} // namespace

bool DocumentActions::setMask(SampleDocument &document, int index, const Mask &mask, const QString &text)
{
    if (!validIndex(document, index) || mask.size() != document.imageSize())
        return false;
    MaskPatch patch = MaskPatch::between(document.targetAt(index).target.mask, mask);
    if (patch.isEmpty())
        return false;
    document.undoStack()->push(new MaskEditCommand(&document, index, std::move(patch), text));
    return true;
}

bool DocumentActions::paint(SampleDocument &document, int index, const Mask &region, bool value, const QString &text)
{
    if (!validIndex(document, index) || region.size() != document.imageSize())
        return false;
    const Mask &current = document.targetAt(index).target.mask;
    return setMask(document, index, value ? current.united(region) : current.subtracted(region), text);
}

bool DocumentActions::fillHoles(SampleDocument &document, int index)
{
    return validIndex(document, index)
        && setMask(document, index, document.targetAt(index).target.mask.filledHoles(), tr("Fill Holes"));
}

bool DocumentActions::removeSmallComponents(SampleDocument &document, int index, qsizetype minArea)
{
    return validIndex(document, index)
        && setMask(document, index, document.targetAt(index).target.mask.withoutSmallComponents(minArea),
                   tr("Remove Small Components"));
}

bool DocumentActions::combine(SampleDocument &document, int into, int other, Combine operation)
{
    if (!validIndex(document, into) || !validIndex(document, other) || into == other)
        return false;
    const Mask &a = document.targetAt(into).target.mask;
    const Mask &b = document.targetAt(other).target.mask;
    switch (operation) {
    case Combine::Add:
        return setMask(document, into, a.united(b), tr("Add Target"));
    case Combine::Subtract:
        return setMask(document, into, a.subtracted(b), tr("Subtract Target"));
    case Combine::Intersect:
        return setMask(document, into, a.intersected(b), tr("Intersect Targets"));
    }
    return false;
}

int DocumentActions::newTarget(SampleDocument &document, const QString &label)
{
    const int index = document.targetCount();
    document.undoStack()->push(new AddTargetCommand(&document, index, emptyTarget(document, label), tr("New Target")));
    return index;
}

bool DocumentActions::deleteTarget(SampleDocument &document, int index)
{
    if (!validIndex(document, index))
        return false;
    document.undoStack()->push(new RemoveTargetCommand(&document, index, tr("Delete Target")));
    return true;
}

bool DocumentActions::moveTarget(SampleDocument &document, int from, int to)
{
    if (!validIndex(document, from) || !validIndex(document, to) || from == to)
        return false;
    document.undoStack()->push(new MoveTargetCommand(&document, from, to));
    return true;
}

bool DocumentActions::mergeTargets(SampleDocument &document, QList<int> indexes)
{
    std::sort(indexes.begin(), indexes.end());
    indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
    if (indexes.size() < 2 || !validIndex(document, indexes.front()) || !validIndex(document, indexes.back()))
        return false;
    Mask united = document.targetAt(indexes.front()).target.mask;
    for (int i : indexes)
        united.unite(document.targetAt(i).target.mask);
    QUndoStack *stack = document.undoStack();
    stack->beginMacro(tr("Merge Targets"));
    setMask(document, indexes.front(), united, tr("Merge Targets"));
    for (qsizetype i = indexes.size() - 1; i >= 1; --i)
        stack->push(new RemoveTargetCommand(&document, indexes[i], tr("Merge Targets")));
    stack->endMacro();
    return true;
}

bool DocumentActions::splitComponents(SampleDocument &document, int index)
{
    if (!validIndex(document, index))
        return false;
    const std::vector<Mask> parts = document.targetAt(index).target.mask.connectedComponents();
    if (parts.size() < 2)
        return false;
    QUndoStack *stack = document.undoStack();
    stack->beginMacro(tr("Split Into Components"));
    const DocumentTarget original = document.targetAt(index);
    setMask(document, index, parts.front(), tr("Split Into Components"));
    for (std::size_t i = 1; i < parts.size(); ++i) {
        DocumentTarget part = emptyTarget(document, original.target.label);
        part.target.mask = parts[i];
        part.target.description = original.target.description;
        part.target.ignore = original.target.ignore;
        stack->push(new AddTargetCommand(&document, index + int(i), std::move(part), tr("Split Into Components")));
    }
    stack->endMacro();
    return true;
}

bool DocumentActions::acceptProposal(SampleDocument &document)
{
    if (document.proposal().empty())
        return false;
    QUndoStack *stack = document.undoStack();
    stack->beginMacro(tr("Accept Proposal"));
    for (const Target &proposed : document.proposal()) {
        DocumentTarget target = emptyTarget(document, proposed.label);
        target.target = proposed;
        if (target.target.mask.size() != document.imageSize())
            target.target.mask = Mask(document.imageSize().width(), document.imageSize().height());
        stack->push(new AddTargetCommand(&document, document.targetCount(), std::move(target), tr("Accept Proposal")));
    }
    stack->endMacro();
    return true;
}

bool DocumentActions::setNoTarget(SampleDocument &document, bool noTarget)
{
    if (document.noTarget() == noTarget)
        return false;
    SampleDocument *doc = &document;
    document.undoStack()->push(new ChangeValueCommand<bool>(
        noTarget ? tr("Mark No Target") : tr("Unmark No Target"), [doc] { return doc->noTarget(); },
        [doc](const bool &value) { doc->setNoTarget(value); }, noTarget));
    return true;
}

bool DocumentActions::setLabel(SampleDocument &document, int index, const QString &label)
{
    return changeProperty<QString>(
        document, index, tr("Rename Target"), label, [](const DocumentTarget &t) { return t.target.label; },
        [](DocumentTarget &t, const QString &v) { t.target.label = v; });
}

bool DocumentActions::setDescription(SampleDocument &document, int index, const QString &description)
{
    return changeProperty<QString>(
        document, index, tr("Describe Target"), description,
        [](const DocumentTarget &t) { return t.target.description; },
        [](DocumentTarget &t, const QString &v) { t.target.description = v; });
}

bool DocumentActions::setIgnore(SampleDocument &document, int index, bool ignore)
{
    return changeProperty<bool>(
        document, index, ignore ? tr("Mark Ignore Region") : tr("Unmark Ignore Region"), ignore,
        [](const DocumentTarget &t) { return t.target.ignore; }, [](DocumentTarget &t, const bool &v) { t.target.ignore = v; });
}

bool DocumentActions::setVisible(SampleDocument &document, int index, bool visible)
{
    return changeProperty<bool>(
        document, index, visible ? tr("Show Target") : tr("Hide Target"), visible,
        [](const DocumentTarget &t) { return t.visible; }, [](DocumentTarget &t, const bool &v) { t.visible = v; });
}

} // namespace rs
