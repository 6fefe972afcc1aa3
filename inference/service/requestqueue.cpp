#include "inference/service/requestqueue.h"

#include <algorithm>

namespace rs {

void RequestQueue::push(Entry entry)
{
    QMutexLocker locker(&m_mutex);
    m_entries.push_back(std::move(entry));
}

std::optional<RequestQueue::Entry> RequestQueue::takeNext()
{
    QMutexLocker locker(&m_mutex);
    // min_element keeps the first of equal priorities, i.e. the oldest.
    const auto next = std::min_element(m_entries.begin(), m_entries.end(), [](const Entry &a, const Entry &b) {
        return a.request.priority < b.request.priority;
    });
    if (next == m_entries.end())
        return std::nullopt;
    Entry entry = std::move(*next);
    m_entries.erase(next);
    m_running.insert(entry.id);
    return entry;
}

bool RequestQueue::setPriority(quint64 id, RequestPriority priority)
{
    QMutexLocker locker(&m_mutex);
    for (Entry &entry : m_entries) {
        if (entry.id == id) {
            entry.request.priority = priority;
            return true;
        }
    }
    return false;
}

qsizetype RequestQueue::size() const
{
    QMutexLocker locker(&m_mutex);
    return qsizetype(m_entries.size());
}

bool RequestQueue::cancel(quint64 id)
{
    QMutexLocker locker(&m_mutex);
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [id](const Entry &e) { return e.id == id; });
    if (it != m_entries.end()) {
        m_entries.erase(it);
        return true;
    }
    if (m_running.contains(id))
        m_cancelled.insert(id);
    return false;
}

std::vector<quint64> RequestQueue::cancelAll(quint64 lastId)
{
    QMutexLocker locker(&m_mutex);
    std::vector<quint64> ids;
    for (const Entry &entry : m_entries)
        ids.push_back(entry.id);
    m_entries.clear();
    m_cancelledUpTo = std::max(m_cancelledUpTo, lastId);
    return ids;
}

void RequestQueue::startGeneration(quint64 generation)
{
    QMutexLocker locker(&m_mutex);
    m_entries.clear();
    m_liveGeneration = std::max(m_liveGeneration, generation);
}

bool RequestQueue::isCancelled(const Entry &entry) const
{
    QMutexLocker locker(&m_mutex);
    return entry.id <= m_cancelledUpTo || entry.generation < m_liveGeneration || m_cancelled.contains(entry.id);
}

void RequestQueue::forget(quint64 id)
{
    QMutexLocker locker(&m_mutex);
    m_running.remove(id);
    m_cancelled.remove(id);
}

} // namespace rs
