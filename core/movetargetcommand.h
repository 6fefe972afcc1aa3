#pragma once

#include <QUndoCommand>

namespace rs {

class SampleDocument;

// Moves a target to another position of the list (the order is the [SEG] / {seg} order on export).
class MoveTargetCommand : public QUndoCommand
{
public:
    MoveTargetCommand(SampleDocument *document, int from, int to, QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;

private:
    SampleDocument *m_document;
    int m_from;
    int m_to;
};

} // namespace rs
