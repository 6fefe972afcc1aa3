#include "gui/queue/samplequeuemodel.h"

#include <algorithm>

#include "storage/samplerepository.h"

#include <limits>

namespace rs {

namespace {

QVariant optionalNumber(const std::optional<double> &value, int decimals)
{
    return value ? QVariant(QString::number(*value, 'f', decimals)) : QVariant();
}

} // namespace

SampleQueueModel::SampleQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

SampleQueueModel::~SampleQueueModel() = default;

void SampleQueueModel::setDatabase(Database *database)
{
    m_db = database;
    reset();
}

void SampleQueueModel::setFilter(const SampleFilter &filter)
{
    m_filter = filter;
    reset();
    emit filterChanged(m_filter);
}

void SampleQueueModel::setSortOrder(const SampleSort &sort)
{
    if (sort.key == m_sort.key && sort.descending == m_sort.descending)
        return;
    m_sort = sort;
    reset();
    emit sortOrderChanged(m_sort);
}

std::optional<SampleSortKey> SampleQueueModel::sortKeyOf(int column)
{
    switch (column) {
    case IdColumn:
        return SampleSortKey::Id;
    case DifficultyColumn:
        return SampleSortKey::Difficulty;
    case UncertaintyColumn:
        return SampleSortKey::Uncertainty;
    case IouColumn:
        return SampleSortKey::ProposalIou;
    case ChainLengthColumn:
        return SampleSortKey::ChainLength;
    default:
        return std::nullopt;
    }
}

int SampleQueueModel::columnOf(SampleSortKey key)
{
    switch (key) {
    case SampleSortKey::Id:
        return IdColumn;
    case SampleSortKey::Difficulty:
        return DifficultyColumn;
    case SampleSortKey::Uncertainty:
        return UncertaintyColumn;
    case SampleSortKey::ProposalIou:
        return IouColumn;
    case SampleSortKey::ChainLength:
        return ChainLengthColumn;
    case SampleSortKey::Disagreement:
        return -1;  // no column: the header shows no sort indicator
    }
    return IdColumn;
}

void SampleQueueModel::sort(int column, Qt::SortOrder order)
{
    const std::optional<SampleSortKey> key = sortKeyOf(column);
    if (!key)
        return;
    setSortOrder(SampleSort{*key, order == Qt::DescendingOrder});
}

void SampleQueueModel::reset()
{
    beginResetModel();
    dropPages();
    m_pagesFetched = 0;
    m_count = readCount();
    endResetModel();
}

void SampleQueueModel::refresh()
{
    dropPages();
    const qint64 count = readCount();
    const int before = rowCount();
    const int after = int(qMin<qint64>(count, std::numeric_limits<int>::max()));
    if (after < before) {
        beginRemoveRows(QModelIndex(), after, before - 1);
        m_count = count;
        endRemoveRows();
    } else if (after > before) {
        beginInsertRows(QModelIndex(), before, after - 1);
        m_count = count;
        endInsertRows();
    }
    m_count = count;
    if (after > 0)
        emit dataChanged(index(0, 0), index(after - 1, ColumnCount - 1));
}

qint64 SampleQueueModel::readCount()
{
    if (!m_db)
        return 0;
    ++m_countQueries;
    const Expected<qint64> count = SampleRepository(*m_db).count(m_filter, m_sort);
    if (!count) {
        emit loadFailed(count.error());
        return 0;
    }
    return *count;
}

void SampleQueueModel::dropPages()
{
    m_pages.clear();
    m_lru.clear();
}

const SampleQueueModel::Page *SampleQueueModel::page(int number) const
{
    auto found = m_pages.find(number);
    if (found != m_pages.end()) {
        m_lru.splice(m_lru.begin(), m_lru, found->lru);
        return &*found;
    }
    if (!m_db)
        return nullptr;
    // The nearest full page cached before this one.
    int anchor = -1;
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        if (it.key() < number && it.key() > anchor && int(it->rows.size()) == kPageSize)
            anchor = it.key();
    const SampleRepository samples(*m_db);
    Expected<std::vector<SampleRow>> rows = Error{};
    // Read the page the cheapest way: by keyset after the nearest cached page before it, from the
    // start, or — deep in the list — from the end in the reverse order (ties are broken by id in the
    // sort's direction, so that order is exactly this one backwards). The cost is the rows skipped.
    const int total = rowCount();
    const int first = number * kPageSize;
    const int size = std::min(kPageSize, total - first);
    const int skipFromAnchor = anchor >= 0 ? (number - anchor - 1) * kPageSize : std::numeric_limits<int>::max();
    const int skipFromEnd = total - first - size;
    if (skipFromAnchor <= std::min(first, skipFromEnd)) {
        rows = samples.pageAfter(m_filter, m_sort, m_pages.value(anchor).rows.back(), kPageSize, skipFromAnchor);
    } else if (skipFromEnd < first) {
        const SampleSort reversed{m_sort.key, !m_sort.descending};
        rows = samples.page(m_filter, reversed, skipFromEnd, size);
        if (rows)
            std::reverse(rows->begin(), rows->end());
    } else {
        rows = samples.page(m_filter, m_sort, first, kPageSize);
    }
    if (!rows) {
        emit loadFailed(rows.error());
        return nullptr;
    }
    ++m_pagesFetched;
    while (int(m_pages.size()) >= kCachedPages) {
        m_pages.remove(m_lru.back());
        m_lru.pop_back();
    }
    m_lru.push_front(number);
    Page &stored = m_pages[number];
    stored.rows = std::move(*rows);
    stored.lru = m_lru.begin();
    return &stored;
}

std::optional<SampleRow> SampleQueueModel::rowAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    const Page *p = page(row / kPageSize);
    const std::size_t offset = std::size_t(row % kPageSize);
    if (!p || offset >= p->rows.size())
        return std::nullopt;
    return p->rows[offset];
}

