// OverviewTab implementation. GUI thread.
#include "user/OverviewTab.h"

#include "core/Format.h"
#include "widgets/MessageBanner.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr qint64 kOnlineSeconds = 10 * 60;

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("—") : s;
}
} // namespace

OverviewTab::OverviewTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent),
      m_name(new QLabel(this)),
      m_hostname(new QLabel(this)),
      m_os(new QLabel(this)),
      m_kernel(new QLabel(this)),
      m_architecture(new QLabel(this)),
      m_version(new QLabel(this)),
      m_enrolled(new QLabel(this)),
      m_lastSeen(new QLabel(this)),
      m_policy(new QLabel(this)),
      m_nextRun(new QLabel(this)),
      m_lastJob(new QLabel(this)),
      m_stored(new QLabel(this)),
      m_openJob(new QPushButton(this)),
      m_backupNow(new QPushButton(this)),
      m_rename(new QPushButton(this)),
      m_renameRow(new QWidget(this)),
      m_renameEdit(new QLineEdit(m_renameRow)),
      m_renameSave(new QPushButton(m_renameRow)),
      m_renameCancel(new QPushButton(m_renameRow)),
      m_backupState(new QLabel(this))
{
    setObjectName(QStringLiteral("overviewTab"));
    const char *names[] = {"overviewName", "overviewHostname", "overviewOs", "overviewKernel", "overviewArchitecture",
        "overviewVersion", "overviewEnrolled", "overviewLastSeen", "overviewPolicy", "overviewNextRun",
        "overviewLastJob", "overviewStored"};
    QLabel *values[] = {m_name, m_hostname, m_os, m_kernel, m_architecture, m_version, m_enrolled, m_lastSeen, m_policy,
        m_nextRun, m_lastJob, m_stored};
    auto *form = new QFormLayout;
    for (int i = 0; i < 12; ++i) {
        values[i]->setObjectName(QLatin1String(names[i]));
        values[i]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        values[i]->setWordWrap(true);
        m_caption[i] = new QLabel(this);
        if (values[i] == m_lastJob) {
            auto *row = new QHBoxLayout;
            row->addWidget(m_lastJob, 1);
            row->addWidget(m_openJob);
            form->addRow(m_caption[i], row);
        } else if (values[i] == m_name) {
            auto *row = new QHBoxLayout;
            row->addWidget(m_name, 1);
            row->addWidget(m_renameRow, 1);
            row->addWidget(m_rename);
            form->addRow(m_caption[i], row);
        } else {
            form->addRow(m_caption[i], values[i]);
        }
    }
    m_openJob->setObjectName(QStringLiteral("overviewOpenJob"));
    m_backupNow->setObjectName(QStringLiteral("backupNow"));
    m_rename->setObjectName(QStringLiteral("overviewRename"));
    m_renameEdit->setObjectName(QStringLiteral("overviewRenameEdit"));
    m_renameSave->setObjectName(QStringLiteral("overviewRenameSave"));
    m_renameCancel->setObjectName(QStringLiteral("overviewRenameCancel"));
    m_backupState->setObjectName(QStringLiteral("overviewBackupState"));
    m_renameEdit->setMaxLength(200);
    auto *renameLayout = new QHBoxLayout(m_renameRow);
    renameLayout->setContentsMargins(0, 0, 0, 0);
    renameLayout->addWidget(m_renameEdit, 1);
    renameLayout->addWidget(m_renameSave);
    renameLayout->addWidget(m_renameCancel);
    m_renameRow->hide();
    m_openJob->hide();

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_backupNow);
    actions->addWidget(m_backupState, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(form);
    layout->addLayout(actions);
    layout->addStretch(1);

    connect(m_backupNow, &QPushButton::clicked, this, &OverviewTab::backUpNow);
    connect(m_openJob, &QPushButton::clicked, this, [this] {
        const qint64 job = m_job.value(QLatin1String("id")).toInteger();
        if (job > 0)
            emit openJobRequested(serverId(), job);
    });
    connect(m_rename, &QPushButton::clicked, this, &OverviewTab::startRename);
    connect(m_renameSave, &QPushButton::clicked, this, &OverviewTab::saveRename);
    connect(m_renameEdit, &QLineEdit::returnPressed, this, &OverviewTab::saveRename);
    connect(m_renameCancel, &QPushButton::clicked, this, &OverviewTab::cancelRename);
    setTabOrder(m_rename, m_renameEdit);
    setTabOrder(m_renameEdit, m_renameSave);
    setTabOrder(m_renameSave, m_renameCancel);
    setTabOrder(m_renameCancel, m_openJob);
    setTabOrder(m_openJob, m_backupNow);
    retranslateUi();
}

