// FaultRelay: the relay's engine (listener, shared rate buckets) and one Link per agent
// connection with a pipe each way. The engine and its links live on the relay's own thread; the
// settings they read and the counters they keep are in Shared, which the test thread reaches
// under its mutex (settings) or atomically (counters).
#include "FaultRelay.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <deque>
#include <limits>
#include <mutex>

#include <sys/socket.h>

namespace cairn::test {

namespace {

constexpr qint64 kHighWater = 256 << 10; // buffered per pipe before the sender is held back
constexpr qint64 kChunk = 64 << 10; // largest chunk relayed at once
constexpr qint64 kMinChunk = 1024; // a rate-limited pipe waits for at least this much allowance
constexpr qint64 kNever = std::numeric_limits<qint64>::max();

struct CutRule {
    bool active = false;
    int remaining = 0; // connections still to cut; -1: every one, with `probability`
    double probability = 1.0;
    qint64 minBytes = 1;
    qint64 maxBytes = 1;
    QRandomGenerator rng;
};

// Closes `socket` with a TCP reset: SO_LINGER 0 makes close() drop the connection at once.
void resetSocket(QTcpSocket *socket)
{
    if (!socket)
        return;
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        const linger hard {1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    socket->abort();
}

} // namespace

struct FaultRelay::Shared {
    std::mutex mutex;
    CutRule rules[2]; // by RelayDirection
    qint64 rate[2] = {0, 0};
    int latencyMs = 0;

    std::atomic<qint64> connections {0};
    std::atomic<qint64> bytes[2] {};
    std::atomic<qint64> cuts[2] {};
    std::atomic<qint64> resets {0};

    // The cut point of a new connection in direction `d`, or -1 for none. Under `mutex`.
    qint64 drawCut(int d)
    {
        CutRule &r = rules[d];
        if (!r.active)
            return -1;
        if (r.remaining == 0) {
            r.active = false;
            return -1;
        }
        if (r.remaining > 0)
            --r.remaining;
        else if (r.rng.generateDouble() >= r.probability)
            return -1;
        return r.minBytes + qint64(r.rng.bounded(quint64(r.maxBytes - r.minBytes + 1)));
    }
};

class FaultRelay::Engine : public QObject {
public:
    Engine(std::shared_ptr<Shared> shared, quint16 target)
        : m_shared(std::move(shared)), m_target(target), m_listener(new QTcpServer(this))
    {
        m_clock.start();
        QObject::connect(m_listener, &QTcpServer::newConnection, this, [this] { accept(); });
    }

    bool listen(quint16 port) { return m_listener->listen(QHostAddress::LocalHost, port); }
    quint16 port() const { return m_listener->serverPort(); }
    void close() { m_listener->close(); }
    void resetAll();

    qint64 now() const { return m_clock.elapsed(); }
    Shared &shared() { return *m_shared; }
    quint16 target() const { return m_target; }

    // How many bytes direction `d` may relay now at `rate` (a token bucket shared by all links:
    // one link's worth of bandwidth), and taking them.
    qint64 allowance(int d, qint64 rate)
    {
        Bucket &b = m_buckets[d];
        const qint64 t = now();
        const double burst = std::max<double>(double(rate) / 20, 4096);
        b.tokens = std::min(burst, b.tokens + double(t - b.last) * double(rate) / 1000);
        b.last = t;
        return qint64(b.tokens);
    }
    void consume(int d, qint64 n) { m_buckets[d].tokens -= double(n); }

private:
    struct Bucket {
        double tokens = 0;
        qint64 last = 0;
    };
    void accept();

    std::shared_ptr<Shared> m_shared;
    quint16 m_target;
    QTcpServer *m_listener;
    QElapsedTimer m_clock;
    Bucket m_buckets[2];
};

namespace {

// One agent connection and its connection to the server: a pipe each way.
class Link : public QObject {
public:
    Link(FaultRelay::Engine *engine, FaultRelay::Shared &shared, QTcpSocket *agent, quint16 target, qint64 cutUp,
        qint64 cutDown);

