#include "gui/docks/targetactions.h"

#include "core/documentactions.h"
#include "core/sampledocument.h"

#include <QAction>

#include <algorithm>

namespace rs {

TargetActions::TargetActions(QObject *parent) : QObject(parent)
{
    m_new = make(tr("&New Target"), QStringLiteral("target.new"), QKeySequence(Qt::CTRL | Qt::Key_T), &TargetActions::onNew);
    m_delete = make(tr("&Delete Target"), QStringLiteral("target.delete"), QKeySequence(Qt::Key_Delete), &TargetActions::onDelete);
    m_merge = make(tr("&Merge Selected Targets"), QStringLiteral("target.merge"), QKeySequence(Qt::CTRL | Qt::Key_M), &TargetActions::onMerge);
    m_split = make(tr("&Split Into Components"), QStringLiteral("target.split"), QKeySequence(), &TargetActions::onSplit);
    m_fillHoles = make(tr("&Fill Holes"), QStringLiteral("target.fillHoles"), QKeySequence(Qt::CTRL | Qt::Key_H), &TargetActions::onFillHoles);
    m_removeSmall = make(tr("&Remove Small Components"), QStringLiteral("target.removeSmall"), QKeySequence(), &TargetActions::onRemoveSmall);
    m_add = make(tr("&Add Other Target"), QStringLiteral("target.add"), QKeySequence(), &TargetActions::onAdd);
    m_subtract = make(tr("S&ubtract Other Target"), QStringLiteral("target.subtract"), QKeySequence(), &TargetActions::onSubtract);
    m_intersect = make(tr("&Intersect With Other Target"), QStringLiteral("target.intersect"), QKeySequence(), &TargetActions::onIntersect);
    m_acceptProposal = make(tr("Accept &Proposal"), QStringLiteral("target.acceptProposal"), QKeySequence(Qt::CTRL | Qt::Key_P), &TargetActions::onAcceptProposal);
    m_moveUp = make(tr("Move Target &Up"), QStringLiteral("target.moveUp"), QKeySequence(Qt::CTRL | Qt::Key_Up), &TargetActions::onMoveUp);
    m_moveDown = make(tr("Move Target Do&wn"), QStringLiteral("target.moveDown"), QKeySequence(Qt::CTRL | Qt::Key_Down), &TargetActions::onMoveDown);
    m_noTarget = make(tr("N&o Target in Image"), QStringLiteral("target.noTarget"), QKeySequence(), &TargetActions::onNoTarget);
    m_noTarget->setCheckable(true);
    m_add->setToolTip(tr("Current target ∪ the other selected target"));
    m_subtract->setToolTip(tr("Current target − the other selected target"));
    m_intersect->setToolTip(tr("Current target ∩ the other selected target"));
    updateEnabled();
}

TargetActions::~TargetActions() = default;

QAction *TargetActions::make(const QString &text, const QString &id, const QKeySequence &shortcut,
                             void (TargetActions::*slot)())
{
    auto *action = new QAction(text, this);
    action->setObjectName(id);
    action->setShortcut(shortcut);
    connect(action, &QAction::triggered, this, slot);
    return action;
}

QList<QAction *> TargetActions::actions() const
{
    return {m_new, m_delete, m_moveUp, m_moveDown, m_merge, m_split, m_fillHoles, m_removeSmall,
            m_add, m_subtract, m_intersect, m_acceptProposal, m_noTarget};
}

void TargetActions::setDocument(SampleDocument *document)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_document = document;
    if (document) {
        m_connections << connect(document->undoStack(), &QUndoStack::indexChanged, this, &TargetActions::updateEnabled);
        m_connections << connect(document, &SampleDocument::currentTargetChanged, this, &TargetActions::updateEnabled);
        m_connections << connect(document, &SampleDocument::proposalChanged, this, &TargetActions::updateEnabled);
        m_connections << connect(document, &QObject::destroyed, this, &TargetActions::updateEnabled);
    }
    updateEnabled();
}

