// Internal to cairn_server_tls: owning pointers for the OpenSSL objects the certificate code uses,
// and the conversions it shares. Never included from a public header, so callers do not see
// OpenSSL types. Stateless; any thread.
#pragma once

#include <QByteArray>
#include <QString>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <vector>

namespace cairn::server::detail {

template <typename T, void (*Free)(T *)> struct OpenSslFree {
    void operator()(T *p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree<BIGNUM, BN_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslFree<GENERAL_NAMES, GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpenSslFree<GENERAL_NAME, GENERAL_NAME_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION, X509_EXTENSION_free>>;

// The reasons on OpenSSL's error queue for the calling thread, joined by "; " (empties the queue).
QString openSslErrors();

// Everything written to a memory BIO so far. With a BIO_s_secmem() BIO, the BIO's buffer is wiped
// when freed; the returned copy is the caller's to wipe.
QByteArray bioContents(BIO *bio);

// The certificate's subject in one line (RFC 2253 form), for messages.
QString subjectLine(const X509 *cert);

} // namespace cairn::server::detail
