// Internal to cairn_server_tls: writing the files `cairn-server init` creates (certificates, keys,
// the master key) so that they appear whole or not at all and never replace an existing file,
// and reading the small files the server loads at start. Blocking; callable from any thread.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>

namespace cairn::server::detail {

// Writes `data` to `path`, which must not exist: a temporary file in the same directory with
// exactly `mode`, fsync, an atomic no-replace rename (or link) into place, fsync of the directory.
// InvalidArgument naming `path` if it already exists; the temporary is removed on every failure.
Status writeNewFile(const QString &path, const QByteArray &data, unsigned mode);

// Reads a whole regular file of at most `maxBytes` (InvalidArgument if larger; NotFound if
// missing). With `mode` set, also returns its permission bits (taken from the open descriptor).
Result<QByteArray> readSmallFile(const QString &path, qint64 maxBytes, unsigned *mode = nullptr);

} // namespace cairn::server::detail
