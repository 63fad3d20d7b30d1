#include "sim/pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/secret.h"

#define VALID_SECONDS (365L * 24 * 3600)

static void set_openssl_err(char *err, size_t errlen, const char *what)
{
    unsigned long e = ERR_get_error();
    char detail[256] = "unknown error";
    if (e)
        ERR_error_string_n(e, detail, sizeof detail);
    snprintf(err, errlen, "pki: %s: %s", what, detail);
    ERR_clear_error();
}

static char *pem_of_bio(BIO *bio)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    if (n < 0 || !data)
        return NULL;
    return xstrndup(data, (size_t)n);
}

static char *cert_pem(X509 *cert)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return NULL;
    char *pem = PEM_write_bio_X509(bio, cert) ? pem_of_bio(bio) : NULL;
    BIO_free(bio);
    return pem;
}

static char *key_pem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return NULL;
    char *pem = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) ? pem_of_bio(bio) : NULL;
    BIO_free(bio);
    return pem;
}

/* One extension from its text form (as openssl.cnf writes it), with issuer and subject set so that
 * the key identifiers can be computed. */
static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static bool random_serial(X509 *cert)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f; /* a positive serial: Go's x509 rejects negative ones */
    bytes[0] |= 0x01; /* and never zero */
    BIGNUM *bn = BN_bin2bn(bytes, sizeof bytes, NULL);
    if (!bn)
        return false;
    bool ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok;
}

static X509_NAME *make_name(const char *cn, const char *org)
{
    X509_NAME *name = X509_NAME_new();
    if (!name)
        return NULL;
    if ((org && !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0)) ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0)) {
        X509_NAME_free(name);
        return NULL;
    }
    return name;
}

typedef struct cert_profile {
    const char *cn;
    const char *org;
    const char *basic;    /* basicConstraints */
    const char *usage;    /* keyUsage */
    const char *ext_use;  /* extendedKeyUsage, or NULL */
    const char *san;      /* subjectAltName, or NULL */
} cert_profile;

/* Builds a certificate for key, signed by issuer_key (issuer NULL: self-signed). */
static X509 *make_cert(const cert_profile *p, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
    X509 *cert = X509_new();
    X509_NAME *subject = make_name(p->cn, p->org);
    bool ok = cert && subject && X509_set_version(cert, 2) && random_serial(cert) &&
              X509_gmtime_adj(X509_getm_notBefore(cert), -3600) &&
              X509_gmtime_adj(X509_getm_notAfter(cert), VALID_SECONDS) && X509_set_subject_name(cert, subject) &&
              X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : subject) &&
              X509_set_pubkey(cert, key);
    X509 *signer = issuer ? issuer : cert;
    ok = ok && add_ext(cert, signer, NID_basic_constraints, p->basic) && add_ext(cert, signer, NID_key_usage, p->usage) &&
         add_ext(cert, signer, NID_subject_key_identifier, "hash") &&
         (!issuer || add_ext(cert, signer, NID_authority_key_identifier, "keyid:always")) &&
         (!p->ext_use || add_ext(cert, signer, NID_ext_key_usage, p->ext_use)) &&
         (!p->san || add_ext(cert, signer, NID_subject_alt_name, p->san)) &&
         X509_sign(cert, issuer_key, EVP_sha256()) > 0;
    X509_NAME_free(subject);
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

static const cert_profile ca_profile = {"hcpsim-ca", NULL, "critical,CA:TRUE", "critical,keyCertSign,cRLSign", NULL,
                                        NULL};
static const cert_profile server_profile = {"hcpsim-apiserver", NULL, "critical,CA:FALSE",
                                            "critical,digitalSignature,keyEncipherment", "serverAuth",
                                            "IP:127.0.0.1,IP:::1,DNS:localhost"};
static const cert_profile client_profile = {SIM_PKI_ADMIN_CN, SIM_PKI_ADMIN_ORG, "critical,CA:FALSE",
                                            "critical,digitalSignature,keyEncipherment", "clientAuth", NULL};

bool sim_pki_generate(sim_pki *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    EVP_PKEY *ca_key = EVP_EC_gen("P-256");
    EVP_PKEY *server_key = EVP_EC_gen("P-256");
    EVP_PKEY *client_key = EVP_EC_gen("P-256");
    X509 *ca = NULL, *server = NULL, *client = NULL;
    bool ok = false;
    if (!ca_key || !server_key || !client_key) {
        set_openssl_err(err, errlen, "generating EC P-256 keys");
        goto done;
    }
    ca = make_cert(&ca_profile, ca_key, NULL, ca_key);
    server = ca ? make_cert(&server_profile, server_key, ca, ca_key) : NULL;
    client = server ? make_cert(&client_profile, client_key, ca, ca_key) : NULL;
    if (!client) {
        set_openssl_err(err, errlen, "signing certificates");
        goto done;
    }
    out->ca_cert_pem = cert_pem(ca);
    out->server_cert_pem = cert_pem(server);
    out->server_key_pem = key_pem(server_key);
    out->client_cert_pem = cert_pem(client);
    out->client_key_pem = key_pem(client_key);
    ok = out->ca_cert_pem && out->server_cert_pem && out->server_key_pem && out->client_cert_pem &&
         out->client_key_pem;
    if (!ok) {
        set_openssl_err(err, errlen, "writing PEM");
        sim_pki_free(out);
    }
done:
    X509_free(ca);
    X509_free(server);
    X509_free(client);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(server_key);
    EVP_PKEY_free(client_key);
    return ok;
}

void sim_pki_free(sim_pki *p)
{
    if (!p)
        return;
    free(p->ca_cert_pem);
    free(p->server_cert_pem);
    secret_free(p->server_key_pem, 0);
    free(p->client_cert_pem);
    secret_free(p->client_key_pem, 0);
    memset(p, 0, sizeof *p);
}

char *sim_base64(const void *data, size_t len)
{
    if (len > (size_t)0x3fffffff) /* EVP_EncodeBlock takes an int */
        abort();
    char *out = xmalloc(4 * ((len + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

bool sim_random_hex(char *out, size_t hex_len)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char byte;
    for (size_t i = 0; i < hex_len; i++) {
        if ((i & 1) == 0 && RAND_bytes(&byte, 1) != 1)
            return false;
        out[i] = digits[(i & 1) ? (byte & 0xf) : (byte >> 4)];
    }
    out[hex_len] = '\0';
    return true;
}
