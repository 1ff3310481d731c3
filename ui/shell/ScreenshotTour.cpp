// ScreenshotTour: placeholder until written. GUI thread.
#include "shell/ScreenshotTour.h"

namespace cairn::console {

void startScreenshotTour(MainWindow *, const QString &, const QString &)
{
}

} // namespace cairn::console
