// Reading agent and policy rows, shared by the SqlCatalog files that read the agents and policies
// tables (SqlCatalogAgents.cpp, SqlCatalogConsole.cpp). Internal to the catalog; any thread.
#pragma once

#include "catalog/CatalogTypes.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

// The agent columns agentFrom() reads, in order, each qualified by `alias` when one is given
// ("a" gives "a.id, a.tenant_id, ..."), for statements that join agents.
QString agentColumnsOf(const QString &alias = QString());
// How many columns agentColumnsOf() names: the first column after them is at this index.
constexpr int kAgentColumnCount = 12;
// An agent from the row's first kAgentColumnCount columns.
Agent agentFrom(const sql::Statement &st);

// The policy columns policyFrom() reads, in order (13 columns, without agent_id).
extern const QString kPolicyColumns;
// A policy from the row's columns starting at `first` (where kPolicyColumns begins).
Policy policyFrom(const sql::Statement &st, int first);

} // namespace cairn::server