void TargetActions::setSelectionProvider(std::function<QList<int>()> provider)
{
    m_selection = std::move(provider);
    updateEnabled();
}

QList<int> TargetActions::selection() const
{
    QList<int> rows = m_selection ? m_selection() : QList<int>();
    if (m_document && m_document->currentTarget() >= 0 && !rows.contains(m_document->currentTarget()))
        rows << m_document->currentTarget();
    std::sort(rows.begin(), rows.end());
    return rows;
}

int TargetActions::otherSelected() const
{
    const QList<int> rows = selection();
    if (!m_document || rows.size() != 2)
        return -1;
    return rows[0] == m_document->currentTarget() ? rows[1] : rows[0];
}

void TargetActions::updateEnabled()
{
    SampleDocument *doc = m_document;
    const int current = doc ? doc->currentTarget() : -1;
    const bool hasCurrent = current >= 0;
    const bool pair = otherSelected() >= 0;
    m_new->setEnabled(doc);
    m_delete->setEnabled(hasCurrent);
    m_moveUp->setEnabled(hasCurrent && current > 0);
    m_moveDown->setEnabled(hasCurrent && current + 1 < doc->targetCount());
    m_merge->setEnabled(doc && selection().size() >= 2);
    m_split->setEnabled(hasCurrent);
    m_fillHoles->setEnabled(hasCurrent);
    m_removeSmall->setEnabled(hasCurrent);
    m_add->setEnabled(pair);
    m_subtract->setEnabled(pair);
    m_intersect->setEnabled(pair);
    m_acceptProposal->setEnabled(doc && !doc->proposal().empty());
    m_noTarget->setEnabled(doc);
    m_noTarget->setChecked(doc && doc->noTarget());
}

void TargetActions::onNew()
{
    if (m_document)
        DocumentActions::newTarget(*m_document);
}

void TargetActions::onDelete()
{
    if (m_document)
        DocumentActions::deleteTarget(*m_document, m_document->currentTarget());
}

void TargetActions::onMerge()
{
    if (m_document)
        DocumentActions::mergeTargets(*m_document, selection());
}

void TargetActions::onSplit()
{
    if (m_document)
        DocumentActions::splitComponents(*m_document, m_document->currentTarget());
}

void TargetActions::onFillHoles()
{
    if (m_document)
        DocumentActions::fillHoles(*m_document, m_document->currentTarget());
}

void TargetActions::onRemoveSmall()
{
    if (m_document)
        DocumentActions::removeSmallComponents(*m_document, m_document->currentTarget(), m_minArea);
}

void TargetActions::onAdd()
{
    if (m_document)
        DocumentActions::combine(*m_document, m_document->currentTarget(), otherSelected(), DocumentActions::Combine::Add);
}

void TargetActions::onSubtract()
{
    if (m_document)
        DocumentActions::combine(*m_document, m_document->currentTarget(), otherSelected(),
                                 DocumentActions::Combine::Subtract);
}

void TargetActions::onIntersect()
{
    if (m_document)
        DocumentActions::combine(*m_document, m_document->currentTarget(), otherSelected(),
                                 DocumentActions::Combine::Intersect);
}

void TargetActions::onAcceptProposal()
{
    if (m_document)
        DocumentActions::acceptProposal(*m_document);
}

void TargetActions::onMoveUp()
{
    if (m_document)
        DocumentActions::moveTarget(*m_document, m_document->currentTarget(), m_document->currentTarget() - 1);
}

void TargetActions::onMoveDown()
{
    if (m_document)
        DocumentActions::moveTarget(*m_document, m_document->currentTarget(), m_document->currentTarget() + 1);
}

void TargetActions::onNoTarget()
{
    if (m_document)
        DocumentActions::setNoTarget(*m_document, m_noTarget->isChecked());
    updateEnabled();
}

} // namespace rs
