// The console's dashboard against a real cairn-server with simulated agents: every server is
// listed with its last result and stored bytes, a result reported later appears by itself within
// 10 s (live refresh, no manual refresh), the selection and the scroll position survive the
// refresh, and a double-click opens the server page. Needs a server with GET /dashboard.
#include "ConsoleTestSupport.h"
#include "SimulatedAgent.h"

#include "core/Format.h"
#include "crypto/Crypto.h"
#include "repository/Snapshot.h"
#include "shell/Page.h"
#include "user/DashboardPage.h"
#include "user/ServerPage.h"
#include "user/ServerSummaryModel.h"
#include "widgets/TimeSeriesChart.h"

#include <QAbstractProxyModel>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace cairn::test;
using namespace cairn::console;

namespace {
constexpr qint64 kStoredPerBackup = 90000;
}

class TestConsoleDashboard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void listsEveryServerWithLastResultAndStoredBytes();
    void aLaterResultAppearsWithoutRefreshKeepingSelectionAndScroll();
    void filterByName();
    void doubleClickOpensTheServer();

private:
    std::unique_ptr<SimulatedAgent> enroll(const QString &name);
    void setPolicy(qint64 server);
    // A backup of `agent` that ends in `state`; succeeded ones store a snapshot.
    void runBackup(SimulatedAgent &agent, const QString &state, quint64 seed);
    QString cell(qint64 server, int column) const;
    QModelIndex proxyIndex(qint64 server, int column = 0) const;

    ConsoleFixture m_fixture;
    std::unique_ptr<cairn::test::ApiClient> m_admin;
    std::unique_ptr<SimulatedAgent> m_alpha, m_beta;
    std::vector<std::unique_ptr<SimulatedAgent>> m_extra;
    DashboardPage *m_page = nullptr;
};

std::unique_ptr<SimulatedAgent> TestConsoleDashboard::enroll(const QString &name)
{
    const ApiReply code = m_admin->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject());
    if (code.status != 201)
        qWarning("enrollment code: %s", qPrintable(code.describe()));
    auto agent = std::make_unique<SimulatedAgent>(m_fixture.server().baseUrl(), m_fixture.server().caPem());
    const ApiReply r = agent->enroll(code.json().value(QStringLiteral("code")).toString(), name);
    if (r.status != 201)
        qWarning("enroll %s: %s", qPrintable(name), qPrintable(r.describe()));
    return agent;
}

void TestConsoleDashboard::setPolicy(qint64 server)
{
    const ApiReply r = m_admin->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(server),
        QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/data")}},
            {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), 2}, {QStringLiteral("retention_days"), 30}});
    QCOMPARE(r.status, 200);
}

void TestConsoleDashboard::runBackup(SimulatedAgent &agent, const QString &state, quint64 seed)
{
    ApiReply r = m_admin->post(QStringLiteral("/api/v1/servers/%1/backup").arg(agent.agentId()), QJsonObject());
    QCOMPARE(r.status, 201);
    const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
    const QString jobPath = QStringLiteral("/api/v1/agent/jobs/%1").arg(job);
    r = agent.client().post(jobPath + QStringLiteral("/progress"),
        QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 1}}}});
    QCOMPARE(r.status, 200);
    QJsonObject result {{QStringLiteral("state"), state}};
    if (state == QLatin1String("succeeded")) {
        const SimulatedAgent::BuiltPack pack = agent.buildPack(seed, 3, 30000, true);
        QVERIFY(agent.uploadPack(pack).status / 100 == 2);
        // A snapshot that says what it stored (the dashboard sums the snapshots' stored bytes).
        cairn::Snapshot s;
        s.time = QDateTime::currentDateTimeUtc();
        s.endTime = s.time.addSecs(1);
        s.hostname = QStringLiteral("simulated");
        s.username = QStringLiteral("root");
        s.paths = {QByteArrayLiteral("/data")};
        s.tree = *pack.tree;
        s.programVersion = QStringLiteral("test");
        s.stats.files = 1;
        s.stats.bytesStored = kStoredPerBackup;
        const QByteArray sealed = cairn::sealSnapshot(*agent.codec(), s);
        cairn::SnapshotId sid;
        sid.bytes = cairn::crypto::sha256(sealed);
        const QString snapshot = sid.toHex();
        QCOMPARE(agent.client()
                     .put(QStringLiteral("/api/v1/agent/snapshots/%1?job=%2").arg(snapshot).arg(job), sealed)
                     .status,
            201);
        result.insert(QStringLiteral("snapshot"), snapshot);
        result.insert(QStringLiteral("stats"),
            QJsonObject {{QStringLiteral("files"), 1}, {QStringLiteral("bytes_stored"), kStoredPerBackup}});
    } else {
        result.insert(QStringLiteral("error"), QStringLiteral("the disk is gone"));
    }
    r = agent.client().post(jobPath + QStringLiteral("/result"), result);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
}

