#include "storage/transaction.h"

#include "storage/database.h"

namespace rs {

Transaction::Transaction(Database &db, const QString &doing) : m_db(db), m_doing(doing)
{
    if (db.isReadOnly()) {
        m_failure = db.readOnlyError(doing);
        return;
    }
    if (db.m_inTransaction) {
        m_failure = Error{QStringLiteral("%1: another transaction is open on this connection").arg(doing)};
        return;
    }
    auto begun = db.exec(db.backend() == Backend::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"),
                         doing);
    if (begun) {
        m_active = true;
        db.m_inTransaction = true;
        db.m_transactionAborted = false;
    }
    else
        m_failure = Error{begun.error()};
}

Transaction::~Transaction()
{
    rollback();
}

Expected<bool> Transaction::commit()
{
    if (!m_active)
        return m_failure.message.isEmpty() ? Error{QStringLiteral("%1: no transaction").arg(m_doing)} : m_failure;
    if (m_db.m_transactionAborted) {
        rollback();
        return Error{QStringLiteral("%1: the transaction failed").arg(m_doing)};
    }
    auto committed = m_db.exec(QStringLiteral("COMMIT"), m_doing);
    if (!committed) {
        rollback();
        return committed;
    }
    m_active = false;
    m_db.m_inTransaction = false;
    return true;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (!m_db.m_transactionAborted)
        (void)m_db.exec(QStringLiteral("ROLLBACK"), m_doing);
    m_db.m_inTransaction = false;
    m_db.m_transactionAborted = false;
}

} // namespace rs
