#include "ServerCommands.h"

#include "BillingCommands.h"
#include "CalendarCommands.h"
#include "CommandLine.h"

#include "DataDir.h"
#include "api/ApiApplication.h"
#include "api/Provisioning.h"
#include "catalog/SqlCatalog.h"
#include "http/HttpFrontend.h"
#include "ops/GcService.h"
#include "ops/Mailer.h"
#include "ops/Operations.h"
#include "ops/TestClock.h"
#include "ops/Verifier.h"
#include "store/PackStore.h"
#include "store/StoreCapacity.h"
#include "tls/CertificateAuthority.h"
#include "tls/MasterKey.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QSettings>
#include <QThread>
#include <QSocketNotifier>
#include <QTextStream>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace cairn::server {

using namespace cli;

namespace {

const char kUsage[] =
    "usage: cairn-server <command> [options]\n"
    "  init --data DIR [--name HOST]... [--cert CHAIN.pem --key KEY.pem]\n"
    "      create the data folder: catalog, master key, pack store, TLS certificate\n"
    "  serve [--config FILE] [--data DIR] [--listen HOST:PORT] [--plain]\n"
    "      run the server (HTTPS; --plain only behind a TLS-terminating proxy)\n"
    "  tenant add NAME --data DIR [--time-zone ZONE] [--language ko|en]\n"
    "  user add LOGIN --data DIR (--tenant TENANT [--admin] | --operator) [--email ADDR]\n"
    "      the password is read from $CAIRN_PASSWORD or standard input\n"
    "  enrollment-code --data DIR --tenant TENANT [--days N]\n"
    "      print a single-use enrollment code and the certificate fingerprint agents pin\n"
    "  calendar due|add|remove|list --data DIR ...\n"
    "      restore tickets' business calendar: due times, days off (calendar --help)\n"
    "  billing statement|csv|prices --data DIR ...\n"
    "      monthly statements, the operators' CSV export and prices (billing --help)\n"
    "  gc --data DIR [--config FILE] [--tenant TENANT] [--grace-seconds N]\n"
    "      garbage collection now: free the space of data no snapshot needs (see docs)\n"
    "Default config file: /etc/cairn/server.conf (QSettings INI, see resources/server.conf).\n";

QByteArray readPassword()
{
    const QByteArray fromEnv = qgetenv("CAIRN_PASSWORD");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const bool tty = isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::fputs("password: ", stderr);
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QTextStream in(stdin);
    const QByteArray password = in.readLine().toUtf8();
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::fputs("\n", stderr);
    }
    return password;
}