QString OverviewTab::policySummary(const QJsonObject &p)
{
    if (p.isEmpty())
        return tr("No policy yet: this server is not backed up.");
    const QString time = QStringLiteral("%1:00").arg(p.value(QLatin1String("hour")).toInt(), 2, 10, QLatin1Char('0'));
    const int keep = p.value(QLatin1String("retention_days")).toInt();
    const int paths = int(p.value(QLatin1String("paths")).toArray().size());
    const QString when = p.value(QLatin1String("interval_days")).toInt() == 7
        ? tr("Every %1 at %2").arg(format::weekday(p.value(QLatin1String("weekday")).toInt(1)), time)
        : tr("Every day at %1").arg(time);
    return tr("%1, keep %n days", nullptr, keep).arg(when) + tr("; %n path(s)", nullptr, paths);
}

void OverviewTab::setServer(qint64 id, const QJsonObject &server)
{
    const bool other = id != serverId();
    ServerTab::setServer(id, server);
    if (other) {
        m_policyJson = QJsonObject();
        m_policyKnown = false;
        m_job = QJsonObject();
        m_storedBytes = QJsonValue();
        m_backupState->clear();
        cancelRename();
        banner()->clear();
    }
    showIdentity();
    showPolicy();
    showLastJob();
}

void OverviewTab::showIdentity()
{
    const QJsonObject &s = server();
    m_name->setText(orDash(str(s, "name")));
    m_hostname->setText(orDash(str(s, "hostname")));
    m_os->setText(orDash(str(s, "os")));
    m_kernel->setText(orDash(str(s, "kernel")));
    m_architecture->setText(orDash(str(s, "architecture")));
    m_version->setText(orDash(str(s, "version")));
    m_enrolled->setText(format::dateTimeIso(str(s, "enrolled_at")));
    const QDateTime seen = format::parseIso(str(s, "last_seen"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const bool online = s.value(QLatin1String("online")).isBool() ? s.value(QLatin1String("online")).toBool()
                                                                  : seen.isValid() && seen.secsTo(now) < kOnlineSeconds;
    m_lastSeen->setText(!seen.isValid() ? tr("Never seen")
            : online                    ? tr("%1 (online)").arg(format::dateTime(seen))
                                        : tr("%1 (offline)").arg(format::dateTime(seen)));
    const QString next = str(s, "next_run");
    m_nextRun->setText(next.isEmpty() ? tr("None scheduled") : format::dateTimeIso(next));
    m_stored->setText(m_storedBytes.isDouble() ? format::bytes(m_storedBytes.toInteger()) : QStringLiteral("—"));
    m_rename->setVisible(api()->user().isAdmin() && !m_renameRow->isVisible());
}

void OverviewTab::showPolicy()
{
    m_policy->setText(m_policyKnown ? policySummary(m_policyJson) : tr("Loading…"));
}

void OverviewTab::showLastJob()
{
    if (m_job.isEmpty()) {
        m_lastJob->setText(tr("No runs yet"));
        m_openJob->hide();
        return;
    }
    const QString state = str(m_job, "state");
    const QString when = str(m_job, "finished_at").isEmpty()
        ? str(m_job, "started_at").isEmpty() ? str(m_job, "scheduled_at") : str(m_job, "started_at")
        : str(m_job, "finished_at");
    QString text
        = tr("%1 %2, %3").arg(format::jobKind(str(m_job, "kind")), format::jobState(state), format::dateTimeIso(when));
    if (!str(m_job, "error").isEmpty())
        text += QLatin1String(" — ") + str(m_job, "error");
    m_lastJob->setText(text);
    const bool bad = state == QLatin1String("failed") || state == QLatin1String("missed");
    m_lastJob->setStyleSheet(bad ? QStringLiteral("color: #c62828;") : QString());
    m_openJob->show();
}

void OverviewTab::refresh()
{
    const qint64 id = serverId();
    if (id <= 0 || !api()->isLoggedIn() || !beginLoad())
        return;
    m_pending = 3;
    const auto done = [this] {
        if (--m_pending == 0)
            endLoad();
    };
    api()
        ->get(QStringLiteral("/servers/%1/policy").arg(id))
        ->then(
            this,
            [this, id, done](const QJsonValue &answer) {
                if (id == serverId()) {
                    m_policyJson = answer.toObject();
                    m_policyKnown = true;
                    showPolicy();
                }
                done();
            },
            [this, id, done](const ApiError &e) {
                if (id == serverId() && e.isHttp(404)) {
                    m_policyJson = QJsonObject();
                    m_policyKnown = true;
                    showPolicy();
                } else if (id == serverId()) {
                    showError(e);
                }
                done();
            });
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("server"), QString::number(id));
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
    api()
        ->get(QStringLiteral("/jobs"), q)
        ->then(
            this,
            [this, id, done](const QJsonValue &answer) {
                if (id == serverId()) {
                    const QJsonArray items = answer[QLatin1String("items")].toArray();
                    m_job = items.isEmpty() ? QJsonObject() : items.first().toObject();
                    showLastJob();
                }
                done();
            },
            [done](const ApiError &) { done(); });
    QUrlQuery d;
    d.addQueryItem(QStringLiteral("days"), QStringLiteral("1"));
    api()
        ->get(QStringLiteral("/dashboard"), d)
        ->then(
            this,
            [this, id, done](const QJsonValue &answer) {
                if (id == serverId()) {
                    for (const QJsonValue &v : answer[QLatin1String("servers")].toArray()) {
                        if (v[QLatin1String("id")].toInteger() == id)
                            m_storedBytes = v[QLatin1String("stored_bytes")];
                    }
                    showIdentity();
                }
                done();
            },
            [done](const ApiError &) { done(); }); // an older server has no dashboard: "—"
}

void OverviewTab::backUpNow()
{
    const qint64 id = serverId();
    if (id <= 0)
        return;
    m_backupNow->setEnabled(false);
    m_backupState->setText(tr("Starting a backup…"));
    api()
        ->post(QStringLiteral("/servers/%1/backup").arg(id))
        ->then(
            this,
            [this, id](const QJsonValue &answer) {
                m_backupNow->setEnabled(true);
                const qint64 job = answer[QLatin1String("id")].toInteger();
                m_backupState->setText(tr("Backup started; the agent picks it up at its next check."));
                m_job = answer.toObject();
                showLastJob();
                if (job > 0 && id == serverId())
                    emit openJobRequested(id, job);
            },
            [this](const ApiError &e) {
                m_backupNow->setEnabled(true);
                m_backupState->clear();
                showError(e);
            });
}

void OverviewTab::startRename()
{
    m_renameEdit->setText(str(server(), "name"));
    m_name->hide();
    m_rename->hide();
    m_renameRow->show();
    m_renameEdit->setFocus();
    m_renameEdit->selectAll();
}

void OverviewTab::saveRename()
{
    const QString name = m_renameEdit->text().trimmed();
    if (name.isEmpty()) {
        banner()->showError(tr("A server needs a name."));
        return;
    }
    const qint64 id = serverId();
    m_renameSave->setEnabled(false);
    api()
        ->patch(QStringLiteral("/servers/%1").arg(id), QJsonObject {{QStringLiteral("name"), name}})
        ->then(
            this,
            [this, id](const QJsonValue &answer) {
                m_renameSave->setEnabled(true);
                if (id != serverId())
                    return;
                QJsonObject s = server();
                s.insert(QStringLiteral("name"), answer[QLatin1String("name")].toString());
                cancelRename();
                ServerTab::setServer(id, s);
                showIdentity();
                showInfo(tr("The server is now called %1.").arg(str(s, "name")));
            },
            [this](const ApiError &e) {
                m_renameSave->setEnabled(true);
                showError(e);
            });
}

void OverviewTab::cancelRename()
{
    m_renameRow->hide();
    m_name->show();
    m_rename->setVisible(api()->user().isAdmin());
}

void OverviewTab::retranslateUi()
{
    const char *captions[] = {QT_TR_NOOP("Name:"), QT_TR_NOOP("Host name:"), QT_TR_NOOP("Operating system:"),
        QT_TR_NOOP("Kernel:"), QT_TR_NOOP("Architecture:"), QT_TR_NOOP("Agent version:"), QT_TR_NOOP("Enrolled:"),
        QT_TR_NOOP("Last seen:"), QT_TR_NOOP("Policy:"), QT_TR_NOOP("Next run:"), QT_TR_NOOP("Last run:"),
        QT_TR_NOOP("Stored:")};
    for (int i = 0; i < 12; ++i)
        m_caption[i]->setText(tr(captions[i]));
    m_openJob->setText(tr("Show &details"));
    m_backupNow->setText(tr("&Back up now"));
    m_backupNow->setToolTip(tr("Start a backup of this server now and follow it in History."));
    m_rename->setText(tr("Re&name…"));
    m_renameSave->setText(tr("&Save name"));
    m_renameCancel->setText(tr("Cancel"));
    m_renameCancel->setShortcut(QKeySequence(Qt::Key_Escape));
    showIdentity();
    showPolicy();
    showLastJob();
}

QString OverviewTab::title() const
{
    return tr("Overview");
}

} // namespace cairn::console
