// The verifier (see Verifier.h). Its own thread.
#include "ops/Verifier.h"

#include "crypto/Crypto.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <cstdio>

namespace cairn::server {

namespace {

constexpr int kPacksPerQuery = 200;
constexpr qint64 kSaveEveryMs = 1000;

qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

} // namespace

Verifier::Verifier(Catalog &catalog, PackStore &store, std::function<QDateTime()> now, int pollMs, QObject *parent)
    : QThread(parent), m_catalog(catalog), m_store(store), m_now(std::move(now)), m_pollMs(std::max(100, pollMs))
{
}

Verifier::~Verifier()
{
    stop();
}

void Verifier::stop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    wait();
}

void Verifier::run()
{
    while (!m_stopping) {
        runPending();
        std::unique_lock<std::mutex> lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(m_pollMs), [this] { return m_stopping.load(); });
    }
}

int Verifier::runPending()
{
    auto runs = m_catalog.unfinishedVerifyRuns();
    if (!runs) {
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(runs.error().message));
        return 0;
    }
    int finished = 0;
    for (const VerifyRun &r : *runs) {
        if (m_stopping)
            break;
        verify(r);
        if (!m_stopping)
            ++finished;
    }
    return finished;
}

void Verifier::verify(VerifyRun run)
{
    // Taken up from the start: what an interrupted pass found is found again.
    run.packs = run.bytes = run.problems = 0;
    run.findings = QJsonArray();
    QList<qint64> tenants;
    if (run.tenantId) {
        tenants.append(*run.tenantId);
    } else {
        auto all = m_catalog.tenants();
        if (!all) {
            std::fprintf(stderr, "cairn-server: verify run %lld: %s\n", static_cast<long long>(run.id),
                qPrintable(all.error().message));
            return; // tried again at the next poll
        }
        for (const Tenant &t : *all)
            tenants.append(t.id);
    }
    for (qint64 tenant : tenants) {
        if (!verifyTenant(run, tenant))
            return;
    }
    run.finishedAt = m_now();
    saveProgress(run, true);
    AuditEntry e;
    e.at = *run.finishedAt;
    e.tenantId = run.tenantId;
    e.action = QStringLiteral("verify.finished");
    e.object = QStringLiteral("verify:%1").arg(run.id);
    e.detail = QJsonObject {{QStringLiteral("packs"), run.packs}, {QStringLiteral("bytes"), run.bytes},
        {QStringLiteral("problems"), run.problems}};
    e.peer = QStringLiteral("server");
    if (Status s = m_catalog.addAudit(e); !s.ok())
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(s.error().message));
    std::fprintf(stderr, "cairn-server: verify run %lld finished: %lld packs, %lld bytes, %lld problems\n",
        static_cast<long long>(run.id), static_cast<long long>(run.packs), static_cast<long long>(run.bytes),
        static_cast<long long>(run.problems));
    emit runFinished(run.id, run.problems);
}

// False if the run must stop (stopping, or a catalog error: it is tried again later).
bool Verifier::verifyTenant(VerifyRun &run, qint64 tenantId)
{
    auto backend = m_store.tenant(tenantId);
    if (!backend) {
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(backend.error().message));
        return false;
    }
    PackId after;
    for (;;) {
        auto packs = m_catalog.packsToVerify(tenantId, after, kPacksPerQuery);
        if (!packs) {
            std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(packs.error().message));
            return false;
        }
        for (const PackRecord &p : *packs) {
            if (m_stopping)
                return false;
            checkPack(run, tenantId, **backend, p);
            saveProgress(run, false);
        }
        if (packs->size() < kPacksPerQuery)
            break;
        after = packs->last().id;
    }
    return checkStrayFiles(run, tenantId, **backend);
}

// Files in the pack folder that the catalog does not know. One whose bytes hash to its name is
// what an upload interrupted between the file and its catalog row leaves (the agent's retry
// indexes it): no damage. One that does not is a misnamed or copied file ("misnamed").
bool Verifier::checkStrayFiles(VerifyRun &run, qint64 tenantId, Backend &backend)
{
    std::vector<FileInfo> files;
    if (Status s = backend.list(FileType::Pack, [&](const FileInfo &f) { files.push_back(f); }); !s.ok()) {
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(s.error().message));
        return false;
    }
    for (const FileInfo &f : files) {
        if (m_stopping)
            return false;
        const auto id = PackId::fromHex(f.name);
        if (!id)
            continue;
        auto known = m_catalog.pack(tenantId, *id);
        if (!known) {
            std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(known.error().message));
            return false;
        }
        if (*known)
            continue;
        PackRecord stray;
        stray.id = *id;
        stray.size = f.size;
        auto digest = hashFile(run, tenantId, backend, stray, f.size);
        if (digest && *digest != id->toByteArray())
            addFinding(run, tenantId, stray, QStringLiteral("misnamed"), f.size,
                QStringLiteral("a file the catalog does not know whose SHA-256 is %1, not its name")
                    .arg(QString::fromLatin1(digest->toHex())));
        saveProgress(run, false);
    }
    // Snapshot records the catalog does not list: a lost catalog row (the snapshot no longer shows
    // anywhere), or a commit or expiry a crash interrupted. Either way an operator should look.
    std::vector<FileInfo> records;
    if (Status s = backend.list(FileType::Snapshot, [&](const FileInfo &f) { records.push_back(f); }); !s.ok()) {
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(s.error().message));
        return false;
    }
    for (const FileInfo &f : records) {
        const auto id = SnapshotId::fromHex(f.name);
        if (!id)
            continue;
        auto known = m_catalog.snapshot(tenantId, *id);
        if (known)
            continue;
        if (known.error().code != ErrorCode::NotFound) {
            std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(known.error().message));
            return false;
        }
        recordFinding(run, tenantId, QStringLiteral("snapshot:%1").arg(f.name),
            QJsonObject {{QStringLiteral("tenant"), tenantId}, {QStringLiteral("snapshot"), f.name},
                {QStringLiteral("problem"), QStringLiteral("uncatalogued")},
                {QStringLiteral("actual_size"), f.size},
                {QStringLiteral("detail"),
                    QStringLiteral("the store holds this snapshot record but the catalog does not list it")}});
    }
    return true;
}

