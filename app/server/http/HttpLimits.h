// The limits and timeouts of the HTTP front end (HttpFrontend, ConnectionGuard). A plain value
// set once when the front end is created and then read on the network thread.
#pragma once

#include <QtGlobal>

namespace cairn::server {

struct HttpLimits {
    // Header fields in one request; more → 431. At most 100: QtHttpServer 6.4 silently drops all
    // headers of a request with more (and with them its Content-Length, which would desynchronise
    // the body framing), so larger values are lowered to 100.
    int maxHeaderCount = 100;
    // Bytes of the request head (request line, headers, the empty line); more → 431. At most 64 KiB
    // (QtHttpServer 6.4 drops the headers when one field is over ~100 KiB).
    int maxHeaderBytes = 16 * 1024;
    // Sum of the Content-Length of all bodies being received or handled; a request that would go
    // over → 503 + Retry-After. QtHttpServer holds up to three copies of a body while it arrives
    // (socket transaction buffer, its chunk list, the joined body), so the memory used is up to
    // three times this figure.
    qint64 maxBufferedBodyBytes = 256LL * 1024 * 1024;
    // Open connections, TLS handshakes included; one more → 503 and close.
    int maxConnections = 512;
    // The request head must be complete this long after its first byte (a new connection: after
    // it was accepted); a TLS handshake must finish within it too.
    int headerTimeoutMs = 10 * 1000;
    // Longest pause inside a body, and how long a keep-alive connection may sit idle.
    int idleTimeoutMs = 30 * 1000;
    // After the first idleTimeoutMs of a body, its average rate must stay above this, or the
    // request is cut (408): a client trickling a byte now and then cannot hold a body reservation.
    qint64 minBodyBytesPerSecond = 16 * 1024;
    // Answer bytes a client has not read yet; a new request on a connection over this is refused
    // (503) and the connection closed, so a client that never reads cannot make the server buffer
    // answers without end.
    qint64 maxUnsentBytes = 8 * 1024 * 1024;
    // Threads running HttpApplication::handle().
    int workerThreads = 8;
    // Requests accepted on one connection and not yet answered (HTTP pipelining); more → 503.
    int maxPipelinedRequests = 16;
    // After an answer that closes the connection, unread input is drained and thrown away for at
    // most this long so that the client can read the answer (instead of a reset); then the
    // connection is cut.
    int lingerMs = 2 * 1000;
};

// The limits actually enforced: values out of range replaced (see the field comments).
HttpLimits effectiveLimits(const HttpLimits &requested);

} // namespace cairn::server
