// End-to-end flow through a real cairn-server process over TLS: health and the trust anchor,
// operator/tenant/user set-up, sessions, enrollment, policies, "back up now" and the job life
// cycle, pack and snapshot upload, job history with filters and pagination, snapshot browsing,
// ranged pack downloads, the chunk index, the server's refusals (wrong pack id, missing tree),
// usage, the audit log; then agent-run schedules: kernel/architecture at enrollment, commands and
// an upload limit in the policy, the schedule in /agent/config and the console (and its
// [schedule] settings), jobs the agent creates (one per schedule slot), cancelling pending and
// running jobs, restores dispatched by operators; last the login rate limit. Every error answer
// must carry error.code and error.message. The test functions build on each other and run in
// order on the main thread.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include "repository/Pack.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTest>
#include <QThread>
#include <QTimeZone>
#include <QtEndian>

using namespace cairn;
using namespace cairn::test;

namespace {

bool hasErrorBody(const ApiReply &r)
{
    const QJsonObject e = r.json().value(QStringLiteral("error")).toObject();
    return !e.value(QStringLiteral("code")).toString().isEmpty()
        && !e.value(QStringLiteral("message")).toString().isEmpty();
}

QString errorCode(const ApiReply &r)
{
    return r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

QJsonObject obj(const QJsonValue &v)
{
    return v.toObject();
}

// The ids of a list answer's items.
QList<qint64> itemIds(const ApiReply &r)
{
    QList<qint64> ids;
    for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
        ids.append(v.toObject().value(QStringLiteral("id")).toInteger());
    return ids;
}

ChunkId randomChunkId()
{
    ChunkId id;
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(id.bytes.data()), ChunkId::Size / 4);
    return id;
}

QString isoMs(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QString isoSeconds(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QString errorField(const ApiReply &r)
{
    return r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}

// A server's schedule offset by the published formula (docs/API.md), computed independently.
qint64 formulaOffset(qint64 tenant, qint64 agent, qint64 max = 3600)
{
    const QByteArray digest = QCryptographicHash::hash(
        QStringLiteral("cairn-schedule-offset:%1:%2").arg(tenant).arg(agent).toUtf8(), QCryptographicHash::Sha256);
    return qint64(qFromBigEndian<quint64>(digest.constData()) % quint64(max));
}

// A file named `name` anywhere below `dir`.
bool fileExistsBelow(const QString &dir, const QString &name)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        if (it.next().endsWith(QLatin1Char('/') + name))
            return true;
    return false;
}

} // namespace

// Checks the status; an error answer must also carry {"error": {"code", "message"}}.
#define CHECK_STATUS(reply, expected)                                                                                  \
    do {                                                                                                               \
        const ApiReply &r_ = (reply);                                                                                  \
        QVERIFY2(r_.status == (expected), qPrintable(r_.describe()));                                                  \
        if (r_.status >= 400)                                                                                          \
            QVERIFY2(hasErrorBody(r_), qPrintable(QStringLiteral("no error.code/message: ") + r_.describe()));         \
    } while (false)

class TestServerApi : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    QString m_tag; // per-run suffix of names
    quint32 m_seed = 0;
    std::unique_ptr<ApiClient> m_operator, m_admin, m_member;
    std::unique_ptr<SimulatedAgent> m_agent, m_agent2;
    qint64 m_tenant = 0, m_job = 0;
    std::optional<SimulatedAgent::BuiltPack> m_pack;
    SnapshotId m_snapshot;
    QJsonObject m_policy;
    int m_addressFailures = 0; // failed logins from 127.0.0.1 so far (the server allows 20 per window)
    std::unique_ptr<ApiClient> m_agent3; // enrolled with kernel and architecture, as an agent client
    qint64 m_agent3Id = 0;

    std::unique_ptr<ApiClient> newClient() const
    {
        return std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
    }
    QString login(const char *role) const { return QStringLiteral("%1-%2").arg(QLatin1String(role), m_tag); }
    QString password(const QString &login) const { return login + QStringLiteral("-secret"); }
    QString serverPath(qint64 agent, const char *rest = "") const
    {
        return QStringLiteral("/api/v1/servers/%1%2").arg(agent).arg(QLatin1String(rest));
    }
    QString packPath(const PackId &id) const { return QStringLiteral("/api/v1/agent/packs/") + id.toHex(); }
    qint64 agentId() const { return m_agent ? m_agent->agentId() : 0; }
    qint64 agent2Id() const { return m_agent2 ? m_agent2->agentId() : 0; }

    static QJsonObject basicPolicy()
    {
        return QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/srv/three")}},
            {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), 2}, {QStringLiteral("retention_days"), 7}};
    }

    static qint64 userId(ApiClient &client)
    {
        const ApiReply r = client.get(QStringLiteral("/api/v1/session/me"));
        return r.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    }

    // The agent's /agent/config schedule: `offset`, and a next run in the future at `hour` plus the
    // offset in the tenant's zone (Asia/Seoul), on `weekday` (0: daily); /servers/{id} agrees.
    void checkSchedule(ApiClient &agent, qint64 id, qint64 offset, int weekday, int hour)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        ApiReply r = agent.get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        const QJsonObject schedule = obj(r.json().value(QStringLiteral("schedule")));
        QCOMPARE(schedule.value(QStringLiteral("offset_seconds")).toInteger(), offset);
        const QString nextText = schedule.value(QStringLiteral("next_run")).toString();
        const QDateTime next = QDateTime::fromString(nextText, Qt::ISODate);
        QVERIFY2(next.isValid(), r.body.constData());
        QVERIFY2(next > now && next <= now.addDays(weekday ? 7 : 1).addSecs(60), qPrintable(nextText));
        const QDateTime local = next.toTimeZone(QTimeZone(QByteArray("Asia/Seoul")));
        QCOMPARE(local.time(), QTime(hour, 0).addSecs(int(offset)));
        if (weekday)
            QCOMPARE(local.date().dayOfWeek(), weekday);
        r = m_member->get(serverPath(id));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("next_run")).toString(), nextText);
        r = m_member->get(QStringLiteral("/api/v1/servers"));
        CHECK_STATUS(r, 200);
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            if (v.toObject().value(QStringLiteral("id")).toInteger() == id)
                QCOMPARE(v.toObject().value(QStringLiteral("next_run")).toString(), nextText);
    }

    // Walks GET `path` (which already has a query) page by page with `limit` per page.
    QList<qint64> walkJobs(const QString &query, int limit, int *pages)
    {
        QList<qint64> all;
        QString before;
        *pages = 0;
        for (int guard = 0; guard < 100; ++guard) {
            const ApiReply r = m_member->get(QStringLiteral("/api/v1/jobs?limit=%1%2%3").arg(limit).arg(query, before));
            if (r.status != 200) {
                qWarning("%s", qPrintable(r.describe()));
                return {};
            }
            ++*pages;
            const QList<qint64> page = itemIds(r);
            if (page.size() > limit)
                return {};
            all += page;
            const QJsonValue next = r.json().value(QStringLiteral("next"));
            if (next.isNull() || page.isEmpty())
                break;
            before = QStringLiteral("&before=%1").arg(next.toInteger());
        }
        return all;
    }

    // HEAD through a raw TLS socket, so that any byte after the head is seen (a client library
    // would hide it or wait for it).
    struct RawReply {
        int status = 0;
        QByteArray head, extra;
        QString error;
        QByteArray header(const QByteArray &name) const
        {
            for (const QByteArray &line : head.split('\n')) {
                const int colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                    return line.mid(colon + 1).trimmed();
            }
            return QByteArray();
        }
    };
    RawReply rawHead(const QString &path, const QByteArray &token)
    {
        RawReply r;
        QSslSocket socket;
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromData(m_server.caPem(), QSsl::Pem));
        socket.setSslConfiguration(ssl);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.port());
        if (!socket.waitForEncrypted(15000)) {
            r.error = socket.errorString();
            return r;
        }
        socket.write(
            "HEAD " + path.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n");
        QByteArray data;
        QElapsedTimer timer;
        timer.start();
        while (!data.contains("\r\n\r\n") && timer.elapsed() < 15000) {
            socket.waitForReadyRead(500);
            data += socket.readAll();
            if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
                break;
        }
        const int end = data.indexOf("\r\n\r\n");
        if (end < 0) {
            r.error = QStringLiteral("no complete head: ") + QString::fromLatin1(data.left(500));
            return r;
        }
        r.head = data.left(end);
        r.extra = data.mid(end + 4);
        if (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(700))
            r.extra += socket.readAll();
        const QList<QByteArray> statusLine = r.head.left(r.head.indexOf('\r')).split(' ');
        r.status = statusLine.size() >= 2 ? statusLine[1].toInt() : 0;
        return r;
    }

