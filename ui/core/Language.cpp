// Runtime language switching with QTranslator. GUI thread.
#include "core/Language.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace cairn::console {

namespace {
QTranslator *g_cairn = nullptr;
QTranslator *g_qt = nullptr;
QString g_current;
} // namespace

QString Language::initial()
{
    const QString saved = QSettings().value(QStringLiteral("ui/language")).toString();
    if (available().contains(saved))
        return saved;
    return QLocale::system().language() == QLocale::Korean ? QStringLiteral("ko") : QStringLiteral("en");
}

bool Language::apply(const QString &code)
{
    if (!available().contains(code))
        return false;
    const QLocale locale = code == QLatin1String("ko") ? QLocale(QLocale::Korean, QLocale::SouthKorea)
                                                       : QLocale(QLocale::English, QLocale::UnitedStates);
    auto *next = new QTranslator(qApp);
    if (!next->load(locale, QStringLiteral("cairn"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete next;
        next = nullptr;
        if (code != QLatin1String("en")) // English is the source language: it works without one
            return false;
    }
    auto *qtNext = new QTranslator(qApp);
    if (!qtNext->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        delete qtNext;
        qtNext = nullptr;
    }
    QLocale::setDefault(locale);
    if (g_cairn) {
        QCoreApplication::removeTranslator(g_cairn);
        g_cairn->deleteLater();
    }
    if (g_qt) {
        QCoreApplication::removeTranslator(g_qt);
        g_qt->deleteLater();
    }
    g_cairn = next;
    g_qt = qtNext;
    if (g_qt)
        QCoreApplication::installTranslator(g_qt);
    if (g_cairn)
        QCoreApplication::installTranslator(g_cairn); // sends LanguageChange to every widget
    else if (!g_qt) { // nothing installed: tell the widgets anyway
        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(qApp, &change);
    }
    g_current = code;
    QSettings().setValue(QStringLiteral("ui/language"), code);
    return true;
}

QString Language::current()
{
    return g_current;
}

QString Language::nativeName(const QString &code)
{
    return code == QLatin1String("ko") ? QStringLiteral("한국어") : QStringLiteral("English");
}

} // namespace cairn::console