QModelIndex TestConsoleDashboard::proxyIndex(qint64 server, int column) const
{
    const QAbstractItemModel *proxy = m_page->table()->model();
    for (int r = 0; r < proxy->rowCount(); ++r) {
        const QModelIndex i = proxy->index(r, column);
        if (i.data(ServerSummaryModel::IdRole).toLongLong() == server)
            return i;
    }
    return {};
}

QString TestConsoleDashboard::cell(qint64 server, int column) const
{
    return proxyIndex(server, column).data().toString();
}

void TestConsoleDashboard::initTestCase()
{
    isolateSettings();
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_admin = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kAdmin));
    m_alpha = enroll(QStringLiteral("alpha"));
    m_beta = enroll(QStringLiteral("beta"));
    QVERIFY(m_alpha->agentId() > 0 && m_beta->agentId() > 0);
    setPolicy(m_alpha->agentId());
    setPolicy(m_beta->agentId());
    runBackup(*m_alpha, QStringLiteral("succeeded"), 11);
    runBackup(*m_beta, QStringLiteral("failed"), 12);
    // Enough servers that the table scrolls.
    for (int i = 0; i < 30; ++i) {
        m_extra.push_back(enroll(QStringLiteral("extra-%1").arg(i, 2, 10, QLatin1Char('0'))));
        QVERIFY(m_extra.back()->agentId() > 0);
    }
    m_fixture.window()->resize(1000, 640);
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("dashboardPage")));
    m_page = m_fixture.window()->findChild<DashboardPage *>(QStringLiteral("dashboardPage"));
    QVERIFY(m_page);
    QCOMPARE(m_fixture.window()->currentPage(), m_page);
}

void TestConsoleDashboard::listsEveryServerWithLastResultAndStoredBytes()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_page->table()->model()->rowCount(), 32, 10000);
    QCOMPARE(cell(m_alpha->agentId(), ServerSummaryModel::NameColumn), QStringLiteral("alpha"));
    QVERIFY2(cell(m_alpha->agentId(), ServerSummaryModel::LastResultColumn).startsWith(QLatin1String("Succeeded")),
        qPrintable(cell(m_alpha->agentId(), ServerSummaryModel::LastResultColumn)));
    QVERIFY(cell(m_beta->agentId(), ServerSummaryModel::LastResultColumn).startsWith(QLatin1String("Failed")));
    QCOMPARE(proxyIndex(m_beta->agentId(), ServerSummaryModel::LastResultColumn)
                 .data(Qt::ForegroundRole)
                 .value<QBrush>()
                 .color(),
        QColor(0xc6, 0x28, 0x28));
    // alpha keeps a snapshot: its stored bytes are known and not zero; beta stores nothing.
    const qint64 stored = proxyIndex(m_alpha->agentId(), ServerSummaryModel::StoredColumn)
                              .data(ServerSummaryModel::SortRole)
                              .toLongLong();
    QCOMPARE(stored, kStoredPerBackup);
    QCOMPARE(cell(m_alpha->agentId(), ServerSummaryModel::StoredColumn),
        cairn::console::format::bytes(kStoredPerBackup)); // "88 kB"
    QCOMPARE(cell(m_beta->agentId(), ServerSummaryModel::StoredColumn), QStringLiteral("0 bytes"));
    QVERIFY(!cell(m_alpha->agentId(), ServerSummaryModel::NextRunColumn).isEmpty());
    QCOMPARE(cell(m_extra.front()->agentId(), ServerSummaryModel::LastResultColumn), QStringLiteral("No runs yet"));
    // Totals.
    QCOMPARE(widget<QLabel>(m_page, "dashboardTotalServers")->text(), QStringLiteral("Servers: 32"));
    QCOMPARE(widget<QLabel>(m_page, "dashboardTotalFailed")->text(), QStringLiteral("Failed last runs: 1"));
    QVERIFY(widget<QLabel>(m_page, "dashboardTotalStored")->text().startsWith(QLatin1String("Stored: ")));
    // Charts: today's stored bytes are known; the tooltip names the day and its value.
    TimeSeriesChart *chart = m_page->storedChart();
    QVERIFY(!chart->isEmpty());
    QCOMPARE(chart->points().size(), 30);
    QVERIFY(chart->points().last().value.value_or(0) > 0);
    const QPoint lastDay(chart->width() - 12, chart->height() / 2);
    QCOMPARE(chart->toolTipAt(lastDay),
        QStringLiteral("%1: %2").arg(cairn::console::format::date(chart->points().last().day),
            cairn::console::format::bytes(*chart->points().last().value)));
}

