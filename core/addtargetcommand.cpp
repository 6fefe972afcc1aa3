#include "core/addtargetcommand.h"

#include "core/sampledocument.h"

namespace rs {

AddTargetCommand::AddTargetCommand(SampleDocument *document, int index, DocumentTarget target, const QString &text,
                                   QUndoCommand *parent)
    : QUndoCommand(text, parent), m_document(document), m_index(index), m_target(std::move(target))
{
}

void AddTargetCommand::undo()
{
    m_target = m_document->removeTarget(m_index);
}

void AddTargetCommand::redo()
{
    m_document->insertTarget(m_index, m_target);
    m_target = DocumentTarget();  // the document holds it now; undo takes it back
}

} // namespace rs
