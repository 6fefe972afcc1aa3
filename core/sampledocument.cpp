#include "core/sampledocument.h"

#include <cmath>

namespace rs {

SampleDocument::SampleDocument(QSize imageSize, QObject *parent) : QObject(parent), m_imageSize(imageSize) {}

SampleDocument::~SampleDocument()
{
    // Commands refer to the document: destroy them first.
    m_undoStack.clear();
}

std::vector<Target> SampleDocument::targets() const
{
    std::vector<Target> list;
    list.reserve(m_targets.size());
    for (const DocumentTarget &target : m_targets)
        list.push_back(target.target);
    return list;
}

void SampleDocument::setCurrentTarget(int index)
{
    if (index < -1 || index >= targetCount())
        index = -1;
    if (index == m_current)
        return;
    m_current = index;
    emit currentTargetChanged(index);
}

void SampleDocument::setProposal(std::vector<Target> proposal)
{
    m_proposal = std::move(proposal);
    emit proposalChanged();
}

QColor SampleDocument::colorFor(int serial)
{
    // Successive hues 137.5° apart never repeat and stay far from their neighbours.
    const double hue = std::fmod(30.0 + 137.508 * serial, 360.0);
    return QColor::fromHsvF(hue / 360.0, 0.75, 0.95);
}

void SampleDocument::maskEdited(int index, const QRect &rect)
{
    emit maskChanged(index, rect);
}

void SampleDocument::insertTarget(int index, DocumentTarget target)
{
    index = qBound(0, index, targetCount());
    m_targets.insert(m_targets.begin() + index, std::move(target));
    if (m_current >= index)
        ++m_current;
    emit targetInserted(index);
    setCurrentTarget(index);
}

DocumentTarget SampleDocument::removeTarget(int index)
{
    DocumentTarget removed = std::move(m_targets.at(std::size_t(index)));
    m_targets.erase(m_targets.begin() + index);
    const int previous = m_current;
    if (m_current > index || m_current >= targetCount())
        --m_current;
    emit targetRemoved(index);
    if (previous != m_current || previous == index)
        emit currentTargetChanged(m_current);
    return removed;
}

void SampleDocument::moveTarget(int from, int to)
{
    if (from == to)
        return;
    DocumentTarget moved = std::move(m_targets.at(std::size_t(from)));
    m_targets.erase(m_targets.begin() + from);
    m_targets.insert(m_targets.begin() + to, std::move(moved));
    if (m_current == from)
        m_current = to;
    else if (from < m_current && m_current <= to)
        --m_current;
    else if (to <= m_current && m_current < from)
        ++m_current;
    emit targetMoved(from, to);
}

void SampleDocument::setTargetProperties(int index, const DocumentTarget &properties)
{
    DocumentTarget &target = m_targets.at(std::size_t(index));
    target.target.label = properties.target.label;
    target.target.description = properties.target.description;
    target.target.ignore = properties.target.ignore;
    target.target.box = properties.target.box;
    target.color = properties.color;
    target.visible = properties.visible;
    emit targetPropertiesChanged(index);
}

void SampleDocument::setNoTarget(bool noTarget)
{
    if (m_noTarget == noTarget)
        return;
    m_noTarget = noTarget;
    emit noTargetChanged(noTarget);
}

} // namespace rs
