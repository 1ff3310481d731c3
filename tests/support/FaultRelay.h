// FaultRelay: a TCP relay on 127.0.0.1 between real cairn-agent processes and a real cairn-server,
// for the network-fault tests (issue 7). Agents enroll with url() instead of the server's, so all
// of their traffic passes it; TLS goes through untouched (it relays bytes, never parses them).
// With no fault set it is a plain relay that counts bytes; faults can be set at any time from the
// test thread:
//  - cuts: a connection is cut after N bytes of one direction (upstream = agent to server, e.g.
//    in the middle of an upload; downstream = server to agent, e.g. in the middle of a download),
//    N drawn per connection from a seeded generator, for the next K connections or for each new
//    connection with a probability. A cut forwards exactly N bytes, then closes both sides with a
//    TCP reset (SO_LINGER 0), as a broken middlebox or a dropped link would;
//  - a slow link: a rate limit in bytes per second per direction (shared by all connections, as
//    one link would be) and a latency added to every chunk relayed;
//  - refusing: the listener closes (new connections are refused) until it is allowed again, and
//    resetAll() cuts every open connection.
// Counters: connections, bytes each way, cuts made.
// The relay runs on its own thread (an event loop with the sockets); every public method may be
// called from any thread.
#pragma once

#include <QString>
#include <QThread>

#include <memory>

namespace cairn::test {

enum class RelayDirection { Upstream, Downstream };

class FaultRelay {
public:
    struct Counters {
        qint64 connections = 0; // accepted
        qint64 bytesUp = 0; // agent to server, as delivered
        qint64 bytesDown = 0; // server to agent, as delivered
        qint64 cutsUp = 0; // connections cut in the upstream direction
        qint64 cutsDown = 0;
        qint64 resets = 0; // connections cut by resetAll()
        qint64 cuts() const { return cutsUp + cutsDown; }
    };

    FaultRelay();
    ~FaultRelay(); // closes every connection and stops the thread
    FaultRelay(const FaultRelay &) = delete;
    FaultRelay &operator=(const FaultRelay &) = delete;

    // Listens on 127.0.0.1 (a port the system picks) and relays to 127.0.0.1:targetPort.
    bool start(quint16 targetPort);
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("https://127.0.0.1:%1").arg(m_port); }

    // The next `connections` new connections are each cut after N bytes in `direction`, N uniform
    // in [minBytes, maxBytes] from a generator seeded with `seed`. Replaces the rule of that
    // direction.
    void cutConnections(RelayDirection direction, int connections, qint64 minBytes, qint64 maxBytes, quint32 seed);
    // Each new connection is cut with `probability` (0..1), N as above, until stopCutting().
    void cutWithProbability(
        RelayDirection direction, double probability, qint64 minBytes, qint64 maxBytes, quint32 seed);
    // No more cuts for new connections (connections already given a cut keep it).
    void stopCutting();

    // A slow link: `bytesPerSecond` in `direction` (0 = unlimited) and `latencyMs` added to every
    // chunk in both directions. Applies at once, also to open connections.
    void setRateLimit(RelayDirection direction, qint64 bytesPerSecond);
    void setLatency(int latencyMs);

    // While refusing, connection attempts are refused (the listener is closed); its port stays.
    bool setRefusing(bool refusing);
    // Cuts every open connection (a reset both ways).
    void resetAll();

    Counters counters() const;
    qint64 bytesUp() const { return counters().bytesUp; }

    struct Shared; // settings and counters, shared with the relay thread
    class Engine; // the listener and its connections, on the relay thread

private:
    QThread m_thread;
    Engine *m_engine = nullptr; // lives on m_thread
    std::shared_ptr<Shared> m_shared;
    quint16 m_port = 0;
};

} // namespace cairn::test
