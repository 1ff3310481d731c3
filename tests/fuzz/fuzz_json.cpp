// Fuzz target: the server's reading of JSON request bodies (api/JsonInput.h). The first byte
// selects the schema, the rest is the body:
//   0: a restore request, through readRestoreSpec (RestoreDispatch.h), the function the dispatch
//      and ticket handlers call. Accepted specs must survive toJobSpec/fromJobSpec, and the agent
//      must accept the job spec the server would send it (service/Protocol.h parseRestoreSpec):
//      a request the server takes but its agent refuses would fail only later, on the machine;
//   1: a restore ticket body (TicketApi addTicket: server, restore spec, target_server, contact);
//   2: a backup policy (ServerApi setPolicy);
//   3: a job result (AgentJobApi jobResult).
// Schemas 1-3 are read inside their handlers; this target repeats their JsonInput calls with the
// same fields and limits (a representative copy, not the handlers themselves).
// Properties: no crash; an error is a 400 naming a field; an accepted body has every required
// field and only known ones. Single-threaded.
#include "FuzzSupport.h"

#include "api/JsonInput.h"
#include "api/RestoreDispatch.h"
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
    const auto paths = in.stringList(QStringLiteral("paths"), P::Required, 100, 4096);
    const auto excludes = in.stringList(QStringLiteral("excludes"), P::Optional, 200, 1024);
    const auto oneFs = in.boolean(QStringLiteral("one_file_system"), P::Optional);
    const auto interval = in.integer(QStringLiteral("interval_days"), P::Required, 1, 7);
    const auto weekday = in.integer(QStringLiteral("weekday"), P::Optional, 1, 7);
    const auto hour = in.integer(QStringLiteral("hour"), P::Required, 0, 23);
    const auto retention = in.integer(QStringLiteral("retention_days"), P::Required, 7, 30);
    const auto pre = in.string(QStringLiteral("pre_command"), P::Optional, 4000);
    const auto post = in.string(QStringLiteral("post_command"), P::Optional, 4000);
    const auto timeout = in.integer(QStringLiteral("command_timeout_seconds"), P::Optional, 1, 86400);
    const auto onPre = in.string(QStringLiteral("on_pre_command_failure"), P::Optional, 16);
    const auto bandwidth = in.integer(QStringLiteral("bandwidth_limit_kib"), P::Optional, 0, 10000000);
    if (!finished(in))
        return;
    fuzz::check(paths && interval && hour && retention, "an accepted policy has its required fields");
    fuzz::check(*hour >= 0 && *hour <= 23 && *interval >= 1 && *interval <= 7, "policy values in range");
    fuzz::check(paths->size() <= 100 && (!excludes || excludes->size() <= 200), "policy lists within limits");
    (void)oneFs, (void)weekday, (void)pre, (void)post, (void)timeout, (void)onPre, (void)bandwidth;
}

void jobResult(const QByteArray &body)
{
    JsonInput in(body);
    const auto state = in.string(QStringLiteral("state"), P::Required, 32);
    const auto stats = in.object(QStringLiteral("stats"), P::Optional);
    const auto snapshot = in.string(QStringLiteral("snapshot"), P::Optional, 64);
    const auto error = in.string(QStringLiteral("error"), P::Optional, 4000);
    if (snapshot && !SnapshotId::fromHex(*snapshot))
        in.fail(QStringLiteral("snapshot"), QStringLiteral("must be a 64-digit lower-case hex snapshot id"));
    if (!finished(in))
        return;
    fuzz::check(state.has_value() && state->size() <= 32, "an accepted result has its state");
    fuzz::check(!snapshot || SnapshotId::fromHex(*snapshot).has_value(), "an accepted snapshot id parses");
    (void)stats, (void)error;
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
