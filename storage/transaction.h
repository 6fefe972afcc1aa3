#pragma once

#include "core/expected.h"

#include <QString>

namespace rs {

class Database;

// A write transaction that rolls back unless commit() succeeded. SQLite: BEGIN IMMEDIATE, so the
// write lock is taken up front (waiting up to the busy timeout) and a transaction never fails
// half-way for lack of it. Not nestable: one per connection at a time.
class Transaction
{
public:
    Transaction(Database &db, const QString &doing);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    bool isActive() const { return m_active; }
    // Why the transaction could not begin (read-only project, locked, ...).
    Error failure() const { return m_failure; }
    Expected<bool> commit();
    void rollback();

private:
    Database &m_db;
    QString m_doing;
    bool m_active = false;
    Error m_failure;
};

} // namespace rs
