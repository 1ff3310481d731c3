// Cairn's mail end to end: a real cairn-server (test clock, mail settings in server.conf) and a
// real SMTP server on loopback (Debian's aiosmtpd through SmtpSink). A failed backup reported by
// an agent and a missed scheduled run are each mailed within 60 s, in Korean to a ko recipient
// and in English to an en one, while a recipient the SMTP server refuses with 550 is marked
// failed (audit mail.failed) without holding up the others; the daily report comes once per
// recipient when the tenant's local report time passes, and its figures are the catalog's; with
// the SMTP server killed, three failures and a report wait in the outbox and all arrive, none
// twice, once it is back on the same port. The test's main thread; server and SMTP server are
// child processes.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"
#include "SmtpSink.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QThread>
#include <QTimeZone>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;

namespace {

const QTimeZone kSeoul("Asia/Seoul");
const QString kKo = QStringLiteral("kim@acme.example");
const QString kEn = QStringLiteral("lee@acme.example");
const QString kGone = QStringLiteral("gone@acme.example");

QString grouped(qint64 n)
{
    QString digits = QString::number(n);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

QString localText(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toTimeZone(kSeoul).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + QStringLiteral(" +09:00");
}

struct Received {
    SinkMessage raw;
    ParsedMail mail;
    QString text() const { return mail.parts.isEmpty() ? QString() : mail.parts.first().text; }
};

} // namespace

class TestMailOutbox : public QObject {
    Q_OBJECT

    // The base day of a test: two days after today in Seoul, so that the tenant (made now, on
    // the real clock) exists before that day's report time.
    QDate baseDay() const { return QDateTime::currentDateTimeUtc().toTimeZone(kSeoul).date().addDays(2); }
    QString at(int h, int m, int s = 0) const
    {
        return QDateTime(baseDay(), QTime(h, m, s), kSeoul).toString(Qt::ISODate);
    }

