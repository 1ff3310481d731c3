// Rate limit for password logins. Every attempt is counted when it is admitted (so parallel
// attempts cannot slip past the limit) and taken back when it succeeds. Limits per window:
//  - one login from one address: maxPerLoginAndAddress (a guesser is stopped quickly);
//  - one address, any logins: maxPerAddress (one host trying many accounts);
//  - one login, any address: maxPerLogin, set high so that locking a known user out takes many
//    addresses, while a distributed guesser is still slowed down.
// A refused attempt gets the seconds until one is allowed (429 + Retry-After). Memory is bounded:
// at most maxEntries keys are tracked, the stalest dropped first.
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
        int maxPerLoginAndAddress = 5;
        int maxPerAddress = 20;
        int maxPerLogin = 50;
        qint64 windowMs = 15 * 60 * 1000;
        int maxEntries = 100000;
    };
    LoginThrottle() = default;
    explicit LoginThrottle(const Limits &limits) : m_limits(limits) {}

    // 0: the attempt may proceed and is counted as a failure until succeeded() is called; else the
    // seconds until an attempt may be made.
    int admit(const QString &login, const QString &address, const QDateTime &now);
    // The admitted attempt succeeded: it no longer counts, and this login's failures from this
    // address are forgotten.
    void succeeded(const QString &login, const QString &address);

private:
    int wait(const QString &key, int max, qint64 nowMs);
    void add(const QString &key, qint64 nowMs);
    void forgetLatest(const QString &key);

    Limits m_limits;
    std::mutex m_mutex;
    QHash<QString, std::deque<qint64>> m_failures; // key → failure times (ms), oldest first
};

} // namespace cairn::server
