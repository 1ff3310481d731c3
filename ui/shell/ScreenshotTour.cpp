// ScreenshotTour: once the window has logged in, it looks up what the pictures need (a server, a
// finished run, a restore ticket), then shows the console's main views one after another. For
// each view it waits until no request is in flight for a short settle time (the page's data has
// arrived and been painted), grabs the window (QWidget::grab) and saves
// DIR/<view>-<suffix>.png. Customers' views are taken for every login; the operator's views
// (ticket queue with a ticket open, tenants, calendar, pricing, all billing, audit, health) when
// the user is an operator. It quits with exit code 0, or 1 with a message on stderr when the login
// failed, a view could not be shown, its data never arrived or a file could not be written.
// A page showing an error banner is saved anyway and reported as a warning. GUI thread.
#include "shell/ScreenshotTour.h"

#include "shell/LoginPage.h"
#include "shell/MainWindow.h"
#include "shell/Page.h"
#include "user/ServerPage.h"
#include "widgets/MessageBanner.h"

#include "operator/TicketQueuePage.h"
#include "user/MyTicketsPage.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QPixmap>
#include <QPointer>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace cairn::console {

namespace {

constexpr int kSettleMs = 700; // no request in flight for this long: the data is shown
constexpr int kViewTimeoutMs = 30000; // a view whose requests never end fails the tour
constexpr int kLoginTimeoutMs = 60000;
constexpr int kPollMs = 50;

QJsonArray itemsOf(const QJsonValue &answer)
{
    return answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray();
}

class Tour : public QObject {
public:
    Tour(MainWindow *window, const QString &directory, const QString &suffix)
        : QObject(window), m_window(window), m_dir(directory), m_suffix(suffix)
    {
        connect(window->loginPage(), &LoginPage::loginSucceeded, this,
            [this] { QTimer::singleShot(0, this, [this] { discover(); }); });
        m_loginTimer.setSingleShot(true);
        connect(&m_loginTimer, &QTimer::timeout, this, [this] {
            QString why;
            if (auto *b = m_window->loginPage()->findChild<MessageBanner *>(); b && !b->text().isEmpty())
                why = QStringLiteral(": ") + b->text();
            fail(QStringLiteral("the login did not succeed within %1 s%2").arg(kLoginTimeoutMs / 1000).arg(why));
        });
        m_loginTimer.start(kLoginTimeoutMs);
        m_poll.setInterval(kPollMs);
        connect(&m_poll, &QTimer::timeout, this, &Tour::poll);
    }

private:
    struct Step {
        QString name;
        std::function<bool()> show; // false: the view is not available
    };

    ApiClient *api() const
    {
        const Page *page = m_window->findChild<Page *>();
        return page ? page->api() : nullptr;
    }

    // What the pictures need, fetched before the first view: the first server, its latest
    // finished backup, a restore ticket (the tenant's, or for operators the queue's first).
    void discover()
    {
        m_loginTimer.stop();
        if (!QDir().mkpath(m_dir)) {
            fail(QStringLiteral("cannot create %1").arg(m_dir));
            return;
        }
        m_window->resize(1280, 800);
        ApiClient *client = api();
        if (!client) {
            fail(QStringLiteral("the window has no pages"));
            return;
        }
        m_operator = client->user().isOperator();
        if (m_operator) {
            client->get(QStringLiteral("/operator/ticket-queue"), {}, ApiClient::Scope::Global)
                ->then(
                    this,
                    [this](const QJsonValue &answer) {
                        const QJsonArray items = itemsOf(answer);
                        if (!items.isEmpty()) {
                            m_ticket = items.first()[QLatin1String("id")].toInteger();
                            m_ticketTenant = items.first()[QLatin1String("tenant")].toInteger();
                        }
                        waitForTenantThenServers();
                    },
                    [this](const ApiError &e) {
                        warn(QStringLiteral("ticket queue: %1").arg(errorSentence(e)));
                        waitForTenantThenServers();
                    });
        } else {
            discoverServers();
        }
    }

