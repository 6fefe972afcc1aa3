#pragma once

#include <QUndoCommand>

#include <functional>

namespace rs {

// Changes one value through a getter/setter pair (a target's label, its ignore flag, the
// difficulty, ...): the one template every value edit of the editor goes through. Consecutive
// changes with the same non-negative mergeId (a slider drag, typing in a field) merge into one step.
template<typename T>
class ChangeValueCommand : public QUndoCommand
{
public:
    using Getter = std::function<T()>;
    using Setter = std::function<void(const T &)>;

    ChangeValueCommand(const QString &text, Getter get, Setter set, T value, int mergeId = -1,
                       QUndoCommand *parent = nullptr)
        : QUndoCommand(text, parent), m_set(std::move(set)), m_old(get()), m_new(std::move(value)), m_mergeId(mergeId)
    {
    }

    void undo() override { m_set(m_old); }
    void redo() override { m_set(m_new); }
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *next = dynamic_cast<const ChangeValueCommand *>(other);
        if (!next || next->m_mergeId != m_mergeId || m_mergeId < 0)
            return false;
        m_new = next->m_new;
        setObsolete(m_new == m_old);
        return true;
    }

private:
    Setter m_set;
    T m_old;
    T m_new;
    int m_mergeId;
};

} // namespace rs
