// Reading cairn-server's access log in tests: the server logs one line per request,
//   "cairn.http: PEER METHOD PATH STATUS BYTES_OUT NNms in=BYTES_IN"
// (in= only for requests with a body; it is the request's Content-Length). A request the client
// cut off before the server answered has no line. Tests use these to count what agents uploaded
// in a period of a run: parse ServerProcess::log() before and after, and subtract.
// Plain functions; the test's main thread.
#pragma once

#include <QByteArray>
#include <QList>

namespace cairn::test {

struct AccessLogEntry {
    QByteArray peer;
    QByteArray method;
    QByteArray path; // with its query, as requested
    int status = 0;
    qint64 bytesOut = 0;
    qint64 ms = 0;
    qint64 bytesIn = 0; // 0 when the line has no in=
};

// Every access-log line of `log`, in order; other lines (start-up messages, warnings) are skipped.
QList<AccessLogEntry> parseAccessLog(const QByteArray &log);

// What agents uploaded: PUT /api/v1/agent/packs/… and PUT /api/v1/agent/snapshots/… lines.
struct AgentUploads {
    qint64 packs = 0; // pack PUT lines (any status)
    qint64 packBytes = 0; // their in= sum
    qint64 snapshots = 0; // snapshot PUT lines (any status)
    qint64 snapshotBytes = 0; // their in= sum
    qint64 refused = 0; // upload lines whose status is not 2xx

    qint64 bytes() const { return packBytes + snapshotBytes; }
    AgentUploads operator-(const AgentUploads &earlier) const;
};

AgentUploads agentUploads(const QList<AccessLogEntry> &entries);
inline AgentUploads agentUploads(const QByteArray &log)
{
    return agentUploads(parseAccessLog(log));
}

} // namespace cairn::test
