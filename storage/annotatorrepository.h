#pragma once

#include "core/expected.h"

#include <QString>

#include <optional>

namespace rs {

class Database;

// The people who annotate and review.
class AnnotatorRepository
{
public:
    explicit AnnotatorRepository(Database &db) : m_db(db) {}

    // The id of the annotator called `name`, adding them when new.
    Expected<qint64> ensure(const QString &name, const QString &role = QStringLiteral("annotator"));
    Expected<std::optional<qint64>> findByName(const QString &name) const;
    Expected<QString> name(qint64 id) const;

private:
    Database &m_db;
};

} // namespace rs
