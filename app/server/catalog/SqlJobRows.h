// Reading and writing job rows, shared by the SqlCatalog files that touch the jobs table
// (SqlCatalogJobs.cpp, SqlCatalogSweeps.cpp). Internal to the catalog; any thread, each call
// on the caller's connection.
#pragma once

#include "catalog/CatalogTypes.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

extern const QString kJobColumns; // the SELECT list jobFrom() reads
Result<Job> jobFrom(const sql::Statement &st);
Result<QList<Job>> jobsFrom(sql::Statement &st); // every remaining row
Result<Job> readJob(const QSqlDatabase &db, qint64 tenantId, qint64 jobId);
// Inserts `j` (inside the caller's write transaction) and sets its id.
Status insertJob(const QSqlDatabase &db, Job &j, const QString &what);

} // namespace cairn::server
