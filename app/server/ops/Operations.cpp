// Operations (see Operations.h). Runs on the thread that owns the object.
#include "ops/Operations.h"

#include "api/ScheduleViews.h"
#include "ops/UsageSampler.h"

#include <QJsonObject>

#include <algorithm>

namespace cairn::server {

namespace {

void audit(Catalog &catalog, const Job &job, const QString &action, const QDateTime &now, Operations::Pass &pass)
{
    AuditEntry e;
    e.at = now;
    e.tenantId = job.tenantId;
    e.agentId = job.agentId;
    e.action = action;
    e.object = QStringLiteral("job:%1").arg(job.id);
    e.detail = QJsonObject {{QStringLiteral("scheduled_at"), job.scheduledAt.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("requested_by"), job.requestedBy}};
    e.peer = QStringLiteral("server");
    if (Status s = catalog.addAudit(e); !s.ok())
        pass.problems << s.error().message;
}

} // namespace

Operations::Operations(Catalog &catalog, PackStore &store, const ServerSettings &server,
    std::function<QDateTime()> now, OperationsSettings settings, QObject *parent)
    : QObject(parent), m_catalog(catalog), m_store(store), m_server(server), m_now(std::move(now)), m_settings(settings)
{
    m_timer.setParent(this);
    m_timer.setInterval(std::clamp(m_settings.tickSeconds, 1, 3600) * 1000);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

void Operations::start()
{
    tick();
    m_timer.start();
}

void Operations::stop()
{
    m_timer.stop();
}

Operations::Pass Operations::tick()
{
    Pass pass;
    const QDateTime now = m_now();
    recordSlots(now, pass);
    const QDateTime cutoff = now.addSecs(-kMissedAfterSeconds);
    if (auto missed = m_catalog.markMissedJobs(cutoff, now)) {
        pass.missed += int(missed->size());
        for (const Job &j : *missed)
            audit(m_catalog, j, QStringLiteral("job.missed"), now, pass);
    } else {
        pass.problems << missed.error().message;
    }
    if (auto late = m_catalog.markLateJobs(cutoff)) {
        pass.late = int(late->size());
        for (const Job &j : *late)
            audit(m_catalog, j, QStringLiteral("job.late"), now, pass);
    } else {
        pass.problems << late.error().message;
    }
    if (!m_lastRetention.isValid() || now < m_lastRetention || m_lastRetention.secsTo(now) >= 3600) {
        m_lastRetention = now;
        applyRetention(now, pass);
    }
    sampleUsage(m_catalog, m_store, now, pass.problems); // billing samples, statements, store capacity
    for (const QString &p : pass.problems)
        qWarning("operations: %s", qPrintable(p));
    return pass;
}

void Operations::forEachServerWithPolicy(Pass &pass,
    const std::function<void(const Tenant &, const Agent &, const Policy &)> &visit)
{
    auto tenants = m_catalog.tenants();
    if (!tenants) {
        pass.problems << tenants.error().message;
        return;
    }
    for (const Tenant &tenant : *tenants) {
        auto agents = m_catalog.agents(tenant.id);
        if (!agents) {
            pass.problems << agents.error().message;
            continue;
        }
        for (const Agent &agent : *agents) {
            auto policy = m_catalog.policy(tenant.id, agent.id);
            if (policy)
                visit(tenant, agent, *policy);
            else if (policy.error().code != ErrorCode::NotFound)
                pass.problems << policy.error().message;
        }
    }
}

void Operations::recordSlots(const QDateTime &now, Pass &pass)
{
    forEachServerWithPolicy(pass, [&](const Tenant &tenant, const Agent &agent, const Policy &policy) {
        auto last = m_catalog.lastScheduledSlot(tenant.id, agent.id);
        if (!last) {
            pass.problems << last.error().message;
            return;
        }
        const ScheduleRule rule = scheduleRule(policy, tenant.timeZone, scheduleOffset(m_server, tenant.id, agent.id));
        // Slots strictly after `from` count: a policy's slots start after it was set (as the
        // agent and the next-run view see it), a server's after it enrolled.
        QDateTime from = std::max({policy.updatedAt, agent.enrolledAt, now.addDays(-kMaxCatchUpDays)});
        if (*last && **last > from)
            from = **last;
        for (QDateTime slot = nextSlot(rule, from); slot.isValid() && slot <= now; slot = nextSlot(rule, slot)) {
            Job job;
            job.tenantId = tenant.id;
            job.agentId = agent.id;
            job.kind = JobKind::Backup;
            job.state = JobState::Pending;
            job.scheduledAt = slot;
            const bool tooOld = slot.secsTo(now) >= kMissedAfterSeconds;
            if (tooOld) {
                job.state = JobState::Missed;
                job.finishedAt = now;
                job.error = QStringLiteral("not started within 3 hours of its scheduled time");
            }
            auto added = m_catalog.addScheduledJob(job);
            if (!added) {
                pass.problems << added.error().message;
                return;
            }
            if (!added->created)
                continue;
            ++pass.slotsRecorded;
            if (tooOld) {
                ++pass.missed;
                audit(m_catalog, added->job, QStringLiteral("job.missed"), now, pass);
            }
        }
    });
}

void Operations::applyRetention(const QDateTime &now, Pass &pass)
{
    forEachServerWithPolicy(pass, [&](const Tenant &tenant, const Agent &agent, const Policy &policy) {
        applyRetention(tenant, agent, policy, now, pass);
    });
}

void Operations::applyRetention(const Tenant &tenant, const Agent &agent, const Policy &policy, const QDateTime &now,
    Pass &pass)
{
    if (policy.retentionDays <= 0)
        return;
    const QDateTime cutoff = now.addDays(-policy.retentionDays);
    std::vector<SnapshotRecord> all;
    PageRequest page;
    page.limit = 500;
    for (;;) {
        auto snaps = m_catalog.snapshots(tenant.id, agent.id, page);
        if (!snaps) {
            pass.problems << snaps.error().message;
            return;
        }
        all.insert(all.end(), snaps->items.begin(), snaps->items.end());
        if (!snaps->next)
            break;
        page.beforeId = *snaps->next;
    }
    // Newest first by the time taken (rows need not be in that order): the first good snapshot
    // is kept whatever its age; the others taken before the cutoff go.
    std::stable_sort(all.begin(), all.end(), [](const SnapshotRecord &a, const SnapshotRecord &b) { return a.time > b.time; });
    std::vector<SnapshotRecord> expired;
    bool keptGood = false;
    for (const SnapshotRecord &s : all) {
        bool good = true;
        if (s.jobId) {
            auto job = m_catalog.job(tenant.id, *s.jobId);
            if (job)
                good = job->state == JobState::Succeeded || job->state == JobState::Warning;
            else if (job.error().code != ErrorCode::NotFound) {
                pass.problems << job.error().message;
                return; // unsure which snapshot is the good one: remove nothing
            }
        }
        if (good && !keptGood) {
            keptGood = true;
            continue;
        }
        if (s.time < cutoff)
            expired.push_back(s);
    }
    if (expired.empty())
        return;
    auto backend = m_store.tenant(tenant.id);
    if (!backend) {
        pass.problems << backend.error().message;
        return;
    }
    for (const SnapshotRecord &s : expired) {
        // The row first: a snapshot the console lists always has its record; a record left
        // behind by a failed removal is only a file (garbage collection removes it).
        if (Status st = m_catalog.removeSnapshot(tenant.id, s.id); !st.ok()) {
            pass.problems << st.error().message;
            continue;
        }
        if (Status st = (*backend)->remove({FileType::Snapshot, s.id.toHex()});
            !st.ok() && st.error().code != ErrorCode::NotFound)
            pass.problems << st.error().message;
        ++pass.snapshotsRemoved;
        AuditEntry e;
        e.at = now;
        e.tenantId = tenant.id;
        e.agentId = agent.id;
        e.action = QStringLiteral("snapshot.expire");
        e.object = QStringLiteral("snapshot:%1").arg(s.id.toHex());
        e.detail = QJsonObject {{QStringLiteral("taken_at"), s.time.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("retention_days"), policy.retentionDays}};
        e.peer = QStringLiteral("server");
        if (Status st = m_catalog.addAudit(e); !st.ok())
            pass.problems << st.error().message;
    }
}

} // namespace cairn::server
