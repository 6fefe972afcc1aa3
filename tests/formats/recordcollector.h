#pragma once

#include "core/recordsink.h"
#include "core/recordsource.h"

#include <vector>

namespace rs::test {

// A RecordSink that keeps everything it is given, in order (format tests read into it).
class RecordCollector final : public RecordSink
{
public:
    Expected<bool> addSample(DatasetRecord record) override
    {
        samples.push_back(std::move(record));
        return true;
    }
    Expected<bool> addPrediction(DatasetRecord record) override
    {
        predictions.push_back(std::move(record));
        return true;
    }

    std::vector<DatasetRecord> samples;
    std::vector<DatasetRecord> predictions;
};

// A RecordSource over records held in memory (format tests export from it).
class VectorSource final : public RecordSource
{
public:
    explicit VectorSource(std::vector<DatasetRecord> records) : m_records(std::move(records)) {}
    qint64 count() const override { return qint64(m_records.size()); }
    Expected<std::optional<DatasetRecord>> next() override
    {
        if (m_next >= m_records.size())
            return std::optional<DatasetRecord>();
        return std::optional<DatasetRecord>(m_records[m_next++]);
    }

private:
    std::vector<DatasetRecord> m_records;
    std::size_t m_next = 0;
};

} // namespace rs::test
