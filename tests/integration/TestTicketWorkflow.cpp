// The restore ticket workflow through the API of a real cairn-server, with simulated agents that
// commit snapshots and report on the restore jobs the tickets start: submission and its checks;
// every allowed and refused transition (accept, reject, start, complete, cancel) with 409 on a
// wrong one and only one of two operators accepting at once; a ticket following its job (failed →
// accepted with a system message, succeeded → completed with the job's result); the cancel rules;
// the message thread both sides see and no other tenant finds (404); the operator list with
// ?state= and pages; the SLA report's checks; and the audit entries of every operator action.
// The test's main thread (and two threads racing to accept).
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QThread>

using namespace cairn;
using namespace cairn::test;

namespace {

QString text(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString field(const ApiReply &r)
{
    return r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}

} // namespace

class TestTicketWorkflow : public QObject {
    Q_OBJECT

    ServerProcess m_server;
    qint64 m_a = 0, m_b = 0;
    std::unique_ptr<ApiClient> m_alice, m_bob, m_ann, m_zed, m_ops1, m_ops2;
    std::unique_ptr<SimulatedAgent> m_a1, m_a2, m_b1;
    SnapshotId m_snapA1, m_snapA2, m_snapB1;

    std::unique_ptr<ApiClient> login(const QString &name)
    {
        auto c = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        const ApiReply r = c->login(name, name + QStringLiteral("-password"));
        if (r.status != 200)
            qWarning("login %s: %s", qPrintable(name), qPrintable(r.describe()));
        return c;
    }

    std::unique_ptr<SimulatedAgent> agentWithSnapshot(
        const QString &tenant, const QString &host, quint64 seed, SnapshotId *snapshot)
    {
        auto agent = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        ApiReply r = agent->enroll(m_server.enrollmentCode(tenant), host);
        if (r.status != 201)
            qWarning("enroll: %s", qPrintable(r.describe()));
        const auto pack = agent->buildPack(seed, 2, 5000, true);
        r = agent->uploadPack(pack);
        if (r.status != 201)
            qWarning("upload: %s", qPrintable(r.describe()));
        r = agent->commitSnapshot(*pack.tree, snapshot);
        if (r.status != 201)
            qWarning("snapshot: %s", qPrintable(r.describe()));
        return agent;
    }

    QString inA(const QString &path) const { return path + QStringLiteral("?tenant=%1").arg(m_a); }
    static QString ticketPath(qint64 id, const QString &action = QString())
    {
        return QStringLiteral("/api/v1/restore-tickets/%1%2")
            .arg(id)
            .arg(action.isEmpty() ? QString() : QLatin1Char('/') + action);
    }