    // An operator's tenant views need the tenant selector filled (MainWindow does it at login).
    void waitForTenantThenServers()
    {
        QElapsedTimer clock;
        clock.start();
        auto *check = new QTimer(this);
        connect(check, &QTimer::timeout, this, [this, check, clock] {
            if (api()->tenantScope() || clock.elapsed() > 10000) {
                check->deleteLater();
                discoverServers();
            }
        });
        check->start(kPollMs);
    }

    void discoverServers()
    {
        if (m_operator && !api()->tenantScope()) {
            buildSteps();
            return;
        }
        api()
            ->get(QStringLiteral("/servers"))
            ->then(
                this,
                [this](const QJsonValue &answer) {
                    const QJsonArray servers = itemsOf(answer);
                    if (!servers.isEmpty())
                        m_server = servers.first()[QLatin1String("id")].toInteger();
                    discoverJobAndTicket();
                },
                [this](
                    const ApiError &e) { fail(QStringLiteral("cannot list the servers: %1").arg(errorSentence(e))); });
    }

    void discoverJobAndTicket()
    {
        if (m_server <= 0) {
            warn(QStringLiteral("the tenant has no server: the server pages are left out"));
            discoverTicket();
            return;
        }
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("server"), QString::number(m_server));
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("20"));
        api()
            ->get(QStringLiteral("/jobs"), q)
            ->then(
                this,
                [this](const QJsonValue &answer) {
                    for (const QJsonValue &v : itemsOf(answer)) {
                        const QString state = v[QLatin1String("state")].toString();
                        if (state != QLatin1String("pending") && state != QLatin1String("running")) {
                            m_job = v[QLatin1String("id")].toInteger();
                            break;
                        }
                    }
                    discoverTicket();
                },
                [this](const ApiError &e) {
                    warn(QStringLiteral("jobs: %1").arg(errorSentence(e)));
                    discoverTicket();
                });
    }

    void discoverTicket()
    {
        if (m_operator) {
            buildSteps();
            return;
        }
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
        api()
            ->get(QStringLiteral("/restore-tickets"), q)
            ->then(
                this,
                [this](const QJsonValue &answer) {
                    const QJsonArray items = itemsOf(answer);
                    if (!items.isEmpty()) {
                        m_ticket = items.first()[QLatin1String("id")].toInteger();
                        m_ticketTenant = items.first()[QLatin1String("tenant")].toInteger();
                    }
                    buildSteps();
                },
                [this](const ApiError &e) {
                    warn(QStringLiteral("tickets: %1").arg(errorSentence(e)));
                    buildSteps();
                });
    }

    void buildSteps()
    {
        MainWindow *w = m_window;
        auto page = [w](const char *name) { return [w, name] { return w->showPage(QLatin1String(name)); }; };
        if (m_operator) {
            m_steps.append({QStringLiteral("ticket-queue"), [this, w] {
                                if (!w->showPage(QStringLiteral("ticketQueuePage")))
                                    return false;
                                if (m_ticket > 0)
                                    w->findChild<TicketQueuePage *>()->showTicket(m_ticket, m_ticketTenant);
                                return true;
                            }});
            m_steps.append({QStringLiteral("health"), page("healthPage")});
            m_steps.append({QStringLiteral("tenants"), page("tenantsPage")});
            m_steps.append({QStringLiteral("calendar"), page("calendarPage")});
            m_steps.append({QStringLiteral("pricing"), page("pricingPage")});
            m_steps.append({QStringLiteral("all-billing"), page("allBillingPage")});
            m_steps.append({QStringLiteral("audit"), page("auditPage")});
            if (api()->tenantScope())
                m_steps.append({QStringLiteral("operator-dashboard"), page("dashboardPage")});
        } else {
            m_steps.append({QStringLiteral("dashboard"), page("dashboardPage")});
            if (m_server > 0) {
                const qint64 id = m_server;
                auto tab = [w, id](int index) {
                    return [w, id, index] {
                        w->openServer(id, index);
                        return true;
                    };
                };
                m_steps.append({QStringLiteral("server-overview"), tab(Page::OverviewTabIndex)});
                m_steps.append({QStringLiteral("server-policy"), tab(Page::PolicyTabIndex)});
                m_steps.append({QStringLiteral("server-history"), tab(Page::HistoryTabIndex)});
                if (m_job > 0) {
                    const qint64 job = m_job;
                    m_steps.append({QStringLiteral("server-run-detail"), [w, id, job] {
                                        w->openJob(id, job);
                                        return true;
                                    }});
                }
                m_steps.append({QStringLiteral("server-restore"), tab(Page::RestoreTabIndex)});
            }
            m_steps.append({QStringLiteral("my-tickets"), [this, w] {
                                if (!w->showPage(QStringLiteral("myTicketsPage")))
                                    return false;
                                if (m_ticket > 0)
                                    w->findChild<MyTicketsPage *>()->showTicket(m_ticket, m_ticketTenant);
                                return true;
                            }});
            m_steps.append({QStringLiteral("billing"), page("billingPage")});
            if (api()->user().isAdmin())
                m_steps.append({QStringLiteral("recipients"), page("recipientsPage")});
        }
        next();
    }

    void next()
    {
        if (m_index >= m_steps.size()) {
            finish();
            return;
        }
        const Step &step = m_steps[m_index];
        if (!step.show()) {
            fail(QStringLiteral("%1: the view is not available to this user").arg(step.name));
            return;
        }
        m_viewClock.start();
        m_quietClock.invalidate();
        m_poll.start();
    }

    void poll()
    {
        if (api()->requestsInFlight() > 0) {
            m_quietClock.invalidate();
        } else if (!m_quietClock.isValid()) {
            m_quietClock.start();
        } else if (m_quietClock.elapsed() >= kSettleMs) {
            m_poll.stop();
            capture();
            return;
        }
        if (m_viewClock.elapsed() > kViewTimeoutMs) {
            m_poll.stop();
            fail(QStringLiteral("%1: its requests did not finish within %2 s")
                     .arg(m_steps[m_index].name)
                     .arg(kViewTimeoutMs / 1000));
        }
    }

    void capture()
    {
        const Step &step = m_steps[m_index];
        if (Page *p = m_window->currentPage()) {
            for (MessageBanner *b : p->findChildren<MessageBanner *>()) {
                if (b->isVisible() && b->isError())
                    warn(QStringLiteral("%1: the page shows an error: %2").arg(step.name, b->text()));
            }
        }
        const QString file = QDir(m_dir).filePath(QStringLiteral("%1-%2.png").arg(step.name, m_suffix));
        if (!m_window->grab().save(file, "PNG")) {
            fail(QStringLiteral("cannot write %1").arg(file));
            return;
        }
        std::fprintf(stdout, "%s\n", qPrintable(file));
        std::fflush(stdout);
        ++m_index;
        QTimer::singleShot(0, this, [this] { next(); });
    }

    void warn(const QString &text)
    {
        std::fprintf(stderr, "cairn-console: screenshots: warning: %s\n", qPrintable(text));
    }

    void fail(const QString &text)
    {
        std::fprintf(stderr, "cairn-console: screenshots: %s\n", qPrintable(text));
        QCoreApplication::exit(1);
    }

    void finish()
    {
        std::fprintf(stderr, "cairn-console: screenshots: %lld views saved in %s\n",
            static_cast<long long>(m_steps.size()), qPrintable(m_dir));
        QCoreApplication::exit(0);
    }

    MainWindow *m_window;
    QString m_dir;
    QString m_suffix;
    QTimer m_loginTimer;
    QTimer m_poll;
    QElapsedTimer m_viewClock;
    QElapsedTimer m_quietClock;
    QList<Step> m_steps;
    int m_index = 0;
    bool m_operator = false;
    qint64 m_server = 0;
    qint64 m_job = 0;
    qint64 m_ticket = 0;
    qint64 m_ticketTenant = 0;
};

} // namespace

void startScreenshotTour(MainWindow *window, const QString &directory, const QString &suffix)
{
    new Tour(window, directory, suffix);
}

} // namespace cairn::console
