// TicketRequest: what a restore ticket's `request` object holds, read the same way by the
// tenant's ticket view (MyTicketsPage) and the operators' (TicketHandlingView) — the paths asked
// for and the contact given — and the selectable value label both show ticket details in.
// Each view words and lays out the details itself. GUI thread.
#pragma once

#include <QJsonObject>
#include <QStringList>

class QLabel;
class QWidget;

namespace cairn::console::ticketrequest {

// The paths asked for: `paths`, then `paths_b64` decoded (names that are not UTF-8 text on the
// wire). Empty: everything in the snapshot.
QStringList paths(const QJsonObject &request);

// The contact's name, phone and email, in that order, leaving out the ones not given.
QStringList contact(const QJsonObject &request);

// A word-wrapped label whose text the user can select and copy, named for tests and scripts.
QLabel *valueLabel(QWidget *parent, const char *objectName);

} // namespace cairn::console::ticketrequest
