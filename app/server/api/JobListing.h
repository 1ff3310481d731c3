// GET /api/v1/jobs: the job history with its filters (server, status, kind, scheduled range),
// server-side sorting (sort=, order=) and keyset pages. In the default order (id, newest first)
// `next` is the last id, passed back as before=ID as on every other history list; in any other
// order it is an opaque cursor string passed back as after=. The first page also carries `total`,
// the number of jobs that match the filters. HTTP worker threads.
#pragma once

#include "api/Api.h"

namespace cairn::server {

HttpResponse listJobs(ApiCall &call);

// The cursor as the API hands it out (base64url text) and reads it back: nullopt for text that is
// not a cursor of this sort and order.
QString encodeJobCursor(const JobCursor &cursor, JobSortKey sort, SortOrder order);
std::optional<JobCursor> decodeJobCursor(const QString &text, JobSortKey sort, SortOrder order);

} // namespace cairn::server
