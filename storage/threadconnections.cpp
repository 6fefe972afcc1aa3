#include "storage/threadconnections.h"

#include <QThread>

namespace rs {

ThreadConnections::ThreadConnections(const ProjectLocation &location, const QString &prefix,
                                     Database::Options options)
    : m_location(location), m_prefix(prefix), m_options(options)
{
}

ThreadConnections::~ThreadConnections()
{
    release();
    QMutexLocker lock(&m_mutex);
    m_connections.clear();
}

Expected<Database *> ThreadConnections::database()
{
    QThread *thread = QThread::currentThread();
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_connections.find(thread);
        if (it != m_connections.end())
            return it->second.get();
    }
    Database::Options options = m_options;
    options.connectionName =
        QStringLiteral("%1@%2").arg(m_prefix).arg(quintptr(thread), 0, 16);
    auto opened = Database::open(m_location, options);
    if (!opened)
        return Error{opened.error()};
    Database *db = opened->get();
    {
        QMutexLocker lock(&m_mutex);
        m_connections.emplace(thread, std::move(opened).value());
    }
    QObject::connect(thread, &QThread::finished, &m_context, [this, thread] { releaseThread(thread); },
                     Qt::DirectConnection);
    return db;
}

void ThreadConnections::release()
{
    releaseThread(QThread::currentThread());
}

void ThreadConnections::releaseThread(QThread *thread)
{
    std::unique_ptr<Database> db;
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_connections.find(thread);
        if (it == m_connections.end())
            return;
        db = std::move(it->second);
        m_connections.erase(it);
    }
    db.reset();  // closes and removes the named connection, in its own thread
}

int ThreadConnections::openCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_connections.size());
}

} // namespace rs
