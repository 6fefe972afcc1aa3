#pragma once

#include "core/expected.h"
#include "storage/database.h"

#include <QMutex>
#include <QObject>

#include <map>
#include <memory>

class QThread;

namespace rs {

// One named connection per thread to one project: Qt's SQL connections may only be used by the
// thread that opened them. database() opens the calling thread's connection on first use (named
// "<prefix>@<thread address>"); a QThread's connection is closed when the thread finishes, any
// other thread calls release() before it ends.
//
// Thread: all members are thread-safe. Destroy the helper after the threads that used it finished;
// the destructor closes the calling thread's connection.
class ThreadConnections
{
public:
    explicit ThreadConnections(const ProjectLocation &location, const QString &prefix = QStringLiteral("rs"),
                               Database::Options options = Database::Options());
    ~ThreadConnections();
    ThreadConnections(const ThreadConnections &) = delete;
    ThreadConnections &operator=(const ThreadConnections &) = delete;

    // The calling thread's connection (opened now when needed). Valid until release() in this thread.
    Expected<Database *> database();
    // Closes the calling thread's connection.
    void release();
    int openCount() const;

private:
    void releaseThread(QThread *thread);

    ProjectLocation m_location;
    QString m_prefix;
    Database::Options m_options;
    mutable QMutex m_mutex;
    std::map<QThread *, std::unique_ptr<Database>> m_connections;
    QObject m_context;  // receiver of QThread::finished; disconnects when this helper dies
};

} // namespace rs
