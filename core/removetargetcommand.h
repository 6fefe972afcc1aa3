#pragma once

#include "core/documenttarget.h"

#include <QUndoCommand>

namespace rs {

class SampleDocument;

// Removes the target at an index (undo puts it back where it was).
class RemoveTargetCommand : public QUndoCommand
{
public:
    RemoveTargetCommand(SampleDocument *document, int index, const QString &text, QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;

private:
    SampleDocument *m_document;
    int m_index;
    DocumentTarget m_target;
};

} // namespace rs
