#pragma once

#include "core/maskpatch.h"

#include <QUndoCommand>

namespace rs {

class SampleDocument;

// One change of one target's mask, kept as a MaskPatch. Tools that paint live (a brush stroke)
// push it after the fact with `alreadyApplied`, so the first redo() does not paint again.
class MaskEditCommand : public QUndoCommand
{
public:
    MaskEditCommand(SampleDocument *document, int targetIndex, MaskPatch patch, const QString &text,
                    bool alreadyApplied = false, QUndoCommand *parent = nullptr);

    void undo() override;
    void redo() override;

    const MaskPatch &patch() const { return m_patch; }

private:
    SampleDocument *m_document;
    int m_index;
    MaskPatch m_patch;
    bool m_skipRedo;
};

} // namespace rs