    void setClock(const QString &instant, bool pause = true)
    {
        if (pause)
            QThread::msleep(1100); // a new modification time
        QFile f(m_clockPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(instant.toLatin1());
    }

    // A server with the test clock at `clock`, mail to `sink`, tenant acme with report recipients
    // `recipients` (kim: ko, lee: en), an admin (m_api) and an operator (m_op).
    void startServer(SmtpSink &sink, const QString &clock, const QStringList &recipients)
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->init(), m_server->log().constData());
        QVERIFY(m_server->addTenant(QStringLiteral("acme")) > 0);
        QVERIFY(m_server->addUser(
            QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")));
        QVERIFY(m_server->addUser(QStringLiteral("root"), "root's password", QString(), QStringLiteral("operator")));
        m_clockPath = QFileInfo(m_server->dataDir()).dir().filePath(QStringLiteral("clock"));
        setClock(clock, false);
        const QString config = m_server->writeConfig(QByteArray("[testing]\nclock_file=") + m_clockPath.toUtf8()
            + "\n[operations]\ntick_seconds=1\n[schedule]\ntest_offset_seconds=600\n[mail]\nhost=127.0.0.1\nport="
            + QByteArray::number(sink.port())
            + "\nsecurity=none\nfrom=Cairn Backup <cairn@backup.example>\npoll_seconds=1\ntimeout=5\n"
              "retry_initial_seconds=1\nretry_max_seconds=4\n");
        QVERIFY2(m_server->start({QStringLiteral("--config"), config}), m_server->log().constData());
        m_api = std::make_unique<ApiClient>(m_server->baseUrl(), m_server->caPem());
        m_op = std::make_unique<ApiClient>(m_server->baseUrl(), m_server->caPem());
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        QCOMPARE(m_op->login(QStringLiteral("root"), QStringLiteral("root's password")).status, 200);
        m_tenant = m_api->get(QStringLiteral("/api/v1/session/me"))
                       .json()
                       .value(QStringLiteral("tenant"))
                       .toObject()
                       .value(QStringLiteral("id"))
                       .toInteger();
        QVERIFY(m_tenant > 0);
        const ApiReply patched = m_api->patch(QStringLiteral("/api/v1/tenants/%1").arg(m_tenant),
            QJsonObject {{QStringLiteral("report_recipients"), QJsonArray::fromStringList(recipients)},
                {QStringLiteral("recipient_languages"),
                    QJsonObject {{kKo, QStringLiteral("ko")}, {kEn, QStringLiteral("en")}}},
                {QStringLiteral("report_time"), QStringLiteral("09:00")}});
        QVERIFY2(patched.status == 200, qPrintable(patched.describe()));
        QCOMPARE(patched.json().value(QStringLiteral("report_time")).toString(), QStringLiteral("09:00"));
        QCOMPARE(patched.json().value(QStringLiteral("recipient_languages")).toObject().value(kEn).toString(),
            QStringLiteral("en"));
    }

    std::unique_ptr<SimulatedAgent> enroll(const QString &hostname)
    {
        auto agent = std::make_unique<SimulatedAgent>(m_server->baseUrl(), m_server->caPem());
        const ApiReply r = agent->enroll(m_server->enrollmentCode(QStringLiteral("acme")), hostname);
        if (r.status != 201)
            qWarning("enroll: %s", qPrintable(r.describe()));
        return agent;
    }

    // A backup the agent starts and finishes as `state`; the job id, or 0.
    qint64 runJob(
        SimulatedAgent &agent, const QString &state, const QJsonObject &stats, const QString &error = QString())
    {
        const ApiReply made = agent.client().post(QStringLiteral("/api/v1/agent/jobs"),
            QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("agent")}});
        const qint64 id = made.json().value(QStringLiteral("id")).toInteger();
        if (made.status != 201)
            return 0;
        agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(id),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 1}}}});
        QJsonObject result {{QStringLiteral("state"), state}, {QStringLiteral("stats"), stats}};
        if (!error.isEmpty())
            result.insert(QStringLiteral("error"), error);
        const ApiReply done = agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(id), result);
        if (done.status != 200)
            qWarning("result: %s", qPrintable(done.describe()));
        return done.status == 200 ? id : 0;
    }

    // Every received message with X-Cairn-Report `kind` (and `subjectPart` in its subject), parsed.
    QList<Received> received(SmtpSink &sink, const QByteArray &kind, const QString &subjectPart = QString())
    {
        QList<Received> out;
        for (const SinkMessage &m : sink.messages()) {
            if (!m.bytes.contains("X-Cairn-Report: " + kind))
                continue;
            Received r {m, {}};
            QString error;
            if (!parseMail(m.bytes, &r.mail, &error))
                qWarning("parse: %s", qPrintable(error));
            if (subjectPart.isEmpty() || r.mail.subject.contains(subjectPart))
                out << r;
        }
        return out;
    }

    // Waits until `count` such messages arrived; the seconds it took, or -1 after `timeoutMs`.
    double waitForMail(
        SmtpSink &sink, const QByteArray &kind, const QString &subjectPart, int count, int timeoutMs = 60000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (received(sink, kind, subjectPart).size() >= count)
                return t.elapsed() / 1000.0;
            QThread::msleep(200);
        }
        return -1;
    }

    const Received *to(const QList<Received> &list, const QString &address)
    {
        for (const Received &r : list) {
            if (r.raw.recipients == QStringList {address})
                return &r;
        }
        return nullptr;
    }

    QJsonArray outbox(const QString &state)
    {
        return m_op->get(QStringLiteral("/api/v1/operator/mail?state=") + state)
            .json()
            .value(QStringLiteral("items"))
            .toArray();
    }

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<ApiClient> m_api, m_op;
    QString m_clockPath;
    qint64 m_tenant = 0;

