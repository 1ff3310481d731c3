#include "api/LoginThrottle.h"

#include <algorithm>

namespace cairn::server {

int LoginThrottle::wait(const QString &key, int max, qint64 nowMs)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return 0;
    std::deque<qint64> &times = *it;
    while (!times.empty() && times.front() <= nowMs - m_limits.windowMs)
        times.pop_front();
    if (times.empty()) {
        m_failures.erase(it);
        return 0;
    }
    if (int(times.size()) < max)
        return 0;
    const qint64 ms = times[times.size() - size_t(max)] + m_limits.windowMs - nowMs;
    return int(std::max<qint64>(1, (ms + 999) / 1000));
}

void LoginThrottle::add(const QString &key, qint64 nowMs)
{
    if (m_failures.size() >= m_limits.maxEntries && !m_failures.contains(key)) {
        // Drop the key whose newest failure is oldest.
        auto stalest = m_failures.begin();
        for (auto it = m_failures.begin(); it != m_failures.end(); ++it) {
            if (it->empty() || (!stalest->empty() && it->back() < stalest->back()))
                stalest = it;
        }
        m_failures.erase(stalest);
    }
    m_failures[key].push_back(nowMs);
}

int LoginThrottle::retryAfter(const QString &login, const QString &address, const QDateTime &now)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const qint64 ms = now.toMSecsSinceEpoch();
    return std::max(wait(QStringLiteral("u:") + login, m_limits.maxFailuresPerLogin, ms),
                    wait(QStringLiteral("a:") + address, m_limits.maxFailuresPerAddress, ms));
}

void LoginThrottle::recordFailure(const QString &login, const QString &address, const QDateTime &now)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    add(QStringLiteral("u:") + login, now.toMSecsSinceEpoch());
    add(QStringLiteral("a:") + address, now.toMSecsSinceEpoch());
}

void LoginThrottle::recordSuccess(const QString &login)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_failures.remove(QStringLiteral("u:") + login);
}

} // namespace cairn::server
