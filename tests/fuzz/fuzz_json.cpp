// Fuzz target: the server's reading of JSON request bodies (api/JsonInput.h). The first byte
// selects the schema, the rest is the body:
//   0: a restore request, through readRestoreSpec (RestoreDispatch.h), the function the dispatch
//      and ticket handlers call. Accepted specs must survive toJobSpec/fromJobSpec, and the agent
//      must accept the job spec the server would send it (service/Protocol.h parseRestoreSpec):
//      a request the server takes but its agent refuses would fail only later, on the machine;
//   1: a restore ticket body (TicketApi addTicket: server, restore spec, target_server, contact);
//   2: a backup policy, through readPolicy (BodyReaders.h), the function setPolicy calls. An
//      accepted policy must be accepted again as the server shows it (the console saves what it
//      read), and the agent must accept it in its configuration (service/Protocol.h
//      parseAgentConfig) and run exactly that policy;
//   3: a job result, through readJobResult (BodyReaders.h), the function jobResult calls; and
//      the other way round, an agent's result (service/JobRunner.h JobOutcome::resultJson) made
//      from the input must be taken by the server.
// Schema 1 is read inside its handler; this target repeats its JsonInput calls with the same
// fields and limits (a representative copy, not the handler itself).
// Properties: no crash; an error is a 400 naming a field; an accepted body has every required
// field and only known ones. Single-threaded.
#include "FuzzSupport.h"

#include "api/JsonInput.h"
#include "api/JsonViews.h"
#include "api/BodyReaders.h"
#include "api/RestoreDispatch.h"
#include "service/JobRunner.h"
#include "service/Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <limits>

using namespace cairn;
using cairn::server::JsonInput;
using P = JsonInput::Presence;

namespace {

constexpr qint64 kIdMax = std::numeric_limits<qint64>::max() / 2;

// finish(): nullopt, or a 400 with a JSON error body.
bool finished(JsonInput &in)
{
    const auto bad = in.finish();
    if (bad) {
        fuzz::check(bad->status == 400, "a refused body is answered 400");
        const QJsonObject err = QJsonDocument::fromJson(bad->body).object().value(QStringLiteral("error")).toObject();
        fuzz::check(!err.value(QStringLiteral("code")).toString().isEmpty(), "a refusal carries an error code");
    }
    return !bad;
}

void onlyKnownFields(const QByteArray &body, const QStringList &known)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        fuzz::check(known.contains(it.key()), "an accepted body has only known fields");
}

bool unixPaths(const server::RestoreSpec &s)
{
    for (const QString &p : s.paths)
        if (!p.startsWith(QLatin1Char('/')))
            return false;
    return s.target.isEmpty() || s.target.startsWith(QLatin1Char('/'));
}

void restoreRequest(const QByteArray &body)
{
    JsonInput in(body);
    const server::RestoreSpec spec = server::readRestoreSpec(in);
    if (!finished(in))
        return;
    onlyKnownFields(body,
        {QStringLiteral("snapshot"), QStringLiteral("paths"), QStringLiteral("paths_b64"), QStringLiteral("target"),
            QStringLiteral("existing")});
    const QJsonObject job = spec.toJobSpec();
    const auto back = server::RestoreSpec::fromJobSpec(job);
    fuzz::check(back && back->snapshot == spec.snapshot && back->paths == spec.paths && back->pathsB64 == spec.pathsB64
            && back->target == spec.target && back->existing == spec.existing,
        "restore spec survives toJobSpec/fromJobSpec");
    if (!unixPaths(spec)) // Windows paths are for Windows agents; this agent is the Linux one
        return;
    const auto agent = parseRestoreSpec(job);
    if (!agent)
        std::fprintf(stderr, "agent refuses: %s\n", qPrintable(agent.error().message));
    fuzz::check(bool(agent), "the agent accepts every restore the server accepts");
    fuzz::check(agent->paths.size() == spec.paths.size() + (spec.pathsB64 ? spec.pathsB64->size() : 0),
        "the agent sees every requested path");
    fuzz::check(agent->target == (spec.target.isEmpty() ? QByteArray("/") : spec.target.toUtf8()),
        "the agent restores to the requested target");
}

void ticket(const QByteArray &body)
{
    JsonInput in(body);
    const auto serverId = in.integer(QStringLiteral("server"), P::Required, 1, kIdMax);
    server::readRestoreSpec(in);
    const auto target = in.integer(QStringLiteral("target_server"), P::Optional, 1, kIdMax);
    const auto contact = in.object(QStringLiteral("contact"), P::Optional);
    const auto note = in.string(QStringLiteral("note"), P::Optional, 4000);
    if (!finished(in))
        return;
    fuzz::check(serverId.has_value(), "an accepted ticket names its server");
    fuzz::check(!target || (*target >= 1 && *target <= kIdMax), "target server in range");
    fuzz::check(!note || note->size() <= 4000, "note within its limit");
    JsonInput c(contact.value_or(QJsonObject()), QStringLiteral("contact."));
    const auto name = c.string(QStringLiteral("name"), P::Optional, 200);
    const auto phone = c.string(QStringLiteral("phone"), P::Optional, 40);
    const auto email = c.string(QStringLiteral("email"), P::Optional, 254);
    if (finished(c))
        fuzz::check((!name || name->size() <= 200) && (!phone || phone->size() <= 40), "contact within limits");
}