private slots:
    void cleanup()
    {
        m_api.reset();
        m_op.reset();
        if (m_server) {
            QVERIFY(m_server->stop());
            QVERIFY(noSanitizerReport(m_server->log()));
        }
        m_server.reset();
    }

    void failureMailsInTheirLanguagesAndA550DoesNotBlock()
    {
        SmtpSinkOptions options;
        options.rejectRecipients = {kGone};
        SmtpSink sink(options);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        startServer(sink, at(1, 0), {kKo, kGone, kEn});
        if (QTest::currentTestFailed())
            return;
        auto agent = enroll(QStringLiteral("web01"));
        QVERIFY(agent->agentId() > 0);

        // (a) a failed backup: mailed to kim in Korean and to lee in English within 60 s.
        QElapsedTimer latency;
        latency.start();
        const qint64 job = runJob(*agent, QStringLiteral("failed"),
            QJsonObject {{QStringLiteral("warnings"), 1},
                {QStringLiteral("problems"),
                    QJsonArray {QJsonObject {{QStringLiteral("kind"), QStringLiteral("read")},
                        {QStringLiteral("path"), QStringLiteral("/srv/a")},
                        {QStringLiteral("message"), QStringLiteral("permission denied")}}}}},
            QStringLiteral("disk /srv is full"));
        QVERIFY(job > 0);
        QVERIFY(waitForMail(sink, "failure", QString(), 2) >= 0);
        const double failedSeconds = latency.elapsed() / 1000.0;
        qInfo("failure mail: both recipients had it %.1f s after the result was reported", failedSeconds);
        QVERIFY(failedSeconds < 60);
        const QList<Received> failed = received(sink, "failure");
        QCOMPARE(failed.size(), 2);
        const Received *ko = to(failed, kKo);
        const Received *en = to(failed, kEn);
        QVERIFY(ko && en);
        QCOMPARE(ko->mail.subject, QStringLiteral("[Cairn] 백업 실패: web01 (acme)"));
        QCOMPARE(en->mail.subject, QStringLiteral("[Cairn] Backup failed: web01 (acme)"));
        QCOMPARE(ko->mail.toAddresses, QStringList {kKo});
        QCOMPARE(ko->mail.from, QStringLiteral("Cairn Backup <cairn@backup.example>"));
        QCOMPARE(ko->raw.mailFrom, QStringLiteral("cairn@backup.example"));
        QCOMPARE(ko->mail.parts.size(), 2);
        QCOMPARE(ko->mail.parts.at(1).contentType, QStringLiteral("text/html"));
        for (const Received *r : {ko, en}) {
            QVERIFY2(r->text().contains(QStringLiteral("disk /srv is full")), qPrintable(r->text()));
            QVERIFY2(r->text().contains(QStringLiteral("/srv/a: permission denied")), qPrintable(r->text()));
            QVERIFY2(r->text().contains(QString::number(job)), qPrintable(r->text()));
            QVERIFY(r->mail.defects.isEmpty());
        }
        QVERIFY2(ko->text().contains(QStringLiteral("백업")), qPrintable(ko->text()));
        QVERIFY2(
            en->text().contains(QStringLiteral("The backup of server web01 of acme failed")), qPrintable(en->text()));

        // (d) the refused recipient is failed, with the 550 and an audit entry; the others went out.
        QVERIFY(waitUntil([&] { return outbox(QStringLiteral("failed")).size() == 1; }, 20000));
        const QJsonObject refused = outbox(QStringLiteral("failed")).first().toObject();
        QCOMPARE(refused.value(QStringLiteral("recipient")).toString(), kGone);
        QVERIFY2(refused.value(QStringLiteral("last_error")).toString().startsWith(QLatin1String("550")),
            qPrintable(refused.value(QStringLiteral("last_error")).toString()));
        QCOMPARE(refused.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(outbox(QStringLiteral("sent")).size(), 2);
        const QJsonArray audit
            = m_api->get(QStringLiteral("/api/v1/audit")).json().value(QStringLiteral("items")).toArray();
        bool audited = false;
        for (const QJsonValue &a : audit)
            audited |= a.toObject().value(QStringLiteral("action")).toString() == QLatin1String("mail.failed");
        QVERIFY(audited);
        QCOMPARE(m_api->get(QStringLiteral("/api/v1/operator/mail")).status, 403); // operators only
        QCOMPARE(m_op->get(QStringLiteral("/api/v1/operator/mail?state=bogus")).status, 400);
        const QString tenantPath = QStringLiteral("/api/v1/tenants/%1").arg(m_tenant);
        QCOMPARE(
            m_api->patch(tenantPath, QJsonObject {{QStringLiteral("report_time"), QStringLiteral("24:00")}}).status,
            400);
        QCOMPARE(m_api->patch(tenantPath, QJsonObject {{QStringLiteral("report_time"), QStringLiteral("9:00")}}).status,
            400);
        QCOMPARE(
            m_api
                ->patch(tenantPath,
                    QJsonObject {{QStringLiteral("recipient_languages"), QJsonObject {{kEn, QStringLiteral("fr")}}}})
                .status,
            400);
        QCOMPARE(m_api
                     ->patch(tenantPath,
                         QJsonObject {{QStringLiteral("recipient_languages"),
                             QJsonObject {{QStringLiteral("no-at"), QStringLiteral("en")}}}})
                     .status,
            400);
        QCOMPARE(
            m_api->get(tenantPath).json().value(QStringLiteral("report_time")).toString(), QStringLiteral("09:00"));

        // A missed run: a daily 02:00 (+10 min) policy, the clock moved past 05:10.
        const ApiReply put = m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(agent->agentId()),
            QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/srv")}},
                {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), 2},
                {QStringLiteral("retention_days"), 30}});
        QVERIFY2(put.status == 200, qPrintable(put.describe()));
        setClock(at(5, 15));
        latency.restart();
        QVERIFY(waitForMail(sink, "failure", QStringLiteral("missed"), 1) >= 0);
        QVERIFY(waitForMail(sink, "failure", QStringLiteral("미실행"), 1) >= 0);
        qInfo("missed-run mail: both recipients had it %.1f s after the clock passed the 3-hour limit",
            latency.elapsed() / 1000.0);
        QVERIFY(latency.elapsed() < 60000);
        const QList<Received> missed = received(sink, "failure", QStringLiteral("missed"));
        QCOMPARE(missed.size(), 1);
        QCOMPARE(missed.first().mail.subject, QStringLiteral("[Cairn] Backup failed (missed): web01 (acme)"));
        QCOMPARE(missed.first().raw.recipients, QStringList {kEn});
        const QList<Received> missedKo = received(sink, "failure", QStringLiteral("미실행"));
        QCOMPARE(missedKo.size(), 1);
        QCOMPARE(missedKo.first().mail.subject, QStringLiteral("[Cairn] 백업 실패(미실행): web01 (acme)"));

        // Nothing twice: four failure messages in all, distinct Message-IDs.
        QThread::msleep(3000);
        const QList<Received> all = received(sink, "failure");
        QCOMPARE(all.size(), 4);
        QSet<QString> ids;
        for (const Received &r : all)
            ids.insert(r.mail.messageId);
        QCOMPARE(ids.size(), 4);
        QCOMPARE(outbox(QStringLiteral("failed")).size(), 2); // gone@ refused twice
    }

    void dailyReportMatchesTheCatalog()
    {
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        startServer(sink, at(2, 0), {kKo, kEn});
        if (QTest::currentTestFailed())
            return;
        auto web = enroll(QStringLiteral("web01"));
        auto db = enroll(QStringLiteral("db01"));
        QVERIFY(web->agentId() > 0 && db->agentId() > 0);
        const auto figures = [](qint64 files, qint64 scanned, qint64 fresh, qint64 stored) {
            return QJsonObject {{QStringLiteral("files"), files}, {QStringLiteral("bytes_scanned"), scanned},
                {QStringLiteral("bytes_new"), fresh}, {QStringLiteral("bytes_stored"), stored}};
        };
        QVERIFY(runJob(*web, QStringLiteral("succeeded"), figures(1200, 1234567890, 23456789, 12345678)) > 0);
        setClock(at(3, 0));
        QJsonObject warned = figures(1300, 1334567890, 3456789, 1345678);
        warned.insert(QStringLiteral("warnings"), 1);
        warned.insert(QStringLiteral("problems"),
            QJsonArray {QJsonObject {{QStringLiteral("kind"), QStringLiteral("read")},
                {QStringLiteral("path"), QStringLiteral("/srv/log")},
                {QStringLiteral("message"), QStringLiteral("file changed as we read it")}}});
        QVERIFY(runJob(*web, QStringLiteral("warning"), warned, QStringLiteral("1 warnings")) > 0);
        QVERIFY(runJob(*web, QStringLiteral("failed"), figures(10, 1000, 0, 0), QStringLiteral("disk full")) > 0);

        const QString day = baseDay().toString(Qt::ISODate);
        setClock(at(8, 59, 0));
        QThread::msleep(4000);
        QCOMPARE(received(sink, "daily", day).size(), 0); // not before 09:00 local
        setClock(at(9, 0, 2));
        QElapsedTimer latency;
        latency.start();
        QVERIFY(waitForMail(sink, "daily", day, 2) >= 0);
        qInfo("daily report: both recipients had it %.1f s after 09:00 local", latency.elapsed() / 1000.0);
        QThread::msleep(3000);
        const QList<Received> reports = received(sink, "daily", day);
        QCOMPARE(reports.size(), 2); // exactly one per recipient
        const Received *en = to(reports, kEn);
        const Received *ko = to(reports, kKo);
        QVERIFY(en && ko);
        QCOMPARE(en->mail.subject,
            QStringLiteral("[Cairn] Daily backup report %1 (acme): 2 succeeded, 1 failed, 1 with no run").arg(day));
        QCOMPARE(ko->mail.subject,
            QStringLiteral("[Cairn] 일일 백업 보고서 %1 (acme): 성공 2, 실패 1, 백업 없음 1").arg(day));

        // The English text, server by server, against the catalog's jobs.
        const QString text = en->text();
        const qsizetype webAt = text.indexOf(QStringLiteral("== Server: web01"));
        const qsizetype dbAt = text.indexOf(QStringLiteral("== Server: db01"));
        QVERIFY2(webAt >= 0 && dbAt >= 0, qPrintable(text));
        const QString dbSection = text.mid(dbAt, webAt > dbAt ? webAt - dbAt : -1);
        QVERIFY2(dbSection.contains(QStringLiteral("No backup ran in this period.")), qPrintable(dbSection));
        QString webSection = text.mid(webAt, dbAt > webAt ? dbAt - webAt : -1);
        QJsonArray jobs = m_api->get(QStringLiteral("/api/v1/jobs?server=%1").arg(web->agentId()))
                              .json()
                              .value(QStringLiteral("items"))
                              .toArray();
        QCOMPARE(jobs.size(), 3);
        const char *statusWords[] = {"Failed", "Succeeded with warnings", "Succeeded"}; // newest first
        qsizetype from = 0;
        for (int i = jobs.size() - 1; i >= 0; --i) {
            const QJsonObject j = jobs.at(i).toObject();
            const QJsonObject s = j.value(QStringLiteral("stats")).toObject();
            const qint64 scanned = s.value(QStringLiteral("bytes_scanned")).toInteger();
            const qint64 stored = s.value(QStringLiteral("bytes_stored")).toInteger();
            const QDateTime started
                = QDateTime::fromString(j.value(QStringLiteral("started_at")).toString(), Qt::ISODate);
            const QDateTime finished
                = QDateTime::fromString(j.value(QStringLiteral("finished_at")).toString(), Qt::ISODate);
            QStringList expected {QStringLiteral("- Status: %1").arg(QLatin1String(statusWords[i])),
                QStringLiteral("  Scheduled: ") + localText(j.value(QStringLiteral("scheduled_at")).toString()),
                QStringLiteral("  Started: ") + localText(j.value(QStringLiteral("started_at")).toString()),
                QStringLiteral("  Finished: ") + localText(j.value(QStringLiteral("finished_at")).toString()),
                QStringLiteral("  Duration: %1 s").arg(started.secsTo(finished)),
                QStringLiteral("  Files: ") + grouped(s.value(QStringLiteral("files")).toInteger())};
            const qsizetype runAt = webSection.indexOf(expected.first(), from);
            QVERIFY2(runAt >= 0, qPrintable(expected.first() + QStringLiteral(" in\n") + webSection));
            const qsizetype runEnd = webSection.indexOf(QStringLiteral("- Status:"), runAt + 1);
            const QString run = webSection.mid(runAt, runEnd < 0 ? -1 : runEnd - runAt);
            for (const QString &line : expected)
                QVERIFY2(run.contains(line + QLatin1Char('\n')), qPrintable(line + QStringLiteral(" in\n") + run));
            QVERIFY2(run.contains(QStringLiteral("(%1 bytes)\n").arg(grouped(scanned))), qPrintable(run));
            QVERIFY2(run.contains(
                         QStringLiteral("(%1 bytes)\n").arg(grouped(s.value(QStringLiteral("bytes_new")).toInteger()))),
                qPrintable(run));
            QVERIFY2(run.contains(QStringLiteral("  Stored: "))
                    && run.contains(QStringLiteral("(%1 bytes)\n").arg(grouped(stored))),
                qPrintable(run));
            const QString ratio = stored > 0
                ? QString::number(double(scanned) / double(stored), 'f', 2) + QStringLiteral(":1")
                : QStringLiteral("\u2014");
            QVERIFY2(run.contains(QStringLiteral("  Dedup ratio: ") + ratio + QLatin1Char('\n')), qPrintable(run));
            from = runAt + 1;
        }
        QVERIFY2(webSection.contains(QStringLiteral("/srv/log: file changed as we read it")), qPrintable(webSection));
        QVERIFY2(webSection.contains(QStringLiteral("disk full")), qPrintable(webSection));
        QVERIFY2(ko->text().contains(QStringLiteral("(1,234,567,890")), qPrintable(ko->text()));
        QCOMPARE(ko->mail.parts.at(1).contentType, QStringLiteral("text/html"));
    }

    void outageLosesNothingAndDoublesNothing()
    {
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        startServer(sink, at(8, 0), {kKo, kEn});
        if (QTest::currentTestFailed())
            return;
        auto agent = enroll(QStringLiteral("web01"));
        QVERIFY(agent->agentId() > 0);
        QVERIFY(waitUntil([&] { return outbox(QStringLiteral("queued")).isEmpty(); }, 20000));
        const int before = sink.messages().size(); // the previous day's report, if any
        sink.kill();

        for (int i = 0; i < 3; ++i)
            QVERIFY(runJob(*agent, QStringLiteral("failed"), {}, QStringLiteral("failure %1").arg(i)) > 0);
        setClock(at(9, 0, 1));
        const QString day = baseDay().toString(Qt::ISODate);
        // The outage: everything waits in the outbox and is retried (1 s doubling to 4 s).
        QVERIFY(waitUntil([&] { return outbox(QStringLiteral("queued")).size() == 8; }, 20000));
        QThread::msleep(10000);
        const QJsonArray queued = outbox(QStringLiteral("queued"));
        QCOMPARE(queued.size(), 8);
        int retried = 0;
        for (const QJsonValue &v : queued)
            retried += v.toObject().value(QStringLiteral("attempts")).toInt() >= 1 ? 1 : 0;
        QVERIFY2(retried >= 1, "no message was tried during the outage");
        QCOMPARE(outbox(QStringLiteral("failed")).size(), 0);

        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        QElapsedTimer back;
        back.start();
        QVERIFY(waitUntil([&] { return outbox(QStringLiteral("sent")).size() >= 8 + before; }, 60000));
        qInfo("after the outage: all 8 messages delivered %.1f s after the SMTP server came back",
            back.elapsed() / 1000.0);
        QThread::msleep(4000);
        const QList<SinkMessage> all = sink.messages();
        QCOMPARE(all.size(), before + 8);
        QSet<QByteArray> ids;
        for (const SinkMessage &m : all) {
            ParsedMail p;
            QVERIFY(parseMail(m.bytes, &p));
            ids.insert(p.messageId.toUtf8());
        }
        QCOMPARE(ids.size(), before + 8); // none twice
        QCOMPARE(received(sink, "failure").size(), 6);
        QCOMPARE(received(sink, "daily", day).size(), 2);
        QCOMPARE(outbox(QStringLiteral("queued")).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMailOutbox)
#include "TestMailOutbox.moc"