// The SHA-256 of a pack file read in kReadSize pieces; nullopt (with an "unreadable" finding, or
// when stopping) if it cannot be read whole.
std::optional<QByteArray> Verifier::hashFile(
    VerifyRun &run, qint64 tenantId, Backend &backend, const PackRecord &pack, qint64 size)
{
    const Handle h {FileType::Pack, pack.id.toHex()};
    crypto::Sha256 hash;
    for (qint64 offset = 0; offset < size;) {
        if (m_stopping)
            return std::nullopt;
        const qint64 length = std::min(kReadSize, size - offset);
        auto bytes = backend.load(h, offset, length);
        if (!bytes || bytes->size() != length) {
            addFinding(run, tenantId, pack, QStringLiteral("unreadable"), size,
                bytes ? QStringLiteral("a read at %1 came back short").arg(offset) : bytes.error().message);
            return std::nullopt;
        }
        hash.update(bytes->constData(), size_t(bytes->size()));
        offset += length;
        run.bytes += length;
    }
    const crypto::Digest digest = hash.finish();
    return QByteArray(reinterpret_cast<const char *>(digest.data()), int(digest.size()));
}

void Verifier::checkPack(VerifyRun &run, qint64 tenantId, Backend &backend, const PackRecord &pack)
{
    const Handle h {FileType::Pack, pack.id.toHex()};
    auto info = backend.stat(h);
    if (!info && info.error().code == ErrorCode::NotFound) {
        // Garbage collection may have deleted it since it was listed: that is no damage.
        auto now = m_catalog.pack(tenantId, pack.id);
        if (now && (!*now || (*now)->deletedAt))
            return;
    }
    ++run.packs;
    if (!info) {
        if (info.error().code == ErrorCode::NotFound)
            addFinding(run, tenantId, pack, QStringLiteral("missing"), -1,
                QStringLiteral("the pack's file is not in the store"));
        else
            addFinding(run, tenantId, pack, QStringLiteral("unreadable"), -1, info.error().message);
        return;
    }
    if (info->size != pack.size) {
        addFinding(run, tenantId, pack, QStringLiteral("size"), info->size,
            QStringLiteral("the file has %1 bytes, the catalog says %2").arg(info->size).arg(pack.size));
        return;
    }
    const auto raw = hashFile(run, tenantId, backend, pack, info->size);
    if (!raw)
        return;
    if (*raw != pack.id.toByteArray())
        addFinding(run, tenantId, pack, QStringLiteral("hash"), info->size,
            QStringLiteral("the SHA-256 of the file is %1, not the pack's id").arg(QString::fromLatin1(raw->toHex())));
}

constexpr qsizetype kMaxKeptFindings = 1000;

void Verifier::addFinding(VerifyRun &run, qint64 tenantId, const PackRecord &pack, const QString &problem,
    qint64 actualSize, const QString &detail)
{
    QJsonObject f {{QStringLiteral("tenant"), tenantId}, {QStringLiteral("pack"), pack.id.toHex()},
        {QStringLiteral("problem"), problem}, {QStringLiteral("expected_size"), pack.size},
        {QStringLiteral("actual_size"), actualSize >= 0 ? QJsonValue(actualSize) : QJsonValue()},
        {QStringLiteral("condemned"), bool(pack.condemnedAt)}, {QStringLiteral("detail"), detail}};
    recordFinding(run, tenantId, QStringLiteral("pack:%1").arg(pack.id.toHex()), f);
}

void Verifier::recordFinding(VerifyRun &run, qint64 tenantId, const QString &object, const QJsonObject &f)
{
    // The run keeps the first kMaxKeptFindings (memory and the catalog row stay bounded when a
    // whole store is unreadable); `problems` counts all, and the audit log has every one.
    if (run.findings.size() < kMaxKeptFindings)
        run.findings.append(f);
    ++run.problems;
    AuditEntry e;
    e.at = m_now();
    e.tenantId = tenantId;
    e.action = QStringLiteral("verify.problem");
    e.object = object;
    e.detail = f;
    e.detail.insert(QStringLiteral("run"), run.id);
    e.peer = QStringLiteral("server");
    if (Status s = m_catalog.addAudit(e); !s.ok())
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(s.error().message));
    std::fprintf(stderr, "cairn-server: WARN verify run %lld: %s of tenant %lld: %s (%s)\n",
        static_cast<long long>(run.id), qPrintable(object), static_cast<long long>(tenantId),
        qPrintable(f.value(QStringLiteral("problem")).toString()),
        qPrintable(f.value(QStringLiteral("detail")).toString()));
    saveProgress(run, run.problems <= kMaxKeptFindings);
}

void Verifier::saveProgress(VerifyRun &run, bool force)
{
    const qint64 t = monotonicMs();
    if (!force && t - m_lastSaveMs < kSaveEveryMs)
        return;
    m_lastSaveMs = t;
    if (Status s = m_catalog.updateVerifyRun(run); !s.ok())
        std::fprintf(stderr, "cairn-server: verify: %s\n", qPrintable(s.error().message));
}

} // namespace cairn::server