private slots:
    void initTestCase()
    {
        m_seed = testSeed();
        m_tag = QString::number(m_seed, 16);
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY2(!m_server.fingerprint().isEmpty(), "init printed no fingerprint");
    }

    void healthNeedsNoCredentials()
    {
        auto c = newClient();
        const ApiReply r = c->get(QStringLiteral("/api/v1/health"));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        CHECK_STATUS(c->get(QStringLiteral("/api/v1/session/me")), 401);
    }

    void trustAnchorMatchesInitFingerprint()
    {
        auto c = newClient();
        const ApiReply r = c->get(QStringLiteral("/api/v1/tls/ca"));
        CHECK_STATUS(r, 200);
        const QList<QSslCertificate> certs = QSslCertificate::fromData(r.body, QSsl::Pem);
        QCOMPARE(certs.size(), 1);
        const QString served
            = QString::fromLatin1(certs.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        QCOMPARE(served, m_server.fingerprint());
        QCOMPARE(QString::fromLatin1(r.header("X-Cairn-Fingerprint")), m_server.fingerprint());
        // The served PEM alone is enough to trust the server.
        ApiClient pinned(m_server.baseUrl(), r.body);
        CHECK_STATUS(pinned.get(QStringLiteral("/api/v1/health")), 200);
    }

    void operatorCreatesTenant()
    {
        const QString op = login("operator");
        QVERIFY2(m_server.addUser(op, password(op).toUtf8(), QString(), QStringLiteral("operator")),
            m_server.log().constData());
        m_operator = newClient();
        CHECK_STATUS(m_operator->login(op, password(op)), 200);
        const QString name = QStringLiteral("Acme ") + m_tag;
        ApiReply r = m_operator->post(QStringLiteral("/api/v1/tenants"),
            QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("language"), QStringLiteral("en")}});
        CHECK_STATUS(r, 201);
        m_tenant = r.json().value(QStringLiteral("id")).toInteger();
        QVERIFY(m_tenant > 0);
        QCOMPARE(r.json().value(QStringLiteral("name")).toString(), name);
        QCOMPARE(r.json().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
        r = m_operator->get(QStringLiteral("/api/v1/tenants"));
        CHECK_STATUS(r, 200);
        QVERIFY2(itemIds(r).contains(m_tenant), r.body.constData());
    }

    void cliUsersLogIn()
    {
        QVERIFY(m_tenant > 0);
        const QString tenant = QString::number(m_tenant);
        const QString admin = login("admin"), member = login("member");
        QVERIFY2(m_server.addUser(admin, password(admin).toUtf8(), tenant, QStringLiteral("admin")),
            m_server.log().constData());
        QVERIFY2(m_server.addUser(member, password(member).toUtf8(), tenant, QStringLiteral("member")),
            m_server.log().constData());
        m_admin = newClient();
        m_member = newClient();
        ApiReply r = m_admin->login(admin, password(admin));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("role")).toString(),
            QStringLiteral("admin"));
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("tenant")).toInteger(), m_tenant);
        QVERIFY(!r.json().value(QStringLiteral("expires_at")).toString().isEmpty());
        r = m_member->login(member, password(member));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("role")).toString(),
            QStringLiteral("member"));
    }

    void sessionLifecycle()
    {
        const QString member = login("member");
        auto c = newClient();
        CHECK_STATUS(c->login(member, password(member)), 200);
        ApiReply r = c->get(QStringLiteral("/api/v1/session/me"));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("login")).toString(), member);
        QCOMPARE(obj(r.json().value(QStringLiteral("tenant"))).value(QStringLiteral("id")).toInteger(), m_tenant);
        CHECK_STATUS(c->post(QStringLiteral("/api/v1/session/logout"), QJsonObject()), 200);
        r = c->get(QStringLiteral("/api/v1/session/me"));
        CHECK_STATUS(r, 401);
        QCOMPARE(errorCode(r), QStringLiteral("unauthorized"));
        CHECK_STATUS(c->post(QStringLiteral("/api/v1/session/logout"), QJsonObject()), 401);
        // Another session of the same user lives on.
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/session/me")), 200);
    }

    void wrongPasswordIs401()
    {
        auto c = newClient();
        ApiReply r = c->login(login("member"), QStringLiteral("not-the-password"));
        ++m_addressFailures;
        CHECK_STATUS(r, 401);
        QCOMPARE(errorCode(r), QStringLiteral("bad_credentials"));
        QVERIFY(c->token().isEmpty());
        r = c->login(login("nobody"), QStringLiteral("whatever"));
        ++m_addressFailures;
        CHECK_STATUS(r, 401);
        QCOMPARE(errorCode(r), QStringLiteral("bad_credentials"));
    }

    void enrollment()
    {
        QVERIFY(m_admin);
        ApiReply r = m_admin->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject());
        CHECK_STATUS(r, 201);
        const QString code = r.json().value(QStringLiteral("code")).toString();
        QVERIFY(!code.isEmpty());
        QCOMPARE(r.json().value(QStringLiteral("fingerprint")).toString(), m_server.fingerprint());
        CHECK_STATUS(m_member->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject()), 403);

        m_agent = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        r = m_agent->enroll(code, QStringLiteral("host-one-") + m_tag);
        CHECK_STATUS(r, 201);
        QVERIFY(r.json().value(QStringLiteral("token")).toString().startsWith(QLatin1String("ca_")));
        QVERIFY(!r.json().value(QStringLiteral("keys")).toString().isEmpty());
        QVERIFY(m_agent->codec());
        QCOMPARE(m_agent->tenantId(), m_tenant);
        QVERIFY(m_agent->agentId() > 0);

        SimulatedAgent again(m_server.baseUrl(), m_server.caPem());
        r = again.enroll(code, QStringLiteral("host-again-") + m_tag);
        CHECK_STATUS(r, 403);
        QCOMPARE(errorCode(r), QStringLiteral("invalid_enrollment_code"));

        const QString cliCode = m_server.enrollmentCode(QString::number(m_tenant));
        QVERIFY2(!cliCode.isEmpty(), m_server.log().constData());
        m_agent2 = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        CHECK_STATUS(m_agent2->enroll(cliCode, QStringLiteral("host-two-") + m_tag), 201);

        r = m_member->get(QStringLiteral("/api/v1/servers"));
        CHECK_STATUS(r, 200);
        const QList<qint64> listed = itemIds(r);
        QCOMPARE(QSet<qint64>(listed.begin(), listed.end()), (QSet<qint64> {agentId(), agent2Id()}));
        r = m_member->get(serverPath(agentId()));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("host-one-") + m_tag);
    }

    void policyReachesAgent()
    {
        QVERIFY(m_agent);
        ApiReply r = m_agent->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        QVERIFY2(r.json().contains(QStringLiteral("policy")) && r.json().value(QStringLiteral("policy")).isNull(),
            r.body.constData());
        CHECK_STATUS(m_member->get(serverPath(agentId(), "/policy")), 404);

        const QJsonObject policy {
            {QStringLiteral("paths"), QJsonArray {QStringLiteral("/srv/data"), QStringLiteral("/etc")}},
            {QStringLiteral("excludes"), QJsonArray {QStringLiteral("*.tmp")}},
            {QStringLiteral("one_file_system"), false}, {QStringLiteral("interval_days"), 7},
            {QStringLiteral("weekday"), 3}, {QStringLiteral("hour"), 22}, {QStringLiteral("retention_days"), 14}};
        CHECK_STATUS(m_member->putJson(serverPath(agentId(), "/policy"), policy), 403);
        QJsonObject bad = policy;
        bad.insert(QStringLiteral("retention_days"), 10);
        r = m_admin->putJson(serverPath(agentId(), "/policy"), bad);
        CHECK_STATUS(r, 400);
        QCOMPARE(obj(r.json().value(QStringLiteral("error"))).value(QStringLiteral("field")).toString(),
            QStringLiteral("retention_days"));

        r = m_admin->putJson(serverPath(agentId(), "/policy"), policy);
        CHECK_STATUS(r, 200);
        m_policy = r.json();
        r = m_agent->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        const QJsonObject seen = obj(r.json().value(QStringLiteral("policy")));
        for (const QString &key : policy.keys())
            QVERIFY2(seen.value(key) == policy.value(key),
                qPrintable(key + QStringLiteral(": ") + QString::fromUtf8(r.body)));
        QCOMPARE(seen, m_policy);
    }

    void copyPolicy()
    {
        QVERIFY(!m_policy.isEmpty());
        ApiReply r = m_admin->post(
            serverPath(agentId(), "/policy/copy"), QJsonObject {{QStringLiteral("servers"), QJsonArray {agent2Id()}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("copied_to")).toArray(), QJsonArray {agent2Id()});
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        QJsonObject copied = obj(r.json().value(QStringLiteral("policy"))), original = m_policy;
        copied.remove(QStringLiteral("updated_at"));
        original.remove(QStringLiteral("updated_at"));
        QCOMPARE(copied, original);
        r = m_admin->post(serverPath(agentId(), "/policy/copy"),
            QJsonObject {{QStringLiteral("servers"), QJsonArray {agent2Id() + 1000}}});
        CHECK_STATUS(r, 404);
    }

    void backupNowJobLifecycle()
    {
        QVERIFY(m_agent && m_agent2);
        ApiReply r = m_member->post(serverPath(agentId(), "/backup"), QJsonObject());
        CHECK_STATUS(r, 201);
        m_job = r.json().value(QStringLiteral("id")).toInteger();
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), agentId());

        r = m_agent->client().get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(itemIds(r).contains(m_job), r.body.constData());
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(!itemIds(r).contains(m_job), r.body.constData());

        const QString jobPath = QStringLiteral("/api/v1/agent/jobs/%1").arg(m_job);
        r = m_agent->client().post(jobPath + QStringLiteral("/progress"),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 3}}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        r = m_member->get(QStringLiteral("/api/v1/jobs/%1").arg(m_job));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("progress"))).value(QStringLiteral("files")).toInt(), 3);
        // Another agent of the tenant may not report on this job.
        CHECK_STATUS(m_agent2->client().post(jobPath + QStringLiteral("/progress"),
                         QJsonObject {{QStringLiteral("progress"), QJsonObject()}}),
            404);

        m_pack = m_agent->buildPack(m_seed, 4, 40000, true);
        r = m_agent->uploadPack(*m_pack);
        CHECK_STATUS(r, 201);
        QCOMPARE(r.json().value(QStringLiteral("existed")).toBool(), false);
        r = m_agent->uploadPack(*m_pack);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("existed")).toBool(), true);
        r = m_agent->commitSnapshot(*m_pack->tree, &m_snapshot, m_job);
        CHECK_STATUS(r, 201);
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), m_snapshot.toHex());

        r = m_agent->client().post(jobPath + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                {QStringLiteral("snapshot"), m_snapshot.toHex()},
                {QStringLiteral("stats"), QJsonObject {{QStringLiteral("files"), 1}}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        r = m_member->get(QStringLiteral("/api/v1/jobs/%1").arg(m_job));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(r.json().value(QStringLiteral("snapshot")).toString(), m_snapshot.toHex());
        QVERIFY(!r.json().value(QStringLiteral("finished_at")).toString().isEmpty());
        r = m_agent->client().get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(!itemIds(r).contains(m_job), r.body.constData());

        // A result sent again (its answer was lost) gets the same answer; a different one or more
        // progress conflicts with the finished job.
        r = m_agent->client().post(jobPath + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")}, {QStringLiteral("snapshot"), m_snapshot.toHex()}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        r = m_agent->client().post(jobPath + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("failed")}, {QStringLiteral("error"), QStringLiteral("late")}});
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("job_finished"));
        r = m_agent->client().post(jobPath + QStringLiteral("/progress"),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 2}}}});
        CHECK_STATUS(r, 409);
    }

    void jobHistoryFiltersAndPages()
    {
        QVERIFY(m_job > 0);
        QThread::msleep(5);
        const QDateTime from = QDateTime::currentDateTimeUtc();
        QList<qint64> batch, batch2;
        for (int i = 0; i < 5; ++i) {
            const ApiReply r = m_member->post(serverPath(agentId(), "/backup"), QJsonObject());
            CHECK_STATUS(r, 201);
            batch.append(r.json().value(QStringLiteral("id")).toInteger());
        }
        for (int i = 0; i < 2; ++i) {
            const ApiReply r = m_admin->post(serverPath(agent2Id(), "/backup"), QJsonObject());
            CHECK_STATUS(r, 201);
            batch2.append(r.json().value(QStringLiteral("id")).toInteger());
        }
        QThread::msleep(5);
        const QDateTime to = QDateTime::currentDateTimeUtc();
        const QList<qint64> everything = QList<qint64> {m_job} + batch + batch2;

        int pages = 0;
        const QList<qint64> walked = walkJobs(QString(), 3, &pages);
        QCOMPARE(walked.size(), everything.size());
        QCOMPARE(pages, 3); // 8 jobs in pages of 3
        QCOMPARE(QSet<qint64>(walked.begin(), walked.end()), QSet<qint64>(everything.begin(), everything.end()));
        for (qsizetype i = 1; i < walked.size(); ++i)
            QVERIFY2(walked[i] < walked[i - 1], "jobs are not newest first");

        QList<qint64> got = walkJobs(QStringLiteral("&server=%1").arg(agent2Id()), 50, &pages);
        QCOMPARE(QSet<qint64>(got.begin(), got.end()), QSet<qint64>(batch2.begin(), batch2.end()));
        got = walkJobs(QStringLiteral("&status=succeeded"), 50, &pages);
        QCOMPARE(got, QList<qint64> {m_job});
        got = walkJobs(QStringLiteral("&status=pending&server=%1").arg(agentId()), 2, &pages);
        QCOMPARE(QSet<qint64>(got.begin(), got.end()), QSet<qint64>(batch.begin(), batch.end()));
        QCOMPARE(pages, 3);
        got = walkJobs(QStringLiteral("&from=%1&to=%2").arg(isoMs(from), isoMs(to)), 4, &pages);
        QCOMPARE(QSet<qint64>(got.begin(), got.end()),
            QSet<qint64>(batch.begin(), batch.end()) + QSet<qint64>(batch2.begin(), batch2.end()));
        got = walkJobs(QStringLiteral("&to=%1").arg(isoMs(from)), 50, &pages);
        QCOMPARE(got, QList<qint64> {m_job});
        got = walkJobs(QStringLiteral("&from=%1").arg(isoMs(to)), 50, &pages);
        QVERIFY(got.isEmpty());

        ApiReply r = m_member->get(QStringLiteral("/api/v1/jobs?status=sleeping"));
        CHECK_STATUS(r, 400);
        r = m_member->get(QStringLiteral("/api/v1/jobs?from=yesterday"));
        CHECK_STATUS(r, 400);
        r = m_member->get(QStringLiteral("/api/v1/jobs?limit=0"));
        CHECK_STATUS(r, 400);
    }

    void snapshotsListed()
    {
        QVERIFY(m_pack);
        ApiReply r = m_member->get(QStringLiteral("/api/v1/snapshots"));
        CHECK_STATUS(r, 200);
        const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        const QJsonObject s = items.first().toObject();
        QCOMPARE(s.value(QStringLiteral("id")).toString(), m_snapshot.toHex());
        QCOMPARE(s.value(QStringLiteral("server")).toInteger(), agentId());
        QCOMPARE(s.value(QStringLiteral("job")).toInteger(), m_job);
        QCOMPARE(s.value(QStringLiteral("tree")).toString(), m_pack->tree->toHex());
        r = m_member->get(QStringLiteral("/api/v1/snapshots?server=%1").arg(agent2Id()));
        CHECK_STATUS(r, 200);
        QVERIFY(r.json().value(QStringLiteral("items")).toArray().isEmpty());
        r = m_member->get(QStringLiteral("/api/v1/snapshots/") + m_snapshot.toHex());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), m_snapshot.toHex());
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/snapshots/") + randomChunkId().toHex()), 404);
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/snapshots"));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("items")).toArray().size(), 1);
    }

    void browseTree()
    {
        QVERIFY(m_pack);
        const QString base = QStringLiteral("/api/v1/snapshots/%1/tree").arg(m_snapshot.toHex());
        ApiReply r = m_member->get(base + QStringLiteral("?path=/"));
        CHECK_STATUS(r, 200);
        const QJsonArray entries = r.json().value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(
            entries.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("file-%1").arg(m_seed));
        QCOMPARE(entries.first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(entries.first().toObject().value(QStringLiteral("size")).toInteger(), qint64(4 * 40000));
        QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
        CHECK_STATUS(m_member->get(base + QStringLiteral("?path=/no-such-dir")), 404);
        CHECK_STATUS(m_member->get(base + QStringLiteral("?path=relative")), 400);
    }

    void packRanges()
    {
        QVERIFY(m_pack);
        const QString url = packPath(m_pack->id);
        const qint64 size = m_pack->bytes.size();
        ApiReply r = m_agent->client().request("GET", url, QByteArray(), {{"Range", "bytes=10-99"}});
        CHECK_STATUS(r, 206);
        QCOMPARE(r.body, m_pack->bytes.mid(10, 90));
        QCOMPARE(r.header("Content-Range"), "bytes 10-99/" + QByteArray::number(size));
        r = m_agent->client().request("GET", url, QByteArray(), {{"Range", "bytes=-16"}});
        CHECK_STATUS(r, 206);
        QCOMPARE(r.body, m_pack->bytes.right(16));
        r = m_agent2->client().get(url); // any agent of the tenant reads the tenant's packs
        CHECK_STATUS(r, 200);
        QCOMPARE(r.body, m_pack->bytes);
        r = m_agent->client().request("GET", url, QByteArray(),
            {{"Range", "bytes=" + QByteArray::number(size) + '-' + QByteArray::number(size + 10)}});
        CHECK_STATUS(r, 416);
        QCOMPARE(r.header("Content-Range"), "bytes */" + QByteArray::number(size));
        CHECK_STATUS(m_agent->client().get(packPath(PackId::fromBytes(randomChunkId().toByteArray()).value())), 404);
    }

    void packHeadHasNoBody()
    {
        QVERIFY(m_pack);
        const RawReply r = rawHead(packPath(m_pack->id), m_agent->client().token());
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Length"), QByteArray::number(m_pack->bytes.size()));
        QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
        QVERIFY2(
            r.extra.isEmpty(), qPrintable(QStringLiteral("HEAD answer carried %1 body bytes").arg(r.extra.size())));
    }

    void missingChunksAreExactlyTheAbsentOnes()
    {
        QVERIFY(m_pack && m_pack->entries.size() >= 2);
        const ChunkId absent1 = randomChunkId(), absent2 = randomChunkId();
        const QJsonArray ids {m_pack->entries[0].id.toHex(), absent1.toHex(), m_pack->tree->toHex(), absent2.toHex(),
            m_pack->entries[1].id.toHex()};
        const ApiReply r = m_agent2->client().post(
            QStringLiteral("/api/v1/agent/chunks/missing"), QJsonObject {{QStringLiteral("ids"), ids}});
        CHECK_STATUS(r, 200);
        QSet<QString> missing;
        for (const QJsonValue &v : r.json().value(QStringLiteral("missing")).toArray())
            missing.insert(v.toString());
        QCOMPARE(missing, (QSet<QString> {absent1.toHex(), absent2.toHex()}));
        CHECK_STATUS(m_agent->client().post(QStringLiteral("/api/v1/agent/chunks/missing"),
                         QJsonObject {{QStringLiteral("ids"), QJsonArray {QStringLiteral("not-hex")}}}),
            400);
    }

    void indexFeedListsPacksWithBlobs()
    {
        QVERIFY(m_pack);
        ApiReply r = m_agent->client().get(QStringLiteral("/api/v1/agent/index"));
        CHECK_STATUS(r, 200);
        const QJsonArray packs = r.json().value(QStringLiteral("packs")).toArray();
        QCOMPARE(packs.size(), 1);
        const QJsonObject p = packs.first().toObject();
        QCOMPARE(p.value(QStringLiteral("id")).toString(), m_pack->id.toHex());
        QCOMPARE(p.value(QStringLiteral("size")).toInteger(), qint64(m_pack->bytes.size()));
        QSet<QString> served, built;
        for (const QJsonValue &v : p.value(QStringLiteral("blobs")).toArray()) {
            const QJsonArray b = v.toArray();
            served.insert(QStringLiteral("%1 %2 %3 %4 %5")
                              .arg(b[0].toInt())
                              .arg(b[1].toString())
                              .arg(b[2].toInteger())
                              .arg(b[3].toInteger())
                              .arg(b[4].toInteger()));
        }
        for (const PackEntry &e : m_pack->entries)
            built.insert(QStringLiteral("%1 %2 %3 %4 %5")
                             .arg(int(e.type))
                             .arg(e.id.toHex())
                             .arg(e.offset)
                             .arg(e.length)
                             .arg(e.rawLength));
        QCOMPARE(served, built);
        const qint64 last = r.json().value(QStringLiteral("last")).toInteger();
        QCOMPARE(last, p.value(QStringLiteral("seq")).toInteger());
        r = m_agent->client().get(QStringLiteral("/api/v1/agent/index?after=%1").arg(last));
        CHECK_STATUS(r, 200);
        QVERIFY(r.json().value(QStringLiteral("packs")).toArray().isEmpty());
    }

    void packWithWrongIdIsRefused()
    {
        QVERIFY(m_pack);
        const ApiReply before = m_member->get(QStringLiteral("/api/v1/usage"));
        CHECK_STATUS(before, 200);
        const SimulatedAgent::BuiltPack other = m_agent->buildPack(m_seed + 7, 2, 3000, false);
        const PackId wrong = PackId::fromBytes(randomChunkId().toByteArray()).value();
        ApiReply r = m_agent->client().put(packPath(wrong), other.bytes);
        CHECK_STATUS(r, 400);
        QCOMPARE(errorCode(r), QStringLiteral("id_mismatch"));
        CHECK_STATUS(m_agent->client().get(packPath(wrong)), 404);
        CHECK_STATUS(m_agent->client().get(packPath(other.id)), 404);
        QVERIFY(!fileExistsBelow(m_server.dataDir(), wrong.toHex()));
        QVERIFY(!fileExistsBelow(m_server.dataDir(), other.id.toHex()));
        r = m_agent->client().post(QStringLiteral("/api/v1/agent/chunks/missing"),
            QJsonObject {{QStringLiteral("ids"), QJsonArray {other.entries[0].id.toHex()}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("missing")).toArray().size(), 1);
        const ApiReply after = m_member->get(QStringLiteral("/api/v1/usage"));
        CHECK_STATUS(after, 200);
        QCOMPARE(after.json(), before.json());
    }

    // A pack whose header claims a chunk id its blob does not hash to would make later backups
    // deduplicate against data that is not there: the server opens every blob and refuses it.
    void packClaimingForeignChunkIsRefused()
    {
        QVERIFY(m_agent && m_agent->codec());
        const QByteArray data = QByteArray("not what the id says ").repeated(100);
        const ChunkId claimed = m_agent->codec()->chunkId("content the attacker predicts", 29);
        PackWriter writer(*m_agent->codec());
        writer.add(BlobType::Data, claimed, data.constData(), size_t(data.size()));
        const PackWriter::Finished forged = writer.finish();
        ApiReply r = m_agent->client().put(packPath(forged.id), forged.bytes);
        CHECK_STATUS(r, 400);
        QCOMPARE(errorCode(r), QStringLiteral("bad_pack"));
        CHECK_STATUS(m_agent->client().get(packPath(forged.id)), 404);
        r = m_agent->client().post(QStringLiteral("/api/v1/agent/chunks/missing"),
            QJsonObject {{QStringLiteral("ids"), QJsonArray {claimed.toHex()}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("missing")).toArray().size(), 1);
    }

    void snapshotWithoutTreeIsRefused()
    {
        QVERIFY(m_agent);
        SnapshotId id;
        const ApiReply r = m_agent->commitSnapshot(randomChunkId(), &id);
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("missing_data"));
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/snapshots/") + id.toHex()), 404);
        QVERIFY(!fileExistsBelow(m_server.dataDir(), id.toHex()));
    }

    void usageCounts()
    {
        QVERIFY(m_pack);
        const ApiReply r = m_member->get(QStringLiteral("/api/v1/usage"));
        CHECK_STATUS(r, 200);
        const QJsonObject u = r.json();
        QCOMPARE(u.value(QStringLiteral("tenant")).toInteger(), m_tenant);
        QCOMPARE(u.value(QStringLiteral("servers")).toInteger(), qint64(2));
        QCOMPARE(u.value(QStringLiteral("packs")).toInteger(), qint64(1));
        QCOMPARE(u.value(QStringLiteral("stored_bytes")).toInteger(), qint64(m_pack->bytes.size()));
        QCOMPARE(u.value(QStringLiteral("chunks")).toInteger(), qint64(m_pack->entries.size()));
        QCOMPARE(u.value(QStringLiteral("snapshots")).toInteger(), qint64(1));
    }

    void auditShowsPolicyChange()
    {
        QVERIFY(!m_policy.isEmpty());
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/audit")), 403);
        const ApiReply r = m_admin->get(QStringLiteral("/api/v1/audit?limit=500"));
        CHECK_STATUS(r, 200);
        const QString object = QStringLiteral("agent:%1").arg(agentId());
        bool set = false, copied = false;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("action")).toString() == QLatin1String("policy.set")
                && e.value(QStringLiteral("object")).toString() == object) {
                set = true;
                QCOMPARE(obj(e.value(QStringLiteral("detail"))).value(QStringLiteral("paths")),
                    m_policy.value(QStringLiteral("paths")));
                QVERIFY(!e.value(QStringLiteral("user")).isNull());
            }
            if (e.value(QStringLiteral("action")).toString() == QLatin1String("policy.copy")
                && e.value(QStringLiteral("object")).toString() == object)
                copied = true;
        }
        QVERIFY2(set, r.body.left(3000).constData());
        QVERIFY2(copied, r.body.left(3000).constData());
    }

    // --- agent-run schedules, commands in the policy, agent-created jobs, cancel, restore dispatch

    void enrollReportsKernelAndArchitecture()
    {
        QVERIFY(m_admin);
        ApiReply r = m_admin->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject());
        CHECK_STATUS(r, 201);
        const QString code = r.json().value(QStringLiteral("code")).toString();
        auto anonymous = newClient();
        QJsonObject body {{QStringLiteral("code"), code},
            {QStringLiteral("hostname"), QStringLiteral("host-three-") + m_tag},
            {QStringLiteral("os"), QStringLiteral("Debian GNU/Linux 12 (bookworm)")},
            {QStringLiteral("kernel"), QString(201, QLatin1Char('k'))},
            {QStringLiteral("version"), QStringLiteral("0.2.0")}};
        r = anonymous->post(QStringLiteral("/api/v1/enroll"), body);
        CHECK_STATUS(r, 400);
        QCOMPARE(errorField(r), QStringLiteral("kernel"));
        body.insert(QStringLiteral("kernel"), QStringLiteral("6.1.0-13-amd64"));
        body.insert(QStringLiteral("architecture"), QStringLiteral("x86_64"));
        r = anonymous->post(QStringLiteral("/api/v1/enroll"), body); // the refused attempt did not use the code
        CHECK_STATUS(r, 201);
        const QJsonObject enrolled = obj(r.json().value(QStringLiteral("agent")));
        QCOMPARE(enrolled.value(QStringLiteral("kernel")).toString(), QStringLiteral("6.1.0-13-amd64"));
        QCOMPARE(enrolled.value(QStringLiteral("architecture")).toString(), QStringLiteral("x86_64"));
        m_agent3Id = enrolled.value(QStringLiteral("id")).toInteger();
        m_agent3 = newClient();
        m_agent3->setToken(r.json().value(QStringLiteral("token")).toString().toLatin1());

        r = m_member->get(QStringLiteral("/api/v1/servers"));
        CHECK_STATUS(r, 200);
        QJsonObject listed;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            if (v.toObject().value(QStringLiteral("id")).toInteger() == m_agent3Id)
                listed = v.toObject();
        QCOMPARE(listed.value(QStringLiteral("kernel")).toString(), QStringLiteral("6.1.0-13-amd64"));
        QCOMPARE(listed.value(QStringLiteral("architecture")).toString(), QStringLiteral("x86_64"));
        QVERIFY2(listed.contains(QStringLiteral("next_run")) && listed.value(QStringLiteral("next_run")).isNull(),
            r.body.constData());
        r = m_member->get(serverPath(m_agent3Id));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("architecture")).toString(), QStringLiteral("x86_64"));

        // Without a policy: the offset is known, there is no next run, and no scheduled job.
        r = m_agent3->get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        const QJsonObject schedule = obj(r.json().value(QStringLiteral("schedule")));
        QCOMPARE(schedule.value(QStringLiteral("offset_seconds")).toInteger(), formulaOffset(m_tenant, m_agent3Id));
        QVERIFY2(schedule.contains(QStringLiteral("next_run")) && schedule.value(QStringLiteral("next_run")).isNull(),
            r.body.constData());
        r = m_agent3->post(QStringLiteral("/api/v1/agent/jobs"),
            QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("schedule")},
                {QStringLiteral("scheduled_at"), isoSeconds(QDateTime::currentDateTimeUtc().addSecs(-60))}});
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("no_policy"));
    }

    void policyCommandsAndLimitRoundTrip()
    {
        QVERIFY(m_agent3);
        const QString path = serverPath(m_agent3Id, "/policy");
        QJsonObject policy = basicPolicy();
        policy.insert(QStringLiteral("pre_command"), QStringLiteral("pg_dump -Fc app > /var/backups/app.pgdump"));
        policy.insert(QStringLiteral("post_command"), QStringLiteral("rm -f /var/backups/app.pgdump"));
        policy.insert(QStringLiteral("command_timeout_seconds"), 900);
        policy.insert(QStringLiteral("on_pre_command_failure"), QStringLiteral("continue"));
        policy.insert(QStringLiteral("bandwidth_limit_kib"), 2048);
        ApiReply r = m_admin->putJson(path, policy);
        CHECK_STATUS(r, 200);
        const QJsonObject answered = r.json();
        for (const QString &key : policy.keys())
            QVERIFY2(answered.value(key) == policy.value(key),
                qPrintable(key + QStringLiteral(": ") + QString::fromUtf8(r.body)));
        QVERIFY(QDateTime::fromString(answered.value(QStringLiteral("updated_at")).toString(), Qt::ISODate).isValid());
        r = m_member->get(path);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json(), answered);
        r = m_agent3->get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("policy"))), answered);

        // The commands run as root on the server: an audit entry names them.
        r = m_admin->get(QStringLiteral("/api/v1/audit?limit=50"));
        CHECK_STATUS(r, 200);
        bool named = false;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("action")).toString() == QLatin1String("policy.commands")
                && e.value(QStringLiteral("object")).toString() == QStringLiteral("agent:%1").arg(m_agent3Id)) {
                const QJsonObject d = obj(e.value(QStringLiteral("detail")));
                named = d.value(QStringLiteral("pre_command")) == policy.value(QStringLiteral("pre_command"))
                    && d.value(QStringLiteral("post_command")) == policy.value(QStringLiteral("post_command"))
                    && d.value(QStringLiteral("runs_as")).toString() == QLatin1String("root");
            }
        }
        QVERIFY2(named, r.body.left(3000).constData());

        // A copy carries the new fields, and its audit entry names the commands it spreads.
        r = m_admin->post(
            serverPath(m_agent3Id, "/policy/copy"), QJsonObject {{QStringLiteral("servers"), QJsonArray {agent2Id()}}});
        CHECK_STATUS(r, 200);
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        QJsonObject copied = obj(r.json().value(QStringLiteral("policy"))), original = answered;
        copied.remove(QStringLiteral("updated_at"));
        original.remove(QStringLiteral("updated_at"));
        QCOMPARE(copied, original);
        r = m_admin->get(QStringLiteral("/api/v1/audit?limit=5"));
        CHECK_STATUS(r, 200);
        const QJsonObject copyEntry = r.json().value(QStringLiteral("items")).toArray().first().toObject();
        QCOMPARE(copyEntry.value(QStringLiteral("action")).toString(), QStringLiteral("policy.copy"));
        QCOMPARE(obj(copyEntry.value(QStringLiteral("detail"))).value(QStringLiteral("pre_command")),
            policy.value(QStringLiteral("pre_command")));

        // Left out, the new fields take their defaults.
        r = m_admin->putJson(path, basicPolicy());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("pre_command")).toString(), QString());
        QCOMPARE(r.json().value(QStringLiteral("post_command")).toString(), QString());
        QCOMPARE(r.json().value(QStringLiteral("command_timeout_seconds")).toInt(), 3600);
        QCOMPARE(r.json().value(QStringLiteral("on_pre_command_failure")).toString(), QStringLiteral("fail"));
        QCOMPARE(r.json().value(QStringLiteral("bandwidth_limit_kib")).toInteger(), qint64(0));

        // The edges of each range are accepted.
        const QList<QPair<QString, QJsonValue>> edges {{QStringLiteral("pre_command"), QString(4000, QLatin1Char('x'))},
            {QStringLiteral("post_command"), QString(2000, QChar(0xe9))}, // 4000 bytes of UTF-8
            {QStringLiteral("command_timeout_seconds"), 1}, {QStringLiteral("command_timeout_seconds"), 86400},
            {QStringLiteral("on_pre_command_failure"), QStringLiteral("fail")},
            {QStringLiteral("bandwidth_limit_kib"), 128}, {QStringLiteral("bandwidth_limit_kib"), 10000000}};
        for (const auto &[field, value] : edges) {
            QJsonObject p = basicPolicy();
            p.insert(field, value);
            r = m_admin->putJson(path, p);
            CHECK_STATUS(r, 200);
            QCOMPARE(r.json().value(field), value);
        }
    }

    void policyNewFieldsRefuseBadValues()
    {
        QVERIFY(m_agent3);
        const QString path = serverPath(m_agent3Id, "/policy");
        const ApiReply before = m_member->get(path);
        CHECK_STATUS(before, 200);
        const QList<QPair<QString, QJsonValue>> bad {{QStringLiteral("pre_command"), QString(4001, QLatin1Char('x'))},
            {QStringLiteral("pre_command"), QString(2001, QChar(0xe9))}, // 2001 characters, 4002 bytes
            {QStringLiteral("pre_command"), QStringLiteral("echo a") + QChar(0) + QStringLiteral("b")},
            {QStringLiteral("pre_command"), 12}, {QStringLiteral("post_command"), QString(4001, QLatin1Char('y'))},
            {QStringLiteral("post_command"), QJsonArray {QStringLiteral("rm")}},
            {QStringLiteral("command_timeout_seconds"), 0}, {QStringLiteral("command_timeout_seconds"), 86401},
            {QStringLiteral("command_timeout_seconds"), QStringLiteral("60")},
            {QStringLiteral("command_timeout_seconds"), 1.5},
            {QStringLiteral("on_pre_command_failure"), QStringLiteral("ignore")},
            {QStringLiteral("on_pre_command_failure"), true}, {QStringLiteral("bandwidth_limit_kib"), 127},
            {QStringLiteral("bandwidth_limit_kib"), 1}, {QStringLiteral("bandwidth_limit_kib"), -1},
            {QStringLiteral("bandwidth_limit_kib"), 10000001}};
        for (const auto &[field, value] : bad) {
            QJsonObject p = basicPolicy();
            p.insert(field, value);
            const ApiReply r = m_admin->putJson(path, p);
            CHECK_STATUS(r, 400);
            QVERIFY2(errorField(r) == field, qPrintable(field + QStringLiteral(": ") + r.describe()));
        }
        const ApiReply after = m_member->get(path);
        CHECK_STATUS(after, 200);
        QCOMPARE(after.json(), before.json());
    }

    void agentConfigHasSchedule()
    {
        QVERIFY(m_agent3 && m_agent);
        // Daily at 03:00 in the tenant's zone (Asia/Seoul, the default); agent one is weekly,
        // Wednesdays at 22:00 (policyReachesAgent).
        QJsonObject p = basicPolicy();
        p.insert(QStringLiteral("hour"), 3);
        CHECK_STATUS(m_admin->putJson(serverPath(m_agent3Id, "/policy"), p), 200);
        checkSchedule(*m_agent3, m_agent3Id, formulaOffset(m_tenant, m_agent3Id), 0, 3);
        checkSchedule(m_agent->client(), agentId(), formulaOffset(m_tenant, agentId()), 3, 22);
    }

    void agentCreatesScheduledJobsOncePerSlot()
    {
        QVERIFY(m_agent3);
        const QString jobs = QStringLiteral("/api/v1/agent/jobs");
        const QDateTime slot = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() - 3600, Qt::UTC);
        auto scheduled = [](const QString &at) {
            return QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("schedule")}, {QStringLiteral("scheduled_at"), at}};
        };
        ApiReply r = m_agent3->post(jobs, scheduled(isoSeconds(slot)));
        CHECK_STATUS(r, 201);
        const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
        QCOMPARE(r.json().value(QStringLiteral("requested_by")).toString(), QStringLiteral("schedule"));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QCOMPARE(r.json().value(QStringLiteral("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), m_agent3Id);
        QCOMPARE(QDateTime::fromString(r.json().value(QStringLiteral("scheduled_at")).toString(), Qt::ISODate), slot);
        r = m_agent3->post(jobs, scheduled(isoSeconds(slot)));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toInteger(), job);
        // The same instant written in another zone is the same slot.
        r = m_agent3->post(jobs, scheduled(slot.toOffsetFromUtc(9 * 3600).toString(Qt::ISODate)));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toInteger(), job);
        r = m_agent3->get(jobs);
        CHECK_STATUS(r, 200);
        QCOMPARE(itemIds(r).count(job), 1);
        r = m_member->get(QStringLiteral("/api/v1/jobs/%1").arg(job));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("requested_by")).toString(), QStringLiteral("schedule"));
        // Another server's job for the same slot is its own.
        r = m_agent->client().post(jobs, scheduled(isoSeconds(slot)));
        CHECK_STATUS(r, 201);
        QVERIFY(r.json().value(QStringLiteral("id")).toInteger() != job);
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), agentId());

        // A finished slot's job is answered as it is: the agent does not run the slot again.
        CHECK_STATUS(m_agent3->post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(job),
                         QJsonObject {{QStringLiteral("state"), QStringLiteral("failed")},
                             {QStringLiteral("error"), QStringLiteral("pre-command failed")}}),
            200);
        r = m_agent3->post(jobs, scheduled(isoSeconds(slot)));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toInteger(), job);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));

        // The window: 3 hours back, 5 minutes ahead of the server's clock.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        r = m_agent3->post(jobs, scheduled(isoSeconds(now.addSecs(120))));
        CHECK_STATUS(r, 201);
        r = m_agent3->post(jobs, scheduled(isoSeconds(now.addSecs(-3 * 3600 + 120))));
        CHECK_STATUS(r, 201);
        for (const QString &at : {isoSeconds(now.addSecs(-3 * 3600 - 300)), isoSeconds(now.addSecs(600)),
                 QStringLiteral("2026-01-01T02:00:00"), QStringLiteral("yesterday"), QString()}) {
            r = m_agent3->post(jobs, scheduled(at));
            CHECK_STATUS(r, 400);
            QVERIFY2(errorField(r) == QLatin1String("scheduled_at"), qPrintable(at + QLatin1Char(' ') + r.describe()));
        }
        QJsonObject missing = scheduled(QString());
        missing.remove(QStringLiteral("scheduled_at"));
        const QList<QPair<QJsonObject, QString>> refused {{missing, QStringLiteral("scheduled_at")},
            {QJsonObject {{QStringLiteral("kind"), QStringLiteral("restore")},
                 {QStringLiteral("trigger"), QStringLiteral("agent")}},
                QStringLiteral("kind")},
            {QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                 {QStringLiteral("trigger"), QStringLiteral("cron")}},
                QStringLiteral("trigger")},
            {QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")}}, QStringLiteral("trigger")},
            {QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                 {QStringLiteral("trigger"), QStringLiteral("agent")},
                 {QStringLiteral("scheduled_at"), isoSeconds(now)}},
                QStringLiteral("scheduled_at")},
            {QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                 {QStringLiteral("trigger"), QStringLiteral("agent")}, {QStringLiteral("priority"), 1}},
                QStringLiteral("priority")}};
        for (const auto &[body, field] : refused) {
            r = m_agent3->post(jobs, body);
            CHECK_STATUS(r, 400);
            QVERIFY2(errorField(r) == field, qPrintable(field + QLatin1Char(' ') + r.describe()));
        }
    }

    void agentStartsBackupNow()
    {
        QVERIFY(m_agent3);
        const QJsonObject now {
            {QStringLiteral("kind"), QStringLiteral("backup")}, {QStringLiteral("trigger"), QStringLiteral("agent")}};
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        ApiReply r = m_agent3->post(QStringLiteral("/api/v1/agent/jobs"), now);
        CHECK_STATUS(r, 201);
        const qint64 first = r.json().value(QStringLiteral("id")).toInteger();
        QCOMPARE(r.json().value(QStringLiteral("requested_by")).toString(), QStringLiteral("agent"));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QVERIFY(
            QDateTime::fromString(r.json().value(QStringLiteral("scheduled_at")).toString(), Qt::ISODate) >= before);
        r = m_agent3->post(QStringLiteral("/api/v1/agent/jobs"), now); // each request is a new run
        CHECK_STATUS(r, 201);
        QVERIFY(r.json().value(QStringLiteral("id")).toInteger() != first);
        r = m_member->get(QStringLiteral("/api/v1/jobs/%1").arg(first));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), m_agent3Id);
    }

    void cancelPendingJob()
    {
        QVERIFY(m_agent3);
        ApiReply r = m_member->post(serverPath(m_agent3Id, "/backup"), QJsonObject());
        CHECK_STATUS(r, 201);
        const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
        const QString cancel = QStringLiteral("/api/v1/jobs/%1/cancel").arg(job);
        CHECK_STATUS(m_agent3->post(cancel, QJsonObject()), 401);
        CHECK_STATUS(m_member->post(cancel, QJsonObject {{QStringLiteral("force"), true}}), 400);
        r = m_member->post(cancel, QJsonObject());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(),
            QStringLiteral("cancelled by user:%1").arg(userId(*m_member)));
        QVERIFY(!r.json().value(QStringLiteral("finished_at")).toString().isEmpty());
        r = m_agent3->get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(!itemIds(r).contains(job), r.body.constData());
        r = m_member->post(cancel, QJsonObject());
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("job_finished"));
        CHECK_STATUS(m_member->post(QStringLiteral("/api/v1/jobs/%1/cancel").arg(job + 100000), QJsonObject()), 404);
        CHECK_STATUS(m_agent3->post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(job),
                         QJsonObject {{QStringLiteral("progress"), QJsonObject()}}),
            409);
    }

    void cancelRunningJob()
    {
        QVERIFY(m_agent3);
        ApiReply r = m_member->post(serverPath(m_agent3Id, "/backup"), QJsonObject());
        CHECK_STATUS(r, 201);
        const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
        const QString agentJob = QStringLiteral("/api/v1/agent/jobs/%1").arg(job);
        const QJsonObject progress {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 5}}}};
        r = m_agent3->post(agentJob + QStringLiteral("/progress"), progress);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("cancel_requested")).toBool(), false);

        r = m_admin->post(QStringLiteral("/api/v1/jobs/%1/cancel").arg(job), QJsonObject());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(r.json().value(QStringLiteral("cancel_requested")).toBool(), true);
        r = m_member->post(QStringLiteral("/api/v1/jobs/%1/cancel").arg(job), QJsonObject()); // asking again is fine
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("cancel_requested")).toBool(), true);
        // The agent learns of it from the answer to its next progress report, then stops.
        r = m_agent3->post(agentJob + QStringLiteral("/progress"), progress);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(r.json().value(QStringLiteral("cancel_requested")).toBool(), true);
        r = m_agent3->post(agentJob + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("cancelled")},
                {QStringLiteral("error"), QStringLiteral("cancelled")}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        r = m_member->post(QStringLiteral("/api/v1/jobs/%1/cancel").arg(job), QJsonObject());
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("job_finished"));

        r = m_admin->get(QStringLiteral("/api/v1/audit?limit=50"));
        CHECK_STATUS(r, 200);
        int cancels = 0;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            cancels += v.toObject().value(QStringLiteral("action")).toString() == QLatin1String("job.cancel")
                && v.toObject().value(QStringLiteral("object")).toString() == QStringLiteral("job:%1").arg(job);
        QCOMPARE(cancels, 2);
    }

    void restoreDispatch()
    {
        QVERIFY(m_agent3 && m_pack);
        // The snapshot was taken on server one; it is restored onto server three.
        const QString path = serverPath(m_agent3Id, "/restore") + QStringLiteral("?tenant=%1").arg(m_tenant);
        const QJsonObject body {{QStringLiteral("snapshot"), m_snapshot.toHex()},
            {QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc/ssh"), QStringLiteral("/srv/data/file")}},
            {QStringLiteral("target"), QStringLiteral("/var/tmp/restored")},
            {QStringLiteral("existing"), QStringLiteral("keep-both")}};
        CHECK_STATUS(m_member->post(serverPath(m_agent3Id, "/restore"), body), 403);
        CHECK_STATUS(m_admin->post(serverPath(m_agent3Id, "/restore"), body), 403);
        CHECK_STATUS(m_operator->post(serverPath(m_agent3Id, "/restore"), body), 400); // no ?tenant=
        ApiReply r = m_operator->post(path, body);
        CHECK_STATUS(r, 201);
        const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
        QCOMPARE(r.json().value(QStringLiteral("kind")).toString(), QStringLiteral("restore"));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), m_agent3Id);
        QCOMPARE(r.json().value(QStringLiteral("requested_by")).toString(),
            QStringLiteral("operator:%1").arg(userId(*m_operator)));
        QCOMPARE(obj(r.json().value(QStringLiteral("spec"))), body);
        r = m_agent3->get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QJsonObject listed;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            if (v.toObject().value(QStringLiteral("id")).toInteger() == job)
                listed = v.toObject();
        QCOMPARE(obj(listed.value(QStringLiteral("spec"))), body);

        // Defaults, and names that are not UTF-8.
        r = m_operator->post(path, QJsonObject {{QStringLiteral("snapshot"), m_snapshot.toHex()}});
        CHECK_STATUS(r, 201);
        QCOMPARE(obj(r.json().value(QStringLiteral("spec"))),
            (QJsonObject {{QStringLiteral("snapshot"), m_snapshot.toHex()}, {QStringLiteral("paths"), QJsonArray()},
                {QStringLiteral("target"), QString()}, {QStringLiteral("existing"), QStringLiteral("skip")}}));
        const QString latin1Name = QString::fromLatin1(QByteArray("/srv/caf\xe9").toBase64());
        r = m_operator->post(path,
            QJsonObject {{QStringLiteral("snapshot"), m_snapshot.toHex()},
                {QStringLiteral("paths_b64"), QJsonArray {latin1Name}}});
        CHECK_STATUS(r, 201);
        QCOMPARE(obj(r.json().value(QStringLiteral("spec"))).value(QStringLiteral("paths_b64")).toArray(),
            QJsonArray {latin1Name});

        const QList<QPair<QString, QJsonValue>> bad {{QStringLiteral("snapshot"), QStringLiteral("xyz")},
            {QStringLiteral("paths"), QJsonArray {QStringLiteral("etc/ssh")}},
            {QStringLiteral("paths_b64"), QJsonArray {QString::fromLatin1(QByteArray("relative").toBase64())}},
            {QStringLiteral("paths_b64"), QJsonArray {QStringLiteral("@@not base64@@")}},
            {QStringLiteral("target"), QStringLiteral("somewhere")},
            {QStringLiteral("existing"), QStringLiteral("merge")}};
        for (const auto &[field, value] : bad) {
            QJsonObject b {{QStringLiteral("snapshot"), m_snapshot.toHex()}};
            b.insert(field, value);
            r = m_operator->post(path, b);
            CHECK_STATUS(r, 400);
            QVERIFY2(errorField(r) == field, qPrintable(field + QLatin1Char(' ') + r.describe()));
        }
        CHECK_STATUS(m_operator->post(path, QJsonObject {{QStringLiteral("snapshot"), randomChunkId().toHex()}}), 404);

        // Another tenant's snapshot is not found, nor is this tenant's server from the other tenant.
        r = m_operator->post(QStringLiteral("/api/v1/tenants"),
            QJsonObject {{QStringLiteral("name"), QStringLiteral("Other ") + m_tag}});
        CHECK_STATUS(r, 201);
        const qint64 other = r.json().value(QStringLiteral("id")).toInteger();
        r = m_operator->post(QStringLiteral("/api/v1/enrollment-codes?tenant=%1").arg(other), QJsonObject());
        CHECK_STATUS(r, 201);
        SimulatedAgent stranger(m_server.baseUrl(), m_server.caPem());
        CHECK_STATUS(
            stranger.enroll(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("stranger-") + m_tag),
            201);
        const SimulatedAgent::BuiltPack pack = stranger.buildPack(m_seed + 99, 2, 5000, true);
        CHECK_STATUS(stranger.uploadPack(pack), 201);
        SnapshotId foreign;
        CHECK_STATUS(stranger.commitSnapshot(*pack.tree, &foreign), 201);
        r = m_operator->post(path, QJsonObject {{QStringLiteral("snapshot"), foreign.toHex()}});
        CHECK_STATUS(r, 404);
        r = m_operator->post(serverPath(m_agent3Id, "/restore") + QStringLiteral("?tenant=%1").arg(other),
            QJsonObject {{QStringLiteral("snapshot"), foreign.toHex()}});
        CHECK_STATUS(r, 404);
        r = m_operator->post(serverPath(stranger.agentId(), "/restore") + QStringLiteral("?tenant=%1").arg(other),
            QJsonObject {{QStringLiteral("snapshot"), foreign.toHex()}});
        CHECK_STATUS(r, 201); // the same request in the right tenant

        r = m_operator->get(QStringLiteral("/api/v1/audit?tenant=%1&limit=50").arg(m_tenant));
        CHECK_STATUS(r, 200);
        bool audited = false;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject e = v.toObject();
            audited = audited
                || (e.value(QStringLiteral("action")).toString() == QLatin1String("restore.dispatch")
                    && obj(e.value(QStringLiteral("detail"))).value(QStringLiteral("job")).toInteger() == job);
        }
        QVERIFY2(audited, r.body.left(3000).constData());
    }

    // Restarts the server with other [schedule] settings (the login throttle starts afresh).
    void scheduleSettingsFromConfig()
    {
        QVERIFY(m_agent3);
        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
        m_addressFailures = 0;
        QString config = m_server.writeConfig("[schedule]\nmax_offset_seconds=60\n");
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        checkSchedule(*m_agent3, m_agent3Id, formulaOffset(m_tenant, m_agent3Id, 60), 0, 3);

        QVERIFY(m_server.stop());
        for (const QByteArray &wrong : {QByteArray("test_offset_seconds=3600"), QByteArray("test_offset_seconds=-1"),
                 QByteArray("max_offset_seconds=3601"), QByteArray("max_offset_seconds=soon")}) {
            config = m_server.writeConfig("[schedule]\n" + wrong + '\n');
            QVERIFY2(!m_server.start({QStringLiteral("--config"), config}, 10000), wrong.constData());
            QVERIFY2(m_server.log().contains(wrong.left(wrong.indexOf('='))), m_server.log().constData());
        }

        config = m_server.writeConfig("[schedule]\ntest_offset_seconds=1234\n");
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        checkSchedule(*m_agent3, m_agent3Id, 1234, 0, 3);
        checkSchedule(m_agent->client(), agentId(), 1234, 3, 22);
    }

    // Last: it exhausts the per-address allowance of 127.0.0.1 for the rest of the window.
    // A removed server keeps its history but takes no more actions, and its token stops working.
    void removedServerRefusesActions()
    {
        QVERIFY(m_agent2);
        const QString server = QStringLiteral("/api/v1/servers/%1").arg(m_agent2->agentId());
        CHECK_STATUS(m_member->del(server), 403);
        CHECK_STATUS(m_admin->del(server), 200);
        CHECK_STATUS(m_member->get(server), 404);
        CHECK_STATUS(m_member->post(server + QStringLiteral("/backup"), QJsonObject()), 404);
        CHECK_STATUS(m_admin->putJson(server + QStringLiteral("/policy"), m_policy), 404);
        CHECK_STATUS(m_agent2->client().get(QStringLiteral("/api/v1/agent/config")), 401);
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/jobs?server=%1").arg(m_agent2->agentId())), 200);
        const ApiReply list = m_member->get(QStringLiteral("/api/v1/servers"));
        CHECK_STATUS(list, 200);
        QVERIFY2(!itemIds(list).contains(m_agent2->agentId()), list.body.constData());
    }

    void loginRateLimit()
    {
        const QString victim = login("victim"), admin = login("admin"), member = login("member");
        QVERIFY2(
            m_server.addUser(victim, password(victim).toUtf8(), QString::number(m_tenant), QStringLiteral("member")),
            m_server.log().constData());
        QVERIFY(m_addressFailures + 5 < 20);
        auto c = newClient();
        for (int i = 0; i < 5; ++i) {
            const ApiReply r = c->login(victim, QStringLiteral("wrong-%1").arg(i));
            ++m_addressFailures;
            CHECK_STATUS(r, 401);
        }
        ApiReply r = c->login(victim, QStringLiteral("wrong-5"));
        CHECK_STATUS(r, 429);
        QCOMPARE(errorCode(r), QStringLiteral("too_many_attempts"));
        const int wait = r.header("Retry-After").toInt();
        QVERIFY2(wait >= 1 && wait <= 15 * 60, r.header("Retry-After").constData());
        r = c->login(victim, password(victim)); // even the right password waits now
        CHECK_STATUS(r, 429);
        QVERIFY(c->token().isEmpty());

        // Other logins from the same address go on working until the address limit.
        auto other = newClient();
        CHECK_STATUS(other->login(member, password(member)), 200);
        for (int i = 0; m_addressFailures < 19; ++i) {
            r = c->login(QStringLiteral("stranger-%1-%2").arg(m_tag).arg(i), QStringLiteral("x"));
            ++m_addressFailures;
            CHECK_STATUS(r, 401);
        }
        CHECK_STATUS(other->login(admin, password(admin)), 200);
        r = c->login(QStringLiteral("stranger-%1-last").arg(m_tag), QStringLiteral("x"));
        ++m_addressFailures;
        CHECK_STATUS(r, 401);
        r = other->login(admin, password(admin));
        CHECK_STATUS(r, 429);
        QVERIFY(r.header("Retry-After").toInt() >= 1);
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

QTEST_GUILESS_MAIN(TestServerApi)
#include "TestServerApi.moc"
