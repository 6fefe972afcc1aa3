#pragma once

#include "core/expected.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs {

class Database;

// A gold item: a sample whose annotation version is the reference answer served to every annotator
// as a quality-control question (PRM800K's is_quality_control_question, formats.md §11).
struct GoldItem
{
    qint64 sampleId = 0;
    int annotationVersion = 0;
    QString note;

    bool operator==(const GoldItem &) const = default;
};

// The project's gold items.
class GoldRepository
{
public:
    explicit GoldRepository(Database &db) : m_db(db) {}

    // Marks (or re-marks) a sample as gold with one of its existing annotation versions.
    Expected<bool> mark(const GoldItem &item);
    Expected<bool> unmark(qint64 sampleId);
    Expected<std::optional<GoldItem>> find(qint64 sampleId) const;
    Expected<std::vector<GoldItem>> all() const;

private:
    Database &m_db;
};

} // namespace rs
