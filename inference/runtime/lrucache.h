#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace rs {

// A least-recently-used map with a fixed capacity (0 = stores nothing). Not thread-safe.
template<typename Key, typename Value> class LruCache
{
public:
    explicit LruCache(std::size_t capacity = 0)
        : m_capacity(capacity)
    {
    }

    std::size_t capacity() const { return m_capacity; }
    std::size_t size() const { return m_index.size(); }

    void setCapacity(std::size_t capacity)
    {
        m_capacity = capacity;
        trim();
    }

    // The value for `key`, now the most recently used, or nullptr. Valid until the next insert/clear.
    const Value *find(const Key &key)
    {
        const auto it = m_index.find(key);
        if (it == m_index.end())
            return nullptr;
        m_items.splice(m_items.begin(), m_items, it->second);
        return &it->second->second;
    }

    void insert(const Key &key, Value value)
    {
        if (m_capacity == 0)
            return;
        const auto it = m_index.find(key);
        if (it != m_index.end()) {
            it->second->second = std::move(value);
            m_items.splice(m_items.begin(), m_items, it->second);
            return;
        }
        m_items.emplace_front(key, std::move(value));
        m_index.emplace(key, m_items.begin());
        trim();
    }

    void clear()
    {
        m_index.clear();
        m_items.clear();
    }

private:
    void trim()
    {
        while (m_index.size() > m_capacity) {
            m_index.erase(m_items.back().first);
            m_items.pop_back();
        }
    }

    std::size_t m_capacity = 0;
    std::list<std::pair<Key, Value>> m_items;
    std::unordered_map<Key, typename std::list<std::pair<Key, Value>>::iterator> m_index;
};

} // namespace rs
