// ScreenshotTour: for docs/screenshots — after login, shows the console's main views one by one
// in the current language and saves each window as PNG into a folder, then quits. Started by
// `cairn-console --screenshots DIR` (scripts/screenshots.sh runs it under Xvfb). GUI thread.
#pragma once

#include <QString>

namespace cairn::console {

class MainWindow;

// Starts the tour once the window has logged in; `suffix` goes into the file names ("ko", "en").
void startScreenshotTour(MainWindow *window, const QString &directory, const QString &suffix);

} // namespace cairn::console
