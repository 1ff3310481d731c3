// Checker: verifies a repository. The structure check loads every snapshot and every tree it
// reaches, and confirms that every referenced blob is indexed in a pack that exists with the
// recorded size. With readData it also reads every pack, verifies its SHA-256 id, decodes its
// header and opens every blob (GCM tag and chunk id), comparing against the index; it does so
// before walking the trees, so that every file whose data is in a damaged blob is reported with
// its snapshot ("snapshot <id>: <path>: chunk <id> is damaged (pack <id>)").
// Problems are reported by callback; the checker prints nothing. Threads: the caller's, plus
// `workers` threads for readData.
#pragma once

#include "base/Result.h"
#include "repository/Repository.h"

#include <functional>

namespace cairn {

struct CheckOptions {
    bool readData = false;
    int workers = 2;
};

struct CheckStats {
    qint64 snapshots = 0, trees = 0, dataRefs = 0, packs = 0, packsRead = 0, blobsRead = 0, bytesRead = 0;
    qint64 problems = 0, notes = 0;
};

struct CheckCallbacks {
    std::function<void(const QString &phase, qint64 done, qint64 total)> progress;
    std::function<void(const QString &problem)> problem; // damage: check fails
    std::function<void(const QString &note)> note;       // harmless findings (e.g. unindexed packs)
};

class Checker {
public:
    Checker(Repository &repo, CheckCallbacks callbacks);
    Result<CheckStats> run(const CheckOptions &options);

private:
    Repository &m_repo;
    CheckCallbacks m_cb;
};

} // namespace cairn
