#pragma once

#include <QString>
#include <QStringList>

#include <map>
#include <utility>

namespace rs {

// One metric accumulator per key (difficulty bucket, short/long query, target count, data source, …)
// plus one over everything, so a report can show the split the benchmark prints (LISA's test split by
// is_sentence, PixelThink's easy/medium/hard, MUSE by target count; formats.md §10.2).
// Metric is any accumulator in core (LisaMetric, SegZeroMetric, GresMetric, …); every key starts as a
// copy of the prototype, so a configured variant (e.g. SegZeroMetric's VisionReasoner) carries over.
template<typename Metric> class MetricBreakdown
{
public:
    explicit MetricBreakdown(Metric prototype = Metric())
        : m_prototype(prototype)
        , m_overall(std::move(prototype))
    {
    }

    // Applies record to the key's accumulator and to the overall one, e.g.
    //   breakdown.record(key, [&](LisaMetric &m) { m.add(prediction, groundTruth); });
    // The record must not depend on which of the two accumulators it gets.
    template<typename Record> void record(const QString &key, Record &&record)
    {
        record(m_overall);
        record(metricFor(key));
    }

    const Metric &overall() const { return m_overall; }
    bool contains(const QString &key) const { return m_byKey.count(key) != 0; }
    // The key's accumulator; an untouched copy of the prototype for a key never recorded.
    const Metric &at(const QString &key) const
    {
        const auto it = m_byKey.find(key);
        return it == m_byKey.end() ? m_prototype : it->second;
    }
    // Keys in sorted order.
    QStringList keys() const
    {
        QStringList keys;
        for (const auto &entry : m_byKey)
            keys << entry.first;
        return keys;
    }
    QString protocol() const { return m_overall.protocol(); }

private:
    Metric &metricFor(const QString &key)
    {
        auto it = m_byKey.find(key);
        if (it == m_byKey.end())
            it = m_byKey.emplace(key, m_prototype).first;
        return it->second;
    }

    Metric m_prototype;
    Metric m_overall;
    std::map<QString, Metric> m_byKey;
};

} // namespace rs
