#include "core/numpyargsort.h"

#include <numeric>
#include <utility>

namespace rs {

namespace {

// numpy sorts a range by insertion once last - first is at most this (SMALL_QUICKSORT).
constexpr int kInsertionSortSpan = 15;

int floorLog2(std::size_t n)
{
    int bits = 0;
    while (n >>= 1)
        ++bits;
    return bits;
}

class IntroSorter
{
public:
    IntroSorter(const std::vector<std::uint64_t> &values, std::vector<int> &order)
        : m_values(values)
        , m_order(order)
    {
    }

    void sort()
    {
        const int n = int(m_order.size());
        struct Range
        {
            int first;
            int last;
            int depth;
        }; // inclusive
        std::vector<Range> pending { { 0, n - 1, 2 * floorLog2(std::size_t(n)) } };
        while (!pending.empty()) {
            Range range = pending.back();
            pending.pop_back();
            if (range.depth < 0) {
                heapSort(range.first, range.last - range.first + 1);
                continue;
            }
            // Partition, keep working on the smaller side and leave the larger one for later; the
            // depth limit is only checked when a range is taken up again, as numpy does.
            while (range.last - range.first > kInsertionSortSpan) {
                const int pivotAt = partition(range.first, range.last);
                --range.depth;
                if (pivotAt - range.first < range.last - pivotAt) {
                    pending.push_back({ pivotAt + 1, range.last, range.depth });
                    range.last = pivotAt - 1;
                } else {
                    pending.push_back({ range.first, pivotAt - 1, range.depth });
                    range.first = pivotAt + 1;
                }
            }
            insertionSort(range.first, range.last);
        }
    }

private:
    std::uint64_t valueAt(int position) const
    {
        return m_values[std::size_t(m_order[std::size_t(position)])];
    }
    int &slot(int position) { return m_order[std::size_t(position)]; }
    void swapSlots(int a, int b) { std::swap(slot(a), slot(b)); }

    // Median of first/middle/last as pivot, parked at last - 1; returns the pivot's final position.
    int partition(int first, int last)
    {
        const int middle = first + ((last - first) >> 1);
        if (valueAt(middle) < valueAt(first))
            swapSlots(middle, first);
        if (valueAt(last) < valueAt(middle))
            swapSlots(last, middle);
        if (valueAt(middle) < valueAt(first))
            swapSlots(middle, first);
        const std::uint64_t pivot = valueAt(middle);
        int up = first;
        int down = last - 1;
        swapSlots(middle, down);
        for (;;) {
            do
                ++up;
            while (valueAt(up) < pivot);
            do
                --down;
            while (pivot < valueAt(down));
            if (up >= down)
                break;
            swapSlots(up, down);
        }
        swapSlots(up, last - 1);
        return up;
    }

    void insertionSort(int first, int last)
    {
        for (int i = first + 1; i <= last; ++i) {
            const int moving = slot(i);
            const std::uint64_t key = m_values[std::size_t(moving)];
            int j = i;
            while (j > first && key < valueAt(j - 1)) {
                slot(j) = slot(j - 1);
                --j;
            }
            slot(j) = moving;
        }
    }

    // Max-heap sort of count slots starting at first, with numpy's 1-based sift order.
    void heapSort(int first, int count)
    {
        auto heap = [&](int k) -> int & { return slot(first + k - 1); };
        auto siftDown = [&](int hole, int moving, int size) {
            const std::uint64_t key = m_values[std::size_t(moving)];
            for (int child = hole * 2; child <= size; child = hole * 2) {
                if (child < size
                    && m_values[std::size_t(heap(child))] < m_values[std::size_t(heap(child + 1))])
                    ++child;
                if (!(key < m_values[std::size_t(heap(child))]))
                    break;
                heap(hole) = heap(child);
                hole = child;
            }
            heap(hole) = moving;
        };
        for (int k = count / 2; k > 0; --k)
            siftDown(k, heap(k), count);
        for (int size = count; size > 1;) {
            const int moving = heap(size);
            heap(size) = heap(1);
            --size;
            siftDown(1, moving, size);
        }
    }

    const std::vector<std::uint64_t> &m_values;
    std::vector<int> &m_order;
};

} // namespace

std::vector<int> numpyArgsort(const std::vector<std::uint64_t> &values)
{
    std::vector<int> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    if (order.size() > 1)
        IntroSorter(values, order).sort();
    return order;
}

} // namespace rs
