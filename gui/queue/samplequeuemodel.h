#pragma once

#include "storage/samplequery.h"

#include <QAbstractTableModel>
#include <QHash>

#include <list>
#include <optional>
#include <vector>

namespace rs {

class Database;

// The annotation queue as a table: the samples passing a SampleFilter in SampleSort order, read
// lazily from SampleRepository in pages of kPageSize rows, of which the kCachedPages most recently
// used are kept. rowCount() comes from one count query, so a million samples cost one page of rows
// in memory, not a million. A page is read by keyset (pageAfter) from the nearest cached page before
// it, skipping only the rows in between: the next page is as fast deep in the list as at its start,
// and a scroll-bar drag costs the distance moved, not the distance from the top.
//
// Thread: GUI thread (the Database belongs to it). The database must outlive the model or be
// replaced with setDatabase(nullptr) first.
class SampleQueueModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        SplitColumn,
        StatusColumn,
        QueryColumn,
        DifficultyColumn,
        UncertaintyColumn,
        IouColumn,
        ChainLengthColumn,
        ColumnCount
    };
    enum Role { SampleIdRole = Qt::UserRole + 1 };
    static constexpr int kPageSize = 200;
    static constexpr int kCachedPages = 64;

    explicit SampleQueueModel(QObject *parent = nullptr);
    ~SampleQueueModel() override;

    void setDatabase(Database *database);
    Database *database() const { return m_db; }

    SampleFilter filter() const { return m_filter; }
    void setFilter(const SampleFilter &filter);
    SampleSort sortOrder() const { return m_sort; }
    void setSortOrder(const SampleSort &sort);
    // The sort key a column sorts by; nullopt for columns that have none (split, status, query).
    static std::optional<SampleSortKey> sortKeyOf(int column);
    static int columnOf(SampleSortKey key);  // -1: a key without a column

    // Re-reads the count and forgets the cached pages (after a save or a new proposal) while keeping
    // the view's scroll position: rows that no longer exist are removed at the end.
    void refresh();

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The row (reading its page when it is not cached); nullopt outside the list or on a read error.
    std::optional<SampleRow> rowAt(int row) const;
    qint64 sampleIdAt(int row) const;
    // The row of a sample among the cached pages (-1 when it is not in one).
    int cachedRowOf(qint64 sampleId) const;

    // Diagnostics (tests, benchmarks): pages read from storage since the last reset, count queries.
    int pagesFetched() const { return m_pagesFetched; }
    int countQueries() const { return m_countQueries; }
    int cachedPageCount() const { return int(m_pages.size()); }

signals:
    void sortOrderChanged(const rs::SampleSort &sort);
    void filterChanged(const rs::SampleFilter &filter);
    void loadFailed(const QString &message) const;

private:
    struct Page
    {
        std::vector<SampleRow> rows;
        std::list<int>::iterator lru;
    };

    void reset();
    qint64 readCount();
    const Page *page(int number) const;
    void dropPages();

    Database *m_db = nullptr;
    SampleFilter m_filter;
    SampleSort m_sort;
    qint64 m_count = 0;
    mutable QHash<int, Page> m_pages;
    mutable std::list<int> m_lru;  // most recently used first
    mutable int m_pagesFetched = 0;
    int m_countQueries = 0;
};

} // namespace rs
