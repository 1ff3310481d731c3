// Tenant isolation over EVERY route of apiRoutes(), against a real cairn-server over TLS. Two
// tenants A and B each get a member, an admin, an enrolled agent with a policy, a job, a pack, a
// snapshot and a restore ticket. Then A's member, admin and agent call every route with B's ids
// in the path (or ?tenant=/?server= and the body), and must be refused without seeing any of B's
// names or ids; operators act only in the tenant they name (restores, cancels); agent tokens must
// stay on agent routes, user sessions off them; missing, forged and expired credentials get 401;
// inside their own tenant, members are refused the tenant-admin and operator routes and tenant
// admins the operator routes. B's objects (its pending and running jobs too) must be unchanged
// afterwards. A route added later is covered automatically, and the test fails on a path
// placeholder it does not know how to fill.
// Runs on the test's main thread.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"
#include "TestSupport.h"

#include "api/Api.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace cairn;
using namespace cairn::test;
using cairn::server::Access;
using cairn::server::Route;

namespace {

const QSet<QString> kPlaceholders {QStringLiteral("agent"), QStringLiteral("job"), QStringLiteral("snapshot"),
    QStringLiteral("pack"), QStringLiteral("ticket"), QStringLiteral("tenant"), QStringLiteral("run"),
    QStringLiteral("date")};

QString routeKey(const Route &r)
{
    return QString::fromLatin1(r.method) + QLatin1Char(' ') + r.pattern;
}

QStringList placeholdersOf(const QString &pattern)
{
    static const QRegularExpression re(QStringLiteral("\\{([^}]*)\\}"));
    QStringList names;
    for (auto it = re.globalMatch(pattern); it.hasNext();)
        names.append(it.next().captured(1));
    return names;
}

// Routes that act on the caller alone: they take no tenant, server or object id, so a foreign
// ?tenant=/?server= is ignored rather than refused. Every other console route without
// placeholders must honour those parameters and refuse another tenant's ids; a new one that
// does not belongs here only after review.
bool isSelfScoped(const Route &r)
{
    if (r.access == Access::Agent)
        return placeholdersOf(r.pattern).isEmpty();
    return r.pattern == QLatin1String("/api/v1/session/me") || r.pattern == QLatin1String("/api/v1/session/logout");
}

bool hasBody(const Route &r)
{
    return r.method == "POST" || r.method == "PUT" || r.method == "PATCH";
}

bool hasErrorBody(const ApiReply &r)
{
    const QJsonObject e = r.json().value(QStringLiteral("error")).toObject();
    return !e.value(QStringLiteral("code")).toString().isEmpty()
        && !e.value(QStringLiteral("message")).toString().isEmpty();
}

QByteArray forgedToken(const char *prefix)
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(raw.data()), 8);
    return QByteArray(prefix) + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// One tenant's people, agent and data.
struct TenantFixture {
    QString label; // "A" or "B"
    QString name, adminLogin, memberLogin, hostname, policyPath;
    qint64 id = 0, job = 0, ticket = 0;
    qint64 verifyRun = 0; // an operator's verify run of this tenant (operator routes only)
    qint64 pendingJob = 0, runningJob = 0; // jobs a cancel would change
    std::unique_ptr<ApiClient> admin, member;
    std::unique_ptr<SimulatedAgent> agent;
    std::optional<SimulatedAgent::BuiltPack> pack;
    SnapshotId snapshot;
    QByteArray sealedSnapshot; // the snapshot record as the server stores it
    QJsonObject policy; // as the server answered the PUT

    qint64 agentId() const { return agent ? agent->agentId() : 0; }
    QHash<QString, QString> values() const
    {
        return {{QStringLiteral("agent"), QString::number(agentId())}, {QStringLiteral("job"), QString::number(job)},
            {QStringLiteral("snapshot"), snapshot.toHex()},
            {QStringLiteral("pack"), pack ? pack->id.toHex() : QString()},
            {QStringLiteral("ticket"), QString::number(ticket)}, {QStringLiteral("tenant"), QString::number(id)},
            {QStringLiteral("run"), QString::number(verifyRun)},
            {QStringLiteral("date"), QStringLiteral("2026-11-11")}}; // the operators' calendar (not per tenant)
    }
    // Strings only this tenant's data contains: none may appear in an answer to another tenant.
    QStringList secrets() const
    {
        return {name, adminLogin, memberLogin, hostname, policyPath, snapshot.toHex(),
            pack ? pack->id.toHex() : QString(), pack && pack->tree ? pack->tree->toHex() : QString()};
    }
};

