// The History tab against a real cairn-server with 250 runs reported by a simulated agent: the
// table loads pages as it scrolls (no duplicates), sorting by the finished time both ways is the
// server's order, a state filter shows only that state, a running run's progress (rate and time
// left) updates live in the detail without a manual refresh, and a finished run's detail shows
// its statistics, warnings and command results, and stays shown through live refreshes when the
// run is not among the loaded rows (its row is chosen once a page brings it); under a "running"
// filter a run that finishes leaves the list while its detail stays. Test main thread.
#include "ConsoleTestSupport.h"
#include "SimulatedAgent.h"

#include "core/Format.h"
#include "user/HistoryModel.h"
#include "user/HistoryTab.h"
#include "user/JobDetailView.h"
#include "user/ServerPage.h"
#include "widgets/JobProgressBar.h"

#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeWidget>

using namespace cairn::test;
using namespace cairn::console;

namespace {

constexpr int kRuns = 250;
constexpr qint64 kScanned = 20'000'000; // bytes every finished run scanned (the running run's total)

QString stateOf(int i)
{
    return i % 10 == 3 ? QStringLiteral("failed")
        : i % 7 == 2   ? QStringLiteral("warning")
                       : QStringLiteral("succeeded");
}

} // namespace

class TestConsoleHistory : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pagesLoadAsTheTableScrolls();
    void sortingByFinishedTimeIsTheServersOrder();
    void stateFilterShowsOnlyThatState();
    void runningRunShowsLiveProgress();
    void finishedRunShowsStatisticsAndWarnings();
    void finishedRunLeavesTheRunningFilter();

private:
    qint64 newJob();
    qint64 startJob(); // a new job that reported its first progress: running
    void post(const QString &path, const QJsonObject &body, int status = 200);
    HistoryTab *history() { return m_fixture.window()->serverPage()->historyTab(); }
    QList<qint64> shownIds()
    {
        QList<qint64> ids;
        for (int r = 0; r < history()->model()->rowCount(); ++r)
            ids << history()->model()->job(r).value(QLatin1String("id")).toInteger();
        return ids;
    }
    bool loadAll(int expected)
    {
        return QTest::qWaitFor(
            [&] {
                history()->table()->scrollToBottom();
                return history()->model()->rowCount() >= expected && !history()->model()->isLoading();
            },
            20000);
    }
    QList<qint64> apiOrder(const QString &sort, const QString &order);

    ConsoleFixture m_fixture;
    std::unique_ptr<SimulatedAgent> m_agent;
    std::unique_ptr<cairn::test::ApiClient> m_kim;
    qint64 m_server = 0;
};

void TestConsoleHistory::post(const QString &path, const QJsonObject &body, int status)
{
    const ApiReply r = m_agent->client().post(path, body);
    if (r.status != status)
        qWarning("%s: %s", qPrintable(path), qPrintable(r.describe()));
}

qint64 TestConsoleHistory::newJob()
{
    const ApiReply r = m_agent->client().post(QStringLiteral("/api/v1/agent/jobs"),
        QJsonObject {
            {QStringLiteral("kind"), QStringLiteral("backup")}, {QStringLiteral("trigger"), QStringLiteral("agent")}});
    if (r.status != 201)
        qWarning("new job: %s", qPrintable(r.describe()));
    return r.json().value(QLatin1String("id")).toInteger();
}

qint64 TestConsoleHistory::startJob()
{
    const qint64 id = newJob();
    post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(id),
        QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("phase"), QStringLiteral("backup")}}}});
    return id;
}

