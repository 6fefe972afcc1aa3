#pragma once

#include "core/documenttarget.h"

#include <QObject>
#include <QSize>
#include <QUndoStack>

#include <vector>

namespace rs {

// The annotation of one sample while it is edited (Tiled's document model): the targets' masks and
// properties, the model's proposal as a read-only layer, and the undo stack. Every change goes
// through an undo command (core/*command.h, DocumentActions), and every command changes the
// document only through the mutators below, which emit the signals views repaint from.
//
// Not thread-safe: lives in the GUI thread.
class SampleDocument : public QObject
{
    Q_OBJECT

public:
    explicit SampleDocument(QSize imageSize, QObject *parent = nullptr);
    ~SampleDocument() override;

    QSize imageSize() const { return m_imageSize; }
    QUndoStack *undoStack() { return &m_undoStack; }

    int targetCount() const { return int(m_targets.size()); }
    const DocumentTarget &targetAt(int index) const { return m_targets.at(std::size_t(index)); }
    // The targets as they are saved.
    std::vector<Target> targets() const;
    bool noTarget() const { return m_noTarget; }

    // The selected target (-1: none). Selection is not an edit: it is not undoable.
    int currentTarget() const { return m_current; }
    void setCurrentTarget(int index);

    // The model's proposal, shown as a layer and a starting point; not part of the annotation.
    const std::vector<Target> &proposal() const { return m_proposal; }
    void setProposal(std::vector<Target> proposal);

    // A distinct colour for the n-th target created in this document (golden-angle hues).
    static QColor colorFor(int serial);
    int nextColorSerial() { return m_colorSerial++; }

    // Mutators for undo commands. maskForEdit() gives the mask to write; the command then calls
    // maskEdited() with the rectangle it changed.
    Mask &maskForEdit(int index) { return m_targets.at(std::size_t(index)).target.mask; }
    void maskEdited(int index, const QRect &rect);
    void insertTarget(int index, DocumentTarget target);
    DocumentTarget removeTarget(int index);
    void moveTarget(int from, int to);
    void setTargetProperties(int index, const DocumentTarget &properties);  // everything but the mask
    void setNoTarget(bool noTarget);

signals:
    void maskChanged(int index, const QRect &rect);
    void targetInserted(int index);
    void targetRemoved(int index);
    void targetMoved(int from, int to);
    void targetPropertiesChanged(int index);
    void currentTargetChanged(int index);
    void noTargetChanged(bool noTarget);
    void proposalChanged();

private:
    QSize m_imageSize;
    QUndoStack m_undoStack;
    std::vector<DocumentTarget> m_targets;
    std::vector<Target> m_proposal;
    int m_current = -1;
    int m_colorSerial = 0;
    bool m_noTarget = false;
};

} // namespace rs
