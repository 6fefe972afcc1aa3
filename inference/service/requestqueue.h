#pragma once

#include "inference/service/proposalrequest.h"

#include <QMutex>
#include <QSet>

#include <deque>
#include <optional>
#include <vector>

namespace rs {

// The service's requests, shared between the GUI thread (adds, cancels, reprioritises) and the worker
// thread (takes, asks whether the running one was cancelled). Thread-safe.
//
// Cancellation is recorded here rather than on the worker, so it cannot be lost in the moment between
// the worker taking a request and starting it.
class RequestQueue
{
public:
    struct Entry
    {
        quint64 id = 0;
        quint64 generation = 0;
        ProposalRequest request;
    };

    void push(Entry entry);
    // The most urgent pending request, oldest first within a priority.
    std::optional<Entry> takeNext();
    bool setPriority(quint64 id, RequestPriority priority);
    qsizetype size() const;

    // Removes a pending request and returns true; a request the worker has taken is marked cancelled
    // instead (it stops before its next token) and false returned, as for an unknown or finished id.
    bool cancel(quint64 id);
    // Removes every pending request (their ids are returned) and marks every id up to lastId cancelled.
    std::vector<quint64> cancelAll(quint64 lastId);
    // Removes every pending request; requests of generations before `generation` count as cancelled.
    void startGeneration(quint64 generation);
    bool isCancelled(const Entry &entry) const;
    // The worker is done with an id: it is no longer running, and its cancellation mark goes.
    void forget(quint64 id);

private:
    mutable QMutex m_mutex;
    std::deque<Entry> m_entries;  // in arrival order
    QSet<quint64> m_running;    // taken by the worker, not yet forgotten
    QSet<quint64> m_cancelled;  // a subset of m_running
    quint64 m_cancelledUpTo = 0;
    quint64 m_liveGeneration = 0;
};

} // namespace rs