int cmdInit(const QStringList &args)
{
    const Options o = parse(args, {QStringLiteral("data"), QStringLiteral("name"), QStringLiteral("cert"), QStringLiteral("key")}, {});
    if (!o.error.isEmpty() || !o.positional.isEmpty() || !o.has(QStringLiteral("data")))
        return fail(o.error.isEmpty() ? QStringLiteral("init needs --data DIR") : o.error, kExitUsage);
    if (o.has(QStringLiteral("cert")) != o.has(QStringLiteral("key")))
        return fail(QStringLiteral("--cert and --key go together"), kExitUsage);
    const DataDir dir{QDir(o.value(QStringLiteral("data"))).absolutePath()};
    if (QFileInfo::exists(dir.catalog()))
        return fail(QStringLiteral("%1 already holds a catalog; refusing to overwrite it").arg(dir.root));
    if (!QDir().mkpath(dir.root) || !QDir().mkpath(dir.tls()) || !QDir().mkpath(dir.packs()))
        return fail(QStringLiteral("cannot create %1").arg(dir.root));
    QFile::setPermissions(dir.root, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QFile::setPermissions(dir.tls(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    const TlsPaths serving = CertificateAuthorityFiles::serverPaths(dir.tls());
    if (o.has(QStringLiteral("cert"))) {
        auto given = loadServerTls({o.value(QStringLiteral("cert")), o.value(QStringLiteral("key"))});
        if (!given)
            return fail(given.error().message);
        if (!QFile::copy(o.value(QStringLiteral("cert")), serving.certificate)
            || !QFile::copy(o.value(QStringLiteral("key")), serving.privateKey))
            return fail(QStringLiteral("cannot copy the certificate into %1").arg(dir.tls()));
        QFile::setPermissions(serving.privateKey, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    } else {
        QStringList names = o.values.values(QStringLiteral("name"));
        std::reverse(names.begin(), names.end()); // QMultiHash returns the newest first
        if (names.isEmpty())
            names.append(QHostInfo::localHostName());
        if (Status s = createCertificateAuthority(dir.tls(), names); !s.ok())
            return fail(s.error().message);
    }
    if (auto key = MasterKey::create(dir.masterKey()); !key)
        return fail(key.error().message);
    auto catalog = SqlCatalog::open(dir.catalog(), SqlCatalog::OpenMode::CreateNew);
    if (!catalog)
        return fail(catalog.error().message);
    auto anchor = trustAnchor(serving.certificate);
    if (!anchor)
        return fail(anchor.error().message);
    print(QStringLiteral("Created the Cairn data folder %1 (catalog schema %2).\nCertificate fingerprint (SHA-256): %3\n")
              .arg(dir.root)
              .arg((*catalog)->schemaVersion())
              .arg(fingerprint(*anchor)));
    return kExitOk;
}

struct AdminSession {
    DataDir dir;
    std::unique_ptr<SqlCatalog> catalog;
    std::unique_ptr<TenantKeyring> keyring;
};

Result<AdminSession> openAdmin(const Options &o)
{
    if (!o.has(QStringLiteral("data")))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("--data DIR is required"));
    AdminSession s;
    s.dir = DataDir{QDir(o.value(QStringLiteral("data"))).absolutePath()};
    auto catalog = openCatalog(s.dir);
    if (!catalog)
        return catalog.error();
    auto key = MasterKey::load(s.dir.masterKey());
    if (!key)
        return key.error();
    s.catalog = std::move(catalog).value();
    s.keyring = std::make_unique<TenantKeyring>(*s.catalog, *key);
    crypto::secureZero(key->data(), key->size());
    return s;
}

// gc/* settings of server.conf (GcService.h); every bad value is refused naming its key.
Result<GcServiceSettings> gcServiceSettings(const QSettings &conf)
{
    GcServiceSettings g;
    const auto number = [&conf](const char *key, qint64 fallback, qint64 max) -> Result<qint64> {
        bool ok = true;
        const qint64 v = conf.value(QLatin1String(key), fallback).toLongLong(&ok);
        if (!ok || v < 0 || v > max)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 must be a number of seconds from 0 to %2").arg(QLatin1String(key)).arg(max));
        return v;
    };
    auto interval = number("gc/interval_seconds", g.intervalSeconds, 30LL * 86400);
    auto delay = number("gc/first_delay_seconds", g.firstDelaySeconds, 86400);
    auto grace = number("gc/grace_seconds", g.gc.graceSeconds, 30LL * 86400);
    if (!interval)
        return interval.error();
    if (!delay)
        return delay.error();
    if (!grace)
        return grace.error();
    g.intervalSeconds = *interval;
    g.firstDelaySeconds = *delay;
    g.gc.graceSeconds = *grace;
    return g;
}

// cairn-server gc --data DIR [--tenant NAME|ID] [--grace-seconds N]: one garbage collection now.
int cmdGc(const QStringList &args)
{
    const Options o = parse(args,
        {QStringLiteral("data"), QStringLiteral("config"), QStringLiteral("tenant"), QStringLiteral("grace-seconds")}, {});
    if (!o.error.isEmpty() || !o.positional.isEmpty())
        return fail(o.error.isEmpty()
                ? QStringLiteral("usage: gc --data DIR [--config FILE] [--tenant NAME] [--grace-seconds N]")
                : o.error,
            kExitUsage);
    auto admin = openAdmin(o);
    if (!admin)
        return fail(admin.error().message);
    // The server's settings: gc/grace_seconds, and its clock (testing/clock_file) so that a
    // collection compares times with the jobs the server recorded on that clock.
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
    GcSettings settings;
    if (o.has(QStringLiteral("config"))) {
        const QSettings conf(o.value(QStringLiteral("config")), QSettings::IniFormat);
        if (conf.status() != QSettings::NoError)
            return fail(QStringLiteral("cannot read %1").arg(o.value(QStringLiteral("config"))));
        auto fromConf = gcServiceSettings(conf);
        if (!fromConf)
            return fail(fromConf.error().message);
        settings = fromConf->gc;
        const QString clockFile = conf.value(QStringLiteral("testing/clock_file")).toString();
        if (!clockFile.isEmpty())
            now = fileClock(clockFile);
    }
    if (o.has(QStringLiteral("grace-seconds"))) {
        bool ok = false;
        settings.graceSeconds = o.value(QStringLiteral("grace-seconds")).toLongLong(&ok);
        if (!ok || settings.graceSeconds < 0)
            return fail(QStringLiteral("--grace-seconds must be a number of seconds (0 or more)"), kExitUsage);
    }
    std::optional<qint64> only;
    if (o.has(QStringLiteral("tenant"))) {
        auto t = findTenant(*admin->catalog, o.value(QStringLiteral("tenant")));
        if (!t)
            return fail(t.error().message);
        only = t->id;
    }
    LocalPackStore store(admin->dir.packs());
    int failures = 0;
    Status s = collectTenants(*admin->catalog, store, *admin->keyring, admin->dir.gcLock(), now, settings, only, [&](const Tenant &t, const Result<GcStats> &stats) {
            if (stats) {
                print(QStringLiteral("tenant %1 \"%2\": %3\n").arg(t.id).arg(t.name, describe(*stats)));
            } else {
                ++failures;
                std::fprintf(stderr, "cairn-server: tenant %lld \"%s\": %s\n", t.id, t.name.toLocal8Bit().constData(),
                    stats.error().message.toLocal8Bit().constData());
            }
        });
    if (!s.ok())
        return fail(s.error().message);
    return failures ? kExitFailure : kExitOk;
}

int cmdTenant(const QStringList &args)
{
    const Options o = parse(args, {QStringLiteral("data"), QStringLiteral("time-zone"), QStringLiteral("language")}, {});
    if (!o.error.isEmpty() || o.positional.size() != 2 || o.positional[0] != QLatin1String("add"))
        return fail(o.error.isEmpty() ? QStringLiteral("usage: tenant add NAME --data DIR") : o.error, kExitUsage);
    auto admin = openAdmin(o);
    if (!admin)
        return fail(admin.error().message);
    NewTenant spec;
    spec.name = o.positional[1];
    spec.timeZone = o.value(QStringLiteral("time-zone"), spec.timeZone);
    spec.language = o.value(QStringLiteral("language"), spec.language);
    auto t = createTenant(*admin->catalog, *admin->keyring, spec, QDateTime::currentDateTimeUtc());
    if (!t)
        return fail(t.error().message);
    print(QStringLiteral("tenant %1 \"%2\" created (time zone %3, language %4)\n").arg(t->id).arg(t->name, t->timeZone, t->language));
    return kExitOk;
}

int cmdUser(const QStringList &args)
{
    const Options o = parse(args, {QStringLiteral("data"), QStringLiteral("tenant"), QStringLiteral("email"), QStringLiteral("display-name")},
                            {QStringLiteral("admin"), QStringLiteral("operator")});
    if (!o.error.isEmpty() || o.positional.size() != 2 || o.positional[0] != QLatin1String("add"))
        return fail(o.error.isEmpty() ? QStringLiteral("usage: user add LOGIN --data DIR (--tenant T [--admin] | --operator)") : o.error, kExitUsage);
    const bool op = o.has(QStringLiteral("operator"));
    if (op == o.has(QStringLiteral("tenant")) || (op && o.has(QStringLiteral("admin"))))
        return fail(QStringLiteral("give either --tenant T [--admin] or --operator"), kExitUsage);
    auto admin = openAdmin(o);
    if (!admin)
        return fail(admin.error().message);
    NewUser spec;
    spec.login = o.positional[1];
    spec.role = op ? Role::Operator : (o.has(QStringLiteral("admin")) ? Role::Admin : Role::Member);
    spec.email = o.value(QStringLiteral("email"));
    spec.displayName = o.value(QStringLiteral("display-name"));
    if (!op) {
        auto t = findTenant(*admin->catalog, o.value(QStringLiteral("tenant")));
        if (!t)
            return fail(t.error().message);
        spec.tenantId = t->id;
    }
    spec.password = readPassword();
    auto u = createUser(*admin->catalog, spec, QDateTime::currentDateTimeUtc());
    crypto::secureZero(spec.password.data(), size_t(spec.password.size()));
    if (!u)
        return fail(u.error().message);
    print(QStringLiteral("user %1 \"%2\" created (%3)\n").arg(u->id).arg(u->login, QLatin1String(roleName(u->role))));
    return kExitOk;
}

int cmdEnrollmentCode(const QStringList &args)
{
    const Options o = parse(args, {QStringLiteral("data"), QStringLiteral("tenant"), QStringLiteral("days")}, {});
    if (!o.error.isEmpty() || !o.positional.isEmpty() || !o.has(QStringLiteral("tenant")))
        return fail(o.error.isEmpty() ? QStringLiteral("usage: enrollment-code --data DIR --tenant TENANT [--days N]") : o.error, kExitUsage);
    bool ok = true;
    const int days = o.value(QStringLiteral("days"), QStringLiteral("7")).toInt(&ok);
    if (!ok || days < 1 || days > 90)
        return fail(QStringLiteral("--days must be 1 to 90"), kExitUsage);
    auto admin = openAdmin(o);
    if (!admin)
        return fail(admin.error().message);
    auto t = findTenant(*admin->catalog, o.value(QStringLiteral("tenant")));
    if (!t)
        return fail(t.error().message);
    auto anchor = trustAnchor(CertificateAuthorityFiles::serverPaths(admin->dir.tls()).certificate);
    if (!anchor)
        return fail(anchor.error().message);
    auto code = createEnrollmentCode(*admin->catalog, t->id, qint64(days) * 24 * 3600 * 1000, QDateTime::currentDateTimeUtc());
    if (!code)
        return fail(code.error().message);
    print(QStringLiteral("code:        %1\nexpires:     %2\nfingerprint: %3\n")
              .arg(code->code, code->expiresAt.toString(Qt::ISODate), fingerprint(*anchor)));
    return kExitOk;
}

int g_signalPipe[2] = {-1, -1};
void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &c, 1);
}

int cmdServe(const QStringList &args)
{
    const Options o = parse(args, {QStringLiteral("config"), QStringLiteral("data"), QStringLiteral("listen")}, {QStringLiteral("plain")});
    if (!o.error.isEmpty() || !o.positional.isEmpty())
        return fail(o.error.isEmpty() ? QStringLiteral("serve takes no positional arguments") : o.error, kExitUsage);
    QString configPath = o.value(QStringLiteral("config"));
    if (configPath.isEmpty() && QFileInfo::exists(QStringLiteral("/etc/cairn/server.conf")))
        configPath = QStringLiteral("/etc/cairn/server.conf");
    if (!configPath.isEmpty() && !QFileInfo(configPath).isReadable())
        return fail(QStringLiteral("cannot read the config file %1").arg(configPath));
    QSettings conf(configPath.isEmpty() ? QStringLiteral("/dev/null") : configPath, QSettings::IniFormat);
    if (conf.status() != QSettings::NoError)
        return fail(QStringLiteral("the config file %1 is not valid INI").arg(configPath));

    const DataDir dir{QDir(o.value(QStringLiteral("data"), conf.value(QStringLiteral("server/data"), QStringLiteral("/var/lib/cairn-server")).toString())).absolutePath()};
    const QString listen = o.value(QStringLiteral("listen"), conf.value(QStringLiteral("server/listen"), QStringLiteral("0.0.0.0:8443")).toString());
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const int port = listen.mid(colon + 1).toInt(&portOk);
    QString host = listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (colon <= 0 || !portOk || port < 0 || port > 65535 || address.isNull())
        return fail(QStringLiteral("--listen must be ADDRESS:PORT, e.g. 0.0.0.0:8443 or [::1]:8443, not \"%1\"").arg(listen), kExitUsage);
    const bool plain = o.has(QStringLiteral("plain")) || conf.value(QStringLiteral("tls/plain"), false).toBool();

    // The process holds every tenant's keys: keep them out of core dumps and away from ptrace.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    auto catalog = openCatalog(dir);
    if (!catalog)
        return fail(catalog.error().message);
    auto key = MasterKey::load(dir.masterKey());
    if (!key)
        return fail(key.error().message);
    TenantKeyring keyring(**catalog, *key);
    crypto::secureZero(key->data(), key->size());
    LocalPackStore store(dir.packs());
    LoginThrottle throttle;

    ServerSettings settings;
    settings.sessionLifetimeMs = conf.value(QStringLiteral("session/lifetime_seconds"),
                                            conf.value(QStringLiteral("session/lifetime_hours"), 12).toLongLong() * 3600)
                                     .toLongLong()
                                 * 1000;
    for (const QString &proxy : conf.value(QStringLiteral("server/trusted_proxies")).toStringList()) {
        const QHostAddress a(proxy.trimmed());
        if (a.isNull())
            return fail(QStringLiteral("server/trusted_proxies: \"%1\" is not an IP address").arg(proxy));
        settings.trustedProxies.append(a);
    }
    bool offsetOk = false;
    settings.scheduleMaxOffsetSeconds = conf.value(QStringLiteral("schedule/max_offset_seconds"), 3600).toLongLong(&offsetOk);
    if (!offsetOk || settings.scheduleMaxOffsetSeconds < 0 || settings.scheduleMaxOffsetSeconds > 3600)
        return fail(QStringLiteral("schedule/max_offset_seconds must be a number of seconds from 0 to 3600"));
    if (conf.contains(QStringLiteral("schedule/test_offset_seconds"))) {
        const qint64 fixed = conf.value(QStringLiteral("schedule/test_offset_seconds")).toLongLong(&offsetOk);
        if (!offsetOk || fixed < 0 || fixed > 3599)
            return fail(QStringLiteral("schedule/test_offset_seconds must be a number of seconds from 0 to 3599"));
        settings.scheduleTestOffsetSeconds = fixed;
        std::fprintf(stderr, "cairn-server: schedule/test_offset_seconds=%lld: every server starts its scheduled "
                             "backups at the same offset (for tests and demos only)\n",
                     static_cast<long long>(fixed));
    }
    TlsPaths tlsPaths = CertificateAuthorityFiles::serverPaths(dir.tls());
    tlsPaths.certificate = conf.value(QStringLiteral("tls/certificate"), tlsPaths.certificate).toString();
    tlsPaths.privateKey = conf.value(QStringLiteral("tls/key"), tlsPaths.privateKey).toString();
    std::optional<QSslConfiguration> tls;
    if (!plain) {
        auto loaded = loadServerTls(tlsPaths);
        if (!loaded)
            return fail(loaded.error().message);
        tls = *loaded;
        auto anchor = trustAnchor(tlsPaths.certificate);
        if (!anchor)
            return fail(anchor.error().message);
        settings.trustAnchorPem = anchor->toPem();
        settings.trustFingerprint = fingerprint(*anchor);
    }
    // testing/capacity_file: the store's fill level read from a file (store/StoreCapacity.h).
    const QString capacityFile = conf.value(QStringLiteral("testing/capacity_file")).toString();
    CapacityOverrideStore capacityStore(store, capacityFile);
    if (!capacityFile.isEmpty())
        std::fprintf(stderr, "cairn-server: testing/capacity_file=%s: the store's capacity follows that file (for tests only)\n",
                     capacityFile.toLocal8Bit().constData());
    ServerContext context{**catalog, capacityFile.isEmpty() ? static_cast<PackStore &>(store) : capacityStore, keyring,
                          throttle, settings};
    const QString clockFile = conf.value(QStringLiteral("testing/clock_file")).toString();
    if (!clockFile.isEmpty()) {
        // Whoever can write the file sets the server's clock (sessions, codes, schedules).
        const QFileInfo clockDir(QFileInfo(clockFile).absolutePath());
        if (!clockDir.isDir() || (clockDir.permissions() & (QFileDevice::WriteGroup | QFileDevice::WriteOther)))
            return fail(QStringLiteral("testing/clock_file must be in an existing folder only its owner can write "
                                       "(not %1)")
                            .arg(clockDir.absoluteFilePath()));
        context.now = fileClock(clockFile);
        std::fprintf(stderr, "cairn-server: testing/clock_file=%s: the server's clock follows that file (for tests only)\n",
                     clockFile.toLocal8Bit().constData());
    }
    OperationsSettings opsSettings;
    opsSettings.tickSeconds = conf.value(QStringLiteral("operations/tick_seconds"), opsSettings.tickSeconds).toInt(&offsetOk);
    if (!offsetOk || opsSettings.tickSeconds < 1 || opsSettings.tickSeconds > 3600)
        return fail(QStringLiteral("operations/tick_seconds must be a number of seconds from 1 to 3600"));
    auto gcSettings = gcServiceSettings(conf);
    if (!gcSettings)
        return fail(gcSettings.error().message);
    auto mailSettings = mailerSettings(conf);
    if (!mailSettings)
        return fail(mailSettings.error().message);
    ApiApplication app(context);

    HttpLimits limits;
    limits.workerThreads = conf.value(QStringLiteral("limits/worker_threads"), limits.workerThreads).toInt();
    limits.maxConnections = conf.value(QStringLiteral("limits/max_connections"), limits.maxConnections).toInt();
    limits.headerTimeoutMs = conf.value(QStringLiteral("limits/header_timeout_ms"), limits.headerTimeoutMs).toInt();
    limits.idleTimeoutMs = conf.value(QStringLiteral("limits/idle_timeout_ms"), limits.idleTimeoutMs).toInt();
    limits.minBodyBytesPerSecond = std::clamp<qint64>(conf.value(QStringLiteral("limits/min_body_rate_kib"), 16).toLongLong(), 0, 1 << 20) * 1024;
    // Bodies in flight (packs mostly); QtHttpServer may hold up to three copies of each.
    limits.maxBufferedBodyBytes = conf.value(QStringLiteral("limits/max_buffered_body_mb"), 128).toLongLong() << 20;
    HttpFrontend frontend(app, limits);
    auto bound = frontend.listen(address, quint16(port), tls);
    if (!bound)
        return fail(bound.error().message);

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return fail(QStringLiteral("cannot set up signal handling"));
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [] { QCoreApplication::quit(); });
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    std::signal(SIGPIPE, SIG_IGN);

    // Housekeeping off the network thread: temporaries left by a crash mid-upload, expired sessions.
    QTimer housekeeping;
    const auto tidy = [&context, &store] {
        (void)QtConcurrent::run([&context, &store] {
            if (Status s = store.removeStaleTemporaries(); !s.ok())
                std::fprintf(stderr, "cairn-server: %s\n", s.error().message.toLocal8Bit().constData());
            (void)context.catalog.removeExpiredSessions(context.now());
        });
    };
    QObject::connect(&housekeeping, &QTimer::timeout, qApp, tidy);
    housekeeping.start(10 * 60 * 1000);
    tidy();

    // Schedules, missed and late runs (ops/Operations.h) on their own thread.
    QThread opsThread;
    Operations operations(context.catalog, context.store, context.settings, context.now, opsSettings);
    operations.moveToThread(&opsThread);
    QObject::connect(&opsThread, &QThread::started, &operations, &Operations::start);
    opsThread.start();

    // Garbage collection (ops/GcService.h) on its own thread: a collection may take minutes.
    QThread gcThread;
    GcService gc(context.catalog, context.store, context.keyring, dir.gcLock(), context.now, *gcSettings);
    gc.moveToThread(&gcThread);
    QObject::connect(&gcThread, &QThread::started, &gc, &GcService::start);
    gcThread.start();

    // Failure mails, daily reports and the outbox (ops/Mailer.h) on their own thread: SMTP blocks.
    QThread mailThread;
    Mailer mailer(context.catalog, context.now, *mailSettings);
    mailer.moveToThread(&mailThread);
    QObject::connect(&mailThread, &QThread::started, &mailer, &Mailer::start);
    mailThread.start();

    // Verify runs operators request (ops/Verifier.h) on their own thread: a run reads every pack.
    Verifier verifier(context.catalog, context.store, context.now);
    verifier.start();

    const QString shownHost = address.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(host) : host;
    print(QStringLiteral("cairn-server %1: listening on %2://%3:%4 (data %5)\n")
              .arg(QStringLiteral(CAIRN_VERSION), plain ? QStringLiteral("http") : QStringLiteral("https"), shownHost)
              .arg(*bound)
              .arg(dir.root));
    const int rc = QCoreApplication::exec();
    print(QStringLiteral("cairn-server: stopping\n"));
    housekeeping.stop();
    QMetaObject::invokeMethod(&operations, &Operations::stop, Qt::BlockingQueuedConnection);
    opsThread.quit();
    opsThread.wait();
    QMetaObject::invokeMethod(&gc, &GcService::stop, Qt::BlockingQueuedConnection);
    gcThread.quit();
    gcThread.wait();
    QMetaObject::invokeMethod(&mailer, &Mailer::stop, Qt::BlockingQueuedConnection);
    mailThread.quit();
    mailThread.wait();
    verifier.stop();
    QThreadPool::globalInstance()->waitForDone();
    return rc;
}

} // namespace

