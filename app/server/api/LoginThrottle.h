// Rate limit for password logins, per login name and per client address: after `maxFailures`
// failures inside `window`, further attempts are refused until the oldest failure leaves the
// window (the API answers 429 with Retry-After). A success clears the login's record. Memory is
// bounded: at most `maxEntries` keys are tracked, the stalest dropped first.
// Thread-safe (one mutex); called from the API worker threads.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <deque>
#include <mutex>

namespace cairn::server {

class LoginThrottle {
public:
    struct Limits {
        int maxFailuresPerLogin = 5;
        int maxFailuresPerAddress = 20;
        qint64 windowMs = 15 * 60 * 1000;
        int maxEntries = 100000;
    };
    LoginThrottle() = default;
    explicit LoginThrottle(const Limits &limits) : m_limits(limits) {}

    // 0 if an attempt may proceed, else the seconds until one may.
    int retryAfter(const QString &login, const QString &address, const QDateTime &now);
    void recordFailure(const QString &login, const QString &address, const QDateTime &now);
    void recordSuccess(const QString &login);

private:
    int wait(const QString &key, int max, qint64 nowMs);
    void add(const QString &key, qint64 nowMs);

    Limits m_limits;
    std::mutex m_mutex;
    QHash<QString, std::deque<qint64>> m_failures; // key → failure times (ms), oldest first
};

} // namespace cairn::server
