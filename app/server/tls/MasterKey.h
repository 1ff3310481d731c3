// The server master key: 32 random bytes that wrap every tenant's KeySet (wrapKeySet and
// unwrapKeySet in repository/Keys.h). It lives in a file of its own, mode 0600:
//     cairn-master-key-v1
//     <base64 of the 32 bytes>
// Whoever reads this file can open every tenant's key set, so load() refuses a file that group or
// others may access. Blocking file I/O; called at start and by `cairn-server init`, any thread.
#pragma once

#include "base/Result.h"
#include "crypto/Crypto.h"

#include <QString>

namespace cairn::server {

class MasterKey {
public:
    // Generates a new master key and writes it to `path` atomically (temporary file, fsync,
    // no-replace rename) with mode 0600. InvalidArgument naming the file if it already exists.
    static Result<crypto::Key256> create(const QString &path);

    // Reads the master key. NotFound if the file is missing; Permanent (saying why and how to fix
    // it) if group or others may read or write it; Corrupt if the content is malformed;
    // Unsupported for a later format version.
    static Result<crypto::Key256> load(const QString &path);
};

} // namespace cairn::server
