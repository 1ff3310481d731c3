// The global request-body budget and the limit sanitising of HttpLimits (network thread).
#include "http/BodyBudget.h"
#include "http/HttpLimits.h"

#include <algorithm>

namespace cairn::server {

bool BodyBudget::tryReserve(qint64 bytes)
{
    if (bytes <= 0)
        return true;
    const qint64 now = m_reserved.load(std::memory_order_relaxed);
    if (bytes > m_capacity - now)
        return false;
    m_reserved.store(now + bytes, std::memory_order_relaxed);
    return true;
}

void BodyBudget::release(qint64 bytes)
{
    if (bytes <= 0)
        return;
    const qint64 now = m_reserved.load(std::memory_order_relaxed);
    Q_ASSERT(now >= bytes);
    m_reserved.store(std::max<qint64>(0, now - bytes), std::memory_order_relaxed);
}

HttpLimits effectiveLimits(const HttpLimits &requested)
{
    HttpLimits l = requested;
    l.maxHeaderCount = std::clamp(l.maxHeaderCount, 1, 100);
    l.maxHeaderBytes = std::clamp(l.maxHeaderBytes, 256, 64 * 1024);
    l.maxBufferedBodyBytes = std::max<qint64>(l.maxBufferedBodyBytes, 0);
    l.maxConnections = std::max(l.maxConnections, 1);
    l.headerTimeoutMs = std::max(l.headerTimeoutMs, 1);
    l.idleTimeoutMs = std::max(l.idleTimeoutMs, 1);
    l.workerThreads = std::max(l.workerThreads, 1);
    l.maxPipelinedRequests = std::max(l.maxPipelinedRequests, 1);
    l.lingerMs = std::max(l.lingerMs, 0);
    return l;
}

} // namespace cairn::server
