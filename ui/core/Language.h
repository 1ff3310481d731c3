// Language: the console's interface language, Korean or English, switchable at runtime. Loading
// one installs Cairn's translator (":/i18n/cairn_<lang>.qm") and Qt's own for standard buttons
// when present, sets the default QLocale (dates, numbers, sizes) and remembers the choice in
// QSettings ("ui/language"). Qt then sends every widget a LanguageChange event; views
// retranslate in changeEvent(). GUI thread.
#pragma once

#include <QString>
#include <QStringList>

namespace cairn::console {

class Language {
public:
    static QStringList available() { return {QStringLiteral("ko"), QStringLiteral("en")}; }
    // The remembered language, else the system's if Korean, else English.
    static QString initial();
    // Installs `code` ("ko" or "en"); false if its translation is missing.
    static bool apply(const QString &code);
    static QString current();
    static QString nativeName(const QString &code); // "한국어", "English"
};

} // namespace cairn::console
