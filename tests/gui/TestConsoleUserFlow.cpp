// A tenant admin's whole way through the console against a real cairn-server and a real
// cairn-agent backing up a small fixture tree: "Back up now" in History, the progress shown at
// once and the run finishing in the table without a manual refresh, its detail with the tree's
// file count, then Restore: the new snapshot, its tree expanded lazily down to a file, a name
// search, both ticked, and the request form submitted — the ticket on the server holds the
// chosen paths and destination. Test main thread.
#include "AgentProcess.h"
#include "ConsoleTestSupport.h"
#include "FixtureTree.h"

#include "core/Format.h"
#include "user/HistoryModel.h"
#include "user/HistoryTab.h"
#include "user/JobDetailView.h"
#include "user/RestoreRequestForm.h"
#include "user/RestoreTab.h"
#include "user/ServerPage.h"
#include "user/SnapshotTreeModel.h"
#include "widgets/JobProgressBar.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTimeZone>
#include <QTreeView>
#include <QTreeWidget>

#include <ftw.h>

using namespace cairn::test;
using namespace cairn::console;

namespace {

int g_regularFiles = 0;

int countRegular(const char *, const struct stat *st, int type, struct FTW *)
{
    if (type == FTW_F && S_ISREG(st->st_mode))
        ++g_regularFiles;
    return 0;
}

} // namespace

class TestConsoleUserFlow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void backUpNowBrowseAndRequestRestore();
    void cleanupTestCase();

private:
    ConsoleFixture m_fixture;
    AgentProcess m_agent;
    QTemporaryDir m_dir;
    FixtureTree m_tree;
    qint64 m_server = 0;
};

void TestConsoleUserFlow::initTestCase()
{
    isolateSettings();
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    FixtureOptions small;
    small.bigSparseFile = false;
    small.smallFiles = 20;
    small.smallDirs = 2;
    QVERIFY2(m_tree.build(QFile::encodeName(m_dir.filePath(QStringLiteral("data"))), small), qPrintable(m_tree.error));
    m_server = m_agent.enroll(m_fixture.server(), QStringLiteral("acme"), QStringLiteral("app-01"));
    QVERIFY2(m_server > 0, m_agent.lastResult().err.constData());
    auto kim = m_fixture.apiAs(QStringLiteral("kim"));
    const int farHour = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
    const ApiReply policy = kim->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_server),
        QJsonObject {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_tree.root)}},
            {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), farHour},
            {QStringLiteral("retention_days"), 30}});
    QVERIFY2(policy.status == 200, qPrintable(policy.describe()));
    QVERIFY2(m_agent.start(), m_agent.log().right(2000).constData());
    m_fixture.window()->setRefreshInterval(1000);
}