int runServerCommand(const QStringList &arguments)
{
    if (arguments.isEmpty() || arguments[0] == QLatin1String("--help") || arguments[0] == QLatin1String("help")) {
        std::fputs(kUsage, arguments.isEmpty() ? stderr : stdout);
        return arguments.isEmpty() ? kExitUsage : kExitOk;
    }
    const QString command = arguments[0];
    const QStringList rest = arguments.mid(1);
    if (command == QLatin1String("init"))
        return cmdInit(rest);
    if (command == QLatin1String("serve"))
        return cmdServe(rest);
    if (command == QLatin1String("tenant"))
        return cmdTenant(rest);
    if (command == QLatin1String("user"))
        return cmdUser(rest);
    if (command == QLatin1String("enrollment-code"))
        return cmdEnrollmentCode(rest);
    if (command == QLatin1String("calendar"))
        return cmdCalendar(rest);
    if (command == QLatin1String("billing"))
        return cmdBilling(rest);
    if (command == QLatin1String("gc"))
        return cmdGc(rest);
    if (command == QLatin1String("--version") || command == QLatin1String("version")) {
        print(QStringLiteral("cairn-server %1\n").arg(QStringLiteral(CAIRN_VERSION)));
        return kExitOk;
    }
    std::fprintf(stderr, "cairn-server: unknown command \"%s\"\n%s", command.toLocal8Bit().constData(), kUsage);
    return kExitUsage;
}

} // namespace cairn::server
