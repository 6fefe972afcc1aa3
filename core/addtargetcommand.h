#pragma once

#include "core/documenttarget.h"

#include <QUndoCommand>

namespace rs {

class SampleDocument;

// Inserts a target at an index (undo removes it again).
class AddTargetCommand : public QUndoCommand
{
public:
    AddTargetCommand(SampleDocument *document, int index, DocumentTarget target, const QString &text,
                     QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;

private:
    SampleDocument *m_document;
    int m_index;
    DocumentTarget m_target;
};

} // namespace rs
