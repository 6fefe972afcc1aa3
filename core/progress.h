#pragma once

#include <QtGlobal>

namespace rs {

// Where long work (import, export, inference) reports how far it is and learns that it should stop.
// Called from the thread doing the work; implementations synchronise what they share.
class Progress
{
public:
    virtual ~Progress() = default;
    // The amount of work when known (0: unknown); may be called again when it becomes known.
    virtual void setTotal(qint64 total) { Q_UNUSED(total) }
    virtual void advance(qint64 done = 1) { Q_UNUSED(done) }
    // True once the user asked to stop; the work then ends with an error saying it was cancelled.
    virtual bool isCancelled() const { return false; }
};

} // namespace rs
