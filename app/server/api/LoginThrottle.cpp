#include "api/LoginThrottle.h"

#include <algorithm>

namespace cairn::server {

namespace {
QString pairKey(const QString &login, const QString &address)
{
    return QStringLiteral("p:") + address + QLatin1Char('|') + login;
}
QString addressKey(const QString &address) { return QStringLiteral("a:") + address; }
QString loginKey(const QString &login) { return QStringLiteral("u:") + login; }
} // namespace

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

void LoginThrottle::forgetLatest(const QString &key)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return;
    if (!it->empty())
        it->pop_back();
    if (it->empty())
        m_failures.erase(it);
}

int LoginThrottle::admit(const QString &login, const QString &address, const QDateTime &now)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const qint64 ms = now.toMSecsSinceEpoch();
    const int waitSeconds = std::max({wait(pairKey(login, address), m_limits.maxPerLoginAndAddress, ms),
                                      wait(addressKey(address), m_limits.maxPerAddress, ms),
                                      wait(loginKey(login), m_limits.maxPerLogin, ms)});
    if (waitSeconds > 0)
        return waitSeconds;
    add(pairKey(login, address), ms);
    add(addressKey(address), ms);
    add(loginKey(login), ms);
    return 0;
}

void LoginThrottle::succeeded(const QString &login, const QString &address)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_failures.remove(pairKey(login, address));
    forgetLatest(addressKey(address));
    forgetLatest(loginKey(login));
}

} // namespace cairn::server
