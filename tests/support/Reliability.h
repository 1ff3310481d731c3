// The reliability suite's two forms and its figures (docs/RELIABILITY.md). The bounded form runs
// in CI with every `ctest`; the long form is `scripts/reliability.sh`, which sets
// CAIRN_RELIABILITY=long and collects what the tests report. Any thread.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace cairn::test {

// Whether this is the long form (CAIRN_RELIABILITY=long).
bool reliabilityLongForm();
// `bounded` in the bounded form, `longForm` in the long one.
int reliabilityScale(int bounded, int longForm);

// One line of figures: "reliability: <area> key=value key=value ...", printed to stdout and
// appended to the file $CAIRN_RELIABILITY_REPORT when it is set. Keys by convention: tried (crash
// points, faults or inputs), lost, corrupt (silently wrong data), hangs, crashes, plus the
// area's own (agents, execs, ...).
using Figures = QList<QPair<QByteArray, qint64>>;
void reliabilityReport(const QByteArray &area, const Figures &figures);

} // namespace cairn::test
