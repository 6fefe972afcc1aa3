#include "core/removetargetcommand.h"

#include "core/sampledocument.h"

namespace rs {

RemoveTargetCommand::RemoveTargetCommand(SampleDocument *document, int index, const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent), m_document(document), m_index(index)
{
}

void RemoveTargetCommand::undo()
{
    m_document->insertTarget(m_index, std::move(m_target));
    m_target = DocumentTarget();
}

void RemoveTargetCommand::redo()
{
    m_target = m_document->removeTarget(m_index);
}

} // namespace rs
