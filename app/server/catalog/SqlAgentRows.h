// Reading policy rows, shared by the SqlCatalog files that read the policies table
// (SqlCatalogAgents.cpp, SqlCatalogConsole.cpp). Internal to the catalog; any thread.
#pragma once

#include "catalog/CatalogTypes.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

// The policy columns policyFrom() reads, in order (13 columns, without agent_id).
extern const QString kPolicyColumns;
// A policy from the row's columns starting at `first` (where kPolicyColumns begins).
Policy policyFrom(const sql::Statement &st, int first);

} // namespace cairn::server
