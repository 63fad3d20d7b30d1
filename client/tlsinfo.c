/* Certificate facts with OpenSSL from in-memory PEM (see tlsinfo.h). */
#include "client/tlsinfo.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "common/errfmt.h"

/* BIO_new_mem_buf takes an int length. */
static BIO *mem_bio(const char *data, size_t len, char *err, size_t errlen)
{
    if (!data || len == 0) {
        set_err(err, errlen, "is empty");
        return NULL;
    }
    if (len > INT_MAX) {
        set_err(err, errlen, "is too large");
        return NULL;
    }
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    if (!bio)
        set_err(err, errlen, "out of memory reading PEM");
    return bio;
}

/* Never prompt for a pass phrase: an encrypted key simply fails to load. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return 0;
}

static time_t asn1_to_time(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    return timegm(&tm);
}

static void fill_info(X509 *cert, tls_cert_info *info)
{
    memset(info, 0, sizeof *info);
    info->not_before = asn1_to_time(X509_get0_notBefore(cert));
    info->not_after = asn1_to_time(X509_get0_notAfter(cert));
    BIO *out = BIO_new(BIO_s_mem());
    if (!out)
        return;
    unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (X509_NAME_print_ex(out, X509_get_subject_name(cert), 0, flags) >= 0) {
        char *p = NULL;
        long n = BIO_get_mem_data(out, &p);
        if (n > 0 && p) {
            size_t k = (size_t)n < sizeof info->subject - 1 ? (size_t)n : sizeof info->subject - 1;
            memcpy(info->subject, p, k);
            info->subject[k] = '\0';
        }
    }
    BIO_free(out);
}

static X509 *read_cert(const char *pem, size_t len, char *err, size_t errlen)
{
    BIO *bio = mem_bio(pem, len, err, errlen);
    if (!bio)
        return NULL;
    X509 *cert = PEM_read_bio_X509(bio, NULL, no_password, NULL);
    BIO_free(bio);
    if (!cert)
        set_err(err, errlen, "holds no PEM certificate");
    ERR_clear_error();
    return cert;
}

int tls_cert_read(const char *pem, size_t len, tls_cert_info *info, char *err, size_t errlen)
{
    X509 *cert = read_cert(pem, len, err, errlen);
    if (!cert)
        return -1;
    fill_info(cert, info);
    X509_free(cert);
    return 0;
}

int tls_check_client_pair(const char *cert_pem, size_t cert_len, const char *key_pem, size_t key_len,
                          tls_cert_info *info, char *err, size_t errlen)
{
    char why[96];
    X509 *cert = read_cert(cert_pem, cert_len, why, sizeof why);
    if (!cert) {
        return set_err(err, errlen, "client certificate %s", why);
    }
    BIO *bio = mem_bio(key_pem, key_len, why, sizeof why);
    if (!bio) {
        set_err(err, errlen, "client key %s", why);
        X509_free(cert);
        return -1;
    }
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
    BIO_free(bio);
    int rc = -1;
    if (!key) {
        /* Search without a NUL terminator: the blob is length-delimited. */
        bool encrypted = memmem(key_pem, key_len, "ENCRYPTED", 9) != NULL;
        set_err(err, errlen, encrypted ? "client key is encrypted (pass phrases are not supported)"
                                        : "client key holds no PEM private key");
    } else if (X509_check_private_key(cert, key) != 1) {
        set_err(err, errlen, "client key does not match the client certificate");
    } else {
        if (info)
            fill_info(cert, info);
        rc = 0;
    }
    ERR_clear_error();
    EVP_PKEY_free(key);
    X509_free(cert);
    return rc;
}

int tls_ca_bundle_count(const char *pem, size_t len, size_t *count, char *err, size_t errlen)
{
    *count = 0;
    BIO *bio = mem_bio(pem, len, err, errlen);
    if (!bio)
        return -1;
    STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, NULL, no_password, NULL);
    BIO_free(bio);
    if (!infos) {
        set_err(err, errlen, "is not a valid PEM certificate bundle");
        ERR_clear_error();
        return -1;
    }
    for (int i = 0; i < sk_X509_INFO_num(infos); i++)
        if (sk_X509_INFO_value(infos, i)->x509)
            (*count)++;
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    ERR_clear_error();
    if (*count == 0) {
        return set_err(err, errlen, "holds no certificate");
    }
    return 0;
}

bool tls_cert_expired(const tls_cert_info *info, time_t now)
{
    return info->not_after != 0 && now >= info->not_after;
}
