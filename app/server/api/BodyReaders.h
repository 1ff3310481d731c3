// Request bodies read and checked outside their handlers — the fields, their limits and how they
// combine — so that the fuzz targets (tests/fuzz/fuzz_json.cpp) run the code the server runs.
// Pure; any thread. (The restore request's reader is in RestoreDispatch.h.)
#pragma once

#include "api/JsonInput.h"

#include "catalog/CatalogTypes.h"

#include <QJsonObject>

#include <optional>

namespace cairn::server {

constexpr int kPolicyCommandMaxBytes = 4000; // pre_command, post_command (UTF-8)
constexpr qint64 kBandwidthMinKib = 128, kBandwidthMaxKib = 10000000;

// Reads "paths" (1–100 absolute, 4096 characters each), "excludes" (≤ 200 globs),
// "one_file_system", "interval_days" (1 or 7) with "weekday" for weekly ones, "hour",
// "retention_days" (7, 14, 21 or 30), "pre_command", "post_command", "command_timeout_seconds",
// "on_pre_command_failure" (fail | continue) and "bandwidth_limit_kib" (0 or 128–10,000,000).
// Problems are recorded in `in`; the policy (without updatedAt) is complete only if in.finish()
// reports none.
Policy readPolicy(JsonInput &in);

// An agent's job result (POST /agent/jobs/{job}/result).
struct JobResultInput {
    JobState state = JobState::Failed; // succeeded, warning, failed or cancelled
    std::optional<QJsonObject> stats;
    std::optional<QString> snapshot; // 64 lower-case hex digits
    std::optional<QString> error; // at most 4000 characters
};
// Reads "state", "stats", "snapshot" and "error". Problems are recorded in `in`; the result is
// complete only if in.finish() reports none.
JobResultInput readJobResult(JsonInput &in);

} // namespace cairn::server
