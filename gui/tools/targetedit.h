#pragma once

#include "core/mask.h"
#include "core/sampledocument.h"

#include <QPointer>
#include <QRect>
#include <QString>

namespace rs {


// One tool action on the selected target's mask, painted in place (the views follow live) and
// pushed as ONE undo step when it ends: a MaskEditCommand with `alreadyApplied` over the changed
// rectangle, inside one macro with the new target when there was no selected target to paint on.
//
// Keeps a copy of the target's mask from before the action (what the undo patch is computed from).
class TargetEdit
{
public:
    TargetEdit() = default;
    ~TargetEdit();
    TargetEdit(const TargetEdit &) = delete;
    TargetEdit &operator=(const TargetEdit &) = delete;

    // Starts an action on the document's current target. Without one, `mayCreate` defers making a
    // new target to the first ensureTarget(); otherwise begin() fails (returns false).
    bool begin(SampleDocument *document, const QString &text, bool mayCreate);
    bool isActive() const { return m_document != nullptr; }
    // The target painted on, made now when needed; -1 when the action has none.
    int ensureTarget();
    int index() const { return m_index; }
    Mask &mask();
    const Mask &before() const { return m_before; }
    // Pixels inside `rect` were written: the views repaint them, the step will cover them.
    void painted(const QRect &rect);
    // Ends the action: pushes the step when a pixel changed (and closes the macro). Returns true
    // when something was pushed.
    bool commit();

private:
    QPointer<SampleDocument> m_document;
    QString m_text;
    int m_index = -1;
    bool m_mayCreate = false;
    bool m_macro = false;
    Mask m_before;
    QRect m_dirty;
};

} // namespace rs
