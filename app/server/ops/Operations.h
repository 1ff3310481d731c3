// Operations: the work the server does on its own clock rather than on a request. Each pass
// (tick) at the server's clock (ServerContext::now):
// - records every server's schedule: a job (requested_by "schedule", state pending) for each slot
//   of its policy that has come, from the later of the policy's last change, the server's
//   enrollment and its newest scheduled job (at most 31 days back); a slot already 3 hours old
//   when it is recorded (the server was down) is recorded as missed at once. The agent registers
//   the same slots itself (POST /agent/jobs, idempotent per slot), so whichever comes first
//   creates the job and the other finds it;
// - backups still pending 3 hours after they were due become missed (a failure);
// - backups still running 3 hours after they were due are flagged late (a warning; they complete
//   normally);
// - retention (at most once an hour of the clock): for every server with a policy, snapshots
//   taken more than the policy's retention
//   days ago are removed (the catalog row, then the record in the store), except the newest good
//   one (its backup succeeded or ended with warnings): a server always keeps a snapshot to
//   restore. Their data stays in the packs until garbage collection.
// Missed and late runs and removed snapshots are written to the audit log. Later passes (GC,
// mail, usage samples) join here.
//
// Thread: the thread that owns the object (serve: the main thread), driven by a QTimer; tick()
// is public for tests. The catalog calls are short SQL statements.
#pragma once

#include "api/Api.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace cairn::server {

struct OperationsSettings {
    int tickSeconds = 30; // operations/tick_seconds (1–3600)
};

class Operations : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kMissedAfterSeconds = 3 * 3600;
    static constexpr qint64 kMaxCatchUpDays = 31;

    // `now` is the server's clock (ServerContext::now); all three must outlive the object.
    Operations(Catalog &catalog, PackStore &store, const ServerSettings &server, std::function<QDateTime()> now,
        OperationsSettings settings, QObject *parent = nullptr);

    void start(); // the first pass at once, then every tickSeconds
    void stop();  // on the object's thread, before that thread ends

    struct Pass {
        int slotsRecorded = 0, missed = 0, late = 0, snapshotsRemoved = 0;
        QStringList problems; // catalog errors; the pass goes on with the next server
    };
    Pass tick();

private:
    // Calls `visit` for every registered server that has a policy; catalog errors go to `pass`.
    void forEachServerWithPolicy(Pass &pass, const std::function<void(const Tenant &, const Agent &, const Policy &)> &visit);
    void recordSlots(const QDateTime &now, Pass &pass);
    void applyRetention(const QDateTime &now, Pass &pass);
    void applyRetention(const Tenant &tenant, const Agent &agent, const Policy &policy, const QDateTime &now, Pass &pass);

    Catalog &m_catalog;
    PackStore &m_store;
    const ServerSettings &m_server;
    std::function<QDateTime()> m_now;
    OperationsSettings m_settings;
    QTimer m_timer;
    QDateTime m_lastRetention;
};

} // namespace cairn::server