void TestConsoleUserFlow::backUpNowBrowseAndRequestRestore()
{
    QElapsedTimer clock;
    clock.start();
    QVERIFY(m_fixture.logIn(QStringLiteral("kim")));
    m_fixture.window()->openServer(m_server, Page::HistoryTabIndex);
    ServerPage *page = m_fixture.window()->serverPage();
    HistoryTab *history = page->historyTab();
    QVERIFY(history->isVisible());

    // "Back up now": the run appears at the top, selected, with its progress bar.
    widget<QPushButton>(history, "historyBackupNow")->click();
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 1, 10000);
    JobDetailView *detail = history->detail();
    QTRY_VERIFY_WITH_TIMEOUT(detail->jobId() > 0, 5000);
    const qint64 job = detail->jobId();
    QCOMPARE(history->table()->selectionModel()->currentIndex().row(), 0);
    QVERIFY(widget<JobProgressBar>(detail, "jobProgress")->isVisible());

    // It runs and finishes; the table shows it without a manual refresh.
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->index(0, HistoryModel::State).data().toString(),
        format::jobState(QStringLiteral("succeeded")), 60000);
    QCOMPARE(history->model()->job(0).value(QLatin1String("id")).toInteger(), job);
    QTRY_VERIFY_WITH_TIMEOUT(!widget<JobProgressBar>(detail, "jobProgress")->isVisible(), 5000);

    // Its detail: the file count is the tree's.
    g_regularFiles = 0;
    QCOMPARE(nftw(m_tree.root.constData(), countRegular, 16, FTW_PHYS), 0);
    const QJsonObject stats = detail->job().value(QLatin1String("stats")).toObject();
    QCOMPARE(stats.value(QLatin1String("files")).toInteger(), qint64(g_regularFiles));
    const QString filesText = widget<QLabel>(detail, "jobStatFiles")->text();
    QVERIFY2(filesText.startsWith(QStringLiteral("%1 files: %1 new").arg(format::number(g_regularFiles))),
        qPrintable(filesText));
    QVERIFY(widget<QLabel>(detail, "jobDetailTitle")->text().contains(QStringLiteral("Succeeded")));

    // Restore: the snapshot of that run.
    page->tabs()->setCurrentIndex(Page::RestoreTabIndex);
    auto *restore = static_cast<RestoreTab *>(page->tab(Page::RestoreTabIndex));
    auto *snapshots = widget<QTreeWidget>(restore, "snapshotList");
    QTRY_COMPARE_WITH_TIMEOUT(snapshots->topLevelItemCount(), 1, 10000);
    QCOMPARE(snapshots->topLevelItem(0)->text(1), format::number(g_regularFiles));
    snapshots->setCurrentItem(snapshots->topLevelItem(0));

    // Expand the tree lazily, one directory at a time, down to files/one.
    SnapshotTreeModel *model = restore->treeModel();
    auto *view = widget<QTreeView>(restore, "snapshotTree");
    QByteArray path;
    const QList<QByteArray> parts = (m_tree.root + "/files").split('/');
    for (const QByteArray &part : parts) {
        if (part.isEmpty())
            continue;
        path += '/' + part;
        QModelIndex at;
        QTRY_VERIFY_WITH_TIMEOUT((at = model->indexOfPath(path)).isValid(), 10000);
        QCOMPARE(model->rowCount(at), 0); // nothing below is loaded before it is expanded
        view->expand(at);
    }
    const QByteArray one = m_tree.root + "/files/one";
    QModelIndex oneIndex;
    QTRY_VERIFY_WITH_TIMEOUT((oneIndex = model->indexOfPath(one)).isValid(), 10000);
    QCOMPARE(oneIndex.siblingAtColumn(SnapshotTreeModel::Size).data().toString(), format::bytes(1));
    QVERIFY(!model->indexOfPath(m_tree.root + "/small/d000").isValid()); // a directory not expanded stays unloaded
    QVERIFY(model->setData(oneIndex, Qt::Checked, Qt::CheckStateRole));

    // Search for a file by name and tick the result.
    auto *search = widget<QLineEdit>(restore, "snapshotSearch");
    QTest::keyClicks(search, QStringLiteral("random-100k"));
    QTest::keyClick(search, Qt::Key_Return);
    auto *results = widget<QListWidget>(restore, "snapshotSearchResults");
    QTRY_COMPARE_WITH_TIMEOUT(results->count(), 1, 10000);
    const QByteArray found = m_tree.root + "/files/random-100k";
    QCOMPARE(results->item(0)->data(Qt::UserRole).toByteArray(), found);
    results->item(0)->setCheckState(Qt::Checked);
    QVERIFY(model->isChecked(found));
    QCOMPARE(widget<QLabel>(restore, "restoreChosen")->text(), QStringLiteral("2 item(s) chosen to restore."));

    // The request form.
    widget<QPushButton>(restore, "requestRestore")->click();
    QCOMPARE(widget<QListWidget>(restore, "requestPaths")->count(), 2);
    QTest::keyClicks(widget<QLineEdit>(restore, "requestTargetPath"), QStringLiteral("/var/tmp/cairn-restore"));
    QTest::keyClicks(widget<QLineEdit>(restore, "requestContactPhone"), QStringLiteral("02-555-0100"));
    widget<QPushButton>(restore, "requestSubmit")->click();
    QTRY_VERIFY_WITH_TIMEOUT(!restore->requestForm()->resultText().isEmpty(), 10000);
    QVERIFY2(restore->requestForm()->errorText().isEmpty(), qPrintable(restore->requestForm()->errorText()));

    auto kim = m_fixture.apiAs(QStringLiteral("kim"));
    const QJsonArray tickets
        = kim->get(QStringLiteral("/api/v1/restore-tickets")).json()[QLatin1String("items")].toArray();
    QCOMPARE(tickets.size(), 1);
    const QJsonObject request = tickets.first()[QLatin1String("request")].toObject();
    QCOMPARE(tickets.first()[QLatin1String("server")].toInteger(), m_server);
    QCOMPARE(request[QLatin1String("target_server")].toInteger(), m_server);
    QCOMPARE(request[QLatin1String("target")].toString(), QStringLiteral("/var/tmp/cairn-restore"));
    QCOMPARE(request[QLatin1String("paths")].toArray(),
        (QJsonArray {QString::fromLocal8Bit(one), QString::fromLocal8Bit(found)}));
    const QString snapshot = snapshots->topLevelItem(0)->data(0, Qt::UserRole).toString();
    QCOMPARE(request[QLatin1String("snapshot")].toString(), snapshot);
    QTRY_COMPARE_WITH_TIMEOUT(widget<QTableView>(restore, "serverTickets")->model()->rowCount(), 1, 10000);
    qInfo("the whole flow took %lld ms", clock.elapsed());
}

void TestConsoleUserFlow::cleanupTestCase()
{
    m_agent.stop();
    if (!m_tree.root.isEmpty())
        removeTree(m_tree.root);
}

QTEST_MAIN(TestConsoleUserFlow)
#include "TestConsoleUserFlow.moc"