void TestConsoleHistory::initTestCase()
{
    isolateSettings();
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_agent = std::make_unique<SimulatedAgent>(m_fixture.server().baseUrl(), m_fixture.server().caPem());
    QCOMPARE(
        m_agent->enroll(m_fixture.server().enrollmentCode(QStringLiteral("acme")), QStringLiteral("web-01")).status,
        201);
    m_server = m_agent->agentId();
    m_kim = m_fixture.apiAs(QStringLiteral("kim"));
    const int hour = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
    QCOMPARE(m_kim
                 ->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_server),
                     QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/srv")}},
                         {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), hour},
                         {QStringLiteral("retention_days"), 30}})
                 .status,
        200);
    for (int i = 0; i < kRuns; ++i) {
        const qint64 id = startJob();
        QVERIFY(id > 0);
        const QString state = stateOf(i);
        QJsonObject stats {{QStringLiteral("files"), 1000 + i}, {QStringLiteral("files_new"), i},
            {QStringLiteral("files_changed"), 7}, {QStringLiteral("files_unchanged"), 993},
            {QStringLiteral("bytes_scanned"), kScanned}, {QStringLiteral("bytes_read"), 3'000'000},
            {QStringLiteral("bytes_new"), 1'000'000}, {QStringLiteral("bytes_stored"), 400'000},
            {QStringLiteral("dedup_ratio"), 2.5}, {QStringLiteral("seconds"), 12},
            {QStringLiteral("warnings"), state == u"warning" ? 1 : 0}, {QStringLiteral("errors"), 0}};
        if (state == u"warning") {
            stats.insert(QStringLiteral("problems"),
                QJsonArray {QJsonObject {{QStringLiteral("kind"), QStringLiteral("warning")},
                    {QStringLiteral("path"), QStringLiteral("/srv/app/locked-%1.db").arg(i)},
                    {QStringLiteral("message"), QStringLiteral("file changed while it was read")}}});
            stats.insert(QStringLiteral("pre_command"),
                QJsonObject {{QStringLiteral("exit_code"), 3}, {QStringLiteral("seconds"), 2},
                    {QStringLiteral("output"), QStringLiteral("dump finished with notices")}});
        }
        QJsonObject result {{QStringLiteral("state"), state}, {QStringLiteral("stats"), stats}};
        if (state == u"failed")
            result.insert(QStringLiteral("error"), QStringLiteral("the disk /srv could not be read"));
        post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(id), result);
    }
    m_fixture.window()->setRefreshInterval(400);
    QVERIFY(m_fixture.logIn(QStringLiteral("kim")));
    m_fixture.window()->openServer(m_server, Page::HistoryTabIndex);
}

void TestConsoleHistory::pagesLoadAsTheTableScrolls()
{
    HistoryModel *model = history()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), HistoryModel::kPageSize, 15000);
    QCOMPARE(model->total(), qint64(kRuns));
    QVERIFY(model->canFetchMore({}));
    // The first page is the newest runs, as the API lists them.
    QCOMPARE(shownIds().first(), apiOrder(QString(), QString()).first());
    QVERIFY(loadAll(kRuns));
    QCOMPARE(model->rowCount(), kRuns);
    const QList<qint64> ids = shownIds();
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), kRuns); // no duplicates
    QVERIFY(!model->canFetchMore({}));
    auto *count = widget<QLabel>(history(), "historyCount");
    QCOMPARE(count->text(), QStringLiteral("250 of 250 runs"));
}

QList<qint64> TestConsoleHistory::apiOrder(const QString &sort, const QString &order)
{
    QList<qint64> ids;
    QString cursor;
    for (;;) {
        QString path = QStringLiteral("/api/v1/jobs?server=%1&limit=200").arg(m_server);
        if (!sort.isEmpty())
            path += QStringLiteral("&sort=%1&order=%2").arg(sort, order);
        if (!cursor.isEmpty())
            path += (sort.isEmpty() ? QStringLiteral("&before=") : QStringLiteral("&after=")) + cursor;
        const QJsonObject page = m_kim->get(path).json();
        for (const QJsonValue &j : page.value(QLatin1String("items")).toArray())
            ids << j[QLatin1String("id")].toInteger();
        const QJsonValue next = page.value(QLatin1String("next"));
        if (next.isNull() || next.isUndefined())
            return ids;
        cursor = next.isString() ? next.toString() : QString::number(next.toInteger());
    }
}