struct Request {
    QByteArray method;
    QString url;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

struct Caller {
    enum class Kind { User, Agent, Anonymous };
    QString name;
    ApiClient *client = nullptr;
    Kind kind = Kind::Anonymous;
    QString login, password; // users: to log in again after a logout
};

} // namespace

class TestTenantIsolation : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    QString m_tag;
    quint32 m_seed = 0;
    std::unique_ptr<ApiClient> m_operator;
    TenantFixture m_a, m_b;
    QHash<QString, QSet<QString>> m_coverage; // route key → names of the callers that called it
    int m_requests = 0;

    std::unique_ptr<ApiClient> newClient() const
    {
        return std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
    }
    static QString password(const QString &login) { return login + QStringLiteral("-secret"); }

    // The route's path with `owner`'s ids; the placeholders it cannot fill go to `unknown`.
    static QString fillPath(const Route &r, const TenantFixture &owner, QStringList *unknown)
    {
        QString path = r.pattern;
        const QHash<QString, QString> values = owner.values();
        for (const QString &name : placeholdersOf(r.pattern)) {
            if (!kPlaceholders.contains(name) || values.value(name).isEmpty())
                unknown->append(name);
            path.replace(QLatin1Char('{') + name + QLatin1Char('}'), values.value(name, QStringLiteral("0")));
        }
        return path;
    }

    // A valid body for the route that names `owner`'s objects (an empty JSON object by default).
    static QByteArray bodyFor(const Route &r, const TenantFixture &owner, QByteArray *contentType)
    {
        *contentType = "application/json";
        const QString &p = r.pattern;
        if (r.method == "PUT" && p == QLatin1String("/api/v1/agent/packs/{pack}")) {
            *contentType = "application/octet-stream";
            return owner.pack->bytes;
        }
        if (r.method == "PUT" && p == QLatin1String("/api/v1/agent/snapshots/{snapshot}")) {
            *contentType = "application/octet-stream";
            return owner.sealedSnapshot;
        }
        if (r.method == "PUT" && p.endsWith(QLatin1String("/policy")))
            return compact(QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/intruder")}},
                {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), 3},
                {QStringLiteral("retention_days"), 7}});
        if (p.endsWith(QLatin1String("/policy/copy")))
            return compact(QJsonObject {{QStringLiteral("servers"), QJsonArray {owner.agentId()}}});
        if (r.method == "PATCH" && p.startsWith(QLatin1String("/api/v1/servers/")))
            return compact(QJsonObject {{QStringLiteral("name"), QStringLiteral("renamed-by-intruder")}});
        if (r.method == "PATCH" && p.startsWith(QLatin1String("/api/v1/tenants/")))
            return compact(QJsonObject {{QStringLiteral("time_zone"), QStringLiteral("UTC")},
                {QStringLiteral("report_recipients"), QJsonArray {QStringLiteral("intruder@example.com")}}});
        if (p == QLatin1String("/api/v1/users"))
            return compact(QJsonObject {{QStringLiteral("login"), QStringLiteral("intruder-%1").arg(owner.id)},
                {QStringLiteral("password"), QStringLiteral("intruder-password")},
                {QStringLiteral("role"), QStringLiteral("admin")}, {QStringLiteral("tenant"), owner.id}});
        if (p == QLatin1String("/api/v1/restore-tickets"))
            return compact(QJsonObject {
                {QStringLiteral("server"), owner.agentId()}, {QStringLiteral("snapshot"), owner.snapshot.toHex()}});
        if (p == QLatin1String("/api/v1/tenants"))
            return compact(QJsonObject {{QStringLiteral("name"), QStringLiteral("intruder tenant %1").arg(owner.id)}});
        if (r.method == "POST" && p == QLatin1String("/api/v1/agent/jobs"))
            return compact(QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("agent")}});
        if (p.endsWith(QLatin1String("/restore")))
            return compact(QJsonObject {{QStringLiteral("snapshot"), owner.snapshot.toHex()},
                {QStringLiteral("paths"), QJsonArray {owner.policyPath}}});
        if (p.endsWith(QLatin1String("/progress")))
            return compact(QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 1}}}});
        if (p.endsWith(QLatin1String("/result")))
            return compact(QJsonObject {{QStringLiteral("state"), QStringLiteral("failed")},
                {QStringLiteral("error"), QStringLiteral("intruder")}});
        if (p == QLatin1String("/api/v1/agent/chunks/missing")) {
            QJsonArray ids;
            for (const PackEntry &e : owner.pack->entries)
                ids.append(e.id.toHex());
            return compact(QJsonObject {{QStringLiteral("ids"), ids}});
        }
        return "{}";
    }
    // Whether bodyFor() names objects, so that a body with foreign ids is worth a probe of its own.
    static bool bodyNamesObjects(const Route &r)
    {
        return r.method == "POST"
            && (r.pattern.endsWith(QLatin1String("/policy/copy")) || r.pattern == QLatin1String("/api/v1/users")
                || r.pattern == QLatin1String("/api/v1/restore-tickets")
                || r.pattern.endsWith(QLatin1String("/restore"))
                || r.pattern == QLatin1String("/api/v1/agent/chunks/missing"));
    }

    // Path ids from `pathOwner`, body from `bodyOwner`; with `foreignQuery`, a route without
    // placeholders also gets ?tenant= and ?server= of `bodyOwner`.
    Request request(const Route &r, const TenantFixture &pathOwner, const TenantFixture &bodyOwner, bool foreignQuery,
        QStringList *unknown) const
    {
        Request q;
        q.method = r.method;
        q.url = fillPath(r, pathOwner, unknown);
        if (foreignQuery && placeholdersOf(r.pattern).isEmpty())
            q.url += QStringLiteral("?tenant=%1&server=%2").arg(bodyOwner.id).arg(bodyOwner.agentId());
        if (r.pattern.endsWith(QLatin1String("/search"))) // a search needs its text
            q.url += QStringLiteral("?q=file");
        if (hasBody(r)) {
            QByteArray type;
            q.body = bodyFor(r, bodyOwner, &type);
            q.headers.append({"Content-Type", type});
        }
        return q;
    }

    ApiReply send(const Route &r, const Caller &caller, const Request &q)
    {
        ++m_requests;
        m_coverage[routeKey(r)].insert(caller.name);
        ApiReply reply = caller.client->request(q.method, q.url, q.body, q.headers);
        if (caller.kind == Caller::Kind::User && r.pattern == QLatin1String("/api/v1/session/logout")
            && reply.status == 200)
            caller.client->login(caller.login, caller.password); // the caller logged itself out
        return reply;
    }

    // "" if the answer is acceptable, else what is wrong with it.
    static QString judge(const Route &r, const Caller &caller, const Request &q, const ApiReply &reply,
        const QSet<int> &allowed, const QStringList &secrets)
    {
        QString problem;
        if (!allowed.isEmpty() && !allowed.contains(reply.status))
            problem = QStringLiteral("status %1 not in the allowed set").arg(reply.status);
        else if (allowed.isEmpty() && (reply.status == 0 || reply.status >= 500))
            problem = QStringLiteral("status %1").arg(reply.status);
        else if (reply.status >= 400 && !hasErrorBody(reply))
            problem = QStringLiteral("error answer without error.code/message");
        QByteArray seen = reply.body;
        for (const auto &h : reply.headers)
            seen += '\n' + h.second;
        for (const QString &s : secrets) {
            // What the caller sent itself is no leak when echoed.
            if (!s.isEmpty() && !q.url.contains(s) && !q.body.contains(s.toUtf8()) && seen.contains(s.toUtf8()))
                problem += QStringLiteral(" leaks \"%1\"").arg(s);
        }
        if (problem.isEmpty())
            return QString();
        return QStringLiteral("%1 as %2: %3 %4 -> %5")
                   .arg(routeKey(r), caller.name, QString::fromLatin1(q.method), q.url, problem)
            + QStringLiteral(" [%1]").arg(QString::fromUtf8(reply.body.left(300)));
    }

    void setUpTenant(TenantFixture &t, const QString &label)
    {
        t.label = label;
        t.name = QStringLiteral("tenant-%1-%2").arg(label.toLower(), m_tag);
        t.adminLogin = QStringLiteral("%1-admin-%2").arg(label.toLower(), m_tag);
        t.memberLogin = QStringLiteral("%1-member-%2").arg(label.toLower(), m_tag);
        t.hostname = QStringLiteral("host-%1-%2").arg(label.toLower(), m_tag);
        t.policyPath = QStringLiteral("/srv/only-%1-%2").arg(label.toLower(), m_tag);

        ApiReply r
            = m_operator->post(QStringLiteral("/api/v1/tenants"), QJsonObject {{QStringLiteral("name"), t.name}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        t.id = r.json().value(QStringLiteral("id")).toInteger();
        const QString tenant = QString::number(t.id);
        QVERIFY2(m_server.addUser(t.adminLogin, password(t.adminLogin).toUtf8(), tenant, QStringLiteral("admin")),
            m_server.log().constData());
        QVERIFY2(m_server.addUser(t.memberLogin, password(t.memberLogin).toUtf8(), tenant, QStringLiteral("member")),
            m_server.log().constData());
        t.admin = newClient();
        t.member = newClient();
        QVERIFY2(t.admin->login(t.adminLogin, password(t.adminLogin)).status == 200, "admin login");
        QVERIFY2(t.member->login(t.memberLogin, password(t.memberLogin)).status == 200, "member login");

        r = t.admin->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        t.agent = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        r = t.agent->enroll(r.json().value(QStringLiteral("code")).toString(), t.hostname);
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        const QString server = QStringLiteral("/api/v1/servers/%1").arg(t.agentId());
        r = t.admin->putJson(server + QStringLiteral("/policy"),
            QJsonObject {{QStringLiteral("paths"), QJsonArray {t.policyPath}}, {QStringLiteral("interval_days"), 1},
                {QStringLiteral("hour"), 1}, {QStringLiteral("retention_days"), 30}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        t.policy = r.json();

        r = t.member->post(server + QStringLiteral("/backup"), QJsonObject());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        t.job = r.json().value(QStringLiteral("id")).toInteger();
        t.pack = t.agent->buildPack(m_seed + quint64(label.at(0).unicode()), 3, 20000, true);
        r = t.agent->uploadPack(*t.pack);
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = t.agent->commitSnapshot(*t.pack->tree, &t.snapshot, t.job, t.policyPath.toUtf8());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = t.agent->client().post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(t.job),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                {QStringLiteral("snapshot"), t.snapshot.toHex()}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        r = t.agent->client().get(QStringLiteral("/api/v1/agent/snapshots/") + t.snapshot.toHex());
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        t.sealedSnapshot = r.body;
        r = t.member->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), t.agentId()}, {QStringLiteral("snapshot"), t.snapshot.toHex()}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        t.ticket = r.json().value(QStringLiteral("id")).toInteger();
        r = m_operator->post(QStringLiteral("/api/v1/operator/verify"), QJsonObject {{QStringLiteral("tenant"), t.id}});
        QVERIFY2(r.status == 202, qPrintable(r.describe()));
        t.verifyRun = r.json().value(QStringLiteral("id")).toInteger();

        r = t.member->post(server + QStringLiteral("/backup"), QJsonObject());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        t.pendingJob = r.json().value(QStringLiteral("id")).toInteger();
        r = t.member->post(server + QStringLiteral("/backup"), QJsonObject());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        t.runningJob = r.json().value(QStringLiteral("id")).toInteger();
        r = t.agent->client().post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(t.runningJob),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 1}}}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }

    QList<Caller> callersOf(TenantFixture &t) const
    {
        return {{t.label + QStringLiteral(" member"), t.member.get(), Caller::Kind::User, t.memberLogin,
                    password(t.memberLogin)},
            {t.label + QStringLiteral(" admin"), t.admin.get(), Caller::Kind::User, t.adminLogin,
                password(t.adminLogin)},
            {t.label + QStringLiteral(" agent"), &t.agent->client(), Caller::Kind::Agent, QString(), QString()}};
    }