    // A minimal valid ticket of alice's for server A1; its id.
    qint64 submit()
    {
        const ApiReply r = m_alice->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), m_a1->agentId()}, {QStringLiteral("snapshot"), m_snapA1.toHex()}});
        if (r.status != 201)
            qWarning("submit: %s", qPrintable(r.describe()));
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    ApiReply act(ApiClient &c, qint64 ticket, const QString &action, const QJsonObject &body = {})
    {
        return c.post(inA(ticketPath(ticket, action)), body);
    }

    QJsonObject ticket(qint64 id) { return m_alice->get(ticketPath(id)).json(); }

    // A valid body for an operator action: reject needs a reason, complete a note.
    static QJsonObject bodyFor(const QString &action)
    {
        if (action == u"reject")
            return {{QStringLiteral("reason"), QStringLiteral("not possible")}};
        if (action == u"complete")
            return {{QStringLiteral("note"), QStringLiteral("done")}};
        return {};
    }

    // Every operator action on ticket `id` is refused with 409.
    void expectNoOperatorMove(qint64 id, const QStringList &actions)
    {
        for (const QString &action : actions) {
            const ApiReply r = act(*m_ops1, id, action, bodyFor(action));
            QVERIFY2(r.status == 409, qPrintable(action + QLatin1Char(' ') + r.describe()));
            QCOMPARE(r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
                QStringLiteral("ticket_state"));
        }
    }

    QStringList auditActions()
    {
        const ApiReply r = m_ops1->get(QStringLiteral("/api/v1/audit?tenant=%1&limit=500").arg(m_a));
        QStringList actions;
        for (const QJsonValue &e : r.json().value(QStringLiteral("items")).toArray())
            actions << e.toObject().value(QStringLiteral("action")).toString();
        return actions;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_a = m_server.addTenant(QStringLiteral("acme"));
        m_b = m_server.addTenant(QStringLiteral("other"));
        QVERIFY(m_a > 0 && m_b > 0);
        for (const auto &[login, tenant, role] :
            {std::tuple {"alice", "acme", "member"}, {"bob", "acme", "member"}, {"ann", "acme", "admin"},
                {"zed", "other", "member"}, {"ops1", "", "operator"}, {"ops2", "", "operator"}})
            QVERIFY2(m_server.addUser(QLatin1String(login), QByteArray(login) + "-password", QLatin1String(tenant),
                         QLatin1String(role)),
                m_server.log().constData());
        m_alice = login(QStringLiteral("alice"));
        m_bob = login(QStringLiteral("bob"));
        m_ann = login(QStringLiteral("ann"));
        m_zed = login(QStringLiteral("zed"));
        m_ops1 = login(QStringLiteral("ops1"));
        m_ops2 = login(QStringLiteral("ops2"));
        m_a1 = agentWithSnapshot(QStringLiteral("acme"), QStringLiteral("a1"), 1, &m_snapA1);
        m_a2 = agentWithSnapshot(QStringLiteral("acme"), QStringLiteral("a2"), 2, &m_snapA2);
        m_b1 = agentWithSnapshot(QStringLiteral("other"), QStringLiteral("b1"), 3, &m_snapB1);
        QVERIFY(m_a1->agentId() > 0 && m_a2->agentId() > 0 && m_b1->agentId() > 0);
    }

    void submissionIsChecked_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        const QJsonObject ok {
            {QStringLiteral("server"), m_a1->agentId()}, {QStringLiteral("snapshot"), m_snapA1.toHex()}};
        auto with = [&](const char *key, const QJsonValue &v) {
            QJsonObject o = ok;
            o.insert(QLatin1String(key), v);
            return o;
        };
        QTest::newRow("another server's snapshot") << with("snapshot", m_snapA2.toHex()) << 400 << "snapshot";
        QTest::newRow("another tenant's snapshot") << with("snapshot", m_snapB1.toHex()) << 404 << "";
        QTest::newRow("another tenant's server") << with("server", m_b1->agentId()) << 404 << "";
        QTest::newRow("another tenant's target server") << with("target_server", m_b1->agentId()) << 404 << "";
        QTest::newRow("no snapshot") << QJsonObject {{QStringLiteral("server"), m_a1->agentId()}} << 400 << "snapshot";
        QTest::newRow("bad e-mail") << with("contact", QJsonObject {{QStringLiteral("email"), QStringLiteral("kim@")}})
                                    << 400 << "contact.email";
        QTest::newRow("bad phone") << with(
            "contact", QJsonObject {{QStringLiteral("phone"), QStringLiteral("call me")}})
                                   << 400 << "contact.phone";
        QTest::newRow("unknown contact field")
            << with("contact", QJsonObject {{QStringLiteral("fax"), QStringLiteral("1")}}) << 400 << "contact.fax";
        QTest::newRow("note too long") << with("note", QString(4001, QLatin1Char('x'))) << 400 << "note";
        QTest::newRow("relative target") << with("target", QStringLiteral("restore/here")) << 400 << "target";
        QTest::newRow("bad existing") << with("existing", QStringLiteral("merge")) << 400 << "existing";
        QTest::newRow("relative path") << with("paths", QJsonArray {QStringLiteral("etc")}) << 400 << "paths";
        QTest::newRow("unknown field") << with("priority", QStringLiteral("high")) << 400 << "priority";
    }

    void submissionIsChecked()
    {
        QFETCH(QJsonObject, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        const ApiReply r = m_alice->post(QStringLiteral("/api/v1/restore-tickets"), body);
        QVERIFY2(r.status == status, qPrintable(r.describe()));
        if (!field.isEmpty())
            QCOMPARE(::field(r), field);
        QVERIFY(!r.body.contains(m_snapB1.toHex().toLatin1()) || status != 404);
    }

    void submissionKeepsTheRequest()
    {
        const QJsonObject contact {{QStringLiteral("name"), QStringLiteral("김민지")},
            {QStringLiteral("phone"), QStringLiteral("+82 10-1234-5678")},
            {QStringLiteral("email"), QStringLiteral("minji@example.com")}};
        const ApiReply r = m_alice->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), m_a1->agentId()}, {QStringLiteral("snapshot"), m_snapA1.toHex()},
                {QStringLiteral("paths"), QJsonArray {QStringLiteral("/data")}},
                {QStringLiteral("target"), QStringLiteral("/restore/here")},
                {QStringLiteral("target_server"), m_a2->agentId()},
                {QStringLiteral("existing"), QStringLiteral("keep-both")}, {QStringLiteral("contact"), contact},
                {QStringLiteral("note"), QStringLiteral("the invoices folder")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        const QJsonObject t = r.json();
        QCOMPARE(t.value(QStringLiteral("state")).toString(), QStringLiteral("submitted"));
        QCOMPARE(t.value(QStringLiteral("tenant")).toInteger(), m_a);
        QCOMPARE(t.value(QStringLiteral("server")).toInteger(), m_a1->agentId());
        QVERIFY(t.value(QStringLiteral("assigned_to")).isNull());
        QVERIFY(t.value(QStringLiteral("job")).isNull());
        QVERIFY2(t.value(QStringLiteral("due_at")).toString().endsWith(QLatin1String("+09:00")), qPrintable(text(t)));
        const QString sla = t.value(QStringLiteral("sla")).toString();
        QVERIFY2(sla == u"on-track" || sla == u"at-risk", qPrintable(text(t))); // at-risk late on a business day
        QVERIFY(t.value(QStringLiteral("business_minutes_left")).toInteger() <= 180);
        QCOMPARE(t.value(QStringLiteral("requester")).toObject().value(QStringLiteral("login")).toString(),
            QStringLiteral("alice"));
        const QJsonObject req = t.value(QStringLiteral("request")).toObject();
        QCOMPARE(req.value(QStringLiteral("snapshot")).toString(), m_snapA1.toHex());
        QCOMPARE(req.value(QStringLiteral("target_server")).toInteger(), m_a2->agentId());
        QCOMPARE(req.value(QStringLiteral("contact")).toObject(), contact);
        QCOMPARE(req.value(QStringLiteral("existing")).toString(), QStringLiteral("keep-both"));
        QCOMPARE(req.value(QStringLiteral("note")).toString(), QStringLiteral("the invoices folder"));
        QCOMPARE(m_alice->get(ticketPath(t.value(QStringLiteral("id")).toInteger()))
                     .json()
                     .value(QStringLiteral("request"))
                     .toObject(),
            req);
    }

    // A ticket's whole life: refused moves, accept, start, a failed job, a retry, a job that
    // succeeds; the target agent gets the restore and the ticket shows the job.
    void ticketFollowsItsRestoreJobs()
    {
        const ApiReply sub = m_alice->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), m_a1->agentId()}, {QStringLiteral("snapshot"), m_snapA1.toHex()},
                {QStringLiteral("paths"), QJsonArray {QStringLiteral("/data")}},
                {QStringLiteral("target"), QStringLiteral("/restore/here")},
                {QStringLiteral("target_server"), m_a2->agentId()},
                {QStringLiteral("existing"), QStringLiteral("overwrite")}});
        QVERIFY2(sub.status == 201, qPrintable(sub.describe()));
        const qint64 id = sub.json().value(QStringLiteral("id")).toInteger();

        expectNoOperatorMove(id, {QStringLiteral("start"), QStringLiteral("complete")});
        QCOMPARE(act(*m_alice, id, QStringLiteral("accept")).status, 403);
        QCOMPARE(act(*m_ann, id, QStringLiteral("accept")).status, 403);
        QCOMPARE(m_ops1->post(ticketPath(id, QStringLiteral("accept")), {}).status, 400); // no ?tenant=
        ApiReply r = act(*m_ops1, id, QStringLiteral("accept"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
        const qint64 ops1 = r.json().value(QStringLiteral("assigned_to")).toInteger();
        QVERIFY(ops1 > 0);
        QCOMPARE(r.json().value(QStringLiteral("assignee")).toObject().value(QStringLiteral("login")).toString(),
            QStringLiteral("ops1"));
        r = act(*m_ops2, id, QStringLiteral("accept"));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QLatin1String("is accepted: only a submitted ticket can be accepted")),
            qPrintable(r.describe()));
        QCOMPARE(m_alice->post(ticketPath(id, QStringLiteral("cancel")), {}).status, 409);
        r = act(*m_ops1, id, QStringLiteral("reject"));
        QCOMPARE(r.status, 400);
        QCOMPARE(field(r), QStringLiteral("reason"));

        // start: the restore job goes to the target server A2, not to A1.
        r = act(*m_ops1, id, QStringLiteral("start"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        const qint64 job1 = r.json().value(QStringLiteral("job")).toObject().value(QStringLiteral("id")).toInteger();
        QVERIFY(job1 > 0);
        QVERIFY(m_a1->client()
                    .get(QStringLiteral("/api/v1/agent/jobs"))
                    .json()
                    .value(QStringLiteral("items"))
                    .toArray()
                    .isEmpty());
        QJsonArray pending
            = m_a2->client().get(QStringLiteral("/api/v1/agent/jobs")).json().value(QStringLiteral("items")).toArray();
        QCOMPARE(pending.size(), 1);
        const QJsonObject job = pending.first().toObject();
        QCOMPARE(job.value(QStringLiteral("id")).toInteger(), job1);
        QCOMPARE(job.value(QStringLiteral("kind")).toString(), QStringLiteral("restore"));
        const QJsonObject spec = job.value(QStringLiteral("spec")).toObject();
        QCOMPARE(spec.value(QStringLiteral("snapshot")).toString(), m_snapA1.toHex());
        QCOMPARE(spec.value(QStringLiteral("paths")).toArray(), QJsonArray {QStringLiteral("/data")});
        QCOMPARE(spec.value(QStringLiteral("target")).toString(), QStringLiteral("/restore/here"));
        QCOMPARE(spec.value(QStringLiteral("existing")).toString(), QStringLiteral("overwrite"));
        expectNoOperatorMove(id, {QStringLiteral("start"), QStringLiteral("accept"), QStringLiteral("reject")});

        // Progress shows in the ticket; a failed job puts it back to accepted with the error.
        const QString agentJob = QStringLiteral("/api/v1/agent/jobs/%1/");
        r = m_a2->client().post(agentJob.arg(job1) + QStringLiteral("progress"),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 7}}}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QJsonObject t = ticket(id);
        QCOMPARE(t.value(QStringLiteral("job")).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("running"));
        QCOMPARE(t.value(QStringLiteral("job"))
                     .toObject()
                     .value(QStringLiteral("progress"))
                     .toObject()
                     .value(QStringLiteral("files"))
                     .toInt(),
            7);
        r = m_a2->client().post(agentJob.arg(job1) + QStringLiteral("result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("failed")},
                {QStringLiteral("error"), QStringLiteral("disk full")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        t = ticket(id);
        QCOMPARE(t.value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
        QCOMPARE(t.value(QStringLiteral("job")).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("failed"));
        const QJsonArray thread
            = m_alice->get(ticketPath(id, QStringLiteral("messages"))).json().value(QStringLiteral("items")).toArray();
        QCOMPARE(thread.size(), 1);
        QVERIFY(thread.first().toObject().value(QStringLiteral("system")).toBool());
        QVERIFY(thread.first().toObject().value(QStringLiteral("user")).isNull());
        QVERIFY2(
            thread.first().toObject().value(QStringLiteral("body")).toString().contains(QLatin1String("disk full")),
            qPrintable(text(thread.first().toObject())));

        // The retry succeeds: completed, with the job's result.
        r = act(*m_ops1, id, QStringLiteral("start"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const qint64 job2 = r.json().value(QStringLiteral("job")).toObject().value(QStringLiteral("id")).toInteger();
        QVERIFY(job2 > job1);
        r = m_a2->client().post(agentJob.arg(job2) + QStringLiteral("result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                {QStringLiteral("stats"),
                    QJsonObject {{QStringLiteral("files"), 3}, {QStringLiteral("bytes"), 1234},
                        {QStringLiteral("errors"), 0}, {QStringLiteral("failures"), QJsonArray {}}}}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        t = ticket(id);
        QCOMPARE(t.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(t.value(QStringLiteral("resolution")).toString(),
            QStringLiteral("restore job %1 succeeded: 3 files, 1234 bytes restored").arg(job2));
        QVERIFY(!t.value(QStringLiteral("finished_at")).toString().isEmpty());
        const QJsonObject jobView = t.value(QStringLiteral("job")).toObject();
        QCOMPARE(jobView.value(QStringLiteral("id")).toInteger(), job2);
        QCOMPARE(jobView.value(QStringLiteral("stats")).toObject().value(QStringLiteral("files")).toInt(), 3);
        QCOMPARE(jobView.value(QStringLiteral("stats")).toObject().value(QStringLiteral("failure_count")).toInt(), 0);
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("met"));
        expectNoOperatorMove(id,
            {QStringLiteral("start"), QStringLiteral("accept"), QStringLiteral("reject"), QStringLiteral("complete")});
        QCOMPARE(m_alice->post(ticketPath(id, QStringLiteral("cancel")), {}).status, 409);
    }

    void handCompletionAndRejection()
    {
        const QJsonObject note {{QStringLiteral("note"), QStringLiteral("restored from the tape copy")}};
        // accepted → completed by hand (a note is required)
        const qint64 t1 = submit();
        QCOMPARE(act(*m_ops1, t1, QStringLiteral("accept")).status, 200);
        QCOMPARE(act(*m_ops1, t1, QStringLiteral("complete")).status, 400);
        ApiReply r = act(*m_ops1, t1, QStringLiteral("complete"), note);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(
            r.json().value(QStringLiteral("resolution")).toString(), note.value(QStringLiteral("note")).toString());
        // running → completed by hand
        const qint64 t2 = submit();
        QCOMPARE(act(*m_ops1, t2, QStringLiteral("accept")).status, 200);
        QCOMPARE(act(*m_ops1, t2, QStringLiteral("start")).status, 200);
        r = act(*m_ops2, t2, QStringLiteral("complete"), note);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        // submitted → rejected; accepted → rejected; the reason reaches the thread
        const qint64 t3 = submit();
        r = act(*m_ops1, t3, QStringLiteral("reject"),
            {{QStringLiteral("reason"), QStringLiteral("the snapshot is too old")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("rejected"));
        QCOMPARE(r.json().value(QStringLiteral("resolution")).toString(), QStringLiteral("the snapshot is too old"));
        const QJsonArray thread
            = m_alice->get(ticketPath(t3, QStringLiteral("messages"))).json().value(QStringLiteral("items")).toArray();
        QCOMPARE(thread.size(), 1);
        QCOMPARE(thread.first().toObject().value(QStringLiteral("body")).toString(),
            QStringLiteral("the snapshot is too old"));
        QCOMPARE(thread.first()
                     .toObject()
                     .value(QStringLiteral("user"))
                     .toObject()
                     .value(QStringLiteral("login"))
                     .toString(),
            QStringLiteral("ops1"));
        const qint64 t4 = submit();
        QCOMPARE(act(*m_ops1, t4, QStringLiteral("accept")).status, 200);
        QCOMPARE(
            act(*m_ops1, t4, QStringLiteral("reject"), {{QStringLiteral("reason"), QStringLiteral("no")}}).status, 200);
        for (qint64 done : {t1, t2, t3, t4})
            expectNoOperatorMove(done,
                {QStringLiteral("accept"), QStringLiteral("start"), QStringLiteral("complete"),
                    QStringLiteral("reject")});
    }

    void cancelRules()
    {
        // Another member may not cancel alice's ticket; a tenant admin may; alice may.
        const qint64 t1 = submit();
        QCOMPARE(m_bob->post(ticketPath(t1, QStringLiteral("cancel")), {}).status, 403);
        ApiReply r = m_ann->post(ticketPath(t1, QStringLiteral("cancel")), {});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QVERIFY(r.json().value(QStringLiteral("sla")).isNull());
        QCOMPARE(act(*m_ops1, t1, QStringLiteral("accept")).status, 409);
        QCOMPARE(m_alice->post(ticketPath(t1, QStringLiteral("cancel")), {}).status, 409);
        const qint64 t2 = submit();
        r = m_alice->post(
            ticketPath(t2, QStringLiteral("cancel")), {{QStringLiteral("reason"), QStringLiteral("found it")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("resolution")).toString(), QStringLiteral("cancelled by alice"));
        // After acceptance nobody cancels.
        const qint64 t3 = submit();
        QCOMPARE(act(*m_ops1, t3, QStringLiteral("accept")).status, 200);
        QCOMPARE(m_alice->post(ticketPath(t3, QStringLiteral("cancel")), {}).status, 409);
        QCOMPARE(m_ann->post(ticketPath(t3, QStringLiteral("cancel")), {}).status, 409);
        QCOMPARE(ticket(t3).value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
    }

    // Two operators accept the same tickets at the same moment: one wins each, the other gets 409.
    void onlyOneOperatorAccepts()
    {
        for (int round = 0; round < 5; ++round) {
            const qint64 id = submit();
            int statuses[2] = {0, 0};
            QByteArray tokens[2] = {m_ops1->token(), m_ops2->token()};
            std::unique_ptr<QThread> threads[2];
            for (int i = 0; i < 2; ++i) {
                threads[i].reset(QThread::create([&, i] {
                    ApiClient c(m_server.baseUrl(), m_server.caPem());
                    c.setToken(tokens[i]);
                    statuses[i] = c.post(inA(ticketPath(id, QStringLiteral("accept"))), {}).status;
                }));
            }
            threads[0]->start();
            threads[1]->start();
            QVERIFY(threads[0]->wait(60000) && threads[1]->wait(60000));
            QList<int> got {statuses[0], statuses[1]};
            std::sort(got.begin(), got.end());
            QCOMPARE(got, (QList<int> {200, 409}));
            const qint64 assigned = ticket(id).value(QStringLiteral("assigned_to")).toInteger();
            const QString winner = statuses[0] == 200 ? QStringLiteral("ops1") : QStringLiteral("ops2");
            QCOMPARE(ticket(id).value(QStringLiteral("assignee")).toObject().value(QStringLiteral("login")).toString(),
                winner);
            QVERIFY(assigned > 0);
        }
    }

    void messagesBothSidesSeeAndNoOtherTenant()
    {
        const qint64 id = submit();
        ApiReply r = m_alice->post(
            ticketPath(id, QStringLiteral("messages")), {{QStringLiteral("body"), QStringLiteral("please hurry")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = m_ops1->post(
            inA(ticketPath(id, QStringLiteral("messages"))), {{QStringLiteral("body"), QStringLiteral("on it")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        QCOMPARE(
            m_alice->post(ticketPath(id, QStringLiteral("messages")), {{QStringLiteral("body"), QStringLiteral("  ")}})
                .status,
            400);
        QCOMPARE(m_alice
                     ->post(ticketPath(id, QStringLiteral("messages")),
                         {{QStringLiteral("body"), QString(4001, QLatin1Char('m'))}})
                     .status,
            400);
        for (ApiClient *c : {m_alice.get(), m_bob.get(), m_ops1.get()}) {
            r = c->get(c == m_ops1.get() ? inA(ticketPath(id, QStringLiteral("messages")))
                                         : ticketPath(id, QStringLiteral("messages")));
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
            QCOMPARE(items.size(), 2);
            QCOMPARE(items.at(0).toObject().value(QStringLiteral("body")).toString(), QStringLiteral("please hurry"));
            QCOMPARE(items.at(0)
                         .toObject()
                         .value(QStringLiteral("user"))
                         .toObject()
                         .value(QStringLiteral("login"))
                         .toString(),
                QStringLiteral("alice"));
            QCOMPARE(items.at(1).toObject().value(QStringLiteral("body")).toString(), QStringLiteral("on it"));
            QCOMPARE(items.at(1)
                         .toObject()
                         .value(QStringLiteral("user"))
                         .toObject()
                         .value(QStringLiteral("role"))
                         .toString(),
                QStringLiteral("operator"));
        }
        // Another tenant finds nothing: not the ticket, not its thread; nor an operator in B.
        const QString inB = QStringLiteral("?tenant=%1").arg(m_b);
        for (const ApiReply &refused :
            {m_zed->get(ticketPath(id)), m_zed->get(ticketPath(id, QStringLiteral("messages"))),
                m_zed->post(
                    ticketPath(id, QStringLiteral("messages")), {{QStringLiteral("body"), QStringLiteral("hi")}}),
                m_zed->post(ticketPath(id, QStringLiteral("cancel")), {}),
                m_ops1->get(ticketPath(id, QStringLiteral("messages")) + inB),
                m_ops1->post(ticketPath(id, QStringLiteral("accept")) + inB, {})}) {
            QVERIFY2(refused.status == 404, qPrintable(refused.describe()));
            QVERIFY(!refused.body.contains("please hurry"));
        }
        QCOMPARE(
            m_zed->get(ticketPath(id, QStringLiteral("messages")) + QStringLiteral("?tenant=%1").arg(m_a)).status, 403);
        QCOMPARE(ticket(id).value(QStringLiteral("state")).toString(), QStringLiteral("submitted"));
        QCOMPARE(m_alice->get(ticketPath(id, QStringLiteral("messages")))
                     .json()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
            2);
    }

    void operatorListAcrossTenants()
    {
        ApiReply r = m_zed->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), m_b1->agentId()}, {QStringLiteral("snapshot"), m_snapB1.toHex()}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        const qint64 bTicket = r.json().value(QStringLiteral("id")).toInteger();
        // Every tenant, newest first, walked one page at a time.
        QList<qint64> walked;
        QSet<qint64> tenants;
        QString next = QStringLiteral("/api/v1/restore-tickets?limit=3");
        while (!next.isEmpty()) {
            r = m_ops1->get(next);
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
                walked << v.toObject().value(QStringLiteral("id")).toInteger();
                tenants << v.toObject().value(QStringLiteral("tenant")).toInteger();
            }
            const QJsonValue n = r.json().value(QStringLiteral("next"));
            next = n.isNull() ? QString()
                              : QStringLiteral("/api/v1/restore-tickets?limit=3&before=%1").arg(n.toInteger());
        }
        QCOMPARE(walked.first(), bTicket);
        QVERIFY(std::is_sorted(walked.rbegin(), walked.rend()));
        QCOMPARE(tenants, (QSet<qint64> {m_a, m_b}));
        // ?state=
        r = m_ops1->get(QStringLiteral("/api/v1/restore-tickets?state=completed&limit=500"));
        const QJsonArray completed = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(completed.size(), 3); // one after its job, two by hand
        for (const QJsonValue &v : completed)
            QCOMPARE(v.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(m_ops1->get(QStringLiteral("/api/v1/restore-tickets?state=done")).status, 400);
        QCOMPARE(m_ops1->get(QStringLiteral("/api/v1/restore-tickets?state=submitted&tenant=%1").arg(m_b))
                     .json()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
            1);
        // A tenant's users see their own tenant only.
        r = m_alice->get(QStringLiteral("/api/v1/restore-tickets?limit=500"));
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            QCOMPARE(v.toObject().value(QStringLiteral("tenant")).toInteger(), m_a);
        QVERIFY(!r.body.contains(m_snapB1.toHex().toLatin1()));
        QCOMPARE(m_zed->get(QStringLiteral("/api/v1/restore-tickets"))
                     .json()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
            1);
    }

    void slaReportChecksItsInput()
    {
        ApiReply r = m_ops1->get(QStringLiteral("/api/v1/operator/sla"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QVERIFY(r.json().contains(QStringLiteral("percent")));
        QCOMPARE(r.json().value(QStringLiteral("month")).toString().size(), 7);
        QCOMPARE(m_ops1->get(QStringLiteral("/api/v1/operator/sla?month=2026-13")).status, 400);
        QCOMPARE(m_ops1->get(QStringLiteral("/api/v1/operator/sla?month=26-01")).status, 400);
        QCOMPARE(m_ann->get(QStringLiteral("/api/v1/operator/sla")).status, 403);
        r = m_ops1->get(QStringLiteral("/api/v1/operator/sla?month=2020-01&tenant=%1").arg(m_a));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("due")).toInt(), 0);
        QCOMPARE(r.json().value(QStringLiteral("percent")).toDouble(), 100.0);
    }

    // The operator may send the restore to another server of the ticket's tenant than the one the
    // request names: not to another tenant's (404), not to one that does not exist (404), not to a
    // malformed id (400); the job goes to the chosen server and the audit entry names both.
    void startMayOverrideTheTargetServer()
    {
        const qint64 id = submit(); // server A1, restored onto A1
        QCOMPARE(act(*m_ops1, id, QStringLiteral("accept")).status, 200);
        const auto start = [&](const QJsonValue &target) {
            return act(*m_ops1, id, QStringLiteral("start"), QJsonObject {{QStringLiteral("target_server"), target}});
        };
        ApiReply r = start(m_b1->agentId());
        QVERIFY2(r.status == 404, qPrintable(r.describe()));
        r = start(987654);
        QVERIFY2(r.status == 404, qPrintable(r.describe()));
        r = start(QStringLiteral("a2"));
        QVERIFY2(r.status == 400, qPrintable(r.describe()));
        QCOMPARE(field(r), QStringLiteral("target_server"));
        r = act(*m_ops1, id, QStringLiteral("start"), QJsonObject {{QStringLiteral("server"), m_a2->agentId()}});
        QVERIFY2(r.status == 400, qPrintable(r.describe())); // unknown fields are still refused
        QCOMPARE(ticket(id).value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));

        r = start(m_a2->agentId());
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        const QJsonObject job = r.json().value(QStringLiteral("job")).toObject();
        QCOMPARE(job.value(QStringLiteral("server")).toInteger(), m_a2->agentId());
        bool onA2 = false;
        for (const QJsonValue &v :
            m_a2->client().get(QStringLiteral("/api/v1/agent/jobs")).json().value(QStringLiteral("items")).toArray())
            onA2 = onA2
                || v.toObject().value(QStringLiteral("id")).toInteger() == job.value(QStringLiteral("id")).toInteger();
        QVERIFY(onA2);
        for (const QJsonValue &v :
            m_a1->client().get(QStringLiteral("/api/v1/agent/jobs")).json().value(QStringLiteral("items")).toArray())
            QVERIFY(
                v.toObject().value(QStringLiteral("id")).toInteger() != job.value(QStringLiteral("id")).toInteger());

        const ApiReply audit = m_ops1->get(QStringLiteral("/api/v1/audit?tenant=%1&limit=500").arg(m_a));
        QJsonObject detail;
        for (const QJsonValue &e : audit.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = e.toObject();
            if (o.value(QStringLiteral("action")).toString() == u"ticket.start"
                && o.value(QStringLiteral("object")).toString() == QStringLiteral("ticket:%1").arg(id))
                detail = o.value(QStringLiteral("detail")).toObject();
        }
        QVERIFY2(!detail.isEmpty(), qPrintable(text(audit.json())));
        QCOMPARE(detail.value(QStringLiteral("server")).toInteger(), m_a2->agentId());
        QCOMPARE(detail.value(QStringLiteral("requested_target")).toInteger(), m_a1->agentId());
        QCOMPARE(detail.value(QStringLiteral("target_overridden")).toBool(), true);
        QCOMPARE(act(*m_ops1, id, QStringLiteral("complete"), bodyFor(QStringLiteral("complete"))).status, 200);
    }

    void everyOperatorActionIsAudited()
    {
        const QStringList actions = auditActions();
        for (const char *a : {"ticket.add", "ticket.accept", "ticket.reject", "ticket.start", "ticket.complete",
                 "ticket.message", "ticket.cancel", "ticket.job_finished"})
            QVERIFY2(actions.contains(QLatin1String(a)), a);
        // Refused moves leave no trace: as many accepts as tickets accepted (1 + 3 + 1 + 5 + 1),
        // and the starts refused for a wrong target_server are not counted either.
        QCOMPARE(actions.count(QStringLiteral("ticket.accept")), 11);
        QCOMPARE(actions.count(QStringLiteral("ticket.start")), 4);
    }

    void cleanupTestCase()
    {
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
    }
};

QTEST_GUILESS_MAIN(TestTicketWorkflow)
#include "TestTicketWorkflow.moc"