void TestConsoleHistory::sortingByFinishedTimeIsTheServersOrder()
{
    QTableView *table = history()->table();
    QHeaderView *header = table->horizontalHeader();
    const auto clickHeader = [&](int column) {
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
            QPoint(header->sectionViewportPosition(column) + 10, header->height() / 2));
    };
    // A column the server cannot sort by changes nothing.
    clickHeader(HistoryModel::Files);
    QCOMPARE(history()->model()->sortColumn(), -1);
    QCOMPARE(history()->model()->rowCount(), kRuns);

    clickHeader(HistoryModel::Finished);
    QCOMPARE(history()->model()->sortColumn(), int(HistoryModel::Finished));
    QCOMPARE(history()->model()->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(header->sortIndicatorSection(), int(HistoryModel::Finished));
    QTRY_COMPARE_WITH_TIMEOUT(history()->model()->rowCount(), HistoryModel::kPageSize, 15000); // back to the first page
    QVERIFY(loadAll(kRuns));
    const QList<qint64> desc = apiOrder(QStringLiteral("finished_at"), QStringLiteral("desc"));
    QCOMPARE(desc.size(), kRuns);
    QCOMPARE(shownIds(), desc);
    // Finished times shown are really descending.
    const auto finished = [&](int row) {
        return format::parseIso(history()->model()->job(row).value(QLatin1String("finished_at")).toString());
    };
    QVERIFY(finished(0) >= finished(1) && finished(1) >= finished(kRuns - 1));

    clickHeader(HistoryModel::Finished);
    QCOMPARE(history()->model()->sortOrder(), Qt::AscendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(history()->model()->rowCount(), HistoryModel::kPageSize, 15000);
    QVERIFY(loadAll(kRuns));
    QCOMPARE(shownIds(), apiOrder(QStringLiteral("finished_at"), QStringLiteral("asc")));
    QVERIFY(finished(0) <= finished(kRuns - 1));
}

void TestConsoleHistory::stateFilterShowsOnlyThatState()
{
    auto *state = widget<QComboBox>(history(), "historyState");
    const int failedIndex = state->findText(format::jobState(QStringLiteral("failed")));
    QVERIFY(failedIndex > 0);
    state->setCurrentIndex(failedIndex);
    int expected = 0;
    for (int i = 0; i < kRuns; ++i)
        expected += stateOf(i) == u"failed" ? 1 : 0;
    QTRY_VERIFY_WITH_TIMEOUT(!history()->model()->isLoading() && history()->model()->rowCount() == expected, 15000);
    QCOMPARE(history()->model()->total(), qint64(expected));
    for (int r = 0; r < history()->model()->rowCount(); ++r) {
        QCOMPARE(history()->model()->job(r).value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(history()->model()->index(r, HistoryModel::State).data().toString(), QStringLiteral("Failed"));
    }
    state->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(
        !history()->model()->isLoading() && history()->model()->rowCount() == HistoryModel::kPageSize, 15000);
}

void TestConsoleHistory::runningRunShowsLiveProgress()
{
    // Back to the default order so that a new run comes in at the top.
    history()->model()->sort(-1, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!history()->model()->isLoading() && history()->model()->rowCount() > 0, 15000);
    const qint64 id = newJob();
    post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(id),
        QJsonObject {{QStringLiteral("progress"),
            QJsonObject {{QStringLiteral("phase"), QStringLiteral("backup")}, {QStringLiteral("files"), 40},
                {QStringLiteral("bytes"), 5'000'000}, {QStringLiteral("bytes_read"), 5'000'000},
                {QStringLiteral("rate"), 1'000'000}}}});
    // The live refresh brings it in at the top, without a manual refresh.
    QTRY_COMPARE_WITH_TIMEOUT(history()->model()->rowOfJob(id), 0, 10000);
    // A refresh may have caught it still pending (before the progress report): the next one shows it running.
    QTRY_COMPARE_WITH_TIMEOUT(
        history()->model()->index(0, HistoryModel::State).data().toString(), QStringLiteral("Running"), 10000);
    history()->table()->selectRow(0);
    JobDetailView *detail = history()->detail();
    QCOMPARE(detail->jobId(), id);
    auto *progress = widget<JobProgressBar>(detail, "jobProgress");
    QVERIFY(progress->isVisible());
    // Total = the bytes the last successful run scanned; rate and time left from the report.
    QTRY_VERIFY_WITH_TIMEOUT(progress->isDeterminate(), 10000);
    QCOMPARE(progress->percent(), 25);
    QVERIFY2(progress->text().contains(format::rate(1'000'000)), qPrintable(progress->text()));
    QVERIFY2(progress->text().contains(format::eta(15)), qPrintable(progress->text()));
    QVERIFY2(progress->text().contains(QStringLiteral("Backing up files")), qPrintable(progress->text()));

    post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(id),
        QJsonObject {{QStringLiteral("progress"),
            QJsonObject {{QStringLiteral("phase"), QStringLiteral("backup")}, {QStringLiteral("files"), 90},
                {QStringLiteral("bytes"), 15'000'000}, {QStringLiteral("rate"), 2'500'000}}}});
    QTRY_COMPARE_WITH_TIMEOUT(progress->percent(), 75, 10000);
    QVERIFY2(progress->text().contains(format::rate(2'500'000)), qPrintable(progress->text()));
    QVERIFY(progress->text().contains(format::eta(2)));
    QCOMPARE(history()->table()->selectionModel()->currentIndex().row(), 0); // selection survived the refreshes

    post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(id),
        QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
            {QStringLiteral("stats"),
                QJsonObject {{QStringLiteral("files"), 120}, {QStringLiteral("files_new"), 3},
                    {QStringLiteral("files_changed"), 2}, {QStringLiteral("files_unchanged"), 115},
                    {QStringLiteral("bytes_scanned"), kScanned}, {QStringLiteral("bytes_read"), kScanned},
                    {QStringLiteral("seconds"), 9}}}});
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isVisible(), 10000);
    QCOMPARE(history()->model()->index(0, HistoryModel::State).data().toString(), QStringLiteral("Succeeded"));
    QVERIFY(widget<QLabel>(detail, "jobDetailTitle")->text().contains(QStringLiteral("Succeeded")));
}

