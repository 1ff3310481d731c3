// Translated sentences for console errors. The server's codes are listed in docs/API.md
// ("Errors"); each gets a sentence here. GUI thread (tr() uses the installed translators).
#include "api/ApiError.h"

#include <QCoreApplication>
#include <QCryptographicHash>

namespace cairn::console {

namespace {
struct ErrorText {
    Q_DECLARE_TR_FUNCTIONS(ApiError)
};
} // namespace

QString fieldLabel(const QString &field)
{
    struct Label { const char *field; const char *text; };
    static const Label labels[] = {
        {"paths", QT_TRANSLATE_NOOP("ApiError", "Backup paths")},
        {"excludes", QT_TRANSLATE_NOOP("ApiError", "Excludes")},
        {"interval_days", QT_TRANSLATE_NOOP("ApiError", "Backup interval")},
        {"weekday", QT_TRANSLATE_NOOP("ApiError", "Weekday")},
        {"hour", QT_TRANSLATE_NOOP("ApiError", "Backup time")},
        {"retention_days", QT_TRANSLATE_NOOP("ApiError", "Retention")},
        {"pre_command", QT_TRANSLATE_NOOP("ApiError", "Pre-backup command")},
        {"post_command", QT_TRANSLATE_NOOP("ApiError", "Post-backup command")},
        {"command_timeout_seconds", QT_TRANSLATE_NOOP("ApiError", "Command timeout")},
        {"bandwidth_limit_kib", QT_TRANSLATE_NOOP("ApiError", "Bandwidth limit")},
        {"target", QT_TRANSLATE_NOOP("ApiError", "Restore destination")},
        {"contact", QT_TRANSLATE_NOOP("ApiError", "Contact")},
        {"note", QT_TRANSLATE_NOOP("ApiError", "Note")},
        {"reason", QT_TRANSLATE_NOOP("ApiError", "Reason")},
        {"body", QT_TRANSLATE_NOOP("ApiError", "Message")},
        {"login", QT_TRANSLATE_NOOP("ApiError", "Login")},
        {"password", QT_TRANSLATE_NOOP("ApiError", "Password")},
        {"name", QT_TRANSLATE_NOOP("ApiError", "Name")},
        {"time_zone", QT_TRANSLATE_NOOP("ApiError", "Time zone")},
        {"report_recipients", QT_TRANSLATE_NOOP("ApiError", "Report recipients")},
        {"report_time", QT_TRANSLATE_NOOP("ApiError", "Report time")},
        {"month", QT_TRANSLATE_NOOP("ApiError", "Month")},
    };
    for (const Label &l : labels) {
        if (field == QLatin1String(l.field))
            return ErrorText::tr(l.text);
    }
    return field;
}

QString errorSentence(const ApiError &e)
{
    switch (e.kind) {
    case ApiError::Kind::Network:
        return ErrorText::tr("The server cannot be reached. Check the address and your network connection.")
            + (e.message.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.message));
    case ApiError::Kind::Timeout:
        return ErrorText::tr("The server did not answer in time. Try again in a moment.");
    case ApiError::Kind::UntrustedServer:
        return ErrorText::tr("The server's certificate is not the one this console trusts. If you did not expect a change, do not continue.");
    case ApiError::Kind::BadCertificate:
        return ErrorText::tr("The server's certificate is not valid for this address (%1). Use the address your operator gave you.")
            .arg(e.message);
    case ApiError::Kind::BadAnswer:
        return ErrorText::tr("The server sent an answer the console does not understand.");
    case ApiError::Kind::Cancelled:
        return ErrorText::tr("The request was cancelled.");
    case ApiError::Kind::Http:
        break;
    }
    const QString &c = e.code;
    if (c == QLatin1String("bad_credentials"))
        return ErrorText::tr("The login or password is wrong.");
    if (c == QLatin1String("unauthorized"))
        return ErrorText::tr("Your session has expired. Please log in again.");
    if (c == QLatin1String("forbidden"))
        return ErrorText::tr("You are not allowed to do this.");
    if (c == QLatin1String("not_found"))
        return ErrorText::tr("It no longer exists on the server (it may have been removed).");
    if (c == QLatin1String("invalid_json"))
        return ErrorText::tr("The server could not read the request.");
    if (c == QLatin1String("invalid_field")) {
        const QString what = e.field.isEmpty() ? ErrorText::tr("A value") : fieldLabel(e.field);
        return ErrorText::tr("%1 is not valid: %2").arg(what, e.message);
    }
    if (c == QLatin1String("too_many_attempts") || e.status == 429) {
        if (e.retryAfterSeconds > 0)
            return ErrorText::tr("Too many failed logins. Try again in %n second(s).", nullptr, e.retryAfterSeconds);
        return ErrorText::tr("Too many failed logins. Try again later.");
    }
    if (c == QLatin1String("no_policy"))
        return ErrorText::tr("This server has no backup policy yet. Set one on the Policy tab first.");
    if (c == QLatin1String("job_finished"))
        return ErrorText::tr("The job has already finished.");
    if (c == QLatin1String("store_full"))
        return ErrorText::tr("The backup storage is full. New backups are refused until space is freed; restores still work.");
    if (c == QLatin1String("ticket_state") || c == QLatin1String("conflict"))
        return ErrorText::tr("This cannot be done in the current state; someone else may have changed it. The view has been refreshed.");
    if (c == QLatin1String("target_removed"))
        return ErrorText::tr("The destination server has been removed.");
    if (c == QLatin1String("snapshot_removed"))
        return ErrorText::tr("The snapshot no longer exists (retention removed it).");
    if (c == QLatin1String("bad_request"))
        return ErrorText::tr("The request was not valid: %1").arg(e.message);
    if (c == QLatin1String("missing_data"))
        return ErrorText::tr("The snapshot's data is not complete on the server.");
    if (e.status >= 500)
        return ErrorText::tr("The server failed to handle the request (%1). Try again; if it persists, contact the operator.").arg(e.status);
    if (!e.message.isEmpty())
        return ErrorText::tr("The server refused the request: %1").arg(e.message);
    return ErrorText::tr("The server refused the request (HTTP %1).").arg(e.status);
}

QString certificateFingerprint(const QSslCertificate &certificate)
{
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QString out;
    for (int i = 0; i < digest.size(); i += 2) {
        if (i)
            out += QLatin1Char(':');
        out += QLatin1String(digest.mid(i, 2));
    }
    return out;
}

} // namespace cairn::console
