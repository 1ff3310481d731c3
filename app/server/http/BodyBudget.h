// The global budget of request-body bytes the HTTP front end may hold in memory at once. Changed
// only on the network thread (by the ConnectionGuards); reserved() may be read from any thread.
#pragma once

#include <QtGlobal>

#include <atomic>

namespace cairn::server {

class BodyBudget {
public:
    explicit BodyBudget(qint64 capacity) : m_capacity(capacity) { }
    BodyBudget(const BodyBudget &) = delete;
    BodyBudget &operator=(const BodyBudget &) = delete;

    // Reserves `bytes` if they fit into what is left; false (and nothing reserved) otherwise.
    [[nodiscard]] bool tryReserve(qint64 bytes);
    void release(qint64 bytes);

    qint64 reserved() const { return m_reserved.load(std::memory_order_relaxed); }
    qint64 capacity() const { return m_capacity; }

private:
    const qint64 m_capacity;
    std::atomic<qint64> m_reserved {0};
};

} // namespace cairn::server
