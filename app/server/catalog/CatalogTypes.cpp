// Stable names of the catalog's enumerations: these strings are stored in the catalog and sent
// over the API, so they never change. Pure functions, thread-agnostic.
#include "catalog/CatalogTypes.h"

#include <iterator>

namespace cairn::server {

namespace {

template <typename Enum, size_t N> std::optional<Enum> fromName(const QString &name, const char *const (&names)[N])
{
    for (size_t i = 0; i < N; ++i)
        if (name == QLatin1String(names[i]))
            return Enum(i);
    return std::nullopt;
}

// Indexed by the enumerator's value; keep in declaration order.
constexpr const char *kRoleNames[] = {"member", "admin", "operator"};
constexpr const char *kJobKindNames[] = {"backup", "restore"};
constexpr const char *kJobStateNames[]
    = {"pending", "running", "succeeded", "warning", "failed", "missed", "cancelled"};
constexpr const char *kTicketStateNames[] = {"submitted", "accepted", "running", "completed", "rejected", "cancelled"};

static_assert(std::size(kRoleNames) == size_t(Role::Operator) + 1);
static_assert(std::size(kJobKindNames) == size_t(JobKind::Restore) + 1);
static_assert(std::size(kJobStateNames) == size_t(JobState::Cancelled) + 1);
static_assert(std::size(kTicketStateNames) == size_t(TicketState::Cancelled) + 1);

} // namespace

const char *roleName(Role role)
{
    return kRoleNames[size_t(role)];
}

std::optional<Role> roleFromName(const QString &name)
{
    return fromName<Role>(name, kRoleNames);
}

const char *jobKindName(JobKind kind)
{
    return kJobKindNames[size_t(kind)];
}

std::optional<JobKind> jobKindFromName(const QString &name)
{
    return fromName<JobKind>(name, kJobKindNames);
}

const char *jobStateName(JobState state)
{
    return kJobStateNames[size_t(state)];
}

std::optional<JobState> jobStateFromName(const QString &name)
{
    return fromName<JobState>(name, kJobStateNames);
}

bool isFinished(JobState state)
{
    switch (state) {
    case JobState::Pending:
    case JobState::Running: return false;
    case JobState::Succeeded:
    case JobState::Warning:
    case JobState::Failed:
    case JobState::Missed:
    case JobState::Cancelled: return true;
    }
    return true;
}

const char *ticketStateName(TicketState state)
{
    return kTicketStateNames[size_t(state)];
}

std::optional<TicketState> ticketStateFromName(const QString &name)
{
    return fromName<TicketState>(name, kTicketStateNames);
}

} // namespace cairn::server
