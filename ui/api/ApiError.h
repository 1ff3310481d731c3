// ApiError: why a console request failed — the network, TLS trust, or the server's answer with
// its stable error code — and errorSentence(), the translated sentence the console shows for it
// (never a bare code). Value type; any thread.
#pragma once

#include <QCoreApplication>
#include <QSslCertificate>
#include <QString>

namespace cairn::console {

struct ApiError {
    enum class Kind {
        Network,           // refused, unreachable, reset, DNS
        Timeout,           // no answer in time
        UntrustedServer,   // the certificate is not the pinned one (or none is pinned yet)
        BadCertificate,    // the certificate is invalid in itself: another host name, expired, …
        Http,              // the server answered with an error status (code/message/field)
        BadAnswer,         // the answer was not the JSON the console expects
        Cancelled,
    };
    Kind kind = Kind::Network;
    int status = 0;        // HTTP status for Http
    QString code;          // the server's stable code ("invalid_field", "bad_credentials", ...)
    QString message;       // the server's English message, or the transport's description
    QString field;         // the offending field of the request, if the server named one
    int retryAfterSeconds = 0;
    QSslCertificate certificate; // UntrustedServer: the certificate the server presented (its root)

    bool isHttp(int s) const { return kind == Kind::Http && status == s; }
};

// A sentence in the current language for the user: what went wrong and, where it helps, what to
// do. Server codes are translated; an unknown code falls back to the server's message.
QString errorSentence(const ApiError &error);
// The name of a request field as the forms label it ("hour" → "Backup time").
QString fieldLabel(const QString &field);

// SHA-256 fingerprint as "AB:CD:…" (the form `cairn-server init` and enrollment print).
QString certificateFingerprint(const QSslCertificate &certificate);

} // namespace cairn::console
