#include "AccessLog.h"

#include <QRegularExpression>

namespace cairn::test {

QList<AccessLogEntry> parseAccessLog(const QByteArray &log)
{
    static const QRegularExpression line(
        QStringLiteral("^cairn\\.http: (\\S+) (\\S+) (\\S+) (\\d{3}) (\\d+) (\\d+)ms(?: in=(\\d+))?\\s*$"));
    QList<AccessLogEntry> entries;
    for (const QByteArray &raw : log.split('\n')) {
        if (!raw.startsWith("cairn.http: "))
            continue;
        const auto m = line.match(QString::fromLatin1(raw));
        if (!m.hasMatch())
            continue;
        AccessLogEntry e;
        e.peer = m.captured(1).toLatin1();
        e.method = m.captured(2).toLatin1();
        e.path = m.captured(3).toLatin1();
        e.status = m.captured(4).toInt();
        e.bytesOut = m.captured(5).toLongLong();
        e.ms = m.captured(6).toLongLong();
        e.bytesIn = m.captured(7).isEmpty() ? 0 : m.captured(7).toLongLong();
        entries.append(e);
    }
    return entries;
}

AgentUploads AgentUploads::operator-(const AgentUploads &earlier) const
{
    AgentUploads d;
    d.packs = packs - earlier.packs;
    d.packBytes = packBytes - earlier.packBytes;
    d.snapshots = snapshots - earlier.snapshots;
    d.snapshotBytes = snapshotBytes - earlier.snapshotBytes;
    d.refused = refused - earlier.refused;
    return d;
}

AgentUploads agentUploads(const QList<AccessLogEntry> &entries)
{
    AgentUploads u;
    for (const AccessLogEntry &e : entries) {
        if (e.method != "PUT")
            continue;
        const bool pack = e.path.startsWith("/api/v1/agent/packs/");
        const bool snapshot = e.path.startsWith("/api/v1/agent/snapshots/");
        if (!pack && !snapshot)
            continue;
        if (pack) {
            ++u.packs;
            u.packBytes += e.bytesIn;
        } else {
            ++u.snapshots;
            u.snapshotBytes += e.bytesIn;
        }
        if (e.status < 200 || e.status > 299)
            ++u.refused;
    }
    return u;
}

} // namespace cairn::test