void TestConsoleDashboard::aLaterResultAppearsWithoutRefreshKeepingSelectionAndScroll()
{
    QTableView *table = m_page->table();
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 32, 10000);
    // Select beta, then scroll to the bottom.
    const QModelIndex beta = proxyIndex(m_beta->agentId());
    table->selectionModel()->setCurrentIndex(beta, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QScrollBar *bar = table->verticalScrollBar();
    QVERIFY2(bar->maximum() > 0, "the table must scroll for this test");
    bar->setValue(bar->maximum());
    const int scrolled = bar->value();

    runBackup(*m_beta, QStringLiteral("succeeded"), 21); // beta's newest result is now a success
    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        cell(m_beta->agentId(), ServerSummaryModel::LastResultColumn).startsWith(QLatin1String("Succeeded")), 10000);
    qInfo("the new result appeared after %lld ms", timer.elapsed());
    QCOMPARE(widget<QLabel>(m_page, "dashboardTotalFailed")->text(), QStringLiteral("Failed last runs: 0"));
    // Same row selected, same scroll position.
    const QModelIndexList selected = table->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data(ServerSummaryModel::IdRole).toLongLong(), m_beta->agentId());
    QCOMPARE(bar->value(), scrolled);
}

void TestConsoleDashboard::filterByName()
{
    auto *filter = widget<QLineEdit>(m_page, "dashboardFilter");
    QVERIFY(filter);
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("alp"));
    QCOMPARE(m_page->table()->model()->rowCount(), 1);
    QCOMPARE(cell(m_alpha->agentId(), ServerSummaryModel::NameColumn), QStringLiteral("alpha"));
    filter->clear();
    QCOMPARE(m_page->table()->model()->rowCount(), 32);
}

void TestConsoleDashboard::doubleClickOpensTheServer()
{
    QTableView *table = m_page->table();
    const QModelIndex alpha = proxyIndex(m_alpha->agentId(), ServerSummaryModel::NameColumn);
    QVERIFY(alpha.isValid());
    table->scrollTo(alpha);
    const QPoint at = table->visualRect(alpha).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at); // the press a double-click begins with
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    ServerPage *server = m_fixture.window()->serverPage();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.window()->currentPage(), static_cast<Page *>(server), 5000);
    QCOMPARE(server->serverId(), m_alpha->agentId());
    QCOMPARE(server->tabs()->currentIndex(), int(Page::OverviewTabIndex));
    // The overview shows the server once its summary arrives.
    auto *name = widget<QLabel>(server, "overviewName");
    QTRY_COMPARE_WITH_TIMEOUT(name->text(), QStringLiteral("alpha"), 10000);
}

QTEST_MAIN(TestConsoleDashboard)
#include "TestConsoleDashboard.moc"