void TestConsoleHistory::finishedRunShowsStatisticsAndWarnings()
{
    // The run of i == 2 ended with a warning: the third job made.
    const QList<qint64> ids = apiOrder(QString(), QString());
    qint64 warned = 0;
    for (qint64 id : ids) {
        const QJsonObject j = m_kim->get(QStringLiteral("/api/v1/jobs/%1").arg(id)).json();
        if (j.value(QLatin1String("state")).toString() == u"warning")
            warned = id; // the oldest such run, far below the first page
    }
    QVERIFY(warned > 0);
    QVERIFY(history()->model()->rowOfJob(warned) < 0); // not loaded: the detail alone shows it
    history()->showJob(warned);
    JobDetailView *detail = history()->detail();
    QTRY_COMPARE_WITH_TIMEOUT(detail->jobId(), warned, 10000);
    // Live refreshes (every 400 ms here) leave the detail on it, and no other row looks chosen.
    QSignalSpy refreshed(history()->model(), &HistoryModel::topRefreshed);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 3, 15000);
    QCOMPARE(detail->jobId(), warned);
    QModelIndexList chosen = history()->table()->selectionModel()->selectedRows();
    chosen << history()->table()->selectionModel()->currentIndex();
    for (const QModelIndex &i : std::as_const(chosen))
        QVERIFY2(!i.isValid() || history()->model()->job(i.row())[QLatin1String("id")].toInteger() == warned,
            qPrintable(QStringLiteral("row %1 is chosen").arg(i.row())));
    const QJsonObject job = detail->job();
    const qint64 files = job[QLatin1String("stats")][QLatin1String("files")].toInteger();
    const QString filesText = widget<QLabel>(detail, "jobStatFiles")->text();
    QVERIFY2(filesText.contains(format::number(files)) && filesText.contains(QStringLiteral("993 unchanged")),
        qPrintable(filesText));
    const QString bytesText = widget<QLabel>(detail, "jobStatBytes")->text();
    QVERIFY2(bytesText.contains(format::bytes(3'000'000)) && bytesText.contains(format::bytes(400'000)),
        qPrintable(bytesText));
    QVERIFY(widget<QLabel>(detail, "jobStatDedup")->text().contains(QStringLiteral("2.50")));
    QCOMPARE(widget<QLabel>(detail, "jobStatDuration")->text(), format::duration(12));
    QCOMPARE(widget<QLabel>(detail, "jobStatRate")->text(), format::rate(3'000'000 / 12.0));
    auto *problems = widget<QTreeWidget>(detail, "jobProblems");
    QVERIFY(problems->isVisible());
    QCOMPARE(problems->topLevelItemCount(), 1);
    QCOMPARE(problems->topLevelItem(0)->text(0), QStringLiteral("Warning"));
    QVERIFY(problems->topLevelItem(0)->text(1).startsWith(QStringLiteral("/srv/app/locked-")));
    QCOMPARE(problems->topLevelItem(0)->text(2), QStringLiteral("file changed while it was read"));
    QVERIFY(widget<QLabel>(detail, "jobCommands")->text().contains(QStringLiteral("exit code 3")));
    QVERIFY(widget<QPlainTextEdit>(detail, "jobCommandOutput")
                ->toPlainText()
                .contains(QStringLiteral("dump finished with notices")));
    QVERIFY(!widget<JobProgressBar>(detail, "jobProgress")->isVisible());
    // Scrolling down loads the page that holds it: its row is then the one chosen.
    QVERIFY(loadAll(kRuns + 1));
    QCOMPARE(history()->table()->selectionModel()->currentIndex().row(), history()->model()->rowOfJob(warned));
    QVERIFY(history()->model()->rowOfJob(warned) > 0);
    QCOMPARE(detail->jobId(), warned);

    // A failed run's detail says why.
    qint64 failed = 0;
    for (int r = 0; r < history()->model()->rowCount() && !failed; ++r) {
        if (history()->model()->job(r).value(QLatin1String("state")).toString() == u"failed")
            failed = history()->model()->job(r).value(QLatin1String("id")).toInteger();
    }
    QVERIFY(failed > 0);
    history()->showJob(failed);
    QTRY_COMPARE_WITH_TIMEOUT(detail->jobId(), failed, 10000);
    QCOMPARE(widget<QLabel>(detail, "jobError")->text(), QStringLiteral("the disk /srv could not be read"));
    QVERIFY(widget<QLabel>(detail, "jobError")->isVisible());
}

void TestConsoleHistory::finishedRunLeavesTheRunningFilter()
{
    auto *state = widget<QComboBox>(history(), "historyState");
    const int runningIndex = state->findText(format::jobState(QStringLiteral("running")));
    QVERIFY(runningIndex > 0);
    state->setCurrentIndex(runningIndex);
    QTRY_VERIFY_WITH_TIMEOUT(!history()->model()->isLoading() && history()->model()->total() == 0, 15000);
    const auto finish = [&](qint64 id) {
        post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(id),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                {QStringLiteral("stats"), QJsonObject {{QStringLiteral("files"), 1}}}});
    };
    const qint64 older = startJob();
    const qint64 newer = startJob();
    // Newest first: the older run is the bottom row, below every row of the first page.
    QTRY_VERIFY_WITH_TIMEOUT(history()->model()->rowCount() == 2 && history()->model()->rowOfJob(older) == 1, 10000);
    history()->showJob(older);
    JobDetailView *detail = history()->detail();
    QCOMPARE(detail->jobId(), older);
    finish(older);
    QTRY_VERIFY_WITH_TIMEOUT(history()->model()->rowCount() == 1 && history()->model()->rowOfJob(older) < 0, 10000);
    QCOMPARE(history()->model()->rowOfJob(newer), 0);
    QCOMPARE(history()->model()->total(), qint64(1));
    auto *count = widget<QLabel>(history(), "historyCount");
    QCOMPARE(count->text(), QStringLiteral("1 of 1 runs"));
    // The detail stays on the finished run, and the remaining row does not look chosen.
    QCOMPARE(detail->jobId(), older);
    QVERIFY(!history()->table()->selectionModel()->currentIndex().isValid());
    QVERIFY(history()->table()->selectionModel()->selectedRows().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        widget<QLabel>(detail, "jobDetailTitle")->text().contains(QStringLiteral("Succeeded")), 10000);
    finish(newer);
    QTRY_COMPARE_WITH_TIMEOUT(history()->model()->rowCount(), 0, 10000);
    QCOMPARE(count->text(), QStringLiteral("0 of 0 runs"));
    state->setCurrentIndex(0);
}

QTEST_MAIN(TestConsoleHistory)
#include "TestConsoleHistory.moc"