qint64 SampleQueueModel::sampleIdAt(int row) const
{
    const std::optional<SampleRow> r = rowAt(row);
    return r ? r->id : 0;
}

int SampleQueueModel::cachedRowOf(qint64 sampleId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (std::size_t i = 0; i < it->rows.size(); ++i)
            if (it->rows[i].id == sampleId)
                return it.key() * kPageSize + int(i);
    return -1;
}

int SampleQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(qMin<qint64>(m_count, std::numeric_limits<int>::max()));
}

int SampleQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SampleQueueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != SampleIdRole
                             && role != Qt::TextAlignmentRole))
        return QVariant();
    if (role == Qt::TextAlignmentRole)
        return index.column() == QueryColumn || index.column() == SplitColumn || index.column() == StatusColumn
            ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const std::optional<SampleRow> row = rowAt(index.row());
    if (!row)
        return QVariant();
    if (role == SampleIdRole)
        return row->id;
    if (role == Qt::ToolTipRole)
        return index.column() == QueryColumn ? QVariant(row->query) : QVariant();
    switch (index.column()) {
    case IdColumn:
        return row->id;
    case SplitColumn:
        return row->split;
    case StatusColumn:
        return sampleStatusName(row->status);
    case QueryColumn:
        return row->query;
    case DifficultyColumn:
        return optionalNumber(row->difficulty, 1);
    case UncertaintyColumn:
        return optionalNumber(row->uncertainty, 3);
    case IouColumn:
        return optionalNumber(row->proposalIou, 3);
    case ChainLengthColumn:
        return row->chainLength ? QVariant(*row->chainLength) : QVariant();
    }
    return QVariant();
}

QVariant SampleQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role == Qt::ToolTipRole && sortKeyOf(section) && section != IdColumn)
        return tr("Sorting by this column lists only the samples that have a value in it");
    if (role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case IdColumn:
        return tr("Id");
    case SplitColumn:
        return tr("Split");
    case StatusColumn:
        return tr("Status");
    case QueryColumn:
        return tr("Query");
    case DifficultyColumn:
        return tr("Difficulty");
    case UncertaintyColumn:
        return tr("Uncertainty");
    case IouColumn:
        return tr("IoU");
    case ChainLengthColumn:
        return tr("Chain");
    }
    return QVariant();
}

} // namespace rs