    void reset(); // resetAll(): a reset both ways

private:
    struct Pipe {
        int dir = 0;
        QTcpSocket *src = nullptr;
        QTcpSocket *dst = nullptr;
        qint64 cutAt = -1; // bytes after which the connection is cut; -1 never
        qint64 forwarded = 0;
        std::deque<std::pair<qint64, QByteArray>> delayed; // (release time, chunk) under latency
        qint64 queued = 0; // bytes in `delayed`
        QByteArray tail; // what the source had sent when it closed
        bool srcClosed = false;
        bool finished = false; // dst was told to close

        qint64 available() const { return srcClosed ? tail.size() : src->bytesAvailable(); }
        QByteArray read(qint64 n)
        {
            if (!srcClosed)
                return src->read(n);
            const QByteArray part = tail.left(n);
            tail.remove(0, part.size());
            return part;
        }
    };

    void pump();
    bool pumpPipe(Pipe &p, qint64 now, qint64 rate, int latency, qint64 &wake); // false: the link is gone
    bool deliver(Pipe &p, const QByteArray &data);
    void sourceClosed(Pipe &p);
    void cut(int dir);
    void drop(); // resets both sockets and goes away

    FaultRelay::Engine *m_engine;
    FaultRelay::Shared &m_shared;
    QTcpSocket *m_agent;
    QTcpSocket *m_server;
    Pipe m_up, m_down;
    QTimer m_timer;
    bool m_serverConnected = false;
    bool m_dead = false;
};

Link::Link(FaultRelay::Engine *engine, FaultRelay::Shared &shared, QTcpSocket *agent, quint16 target, qint64 cutUp,
    qint64 cutDown)
    : QObject(engine), m_engine(engine), m_shared(shared), m_agent(agent), m_server(new QTcpSocket(this))
{
    m_agent->setParent(this);
    m_agent->setReadBufferSize(kHighWater); // the agent is held back by TCP when the relay is slower
    m_server->setReadBufferSize(kHighWater);
    m_up = Pipe {int(RelayDirection::Upstream), m_agent, m_server, cutUp};
    m_down = Pipe {int(RelayDirection::Downstream), m_server, m_agent, cutDown};
    m_timer.setSingleShot(true);
    QObject::connect(&m_timer, &QTimer::timeout, this, [this] { pump(); });
    for (QTcpSocket *s : {m_agent, m_server}) {
        QObject::connect(s, &QTcpSocket::readyRead, this, [this] { pump(); });
        QObject::connect(s, &QTcpSocket::bytesWritten, this, [this] { pump(); });
    }
    QObject::connect(m_server, &QTcpSocket::connected, this, [this] {
        m_serverConnected = true;
        pump();
    });
    QObject::connect(m_agent, &QTcpSocket::disconnected, this, [this] { sourceClosed(m_up); });
    QObject::connect(m_server, &QTcpSocket::disconnected, this, [this] { sourceClosed(m_down); });
    QObject::connect(m_server, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (!m_dead && !m_serverConnected)
            drop(); // the server did not take the connection: neither does the relay
    });
    m_server->connectToHost(QHostAddress::LocalHost, target);
}

void Link::sourceClosed(Pipe &p)
{
    if (m_dead || p.srcClosed)
        return;
    p.tail = p.src->readAll();
    p.srcClosed = true;
    pump();
}

void Link::pump()
{
    if (m_dead)
        return;
    qint64 rate[2];
    int latency = 0;
    {
        std::lock_guard lock(m_shared.mutex);
        rate[0] = m_shared.rate[0];
        rate[1] = m_shared.rate[1];
        latency = m_shared.latencyMs;
    }
    const qint64 now = m_engine->now();
    qint64 wake = kNever;
    if (!pumpPipe(m_up, now, rate[m_up.dir], latency, wake) || m_dead
        || !pumpPipe(m_down, now, rate[m_down.dir], latency, wake) || m_dead)
        return;
    const bool agentGone = m_agent->state() == QAbstractSocket::UnconnectedState;
    const bool serverGone = m_server->state() == QAbstractSocket::UnconnectedState;
    if (agentGone && serverGone) {
        m_dead = true;
        deleteLater();
        return;
    }
    if (wake != kNever && (!m_timer.isActive() || m_timer.remainingTime() > wake))
        m_timer.start(int(std::max<qint64>(1, wake)));
}

bool Link::pumpPipe(Pipe &p, qint64 now, qint64 rate, int latency, qint64 &wake)
{
    while (!p.delayed.empty() && p.delayed.front().first <= now) {
        const QByteArray data = std::move(p.delayed.front().second);
        p.delayed.pop_front();
        p.queued -= data.size();
        if (!deliver(p, data))
            return false;
    }
    if (!p.delayed.empty())
        wake = std::min(wake, p.delayed.front().first - now);
    if (p.finished)
        return true;
    if (p.dst->state() == QAbstractSocket::UnconnectedState && (p.dst == m_agent || m_serverConnected)) {
        p.finished = true; // the receiver went away: what is left has nowhere to go
        p.tail.clear();
        p.delayed.clear();
        p.queued = 0;
        return true;
    }
    const bool dstOpen = p.dst->state() == QAbstractSocket::ConnectedState;
    while (!m_dead && dstOpen && p.available() > 0 && p.dst->bytesToWrite() + p.queued < kHighWater) {
        qint64 want = std::min(p.available(), kChunk);
        if (rate > 0) {
            const qint64 allowed = m_engine->allowance(p.dir, rate);
            const qint64 least = std::min(want, kMinChunk);
            if (allowed < least) {
                wake = std::min(wake, (least - allowed) * 1000 / rate + 1);
                break;
            }
            want = std::min(want, allowed);
        }
        const QByteArray data = p.read(want);
        if (data.isEmpty())
            break;
        if (rate > 0)
            m_engine->consume(p.dir, data.size());
        if (latency > 0) {
            p.delayed.emplace_back(now + latency, data);
            p.queued += data.size();
            wake = std::min(wake, qint64(latency));
        } else if (!deliver(p, data)) {
            return false;
        }
    }
    if (p.srcClosed && p.tail.isEmpty() && p.delayed.empty()) {
        p.finished = true;
        if (p.dst->state() != QAbstractSocket::UnconnectedState)
            p.dst->disconnectFromHost(); // after what is written; the other pipe ends with it
        else if (p.dst == m_server)
            m_server->abort(); // never connected
    }
    return true;
}

bool Link::deliver(Pipe &p, const QByteArray &data)
{
    if (p.dst->state() != QAbstractSocket::ConnectedState)
        return true; // the receiver is gone: dropped, as a network would
    if (p.cutAt >= 0 && p.forwarded + data.size() >= p.cutAt) {
        const qint64 part = p.cutAt - p.forwarded;
        p.forwarded += part;
        m_shared.bytes[p.dir] += part;
        m_dead = true; // flush() may emit bytesWritten: nothing more is relayed
        p.dst->write(data.constData(), part);
        p.dst->flush();
        cut(p.dir);
        return false;
    }
    p.dst->write(data);
    p.forwarded += data.size();
    m_shared.bytes[p.dir] += data.size();
    return true;
}

void Link::cut(int dir)
{
    ++m_shared.cuts[dir];
    drop();
}

void Link::reset()
{
    if (m_dead)
        return;
    ++m_shared.resets;
    drop();
}

void Link::drop()
{
    m_dead = true;
    m_timer.stop();
    resetSocket(m_agent);
    resetSocket(m_server);
    deleteLater();
}

} // namespace

void FaultRelay::Engine::accept()
{
    while (QTcpSocket *agent = m_listener->nextPendingConnection()) {
        ++m_shared->connections;
        qint64 cutUp = -1, cutDown = -1;
        {
            std::lock_guard lock(m_shared->mutex);
            cutUp = m_shared->drawCut(int(RelayDirection::Upstream));
            cutDown = m_shared->drawCut(int(RelayDirection::Downstream));
        }
        new Link(this, *m_shared, agent, m_target, cutUp, cutDown);
    }
}

void FaultRelay::Engine::resetAll()
{
    for (QObject *child : children())
        if (auto *link = dynamic_cast<Link *>(child))
            link->reset();
}

FaultRelay::FaultRelay() : m_shared(std::make_shared<Shared>()) { }

FaultRelay::~FaultRelay()
{
    if (m_engine)
        QMetaObject::invokeMethod(
            m_engine, [engine = m_engine] { delete engine; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool FaultRelay::start(quint16 targetPort)
{
    if (m_engine)
        return false;
    m_engine = new Engine(m_shared, targetPort);
    m_engine->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("fault-relay"));
    m_thread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        m_engine,
        [engine = m_engine, &port] {
            if (engine->listen(0))
                port = engine->port();
        },
        Qt::BlockingQueuedConnection);
    m_port = port;
    return m_port != 0;
}

void FaultRelay::cutConnections(
    RelayDirection direction, int connections, qint64 minBytes, qint64 maxBytes, quint32 seed)
{
    std::lock_guard lock(m_shared->mutex);
    CutRule &r = m_shared->rules[int(direction)];
    r.active = connections > 0;
    r.remaining = std::max(0, connections);
    r.probability = 1.0;
    r.minBytes = std::max<qint64>(1, minBytes);
    r.maxBytes = std::max(r.minBytes, maxBytes);
    r.rng.seed(seed);
}

void FaultRelay::cutWithProbability(
    RelayDirection direction, double probability, qint64 minBytes, qint64 maxBytes, quint32 seed)
{
    std::lock_guard lock(m_shared->mutex);
    CutRule &r = m_shared->rules[int(direction)];
    r.active = probability > 0;
    r.remaining = -1;
    r.probability = probability;
    r.minBytes = std::max<qint64>(1, minBytes);
    r.maxBytes = std::max(r.minBytes, maxBytes);
    r.rng.seed(seed);
}

void FaultRelay::stopCutting()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->rules[0].active = false;
    m_shared->rules[1].active = false;
}

void FaultRelay::setRateLimit(RelayDirection direction, qint64 bytesPerSecond)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->rate[int(direction)] = std::max<qint64>(0, bytesPerSecond);
}

void FaultRelay::setLatency(int latencyMs)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->latencyMs = std::max(0, latencyMs);
}

bool FaultRelay::setRefusing(bool refusing)
{
    if (!m_engine)
        return false;
    bool ok = false;
    QMetaObject::invokeMethod(
        m_engine,
        [engine = m_engine, refusing, port = m_port, &ok] {
            if (refusing) {
                engine->close();
                ok = true;
            } else {
                ok = engine->port() == port || engine->listen(port);
            }
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void FaultRelay::resetAll()
{
    if (m_engine)
        QMetaObject::invokeMethod(
            m_engine, [engine = m_engine] { engine->resetAll(); }, Qt::BlockingQueuedConnection);
}

FaultRelay::Counters FaultRelay::counters() const
{
    Counters c;
    c.connections = m_shared->connections.load();
    c.bytesUp = m_shared->bytes[int(RelayDirection::Upstream)].load();
    c.bytesDown = m_shared->bytes[int(RelayDirection::Downstream)].load();
    c.cutsUp = m_shared->cuts[int(RelayDirection::Upstream)].load();
    c.cutsDown = m_shared->cuts[int(RelayDirection::Downstream)].load();
    c.resets = m_shared->resets.load();
    return c;
}

} // namespace cairn::test
