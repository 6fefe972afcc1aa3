#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QAction;

namespace rs {

class SampleDocument;

// The target operations of the Edit menu and the targets dock as QActions, each one undo step
// through DocumentActions, enabled only when it would change something. They act on the document's
// current target; merge and the boolean operations use the selected targets (the current one is the
// result, the other selected one the operand).
//
// Thread: GUI thread. The document is not owned.
class TargetActions : public QObject
{
    Q_OBJECT

public:
    explicit TargetActions(QObject *parent = nullptr);
    ~TargetActions() override;

    void setDocument(SampleDocument *document);
    // Who tells which targets are selected (the dock's view); the current target alone when unset.
    void setSelectionProvider(std::function<QList<int>()> provider);
    // Components smaller than this (pixels) go with "Remove Small Components".
    void setMinComponentArea(int pixels) { m_minArea = pixels; }
    int minComponentArea() const { return m_minArea; }

    QAction *newTarget() const { return m_new; }
    QAction *deleteTarget() const { return m_delete; }
    QAction *merge() const { return m_merge; }
    QAction *split() const { return m_split; }
    QAction *fillHoles() const { return m_fillHoles; }
    QAction *removeSmall() const { return m_removeSmall; }
    QAction *add() const { return m_add; }
    QAction *subtract() const { return m_subtract; }
    QAction *intersect() const { return m_intersect; }
    QAction *acceptProposal() const { return m_acceptProposal; }
    QAction *moveUp() const { return m_moveUp; }
    QAction *moveDown() const { return m_moveDown; }
    QAction *noTarget() const { return m_noTarget; }
    QList<QAction *> actions() const;

public slots:
    // Re-evaluates which actions apply (the document and the selection call it).
    void updateEnabled();

private:
    QAction *make(const QString &text, const QString &id, const QKeySequence &shortcut, void (TargetActions::*slot)());
    QList<int> selection() const;
    int otherSelected() const;

    void onNew();
    void onDelete();
    void onMerge();
    void onSplit();
    void onFillHoles();
    void onRemoveSmall();
    void onAdd();
    void onSubtract();
    void onIntersect();
    void onAcceptProposal();
    void onMoveUp();
    void onMoveDown();
    void onNoTarget();

    QPointer<SampleDocument> m_document;
    QList<QMetaObject::Connection> m_connections;
    std::function<QList<int>()> m_selection;
    int m_minArea = 50;
    QAction *m_new, *m_delete, *m_merge, *m_split, *m_fillHoles, *m_removeSmall, *m_add, *m_subtract, *m_intersect,
        *m_acceptProposal, *m_moveUp, *m_moveDown, *m_noTarget;
};

} // namespace rs
