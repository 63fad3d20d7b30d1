/* Certificate facts with OpenSSL, from in-memory PEM (nothing touches the disk): a client
 * certificate's subject and expiry, whether a private key belongs to it, and whether a CA bundle
 * holds any certificate. Messages are short phrases without key material; callers prefix the file
 * and field ("kubeconfig F: user \"u\": " + phrase). */
#ifndef HCP_CLIENT_TLSINFO_H
#define HCP_CLIENT_TLSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct tls_cert_info {
    time_t not_before;
    time_t not_after;
    char subject[256];      /* RFC 2253, e.g. "CN=hcpsim-admin,O=system:masters" (truncated if longer) */
} tls_cert_info;

/* Reads the first certificate of a PEM blob. 0 on success; -1 with a phrase in err. */
int tls_cert_read(const char *pem, size_t len, tls_cert_info *info, char *err, size_t errlen);

/* Parses the certificate (first of the blob) and the private key and checks that they match.
 * info may be NULL. 0 on success; -1 with a phrase ("client key does not match the certificate",
 * "client key is encrypted", "no private key found", ...) in err. */
int tls_check_client_pair(const char *cert_pem, size_t cert_len, const char *key_pem, size_t key_len,
                          tls_cert_info *info, char *err, size_t errlen);

/* Counts the certificates of a CA bundle; -1 with a phrase in err when it holds none or a PEM block
 * is damaged. */
int tls_ca_bundle_count(const char *pem, size_t len, size_t *count, char *err, size_t errlen);

/* True when the certificate has expired at now. */
bool tls_cert_expired(const tls_cert_info *info, time_t now);

#endif
