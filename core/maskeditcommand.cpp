#include "core/maskeditcommand.h"

#include "core/sampledocument.h"

namespace rs {

MaskEditCommand::MaskEditCommand(SampleDocument *document, int targetIndex, MaskPatch patch, const QString &text,
                                 bool alreadyApplied, QUndoCommand *parent)
    : QUndoCommand(text, parent), m_document(document), m_index(targetIndex), m_patch(std::move(patch)),
      m_skipRedo(alreadyApplied)
{
}

void MaskEditCommand::undo()
{
    m_patch.applyBefore(m_document->maskForEdit(m_index));
    m_document->maskEdited(m_index, m_patch.rect());
}

void MaskEditCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false;
        return;
    }
    m_patch.applyAfter(m_document->maskForEdit(m_index));
    m_document->maskEdited(m_index, m_patch.rect());
}

} // namespace rs