void policy(const QByteArray &body)
{
    JsonInput in(body);
    server::Policy p = server::readPolicy(in);
    if (!finished(in))
        return;
    onlyKnownFields(body,
        {QStringLiteral("paths"), QStringLiteral("excludes"), QStringLiteral("one_file_system"),
            QStringLiteral("interval_days"), QStringLiteral("weekday"), QStringLiteral("hour"),
            QStringLiteral("retention_days"), QStringLiteral("pre_command"), QStringLiteral("post_command"),
            QStringLiteral("command_timeout_seconds"), QStringLiteral("on_pre_command_failure"),
            QStringLiteral("bandwidth_limit_kib")});
    fuzz::check(!p.paths.isEmpty() && p.paths.size() <= 100, "an accepted policy has 1 to 100 paths");
    fuzz::check(p.hour >= 0 && p.hour <= 23 && (p.intervalDays == 1 || p.intervalDays == 7),
        "policy values in range");
    p.updatedAt = QDateTime(QDate(2026, 11, 27), QTime(2, 0), Qt::UTC);
    const QJsonObject shown = server::policyJson(p);

    // The console reads a policy (GET) and saves it back (PUT): what it read is accepted as is.
    QJsonObject saved = shown;
    saved.remove(QStringLiteral("updated_at"));
    JsonInput again(QJsonDocument(saved).toJson(QJsonDocument::Compact));
    const server::Policy back = server::readPolicy(again);
    fuzz::check(finished(again), "a policy as the server shows it can be saved again");
    fuzz::check(back.paths == p.paths && back.excludes == p.excludes && back.oneFileSystem == p.oneFileSystem
            && back.intervalDays == p.intervalDays && back.weekday == p.weekday && back.hour == p.hour
            && back.retentionDays == p.retentionDays && back.preCommand == p.preCommand
            && back.postCommand == p.postCommand && back.commandTimeoutSeconds == p.commandTimeoutSeconds
            && back.continueOnPreFailure == p.continueOnPreFailure && back.bandwidthLimitKib == p.bandwidthLimitKib,
        "a policy survives being shown and saved again");

    // The agent reads it from its configuration (GET /agent/config). A policy the server takes but
    // the agent refuses would leave that agent without any configuration.
    for (const QByteArray &path : p.paths)
        if (!path.startsWith('/'))
            return; // Windows paths are for Windows agents; this agent is the Linux one
    const QJsonObject config {{QStringLiteral("agent"), QJsonObject {{QStringLiteral("id"), 1}}},
        {QStringLiteral("tenant"), QJsonObject {{QStringLiteral("time_zone"), QStringLiteral("Asia/Seoul")}}},
        {QStringLiteral("policy"), shown}, {QStringLiteral("schedule"), QJsonObject {}}};
    const auto agent = parseAgentConfig(config);
    if (!agent)
        std::fprintf(stderr, "agent refuses: %s\n", qPrintable(agent.error().message));
    fuzz::check(agent && agent->policy, "the agent accepts every policy the server accepts");
    const BackupPolicy &a = *agent->policy;
    fuzz::check(a.paths == p.paths && a.excludes == p.excludes && a.oneFileSystem == p.oneFileSystem
            && a.intervalDays == p.intervalDays && a.weekday == p.weekday && a.hour == p.hour
            && a.retentionDays == p.retentionDays && a.preCommand == p.preCommand.toUtf8()
            && a.postCommand == p.postCommand.toUtf8() && a.commandTimeoutSeconds == p.commandTimeoutSeconds
            && a.continueOnPreCommandFailure == p.continueOnPreFailure && a.bandwidthLimitKib == p.bandwidthLimitKib
            && a.updatedAt == p.updatedAt,
        "the agent runs the policy the server stored");
}

void jobResult(const QByteArray &body)
{
    JsonInput in(body);
    const server::JobResultInput result = server::readJobResult(in);
    if (finished(in)) {
        onlyKnownFields(body,
            {QStringLiteral("state"), QStringLiteral("stats"), QStringLiteral("snapshot"), QStringLiteral("error")});
        fuzz::check(result.state == server::JobState::Succeeded || result.state == server::JobState::Warning
                || result.state == server::JobState::Failed || result.state == server::JobState::Cancelled,
            "an accepted result ends the job");
        fuzz::check(!result.snapshot || SnapshotId::fromHex(*result.snapshot).has_value(),
            "an accepted snapshot id parses");
        fuzz::check(!result.error || result.error->size() <= 4000, "the error within its limit");
    }

    // The other way round: every result an agent sends is taken, or it would wait in the agent's
    // outbox for ever. The input becomes the outcome's error text (long enough to be cut).
    static const char *const kStates[] = {"succeeded", "warning", "failed", "cancelled"};
    JobOutcome outcome;
    outcome.state = QLatin1String(kStates[body.size() % 4]);
    outcome.error = QString::fromUtf8(body);
    if (!outcome.error.isEmpty())
        outcome.error = outcome.error.repeated(4100 / outcome.error.size() + 1);
    if (body.size() >= 32)
        outcome.snapshot = QString::fromLatin1(body.left(32).toHex());
    outcome.stats = QJsonObject {{QStringLiteral("note"), QString::fromUtf8(body)}};
    JsonInput sent(QJsonDocument(outcome.resultJson()).toJson(QJsonDocument::Compact));
    server::readJobResult(sent);
    fuzz::check(!sent.finish(), "the server takes every result an agent sends");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 4) {
    case 0: restoreRequest(body); break;
    case 1: ticket(body); break;
    case 2: policy(body); break;
    case 3: jobResult(body); break;
    }
    return 0;
}
