#include "core/movetargetcommand.h"

#include "core/sampledocument.h"

#include <QCoreApplication>

namespace rs {

MoveTargetCommand::MoveTargetCommand(SampleDocument *document, int from, int to, QUndoCommand *parent)
    : QUndoCommand(QCoreApplication::translate("rs::MoveTargetCommand", "Move Target"), parent), m_document(document),
      m_from(from), m_to(to)
{
}

void MoveTargetCommand::undo()
{
    m_document->moveTarget(m_to, m_from);
}

void MoveTargetCommand::redo()
{
    m_document->moveTarget(m_from, m_to);
}

} // namespace rs
