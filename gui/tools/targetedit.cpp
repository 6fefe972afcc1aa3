#include "gui/tools/targetedit.h"

#include "core/documentactions.h"
#include "core/maskeditcommand.h"
#include "core/sampledocument.h"

namespace rs {

TargetEdit::~TargetEdit()
{
    commit();
}

bool TargetEdit::begin(SampleDocument *document, const QString &text, bool mayCreate)
{
    commit();
    if (!document)
        return false;
    const int current = document->currentTarget();
    if (current < 0 && !mayCreate)
        return false;
    m_document = document;
    m_text = text;
    m_index = current;
    m_mayCreate = mayCreate;
    m_dirty = QRect();
    if (current >= 0)
        m_before = document->targetAt(current).target.mask;  // reuses the buffer of the last action
    return true;
}

int TargetEdit::ensureTarget()
{
    if (!m_document)
        return -1;
    if (m_index < 0 && m_mayCreate) {
        m_document->undoStack()->beginMacro(m_text);
        m_macro = true;
        m_index = DocumentActions::newTarget(*m_document);
        const QSize size = m_document->imageSize();
        m_before = Mask(size.width(), size.height());
    }
    return m_index;
}

Mask &TargetEdit::mask()
{
    return m_document->maskForEdit(m_index);
}

void TargetEdit::painted(const QRect &rect)
{
    if (!m_document || m_index < 0 || rect.isEmpty())
        return;
    m_dirty |= rect;
    m_document->maskEdited(m_index, rect);
}

bool TargetEdit::commit()
{
    if (!m_document) {
        m_document = nullptr;
        return false;
    }
    bool pushed = false;
    if (m_index >= 0 && !m_dirty.isEmpty()) {
        const Mask &after = m_document->targetAt(m_index).target.mask;
        const QRect changed = MaskPatch::changedRect(m_before, after, m_dirty);
        if (!changed.isEmpty()) {
            m_document->undoStack()->push(
                new MaskEditCommand(m_document, m_index, MaskPatch::between(m_before, after, changed), m_text, true));
            pushed = true;
        }
    }
    if (m_macro) {
        m_document->undoStack()->endMacro();
        m_macro = false;
        pushed = true;
    }
    m_document = nullptr;
    m_index = -1;
    m_dirty = QRect();
    return pushed;
}

} // namespace rs