private slots:
    void initTestCase()
    {
        m_seed = testSeed();
        m_tag = QString::number(m_seed, 16);
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        const QString op = QStringLiteral("operator-") + m_tag;
        QVERIFY2(m_server.addUser(op, password(op).toUtf8(), QString(), QStringLiteral("operator")),
            m_server.log().constData());
        m_operator = newClient();
        QVERIFY(m_operator->login(op, password(op)).status == 200);
        setUpTenant(m_a, QStringLiteral("A"));
        if (QTest::currentTestFailed())
            return;
        setUpTenant(m_b, QStringLiteral("B"));
    }

    void everyPlaceholderIsKnown()
    {
        QStringList problems;
        for (const Route &r : cairn::server::apiRoutes()) {
            QStringList unknown;
            fillPath(r, m_b, &unknown);
            if (!unknown.isEmpty())
                problems.append(
                    QStringLiteral("%1: cannot fill {%2}").arg(routeKey(r), unknown.join(QStringLiteral("}, {"))));
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY(cairn::server::apiRoutes().size() > 30);
    }

    // B's own callers reach B's objects through the very URLs A will try, so A's refusals below
    // come from isolation and not from wrong ids.
    void ownersReachTheirObjects()
    {
        QStringList problems;
        for (const Route &r : cairn::server::apiRoutes()) {
            if (r.method != "GET" || r.access == Access::Public)
                continue;
            QStringList unknown;
            const Request q = request(r, m_b, m_b, true, &unknown);
            ApiClient *client = r.access == Access::Agent ? &m_b.agent->client()
                : r.access == Access::Operator            ? m_operator.get()
                                                          : m_b.admin.get();
            const ApiReply reply = client->request(q.method, q.url, q.body, q.headers);
            if (reply.status != 200)
                problems.append(QStringLiteral("%1 %2 -> %3").arg(routeKey(r), q.url, reply.describe()));
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void otherTenantsIdsAreRefused()
    {
        QStringList problems;
        const QStringList secrets = m_b.secrets();
        for (const Route &r : cairn::server::apiRoutes()) {
            for (const Caller &caller : callersOf(m_a)) {
                const bool agent = caller.kind == Caller::Kind::Agent;
                QSet<int> allowed; // empty: any answer below 500 that leaks nothing
                if (r.access == Access::Agent && !agent)
                    allowed = {401};
                else if (r.access != Access::Agent && r.access != Access::Public && agent)
                    allowed = {401, 403};
                else if (r.access == Access::Public || isSelfScoped(r))
                    allowed = {};
                else if (r.access == Access::Agent && r.method == "PUT")
                    allowed = {400, 401, 403, 404}; // content-addressed upload: must not open with A's keys
                else
                    allowed = {401, 403, 404};
                QStringList unknown;
                Request q = request(r, m_b, m_b, true, &unknown);
                QVERIFY2(unknown.isEmpty(), qPrintable(routeKey(r) + QStringLiteral(": unknown placeholder")));
                QString p = judge(r, caller, q, send(r, caller, q), allowed, secrets);
                if (!p.isEmpty())
                    problems.append(p);
                if (bodyNamesObjects(r)) { // own ids in the path, B's in the body
                    q = request(r, m_a, m_b, false, &unknown);
                    p = judge(r, caller, q, send(r, caller, q), allowed, secrets);
                    if (!p.isEmpty())
                        problems.append(p);
                }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void agentTokensStayOnAgentRoutes()
    {
        QStringList problems;
        const Caller agent = callersOf(m_a).at(2);
        for (const Route &r : cairn::server::apiRoutes()) {
            const bool isDelete = r.method == "DELETE";
            if (!isDelete && (r.access == Access::Public || r.access == Access::Agent))
                continue;
            QStringList unknown;
            const Request q = request(r, m_a, m_a, false, &unknown);
            const QString p = judge(r, agent, q, send(r, agent, q), {401, 403}, {});
            if (!p.isEmpty())
                problems.append(p);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void userSessionsStayOffAgentRoutes()
    {
        QStringList problems;
        QList<Caller> users = callersOf(m_a).mid(0, 2);
        users.append({QStringLiteral("operator"), m_operator.get(), Caller::Kind::User, QString(), QString()});
        for (const Route &r : cairn::server::apiRoutes()) {
            if (r.access != Access::Agent)
                continue;
            for (const Caller &user : users) {
                QStringList unknown;
                const Request q = request(r, m_a, m_a, false, &unknown);
                const QString p = judge(r, user, q, send(r, user, q), {401}, {});
                if (!p.isEmpty())
                    problems.append(p);
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void missingOrForgedTokensAre401()
    {
        auto anonymous = newClient(), forgedSession = newClient(), forgedAgent = newClient();
        forgedSession->setToken(forgedToken("cs_"));
        forgedAgent->setToken(forgedToken("ca_"));
        const QList<Caller> callers {{QStringLiteral("no token"), anonymous.get(), Caller::Kind::Anonymous, {}, {}},
            {QStringLiteral("forged cs_"), forgedSession.get(), Caller::Kind::Anonymous, {}, {}},
            {QStringLiteral("forged ca_"), forgedAgent.get(), Caller::Kind::Anonymous, {}, {}}};
        QStringList problems;
        for (const Route &r : cairn::server::apiRoutes()) {
            if (r.access == Access::Public)
                continue;
            for (const Caller &c : callers) {
                QStringList unknown;
                const Request q = request(r, m_a, m_a, false, &unknown);
                const QString p = judge(r, c, q, send(r, c, q), {401}, m_a.secrets() + m_b.secrets());
                if (!p.isEmpty())
                    problems.append(p);
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    // The agent routes that take no ids answer from the caller's tenant only.
    void agentSeesOnlyItsTenantsData()
    {
        SimulatedAgent &a = *m_a.agent;
        QJsonArray ids;
        for (const PackEntry &e : m_b.pack->entries)
            ids.append(e.id.toHex());
        ApiReply r = a.client().post(
            QStringLiteral("/api/v1/agent/chunks/missing"), QJsonObject {{QStringLiteral("ids"), ids}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("missing")).toArray().size(), ids.size()); // no oracle for B's chunks
        for (const char *path : {"/api/v1/agent/index", "/api/v1/agent/packs", "/api/v1/agent/snapshots",
                 "/api/v1/agent/config", "/api/v1/agent/jobs", "/api/v1/agent/repository/config"}) {
            r = a.client().get(QLatin1String(path));
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            for (const QString &s : m_b.secrets())
                QVERIFY2(!r.body.contains(s.toUtf8()),
                    qPrintable(QStringLiteral("%1 shows %2").arg(QLatin1String(path), s)));
        }
        r = a.client().get(QStringLiteral("/api/v1/agent/index"));
        QVERIFY(r.body.contains(m_a.pack->id.toHex().toLatin1())); // and does show A's own
        QVERIFY(m_b.agent->client()
                    .get(QStringLiteral("/api/v1/agent/index"))
                    .body.contains(m_b.pack->id.toHex().toLatin1()));
    }

    // Operators act on the tenant they name: B's jobs and snapshots are not found under ?tenant=A,
    // nor A's server under ?tenant=B; A's users cannot cancel B's pending or running jobs; A's
    // agent makes jobs only for itself.
    void operatorsAndCancelsStayInTheirTenant()
    {
        QStringList problems;
        const QStringList secrets = m_b.secrets();
        auto expect = [&](const char *what, const ApiReply &reply, int status) {
            QString p;
            if (reply.status != status)
                p = QStringLiteral("%1: status %2, expected %3").arg(QLatin1String(what)).arg(reply.status).arg(status);
            for (const QString &secret : secrets)
                if (!secret.isEmpty() && reply.body.contains(secret.toUtf8()))
                    p += QStringLiteral(" %1 leaks \"%2\"").arg(QLatin1String(what), secret);
            if (!p.isEmpty())
                problems.append(p + QStringLiteral(" [%1]").arg(QString::fromUtf8(reply.body.left(300))));
        };
        const auto cancel = [](qint64 job, const QString &query = QString()) {
            return QStringLiteral("/api/v1/jobs/%1/cancel%2").arg(job).arg(query);
        };
        const QString inA = QStringLiteral("?tenant=%1").arg(m_a.id), inB = QStringLiteral("?tenant=%1").arg(m_b.id);
        for (qint64 job : {m_b.pendingJob, m_b.runningJob}) {
            expect("operator cancels B's job in A", m_operator->post(cancel(job, inA), QJsonObject()), 404);
            expect("A admin cancels B's job", m_a.admin->post(cancel(job), QJsonObject()), 404);
            expect("A member cancels B's job", m_a.member->post(cancel(job), QJsonObject()), 404);
            expect("A member cancels B's job naming B", m_a.member->post(cancel(job, inB), QJsonObject()), 403);
        }
        const auto restore = [](qint64 agent, const QString &query) {
            return QStringLiteral("/api/v1/servers/%1/restore%2").arg(agent).arg(query);
        };
        const QJsonObject bSnapshot {{QStringLiteral("snapshot"), m_b.snapshot.toHex()}};
        const QJsonObject aSnapshot {{QStringLiteral("snapshot"), m_a.snapshot.toHex()}};
        expect(
            "restore B's snapshot to A's server in A", m_operator->post(restore(m_a.agentId(), inA), bSnapshot), 404);
        expect(
            "restore A's snapshot to B's server in A", m_operator->post(restore(m_b.agentId(), inA), aSnapshot), 404);
        expect(
            "restore B's snapshot to A's server in B", m_operator->post(restore(m_a.agentId(), inB), bSnapshot), 404);
        expect("restore without a tenant", m_operator->post(restore(m_a.agentId(), QString()), aSnapshot), 400);
        expect("A admin restores", m_a.admin->post(restore(m_a.agentId(), QString()), aSnapshot), 403);
        // Restore tickets: an operator acting in A does not find B's ticket, nor its thread.
        const QString bTicket = QStringLiteral("/api/v1/restore-tickets/%1").arg(m_b.ticket);
        expect("operator accepts B's ticket in A", m_operator->post(bTicket + QStringLiteral("/accept") + inA, QJsonObject()), 404);
        expect("operator reads B's thread in A", m_operator->get(bTicket + QStringLiteral("/messages") + inA), 404);

        // A's agent creates a job of a schedule slot: it is A's, for A's agent.
        const QJsonObject slot {{QStringLiteral("kind"), QStringLiteral("backup")},
            {QStringLiteral("trigger"), QStringLiteral("schedule")},
            {QStringLiteral("scheduled_at"), QDateTime::currentDateTimeUtc().addSecs(-60).toString(Qt::ISODate)}};
        ApiReply r = m_a.agent->client().post(QStringLiteral("/api/v1/agent/jobs"), slot);
        expect("A's agent makes a scheduled job", r, 201);
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), m_a.agentId());
        QCOMPARE(r.json().value(QStringLiteral("tenant")).toInteger(), m_a.id);
        expect("B's admin looks for A's job",
            m_b.admin->get(QStringLiteral("/api/v1/jobs/%1").arg(r.json().value(QStringLiteral("id")).toInteger())),
            404);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void tenantBIsUnchanged()
    {
        ApiClient &admin = *m_b.admin;
        ApiReply r = admin.get(QStringLiteral("/api/v1/servers"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonArray servers = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(servers.size(), 1);
        QCOMPARE(servers.first().toObject().value(QStringLiteral("id")).toInteger(), m_b.agentId());
        QCOMPARE(servers.first().toObject().value(QStringLiteral("name")).toString(), m_b.hostname);
        r = admin.get(QStringLiteral("/api/v1/servers/%1/policy").arg(m_b.agentId()));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json(), m_b.policy);
        r = admin.get(QStringLiteral("/api/v1/snapshots"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QVERIFY2(r.body.contains(m_b.snapshot.toHex().toLatin1()), r.body.constData());
        r = m_b.agent->client().get(QStringLiteral("/api/v1/agent/packs/") + m_b.pack->id.toHex());
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.body, m_b.pack->bytes);
        r = admin.get(QStringLiteral("/api/v1/jobs/%1").arg(m_b.job));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        r = admin.get(QStringLiteral("/api/v1/jobs/%1").arg(m_b.pendingJob));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        r = admin.get(QStringLiteral("/api/v1/jobs/%1").arg(m_b.runningJob));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(r.json().value(QStringLiteral("cancel_requested")).toBool(), false);
        // B's agent has exactly its own pending job: nobody dispatched a restore or a backup to it.
        r = m_b.agent->client().get(QStringLiteral("/api/v1/agent/jobs"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonArray waiting = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(waiting.size(), 1);
        QCOMPARE(waiting.first().toObject().value(QStringLiteral("id")).toInteger(), m_b.pendingJob);
        r = admin.get(QStringLiteral("/api/v1/restore-tickets"));
        QCOMPARE(r.json().value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(r.json().value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("submitted")); // nobody accepted, cancelled or started it
        r = admin.get(QStringLiteral("/api/v1/restore-tickets/%1/messages").arg(m_b.ticket));
        QVERIFY(r.json().value(QStringLiteral("items")).toArray().isEmpty());
        r = admin.get(QStringLiteral("/api/v1/tenants/%1").arg(m_b.id));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("time_zone")).toString(), QStringLiteral("Asia/Seoul"));
        QVERIFY(r.json().value(QStringLiteral("report_recipients")).toArray().isEmpty());
        r = admin.get(QStringLiteral("/api/v1/users"));
        QVERIFY2(!r.body.contains("intruder"), r.body.constData());
        r = admin.get(QStringLiteral("/api/v1/usage"));
        QCOMPARE(r.json().value(QStringLiteral("packs")).toInteger(), qint64(1));
        QCOMPARE(r.json().value(QStringLiteral("snapshots")).toInteger(), qint64(1));
        r = m_operator->get(QStringLiteral("/api/v1/tenants"));
        QVERIFY2(!r.body.contains("intruder"), r.body.constData());
    }

    // Roles inside the caller's own tenant, with its own ids: a member is refused every
    // TenantAdmin and Operator route, a tenant admin every Operator route (403).
    void rolesAreEnforcedInTheOwnTenant()
    {
        QStringList problems;
        const QList<Caller> own = callersOf(m_a);
        int checked = 0;
        for (const Route &r : cairn::server::apiRoutes()) {
            QList<Caller> refused;
            if (r.access == Access::TenantAdmin || r.access == Access::Operator)
                refused << own.at(0);
            if (r.access == Access::Operator)
                refused << own.at(1);
            for (const Caller &c : refused) {
                QStringList unknown;
                const Request q = request(r, m_a, m_a, false, &unknown);
                const QString p = judge(r, c, q, send(r, c, q), {403}, {});
                ++checked;
                if (!p.isEmpty())
                    problems.append(p);
            }
        }
        qInfo("role matrix: %d refusals checked", checked);
        QVERIFY(checked > 20);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void matrixCoversEveryRoute()
    {
        const auto &routes = cairn::server::apiRoutes();
        QSet<QString> callers;
        QStringList gaps;
        for (const Route &r : routes) {
            const QSet<QString> seen = m_coverage.value(routeKey(r));
            callers += seen;
            QStringList need {QStringLiteral("A member"), QStringLiteral("A admin"), QStringLiteral("A agent")};
            if (r.access != Access::Public)
                need << QStringLiteral("no token") << QStringLiteral("forged cs_") << QStringLiteral("forged ca_");
            if (r.access == Access::Agent)
                need << QStringLiteral("operator");
            for (const QString &n : need)
                if (!seen.contains(n))
                    gaps.append(routeKey(r) + QStringLiteral(" not called as ") + n);
        }
        qInfo("isolation matrix: %d routes x %d callers, %d requests", int(routes.size()), int(callers.size()),
            m_requests);
        QCOMPARE(m_coverage.size(), qsizetype(routes.size()));
        QVERIFY2(gaps.isEmpty(), qPrintable(gaps.join(QLatin1Char('\n'))));
    }

    // Last: restarts the server with a two-second session lifetime.
    void expiredSessionIs401()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString config = dir.filePath(QStringLiteral("server.conf"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[session]\nlifetime_seconds=2\n");
        f.close();
        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        QList<Caller> users = callersOf(m_a).mid(0, 2);
        for (const Caller &u : users) {
            QVERIFY(u.client->login(u.login, u.password).status == 200);
            const ApiReply r = u.client->get(QStringLiteral("/api/v1/session/me"));
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
        }
        QThread::msleep(3000);
        QStringList problems;
        int checked = 0;
        for (const Route &r : cairn::server::apiRoutes()) {
            if (r.access == Access::Public || r.access == Access::Agent)
                continue;
            for (Caller u : users) {
                u.name += QStringLiteral(" (expired)");
                u.kind = Caller::Kind::Anonymous; // no logging in again
                QStringList unknown;
                const Request q = request(r, m_a, m_a, false, &unknown);
                const QString p = judge(r, u, q, send(r, u, q), {401}, {});
                ++checked;
                if (!p.isEmpty())
                    problems.append(p);
            }
        }
        QVERIFY(checked > 0);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void cleanupTestCase()
    {
        QVERIFY(m_server.stop());
        const QByteArray log = m_server.log();
        if (qEnvironmentVariableIsSet("CAIRN_TEST_VERBOSE"))
            qInfo("server log:\n%s", log.right(8000).constData());
        QVERIFY2(noSanitizerReport(log), "the server's output has a sanitizer report (above)");
    }
};

QTEST_GUILESS_MAIN(TestTenantIsolation)
#include "TestTenantIsolation.moc"
