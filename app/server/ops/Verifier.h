// The verifier: carries out verify runs (Catalog verify_runs) that operators request through
// POST /api/v1/operator/verify. For every pack of the run's tenant (or of every tenant) that should
// have a file — packs garbage collection deleted are skipped, condemned ones are checked like any
// other — it re-reads the file from the PackStore in 1 MiB reads (memory stays bounded whatever
// the pack size) and checks, without any key:
//   missing  the file is not in the store;
//   size     its size differs from the catalog's;
//   hash     the SHA-256 of its bytes is not the pack's id (damaged on disk);
//   unreadable  the store failed to read it;
//   misnamed  a file in the tenant's pack folder that the catalog does not know and whose SHA-256
//             is not its name (a copy or a misnamed file; one whose hash matches is what an
//             interrupted upload leaves, and is no damage);
//   uncatalogued  a snapshot record in the tenant's store that the catalog does not list (its row
//             was lost, or a crash interrupted a commit or an expiry); such findings carry
//             "snapshot" instead of "pack".
// One finding per damaged pack goes into the run (findings, problems) and into the audit log
// (`verify.problem`, with the pack's tenant); the end of a run is audited as `verify.finished`
// with its figures. Progress (packs, bytes) is stored every second or so, so GET
// /api/v1/operator/verify/{run} shows a run advancing. A run interrupted by a stop is taken up
// again from the start at the next start. Times are the server's clock.
//
// Thread: its own (a QThread; start() and stop() from the thread that owns the object). It polls
// the catalog for unfinished runs every `pollMs` and runs them one at a time, oldest first.
#pragma once

#include "catalog/Catalog.h"
#include "store/PackStore.h"

#include <QThread>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

namespace cairn::server {

class Verifier final : public QThread {
    Q_OBJECT
public:
    static constexpr qint64 kReadSize = 1 << 20;

    Verifier(Catalog &catalog, PackStore &store, std::function<QDateTime()> now, int pollMs = 2000,
        QObject *parent = nullptr);
    ~Verifier() override; // stops the thread

    // Asks the thread to stop after the pack it is reading, and waits for it.
    void stop();
    // Runs every unfinished run now, on the calling thread (tests). Returns the runs finished.
    int runPending();

signals:
    void runFinished(qint64 runId, qint64 problems);

protected:
    void run() override;

private:
    void verify(VerifyRun run);
    bool verifyTenant(VerifyRun &run, qint64 tenantId);
    void checkPack(VerifyRun &run, qint64 tenantId, Backend &backend, const PackRecord &pack);
    bool checkStrayFiles(VerifyRun &run, qint64 tenantId, Backend &backend);
    std::optional<QByteArray> hashFile(
        VerifyRun &run, qint64 tenantId, Backend &backend, const PackRecord &pack, qint64 size);
    void addFinding(VerifyRun &run, qint64 tenantId, const PackRecord &pack, const QString &problem, qint64 actualSize,
        const QString &detail);
    void recordFinding(VerifyRun &run, qint64 tenantId, const QString &object, const QJsonObject &finding);
    void saveProgress(VerifyRun &run, bool force);

    Catalog &m_catalog;
    PackStore &m_store;
    std::function<QDateTime()> m_now;
    int m_pollMs;
    std::atomic<bool> m_stopping {false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    qint64 m_lastSaveMs = 0;
};

} // namespace cairn::server
